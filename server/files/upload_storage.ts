import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Request } from 'express';
import type multer from 'multer';

export const DEFAULT_UPLOAD_DIRECTORY = path.join(tmpdir(), 'luyu-uploads');

/** Bytes of the file's start kept in memory for format sniffing. */
export const HEAD_BYTES = 4096;

export interface StoredUpload {
  path: string;
  size: number;
  sha256: string;
  head: Buffer;
}

/**
 * A multer storage engine that streams the upload to a temporary file in `directory` (0700) and
 * hashes it on the way, so no upload is ever whole in memory and the content hash (idempotency
 * key of batches) needs no second read. Only the first HEAD_BYTES stay in memory for sniffing.
 */
export function diskHashingStorage(directory: string): multer.StorageEngine {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  return {
    _handleFile(_request: Request, file: Express.Multer.File, callback: (error?: unknown, info?: Partial<Express.Multer.File> & Partial<StoredUpload>) => void) {
      const target = path.join(directory, `upload-${randomUUID()}`);
      const output = createWriteStream(target, { mode: 0o600 });
      const hash = createHash('sha256');
      const headChunks: Buffer[] = [];
      let headLength = 0;
      let size = 0;
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        output.destroy();
        void unlink(target).catch(() => undefined);
        callback(error);
      };
      file.stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        hash.update(chunk);
        if (headLength < HEAD_BYTES) {
          headChunks.push(chunk.subarray(0, HEAD_BYTES - headLength));
          headLength += Math.min(chunk.length, HEAD_BYTES - headLength);
        }
      });
      file.stream.on('error', fail);
      output.on('error', fail);
      output.on('finish', () => {
        if (settled) return;
        settled = true;
        callback(null, { path: target, size, sha256: hash.digest('hex'), head: Buffer.concat(headChunks) });
      });
      file.stream.pipe(output);
    },
    _removeFile(_request: Request, file: Express.Multer.File & { path?: string }, callback: (error: Error | null) => void) {
      if (!file.path) return callback(null);
      unlink(file.path).then(
        () => callback(null),
        () => callback(null),
      );
    },
  };
}
