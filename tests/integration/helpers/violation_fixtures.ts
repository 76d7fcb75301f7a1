import type pg from 'pg';

/** A segment of a district with its centreline, for placing test findings beside it. */
export interface FixtureSegment {
  id: number;
  route_code: string;
  direction: 1 | -1;
  road_land_half_width_meters: number;
  line: GeoJSON.LineString;
}

/**
 * Demo county-road segments of a district, longest first, read as the superuser. Demo only: files
 * running at the same time on PostgreSQL insert straight fixture segments into 410104 (track
 * fixtures), which shifted the order and, in one CI run, gave a segment without building control zone.
 */
export async function districtSegments(pool: pg.Pool, jurisdictionCode: string): Promise<FixtureSegment[]> {
  const result = await pool.query<FixtureSegment>(
    `SELECT id, route_code, direction, road_land_half_width_meters, ST_AsGeoJSON(ST_Force2D(centreline), 7)::json AS line
     FROM segments WHERE jurisdiction_code = $1 AND admin_class = 'county' AND is_demo ORDER BY length_meters DESC, id`,
    [jurisdictionCode],
  );
  return result.rows;
}

/** A point `offsetMeters` left (+1) or right (−1) of the drawn line at `fraction` of its length. */
export function pointBeside(line: GeoJSON.LineString, fraction: number, offsetMeters: number, side: 1 | -1 = 1): GeoJSON.Point {
  const coordinates = line.coordinates;
  const mx = 111_320 * Math.cos((coordinates[0]![1]! * Math.PI) / 180);
  const my = 110_540;
  const lengths = coordinates.slice(1).map((p, i) => Math.hypot((p[0]! - coordinates[i]![0]!) * mx, (p[1]! - coordinates[i]![1]!) * my));
  let target = lengths.reduce((sum, length) => sum + length, 0) * fraction;
  let index = 0;
  while (index < lengths.length - 1 && target > lengths[index]!) target -= lengths[index++]!;
  const a = coordinates[index]!;
  const b = coordinates[index + 1]!;
  const t = lengths[index]! > 0 ? target / lengths[index]! : 0;
  const dx = (b[0]! - a[0]!) * mx;
  const dy = (b[1]! - a[1]!) * my;
  const norm = Math.hypot(dx, dy) || 1;
  const x = a[0]! + (b[0]! - a[0]!) * t + ((-dy / norm) * offsetMeters * side) / mx;
  const y = a[1]! + (b[1]! - a[1]!) * t + ((dx / norm) * offsetMeters * side) / my;
  return { type: 'Point', coordinates: [Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7] };
}

/** Evidence photo rows without files (the lifecycle only counts them), as the superuser. */
export async function insertPhotos(
  pool: pg.Pool,
  photos: { violationId: number | null; jurisdictionCode: string; tag: 'before' | 'after' | 'other' }[],
): Promise<number[]> {
  const result = await pool.query<{ id: number }>(
    `INSERT INTO evidence_photos (violation_id, sha256, media_type, byte_size, storage_path, thumbnail_path, tag, jurisdiction_code, taken_at)
     SELECT p.violation_id, repeat('a', 64), 'image/jpeg', 1000, 'test/none.jpg', 'test/none.webp', p.tag, p.jurisdiction_code, now()
     FROM json_to_recordset($1::json) AS p(violation_id bigint, tag text, jurisdiction_code text)
     RETURNING id`,
    [JSON.stringify(photos.map((photo) => ({ violation_id: photo.violationId, tag: photo.tag, jurisdiction_code: photo.jurisdictionCode })))],
  );
  return result.rows.map((row) => row.id);
}

export const PILING = { material: '砂石', volumeCubicMeters: 12 };
export const TRADING = { stallType: '水果摊', stallCount: 2 };
export const STRUCTURE = { footprintSquareMeters: 40, storeys: 1 };
export const BILLBOARD = { faceAreaSquareMeters: 20, heightMeters: 6, structureType: 'ground', illuminated: false };
