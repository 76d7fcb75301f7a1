import type { Queryable } from '../db/database.ts';

export interface PhotoUploadRow {
  id: string;
  user_id: number;
  size_bytes: number;
  sha256: string;
  received_bytes: number;
  tag: 'before' | 'after' | 'other';
  photo_id: number | null;
}

const COLUMNS = `id::text, user_id::integer AS user_id, size_bytes, sha256, received_bytes, tag, photo_id::integer AS photo_id`;

export async function insertPhotoUpload(
  db: Queryable,
  row: { id: string; jurisdictionCode: string; userId: number; sizeBytes: number; sha256: string; tag: string },
): Promise<PhotoUploadRow | null> {
  const result = await db.query<PhotoUploadRow>(
    `INSERT INTO photo_uploads (id, jurisdiction_code, user_id, size_bytes, sha256, tag)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
    [row.id, row.jurisdictionCode, row.userId, row.sizeBytes, row.sha256, row.tag],
  );
  return result.rows[0] ?? null;
}

/** FOR UPDATE: two chunks of one upload (a retry racing the original) are applied one at a time. */
export async function selectPhotoUpload(db: Queryable, id: string, forUpdate = false): Promise<PhotoUploadRow | null> {
  const result = await db.query<PhotoUploadRow>(`SELECT ${COLUMNS} FROM photo_uploads WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return result.rows[0] ?? null;
}

/** The row is locked by the caller (selectPhotoUpload FOR UPDATE), so the offset is set absolutely. */
export async function updateReceivedBytes(db: Queryable, id: string, receivedBytes: number): Promise<void> {
  await db.query(`UPDATE photo_uploads SET received_bytes = $2, updated_at = now() WHERE id = $1`, [id, receivedBytes]);
}

export async function setUploadPhoto(db: Queryable, id: string, photoId: number): Promise<void> {
  await db.query(`UPDATE photo_uploads SET photo_id = $2, updated_at = now() WHERE id = $1`, [id, photoId]);
}
