import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** Where an unfinished upload's bytes wait: one file per upload id (a UUID, so a safe name). */
export function partFilePath(photoRoot: string, uploadId: string): string {
  if (!/^[0-9a-f-]{36}$/.test(uploadId)) throw new Error('upload id must be a UUID');
  return path.join(photoRoot, 'uploads', `${uploadId}.part`);
}

/**
 * Writes a chunk at its offset, cutting anything beyond it first: bytes of an earlier attempt whose
 * database update rolled back are overwritten, never kept. Flushed before the offset is recorded.
 */
export async function writeChunk(filePath: string, offsetBytes: number, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(filePath), { recursive: true });
  const handle = await open(filePath, 'a+').then(async (probe) => {
    await probe.close();
    return open(filePath, 'r+');
  });
  try {
    await handle.truncate(offsetBytes);
    await handle.write(bytes, 0, bytes.length, offsetBytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function readPart(filePath: string): Promise<Buffer | null> {
  return readFile(filePath).catch(() => null);
}

export async function removePart(filePath: string): Promise<void> {
  await rm(filePath, { force: true });
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Bytes on disk (0 when the file is gone, e.g. removed after a bad checksum). */
export async function partSize(filePath: string): Promise<number> {
  return stat(filePath).then((info) => info.size, () => 0);
}
