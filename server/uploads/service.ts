/**
 * Resumable photo uploads (tus-like): create with size and SHA-256 → send chunks at the offset the
 * server reports → finalize into the ordinary photo intake (server/photos uploadPhoto). A dropped
 * connection resumes at the last recorded offset; each photo is its own upload, so one failing
 * photo never makes the others be sent again.
 */
import type { SessionUser } from '../auth/session_user.ts';
import type { Queryable } from '../db/database.ts';
import { AppError, notFound } from '../http/errors.ts';
import { uploadPhoto, type PhotoTag } from '../photos/service.ts';
import { partFilePath, partSize, readPart, removePart, sha256Of, writeChunk } from './part_files.ts';
import { insertPhotoUpload, selectPhotoUpload, setUploadPhoto, updateReceivedBytes, type PhotoUploadRow } from './queries.ts';

export interface UploadSettings {
  photoRoot: string;
  maxBytes: number;
}

export function uploadState(row: PhotoUploadRow) {
  return { id: row.id, sizeBytes: row.size_bytes, offsetBytes: row.received_bytes, tag: row.tag, complete: row.photo_id !== null, photoId: row.photo_id };
}

/**
 * The row with the offset the bytes on disk really support: the file is written (and flushed)
 * before the offset is recorded, so it is never shorter unless it was removed after a bad
 * checksum (an error response rolls the database back, not the file system).
 */
async function requireOwnUpload(db: Queryable, id: string, user: SessionUser, settings: UploadSettings, forUpdate = false): Promise<PhotoUploadRow> {
  const row = await selectPhotoUpload(db, id, forUpdate);
  // Another user's upload is not theirs to continue: the same answer as a missing one.
  if (!row || row.user_id !== user.id) throw notFound('UPLOAD_NOT_FOUND', `No upload ${id} of yours; create it with POST /api/v1/uploads`, { id });
  if (row.photo_id !== null) return row;
  return { ...row, received_bytes: Math.min(row.received_bytes, await partSize(partFilePath(settings.photoRoot, id))) };
}

/** Creates the upload, or returns it as it stands when the device asks again with the same id. */
export async function createUpload(db: Queryable, input: { id: string; sizeBytes: number; sha256: string; tag: PhotoTag }, user: SessionUser, settings: UploadSettings) {
  if (input.sizeBytes > settings.maxBytes) {
    throw new AppError(413, 'PAYLOAD_TOO_LARGE', `The photo is larger than ${Math.round(settings.maxBytes / 1024 / 1024)} MB`, { maxBytes: settings.maxBytes });
  }
  const created = await insertPhotoUpload(db, { id: input.id, jurisdictionCode: user.jurisdiction.code, userId: user.id, sizeBytes: input.sizeBytes, sha256: input.sha256, tag: input.tag });
  if (created) return { created: true, upload: uploadState(created) };
  const existing = await requireOwnUpload(db, input.id, user, settings);
  if (existing.size_bytes !== input.sizeBytes || existing.sha256 !== input.sha256) {
    throw new AppError(409, 'UPLOAD_MISMATCH', 'An upload with this id exists for other bytes (size or SHA-256 differ); use a new id', { upload: uploadState(existing) });
  }
  return { created: false, upload: uploadState(existing) };
}

export async function getUpload(db: Queryable, id: string, user: SessionUser, settings: UploadSettings) {
  return uploadState(await requireOwnUpload(db, id, user, settings));
}

/** Appends one chunk at `offsetBytes`; a different offset than the server's is a 409 telling the right one. */
export async function appendChunk(db: Queryable, id: string, offsetBytes: number | null, bytes: Uint8Array, user: SessionUser, settings: UploadSettings) {
  const row = await requireOwnUpload(db, id, user, settings, true);
  if (offsetBytes === null) throw new AppError(400, 'UPLOAD_OFFSET_REQUIRED', 'Send the chunk\'s starting byte in the Upload-Offset header', { offsetBytes: row.received_bytes });
  if (row.photo_id !== null) throw new AppError(409, 'UPLOAD_COMPLETE', 'This upload is already finished', { upload: uploadState(row) });
  if (offsetBytes !== row.received_bytes) {
    throw new AppError(409, 'UPLOAD_OFFSET_MISMATCH', `The server has ${row.received_bytes} bytes of this upload; send from offset ${row.received_bytes}`, {
      offsetBytes: row.received_bytes,
    });
  }
  if (bytes.length === 0) throw new AppError(400, 'CHUNK_EMPTY', 'The chunk is empty');
  if (offsetBytes + bytes.length > row.size_bytes) {
    throw new AppError(400, 'CHUNK_TOO_LONG', `The chunk ends at byte ${offsetBytes + bytes.length}, beyond the declared size ${row.size_bytes}`, { sizeBytes: row.size_bytes });
  }
  await writeChunk(partFilePath(settings.photoRoot, id), offsetBytes, bytes);
  await updateReceivedBytes(db, id, offsetBytes + bytes.length);
  return { ...uploadState(row), offsetBytes: offsetBytes + bytes.length };
}

/** Checks the SHA-256 and hands the bytes to the photo intake; finishing twice returns the same photo. */
export async function finalizeUpload(db: Queryable, id: string, user: SessionUser, settings: UploadSettings) {
  const row = await requireOwnUpload(db, id, user, settings, true);
  if (row.photo_id !== null) return { created: false, upload: uploadState(row) };
  if (row.received_bytes !== row.size_bytes) {
    throw new AppError(409, 'UPLOAD_INCOMPLETE', `The server has ${row.received_bytes} of ${row.size_bytes} bytes; send the rest first`, { offsetBytes: row.received_bytes });
  }
  const filePath = partFilePath(settings.photoRoot, id);
  const bytes = await readPart(filePath);
  if (!bytes || bytes.length < row.size_bytes || sha256Of(bytes.subarray(0, row.size_bytes)) !== row.sha256) {
    // The bytes are not the declared ones: start over rather than keep a corrupt photo. Removing the
    // file is what resets the offset (see requireOwnUpload): this error response rolls back SQL.
    await removePart(filePath);
    throw new AppError(422, 'UPLOAD_CHECKSUM_MISMATCH', 'The received bytes do not match the declared SHA-256; send the photo again from offset 0', { offsetBytes: 0 });
  }
  const photo = await uploadPhoto(db, { bytes: bytes.subarray(0, row.size_bytes), tag: row.tag, violationId: null, photoRoot: settings.photoRoot, maxBytes: settings.maxBytes }, user);
  await setUploadPhoto(db, id, photo.id);
  // The photo store keeps its own content-addressed copy; if this transaction still rolled back,
  // the upload reports offset 0 and the device sends it again (never a wrong photo).
  await removePart(filePath);
  return { created: true, upload: { ...uploadState(row), complete: true, photoId: photo.id }, photo };
}
