import type { Queryable } from '../db/database.ts';
import type { Bbox } from '../http/common_schemas.ts';

export interface RouteRow {
  code: string;
  name: string;
  name_en: string | null;
  admin_class: string;
  is_demo_code: boolean;
  segment_count: number;
  length_meters: number;
  chainage_from_meters: number | null;
  chainage_to_meters: number | null;
}

export async function selectRoutes(db: Queryable): Promise<RouteRow[]> {
  const result = await db.query<RouteRow>(`
    SELECT r.code, r.name, r.name_en, r.admin_class, r.is_demo_code,
           count(s.id)::integer AS segment_count,
           coalesce(sum(s.length_meters) FILTER (WHERE s.direction = 1), 0) AS length_meters,
           min(s.chainage_from_meters) AS chainage_from_meters,
           max(s.chainage_to_meters) AS chainage_to_meters
    FROM routes r
    LEFT JOIN segments s ON s.route_code = r.code
    GROUP BY r.code
    ORDER BY CASE r.admin_class WHEN 'expressway' THEN 0 WHEN 'national' THEN 1 WHEN 'provincial' THEN 2
                                WHEN 'county' THEN 3 WHEN 'township' THEN 4 ELSE 5 END, r.code`);
  return result.rows;
}

export async function selectRoute(db: Queryable, code: string): Promise<{ code: string; name: string } | undefined> {
  const result = await db.query<{ code: string; name: string }>('SELECT code, name FROM routes WHERE code = $1', [code]);
  return result.rows[0];
}

export interface SegmentRow {
  id: number;
  route_code: string;
  route_name: string;
  admin_class: string;
  direction: 1 | -1;
  chainage_from_meters: number;
  chainage_to_meters: number;
  length_meters: number;
  lanes: number | null;
  is_oneway: boolean;
  road_land_half_width_meters: number;
  road_land_half_width_source: 'default' | 'surveyed';
  jurisdiction_code: string | null;
  jurisdiction_name: string | null;
  version: number;
  geometry: GeoJSON.LineString;
  matched_count: number;
}

const SEGMENT_COLUMNS = `
  s.id, s.route_code, r.name AS route_name, s.admin_class, s.direction,
  s.chainage_from_meters, s.chainage_to_meters, s.length_meters, s.lanes, s.is_oneway,
  s.road_land_half_width_meters, s.road_land_half_width_source,
  s.jurisdiction_code, j.name AS jurisdiction_name, s.version,
  ST_AsGeoJSON(ST_Force2D(s.centreline), 7)::json AS geometry`;

export interface SegmentFilter {
  bbox?: Bbox;
  routeCode?: string;
  limit: number;
  offset: number;
}

/** One page of segments; `matched_count` on every row is the total before paging. */
export async function selectSegments(db: Queryable, filter: SegmentFilter): Promise<SegmentRow[]> {
  const bbox = filter.bbox;
  const result = await db.query<SegmentRow>(
    `SELECT ${SEGMENT_COLUMNS}, count(*) OVER ()::integer AS matched_count
     FROM segments s
     JOIN routes r ON r.code = s.route_code
     LEFT JOIN jurisdictions j ON j.code = s.jurisdiction_code
     WHERE ($1::double precision IS NULL OR s.centreline && ST_MakeEnvelope($1, $2, $3, $4, 4326))
       AND ($5::text IS NULL OR s.route_code = $5)
     ORDER BY s.route_code, s.direction DESC, s.chainage_from_meters, s.id
     LIMIT $6 OFFSET $7`,
    [bbox?.minLon ?? null, bbox?.minLat ?? null, bbox?.maxLon ?? null, bbox?.maxLat ?? null, filter.routeCode ?? null, filter.limit, filter.offset],
  );
  return result.rows;
}

export async function countSegments(db: Queryable, filter: Omit<SegmentFilter, 'limit' | 'offset'>): Promise<number> {
  const bbox = filter.bbox;
  const result = await db.query<{ count: number }>(
    `SELECT count(*)::integer AS count FROM segments s
     WHERE ($1::double precision IS NULL OR s.centreline && ST_MakeEnvelope($1, $2, $3, $4, 4326))
       AND ($5::text IS NULL OR s.route_code = $5)`,
    [bbox?.minLon ?? null, bbox?.minLat ?? null, bbox?.maxLon ?? null, bbox?.maxLat ?? null, filter.routeCode ?? null],
  );
  return result.rows[0]?.count ?? 0;
}

export async function selectSegment(db: Queryable, id: number): Promise<Omit<SegmentRow, 'matched_count'> | undefined> {
  const result = await db.query<SegmentRow>(
    `SELECT ${SEGMENT_COLUMNS}
     FROM segments s
     JOIN routes r ON r.code = s.route_code
     LEFT JOIN jurisdictions j ON j.code = s.jurisdiction_code
     WHERE s.id = $1`,
    [id],
  );
  return result.rows[0];
}

export interface ClassWidthRow {
  kind: string;
  width_meters: number;
}

export async function selectClassWidths(db: Queryable, adminClass: string): Promise<ClassWidthRow[]> {
  const result = await db.query<ClassWidthRow>(
    `SELECT kind, width_meters FROM zone_widths WHERE admin_class = $1 OR admin_class = 'all' ORDER BY kind`,
    [adminClass],
  );
  return result.rows;
}

export interface StructureRow {
  id: number;
  kind: 'bridge' | 'tunnel';
  size_class: string;
  name: string | null;
  length_meters: number;
}

/** Bridges and tunnels on (within 15 m of) a segment. */
export async function selectStructuresOnSegment(db: Queryable, segmentId: number): Promise<StructureRow[]> {
  const result = await db.query<StructureRow>(
    `SELECT st.id, st.kind, st.size_class, st.name, st.length_meters
     FROM segments s
     JOIN road_structures st ON st.geom && ST_Expand(ST_Force2D(s.centreline), 0.001)
      AND ST_DWithin(st.geom::geography, ST_Force2D(s.centreline)::geography, 15)
     WHERE s.id = $1
     ORDER BY st.length_meters DESC, st.id`,
    [segmentId],
  );
  return result.rows;
}
