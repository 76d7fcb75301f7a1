import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import sharp from 'sharp';
import type { TestServer } from './test_server.ts';

/** A JPEG of noise (does not compress), so a photo spans several upload chunks. */
export async function noisyPhoto(widthPixels: number, seed: number): Promise<Buffer> {
  const pixels = Buffer.alloc(widthPixels * widthPixels * 3);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < pixels.length; index += 1) {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    pixels[index] = state >>> 24;
  }
  return sharp(pixels, { raw: { width: widthPixels, height: widthPixels, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Uploads a photo through the resumable protocol in one go; returns the upload id and photo id. */
export async function uploadWhole(server: TestServer, token: string | undefined, bytes: Buffer, tag: 'before' | 'after' | 'other', chunkBytes = 256 * 1024) {
  const id = randomUUID();
  const created = await server.requestWith(token, '/uploads', { method: 'POST', body: JSON.stringify({ id, sizeBytes: bytes.length, sha256: sha256Hex(bytes), tag }) });
  if (created.status !== 201) throw new Error(`create upload: ${created.status} ${JSON.stringify(created.body)}`);
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    const chunk = await sendChunk(server, token, id, offset, bytes.subarray(offset, offset + chunkBytes));
    if (chunk.status !== 200) throw new Error(`chunk: ${chunk.status} ${JSON.stringify(chunk.body)}`);
  }
  const finalized = await server.requestWith(token, `/uploads/${id}/finalize`, { method: 'POST' });
  if (finalized.status !== 200) throw new Error(`finalize: ${finalized.status} ${JSON.stringify(finalized.body)}`);
  return { uploadId: id, photoId: finalized.body.photoId as number };
}

export function sendChunk(server: TestServer, token: string | undefined, uploadId: string, offsetBytes: number, bytes: Uint8Array) {
  return server.requestWith(token, `/uploads/${uploadId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offsetBytes) },
    body: new Uint8Array(bytes),
  });
}

/** A satellite lead (detection) of 410104 beside a point, as the superuser; returns its id. */
export async function insertFieldDetection(pool: pg.Pool, centre: GeoJSON.Point, reviewStatus: 'pending' | 'field' = 'field'): Promise<number> {
  const batch = await pool.query<{ id: number }>(
    `INSERT INTO detection_batches (content_sha256, status, file_format, source, before_date, after_date, crs, jurisdiction_code)
     VALUES ($1, 'done', 'features', 'test', '2026-01-01', '2026-03-01', 'WGS84', '410104') RETURNING id`,
    [sha256Hex(Buffer.from(randomUUID()))],
  );
  const [x, y] = centre.coordinates as [number, number];
  const d = 0.0001;
  const polygon = { type: 'MultiPolygon', coordinates: [[[[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d], [x - d, y - d]]]] };
  const detection = await pool.query<{ id: number }>(
    `INSERT INTO detections (batch_id, feature_index, geom, area_square_meters, change_type, in_scope, jurisdiction_code, candidate_category, priority, review_status)
     VALUES ($1, 0, ST_SetSRID(ST_GeomFromGeoJSON($2), 4326), 400, 'new_building', true, '410104', 'structure', 50, $3) RETURNING id`,
    [batch.rows[0]!.id, JSON.stringify(polygon), reviewStatus],
  );
  return detection.rows[0]!.id;
}
