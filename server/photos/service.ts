import type { Queryable } from '../db/database.ts';
import { storePhoto } from '../evidence/photo_store.ts';
import { notFound } from '../http/errors.ts';
import type { SessionUser } from '../auth/session_user.ts';
import { photoSummary as casePhotoSummary } from '../violations/service.ts';
import { insertPhoto, violationVisible, type PhotoRow } from './queries.ts';

export const PHOTO_TAGS = ['before', 'after', 'other'] as const;
export type PhotoTag = (typeof PHOTO_TAGS)[number];

/** The case drawer's photo summary plus what the uploader wants to see (size, owner case). */
export function photoSummary(row: PhotoRow) {
  return { ...casePhotoSummary(row), violationId: row.violation_id, byteSize: row.byte_size, width: row.width, height: row.height };
}

/**
 * Stores the bytes (type sniffed from content, EXIF read, thumbnail made) and records the photo.
 * Files are content-addressed, so a rolled-back request leaves at most an unreferenced file that
 * the next upload of the same bytes reuses.
 */
export async function uploadPhoto(
  db: Queryable,
  input: { bytes: Buffer; tag: PhotoTag; violationId: number | null; photoRoot: string; maxBytes: number },
  user: SessionUser,
) {
  if (input.violationId !== null && !(await violationVisible(db, input.violationId))) {
    throw notFound('VIOLATION_NOT_FOUND', `No violation with id ${input.violationId}`, { id: input.violationId });
  }
  const stored = await storePhoto({ root: input.photoRoot, bytes: input.bytes, maxBytes: input.maxBytes });
  const gps = stored.metadata.gps;
  const camera = [stored.metadata.cameraMake, stored.metadata.cameraModel].filter(Boolean).join(' ') || null;
  const row = await insertPhoto(db, {
    violationId: input.violationId,
    sha256: stored.sha256,
    mediaType: stored.mediaType,
    byteSize: stored.byteSize,
    storagePath: stored.storagePath,
    thumbnailPath: stored.thumbnailPath,
    width: stored.width,
    height: stored.height,
    tag: input.tag,
    takenAt: stored.metadata.takenAt,
    longitude: gps?.longitude ?? null,
    latitude: gps?.latitude ?? null,
    camera,
    uploadedBy: user.id,
    uploaderJurisdictionCode: user.jurisdiction.code,
  });
  return { ...photoSummary(row), exif: { takenAt: stored.metadata.takenAt, takenAtOffsetAssumed: stored.metadata.takenAtOffsetAssumed, gps, camera } };
}
