/**
 * The parsing worker thread (server/files/run_parse_worker.ts starts it with memory limits and a
 * wall-clock budget). It reads ONE untrusted file from disk and answers the main thread: features in
 * chunks, one chunk per 'next' request (the main thread pulls as fast as the database takes them),
 * or one import result. Nothing here touches the database or the network.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { ParseTask, WorkerReply } from './parse_protocol.ts';
import { FileRejectedError } from './file_limits.ts';
import { readSourceFeatures } from './source_features.ts';
import { readImportFile } from './read_import_file.ts';

const FEATURES_PER_CHUNK = 500;
const port = parentPort!;
const task = workerData as ParseTask;

function reply(message: WorkerReply): void {
  port.postMessage(message);
}

function failure(error: unknown): WorkerReply {
  if (error instanceof FileRejectedError) return { type: 'error', code: error.code, message: error.message, status: 422 };
  const appError = error as { status?: number; code?: string; message?: string };
  if (typeof appError.status === 'number' && typeof appError.code === 'string') {
    return { type: 'error', code: appError.code, message: appError.message ?? appError.code, status: appError.status, details: (error as { details?: unknown }).details };
  }
  return { type: 'error', code: 'FILE_UNREADABLE', message: `The file could not be read: ${error instanceof Error ? error.message : String(error)}`, status: 422 };
}

const nextRequest = () => new Promise<void>((resolve) => port.once('message', () => resolve()));

async function runFeatures(task: Extract<ParseTask, { kind: 'detection-features' }>): Promise<void> {
  const workDir = await mkdtemp(path.join(path.dirname(task.filePath), 'parse-'));
  try {
    let chunk: GeoJSON.Feature[] = [];
    let count = 0;
    for await (const feature of readSourceFeatures(task.filePath, { format: task.format, crs: task.crs, layer: task.layer, workDir, limits: task.limits })) {
      count += 1;
      if (count > task.limits.maxFeatures) {
        throw new FileRejectedError('FILE_TOO_MANY_FEATURES', `The file holds more than ${task.limits.maxFeatures} features; split it into smaller batches`);
      }
      chunk.push(feature);
      if (chunk.length >= FEATURES_PER_CHUNK) {
        await nextRequest();
        reply({ type: 'features', features: chunk });
        chunk = [];
      }
    }
    await nextRequest();
    if (chunk.length > 0) {
      reply({ type: 'features', features: chunk });
      await nextRequest();
    }
    reply({ type: 'end', count });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

try {
  if (task.kind === 'detection-features') await runFeatures(task);
  else reply({ type: 'import', result: await readImportFile(task.filePath, task.fileName, task.crs, task.limits, { layer: task.layer }) });
} catch (error) {
  reply(failure(error));
}
