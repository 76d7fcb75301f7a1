/**
 * One photo's resumable upload (POST /uploads, PATCH chunks with Upload-Offset, finalize). Each
 * photo is its own upload with its own state: a failing one never makes the others send again.
 * After a dropped connection the server's offset decides where to go on.
 */
import { ApiError } from '../api/api_error';
import { createUpload, finalizeUpload, sendUploadChunk } from '../api/crew';
import { putPhoto, type PendingPhoto } from './crew_store';

const CHUNK_BYTES = 256 * 1024;

export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Uploads (or resumes) one photo; returns true once the server has it as a photo. */
export async function uploadPhoto(photo: PendingPhoto): Promise<boolean> {
  if (photo.state === 'uploaded') return true;
  const save = (changes: Partial<PendingPhoto>) => putPhoto(Object.assign(photo, changes));
  await save({ state: 'uploading', error: null });
  try {
    const state = await createUpload({ id: photo.uploadId, sizeBytes: photo.blob.size, sha256: photo.sha256, tag: photo.tag });
    let offset = state.offsetBytes;
    while (!state.complete && offset < photo.blob.size) {
      try {
        offset = (await sendUploadChunk(photo.uploadId, offset, photo.blob.slice(offset, offset + CHUNK_BYTES))).offsetBytes;
      } catch (error) {
        // The server says where it is (a chunk arrived but its answer was lost): go on from there.
        const resumeAt = error instanceof ApiError && error.code === 'UPLOAD_OFFSET_MISMATCH' ? (error.details as { offsetBytes?: number } | null)?.offsetBytes : undefined;
        if (typeof resumeAt !== 'number') throw error;
        offset = resumeAt;
      }
      await save({ offsetBytes: offset });
    }
    await finalizeUpload(photo.uploadId);
    await save({ state: 'uploaded', offsetBytes: photo.blob.size });
    return true;
  } catch (error) {
    const offline = error instanceof ApiError && error.code === 'NETWORK_ERROR';
    await save({ state: offline ? 'waiting' : 'failed', error: error instanceof Error ? error.message : String(error), ...(error instanceof ApiError && error.code === 'UPLOAD_CHECKSUM_MISMATCH' ? { offsetBytes: 0 } : {}) });
    return false;
  }
}
