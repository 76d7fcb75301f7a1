import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { FileRejectedError, type ParseLimits } from './file_limits.ts';

/** Bytes read from the zip per push: inflating one chunk yields at most ~1,000× (deflate's limit). */
const READ_CHUNK_BYTES = 16 * 1024;

export interface ExtractedEntry {
  name: string;
  path: string;
  bytes: number;
}

/**
 * Streams a zip from disk and writes the entries `wanted` picks into `directory` under the name
 * it returns (or hands their inflated chunks to the function it returns, which may throw to stop),
 * enforcing the limits WHILE inflating: the number of entries, the inflated total and
 * the ratio of inflated bytes to the zip's size. A zip bomb is stopped after at most one chunk past
 * a limit, never inflated whole. Entries not picked are skipped without being inflated.
 */
export async function extractZipEntries(
  zipPath: string,
  directory: string,
  limits: ParseLimits,
  wanted: (name: string) => string | ((chunk: Uint8Array) => void) | null,
): Promise<{ names: string[]; extracted: ExtractedEntry[] }> {
  const zipBytes = (await stat(zipPath)).size;
  const maxInflated = Math.min(limits.maxUncompressedBytes, Math.max(zipBytes, 1) * limits.maxCompressionRatio);
  const names: string[] = [];
  const extracted: ExtractedEntry[] = [];
  const outputs = new Map<UnzipFile, { entry: ExtractedEntry; stream: WriteStream; pending: Uint8Array[] }>();
  let inflated = 0;
  let refusal: FileRejectedError | null = null;
  const ratioRefusal = () =>
    new FileRejectedError('ZIP_RATIO_TOO_HIGH', `The zip inflates more than ${limits.maxCompressionRatio} times its size (${zipBytes} bytes); this looks like a zip bomb`);

  const unzip = new Unzip((file) => {
    if (refusal) return;
    names.push(file.name);
    if (names.length > limits.maxZipEntries) {
      refusal = new FileRejectedError('ZIP_TOO_MANY_ENTRIES', `The zip holds more than ${limits.maxZipEntries} entries; send only the .shp, .dbf, .prj and .cpg files`);
      return;
    }
    const target = file.name.endsWith('/') ? null : wanted(file.name);
    if (!target) return;
    // The declared size is refused at once when it is already too much; it may also lie (smaller),
    // which the counting while inflating catches.
    const declared = file.originalSize ?? 0;
    if (inflated + declared > maxInflated) {
      refusal = declared + inflated > limits.maxUncompressedBytes
        ? new FileRejectedError('ZIP_TOO_LARGE', `The zip inflates to more than ${Math.round(limits.maxUncompressedBytes / 1024 / 1024)} MB`)
        : ratioRefusal();
      return;
    }
    const entry: ExtractedEntry = { name: file.name, path: typeof target === 'string' ? path.join(directory, target) : '', bytes: 0 };
    const output = typeof target === 'string' ? { entry, stream: createWriteStream(entry.path, { mode: 0o600 }), pending: [] as Uint8Array[] } : null;
    if (output) {
      outputs.set(file, output);
      extracted.push(entry);
    }
    file.ondata = (error, chunk, final) => {
      if (refusal) return;
      if (error) {
        refusal = new FileRejectedError('ZIP_INVALID', `The zip entry ${file.name} cannot be inflated: ${error.message}`);
        return;
      }
      entry.bytes += chunk.length;
      inflated += chunk.length;
      if (inflated > limits.maxUncompressedBytes) {
        refusal = new FileRejectedError('ZIP_TOO_LARGE', `The zip inflates to more than ${Math.round(limits.maxUncompressedBytes / 1024 / 1024)} MB`);
      } else if (inflated > maxInflated) {
        refusal = ratioRefusal();
      }
      if (!refusal && typeof target === 'function') {
        try {
          target(chunk);
        } catch (inspectError) {
          refusal = inspectError instanceof FileRejectedError ? inspectError : new FileRejectedError('ZIP_INVALID', String(inspectError));
        }
      }
      if (refusal) {
        file.terminate();
        return;
      }
      if (output && chunk.length > 0) output.pending.push(chunk);
      void final;
    };
    file.start();
  });
  unzip.register(UnzipInflate);

  const flush = async () => {
    for (const output of outputs.values()) {
      while (output.pending.length > 0) {
        const chunk = output.pending.shift()!;
        if (chunk.length > 0 && !output.stream.write(chunk)) await once(output.stream, 'drain');
      }
    }
  };
  try {
    for await (const chunk of createReadStream(zipPath, { highWaterMark: READ_CHUNK_BYTES })) {
      try {
        unzip.push(chunk as Buffer);
      } catch (error) {
        refusal ??= new FileRejectedError('ZIP_INVALID', `The zip cannot be read: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (refusal) throw refusal;
      await flush();
    }
    try {
      unzip.push(new Uint8Array(0), true);
    } catch (error) {
      refusal ??= new FileRejectedError('ZIP_INVALID', `The zip cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (refusal) throw refusal;
    await flush();
  } finally {
    await Promise.all(
      [...outputs.values()].map(async ({ stream }) => {
        if (stream.closed) return;
        stream.end();
        await once(stream, 'close').catch(() => undefined);
      }),
    );
  }
  return { names, extracted };
}
