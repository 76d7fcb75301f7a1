import { Worker } from 'node:worker_threads';
import type { VectorFormat } from './read_vector_file.ts';
import type { ImportResult } from '../imports/import_types.ts';
import { FileRejectedError, type ParseLimits } from './file_limits.ts';
import type { ParseTask, WorkerReply } from './parse_protocol.ts';

const BOOTSTRAP = new URL('./parse_worker_bootstrap.mjs', import.meta.url);

/** A parse the worker refused or that broke a limit; `status` is the HTTP status for a request. */
export class ParseFailedError extends FileRejectedError {
  constructor(
    code: string,
    message: string,
    readonly status = 422,
    readonly details: unknown = null,
  ) {
    super(code, message);
  }
}

/**
 * One untrusted file parsed in its own worker thread: a V8 heap cap (resourceLimits) and a
 * wall-clock budget; either exceeded terminates the worker and rejects with a clear reason. The
 * main thread's event loop only receives ready-made chunks, so a file that makes a parser spin or
 * explode cannot stop the API.
 */
class ParseWorker {
  private readonly worker: Worker;
  private readonly replies: WorkerReply[] = [];
  private waiting: ((reply: WorkerReply) => void) | null = null;
  private readonly timer: NodeJS.Timeout;
  private stallTimer: NodeJS.Timeout | undefined;
  private finished = false;
  private readonly deliver: (reply: WorkerReply) => void;

  constructor(
    task: ParseTask,
    private readonly limits: ParseLimits,
  ) {
    this.worker = new Worker(BOOTSTRAP, {
      workerData: task,
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMegabytes, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, limits.memoryMegabytes / 8)), stackSizeMb: 4 },
    });
    const deliver = (reply: WorkerReply) => {
      if (this.finished) return;
      clearTimeout(this.stallTimer);
      if (reply.type === 'error' || reply.type === 'end' || reply.type === 'import') this.finish();
      if (this.waiting) {
        const waiting = this.waiting;
        this.waiting = null;
        waiting(reply);
      } else this.replies.push(reply);
    };
    this.timer = setTimeout(() => {
      deliver({ type: 'error', code: 'FILE_PARSE_TIMEOUT', message: `Reading the file took longer than ${Math.round(limits.timeoutMilliseconds / 1000)} s; it was stopped (split it into smaller files)`, status: 422 });
    }, limits.timeoutMilliseconds);
    this.worker.on('message', (reply: WorkerReply) => deliver(reply));
    this.worker.on('error', (error: Error & { code?: string }) => {
      deliver(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { type: 'error', code: 'FILE_PARSE_MEMORY', message: `Reading the file needed more than ${limits.memoryMegabytes} MB; it was stopped (split it into smaller files)`, status: 422 }
          : { type: 'error', code: 'FILE_UNREADABLE', message: `The file could not be read: ${error.message}`, status: 422 },
      );
    });
    this.worker.on('exit', () => deliver({ type: 'error', code: 'FILE_UNREADABLE', message: 'The file reader stopped unexpectedly', status: 422 }));
    this.deliver = deliver;
  }

  /** The next reply; `pull` asks the worker for the next chunk first. */
  next(pull: boolean): Promise<WorkerReply> {
    if (pull && !this.finished) this.worker.postMessage('next');
    if (!this.finished && this.replies.length === 0) {
      // Only the worker's own time counts here: the clock starts when it is asked.
      this.stallTimer = setTimeout(() => {
        this.deliver({
          type: 'error',
          code: 'FILE_PARSE_TIMEOUT',
          message: `Reading the file produced nothing for ${Math.round(this.limits.stallMilliseconds / 1000)} s; it was stopped (the file is damaged or too complex)`,
          status: 422,
        });
      }, this.limits.stallMilliseconds);
    }
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    void this.worker.terminate();
  }
}

function rejection(reply: Extract<WorkerReply, { type: 'error' }>): ParseFailedError {
  return new ParseFailedError(reply.code, reply.message, reply.status, reply.details ?? null);
}

/** Features of a detection file, read by a worker under `limits`; stopping the iteration stops the worker. */
export async function* readDetectionFeaturesIsolated(
  filePath: string,
  source: { format: VectorFormat; crs: string | null; layer: string | null },
  limits: ParseLimits,
): AsyncGenerator<GeoJSON.Feature> {
  const worker = new ParseWorker({ kind: 'detection-features', filePath, ...source, limits }, limits);
  try {
    for (;;) {
      const reply = await worker.next(true);
      if (reply.type === 'error') throw rejection(reply);
      if (reply.type !== 'features') return;
      yield* reply.features;
    }
  } finally {
    worker.finish();
  }
}

/** A violation import file parsed by a worker under `limits`. */
export async function readImportFileIsolated(filePath: string, fileName: string, source: { crs: string; layer: string | null }, limits: ParseLimits): Promise<ImportResult> {
  const worker = new ParseWorker({ kind: 'violation-import', filePath, fileName, ...source, limits }, limits);
  try {
    const reply = await worker.next(false);
    if (reply.type === 'error') throw rejection(reply);
    if (reply.type !== 'import') throw new ParseFailedError('FILE_UNREADABLE', 'The file reader answered out of order');
    return reply.result;
  } finally {
    worker.finish();
  }
}
