import type { Queryable } from '../db/database.ts';
import type { Bbox } from '../http/common_schemas.ts';
import { boundedCount, type MatchedCount } from '../paging/queries.ts';

export interface ZoneRow {
  id: number;
  segment_id: number | null;
  structure_id: number | null;
  kind: string;
  inner_offset_meters: number;
  outer_offset_meters: number;
  route_code: string | null;
  geometry: GeoJSON.MultiPolygon;
}

export interface ZoneFilter {
  bbox?: Bbox;
  kinds?: string[];
  segmentId?: number;
  limit: number;
  offset: number;
}

function zoneWhere(filter: Omit<ZoneFilter, 'limit' | 'offset'>): { where: string; values: unknown[] } {
  const bbox = filter.bbox;
  return {
    where: `WHERE ($1::double precision IS NULL OR z.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326))
       AND ($5::text[] IS NULL OR z.kind = ANY ($5))
       AND ($6::bigint IS NULL OR z.segment_id = $6)`,
    values: [bbox?.minLon ?? null, bbox?.minLat ?? null, bbox?.maxLon ?? null, bbox?.maxLat ?? null, filter.kinds ?? null, filter.segmentId ?? null],
  };
}

/** `filter.limit` zones and one more (server/paging offsetPage), widest first. */
export async function selectZones(db: Queryable, filter: ZoneFilter): Promise<ZoneRow[]> {
  const { where, values } = zoneWhere(filter);
  const result = await db.query<ZoneRow>(
    `SELECT z.id, z.segment_id, z.structure_id, z.kind, z.inner_offset_meters, z.outer_offset_meters,
            coalesce(s.route_code, st.route_code) AS route_code,
            ST_AsGeoJSON(ST_ForcePolygonCCW(z.geom), 7)::json AS geometry
     FROM protection_zones z
     LEFT JOIN segments s ON s.id = z.segment_id
     LEFT JOIN road_structures st ON st.id = z.structure_id
     ${where}
     ORDER BY z.outer_offset_meters DESC, z.id
     LIMIT $7 OFFSET $8`,
    [...values, filter.limit + 1, filter.offset],
  );
  return result.rows;
}

/** How many zones match (exact up to EXACT_COUNT_LIMIT, then estimated). */
export async function countZones(db: Queryable, filter: Omit<ZoneFilter, 'limit' | 'offset'>): Promise<MatchedCount> {
  const { where, values } = zoneWhere(filter);
  return boundedCount(db, `FROM protection_zones z ${where}`, values);
}

export interface ZoneWidthInput {
  kind: string;
  adminClass: string;
  widthMeters: number;
  legalMinimumMeters: number;
}

/** Writes the effective widths; the table's trigger redraws the zones of every changed row only. */
export async function upsertZoneWidths(db: Queryable, widths: ZoneWidthInput[]): Promise<number> {
  const result = await db.query(
    `INSERT INTO zone_widths (kind, admin_class, width_meters, legal_minimum_meters)
     SELECT * FROM unnest($1::text[], $2::text[], $3::double precision[], $4::double precision[])
     ON CONFLICT (kind, admin_class) DO UPDATE
       SET width_meters = EXCLUDED.width_meters, legal_minimum_meters = EXCLUDED.legal_minimum_meters
       WHERE zone_widths.width_meters IS DISTINCT FROM EXCLUDED.width_meters
          OR zone_widths.legal_minimum_meters IS DISTINCT FROM EXCLUDED.legal_minimum_meters`,
    [widths.map((w) => w.kind), widths.map((w) => w.adminClass), widths.map((w) => w.widthMeters), widths.map((w) => w.legalMinimumMeters)],
  );
  return result.rowCount ?? 0;
}

/** Dissolved zone sets (migration 034) waiting for a rebuild, oldest first. */
export async function selectStaleDissolvedSets(db: Queryable, limit: number): Promise<number[]> {
  const result = await db.query<{ id: number }>('SELECT id::integer AS id FROM dissolved_zone_sets WHERE stale ORDER BY id LIMIT $1', [limit]);
  return result.rows.map((row) => row.id);
}

/** Rebuilds one (district, kind) set in one statement; -1 when another transaction holds it. */
export async function rebuildDissolvedSet(db: Queryable, setId: number): Promise<number> {
  const result = await db.query<{ pieces: number }>('SELECT luyu_rebuild_dissolved_set($1) AS pieces', [setId]);
  return result.rows[0]!.pieces;
}

/** Every stale set in the caller's transaction (after a bulk load of zones). Returns the sets rebuilt. */
export async function rebuildStaleDissolvedSets(db: Queryable): Promise<number> {
  const result = await db.query<{ sets: number }>('SELECT luyu_rebuild_stale_dissolved_sets() AS sets');
  return result.rows[0]!.sets;
}
