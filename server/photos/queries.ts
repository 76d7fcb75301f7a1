import type { Queryable } from '../db/database.ts';

export interface PhotoRow {
  id: number;
  violation_id: number | null;
  media_type: string;
  byte_size: number;
  storage_path: string;
  thumbnail_path: string;
  width: number | null;
  height: number | null;
  tag: 'before' | 'after' | 'other';
  taken_at: Date | null;
  location: GeoJSON.Point | null;
  uploaded_at: Date;
}

const PHOTO_COLUMNS = `id, violation_id, media_type, byte_size, storage_path, thumbnail_path, width, height, tag, taken_at,
  ST_AsGeoJSON(location, 7)::json AS location, uploaded_at`;

export interface NewPhoto {
  violationId: number | null;
  sha256: string;
  mediaType: string;
  byteSize: number;
  storagePath: string;
  thumbnailPath: string;
  width: number;
  height: number;
  tag: string;
  takenAt: string | null;
  longitude: number | null;
  latitude: number | null;
  camera: string | null;
  uploadedBy: number;
  /** Falls back to the case's jurisdiction when attached, else the uploader's. */
  uploaderJurisdictionCode: string;
}

/** Inserts a photo row; jurisdiction = the case's when attached (RLS then scopes it with the case). */
export async function insertPhoto(db: Queryable, photo: NewPhoto): Promise<PhotoRow> {
  const result = await db.query<PhotoRow>(
    `INSERT INTO evidence_photos (violation_id, sha256, media_type, byte_size, storage_path, thumbnail_path, width, height, tag,
                                  taken_at, location, camera, uploaded_by, jurisdiction_code)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
             CASE WHEN $11::double precision IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($11, $12), 4326) END,
             $13, $14,
             coalesce((SELECT jurisdiction_code FROM violations WHERE id = $1), $15))
     RETURNING ${PHOTO_COLUMNS}`,
    [
      photo.violationId,
      photo.sha256,
      photo.mediaType,
      photo.byteSize,
      photo.storagePath,
      photo.thumbnailPath,
      photo.width,
      photo.height,
      photo.tag,
      photo.takenAt,
      photo.longitude,
      photo.latitude,
      photo.camera,
      photo.uploadedBy,
      photo.uploaderJurisdictionCode,
    ],
  );
  return result.rows[0]!;
}

export async function selectPhoto(db: Queryable, id: number): Promise<PhotoRow | undefined> {
  const result = await db.query<PhotoRow>(`SELECT ${PHOTO_COLUMNS} FROM evidence_photos WHERE id = $1`, [id]);
  return result.rows[0];
}

/** Is the case visible to the request (RLS) — a photo may only be attached to a case the user sees. */
export async function violationVisible(db: Queryable, id: number): Promise<boolean> {
  const result = await db.query('SELECT 1 FROM violations WHERE id = $1', [id]);
  return (result.rowCount ?? 0) > 0;
}
