import type { Queryable } from '../db/database.ts';
import type { Bbox } from '../http/common_schemas.ts';
import type { KeysetColumn, KeysetValue, PageStart } from '../paging/keyset.ts';
import { boundedCount, keysetAfter, keysetOrderBy, keysetSelect, type MatchedCount } from '../paging/queries.ts';

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

/** Every route with its segments' count, length (+ direction) and chainage range, as the user's scope sees them. */
const ROUTE_SUMMARIES = `SELECT r.code, r.name, r.name_en, r.admin_class, r.is_demo_code,
           count(s.id)::integer AS segment_count,
           coalesce(sum(s.length_meters) FILTER (WHERE s.direction = 1), 0) AS length_meters,
           min(s.chainage_from_meters) AS chainage_from_meters,
           max(s.chainage_to_meters) AS chainage_to_meters
    FROM routes r
    LEFT JOIN segments s ON s.route_code = r.code
    GROUP BY r.code`;

export async function selectRoutes(db: Queryable): Promise<RouteRow[]> {
  const result = await db.query<RouteRow>(`
    ${ROUTE_SUMMARIES}
    ORDER BY CASE r.admin_class WHEN 'expressway' THEN 0 WHEN 'national' THEN 1 WHEN 'provincial' THEN 2
                                WHEN 'county' THEN 3 WHEN 'township' THEN 4 ELSE 5 END, r.code`);
  return result.rows;
}

/** Route classes in the order an example stake prefers them (a national road reads most familiar). */
export const EXAMPLE_CLASS_PREFERENCE = ['national', 'expressway', 'provincial', 'county', 'township', 'village'] as const;

/**
 * The route an example stake ("G310 K3+200") is taken from: among real codes with at least 500 m of
 * chainage, the preferred class, then the longest; failing that, the longest route. One row instead
 * of the whole list: a province has thousands of routes (922 kB of JSON on the 51,836-segment bench
 * network), and the search box asked for all of them at every start only for this.
 */
export async function selectExampleRoute(db: Queryable): Promise<RouteRow | undefined> {
  const result = await db.query<RouteRow>(
    `SELECT * FROM (${ROUTE_SUMMARIES}) summary
     ORDER BY (NOT summary.is_demo_code AND summary.chainage_to_meters - summary.chainage_from_meters >= 500) IS TRUE DESC,
              CASE WHEN (NOT summary.is_demo_code AND summary.chainage_to_meters - summary.chainage_from_meters >= 500) IS TRUE
                   THEN array_position($1::text[], summary.admin_class) END,
              summary.length_meters DESC, summary.code
     LIMIT 1`,
    [EXAMPLE_CLASS_PREFERENCE],
  );
  return result.rows[0];
}

/** One route's summary, as the user's scope sees its segments (the grouped subquery is filtered on its key). */
export async function selectRouteSummary(db: Queryable, code: string): Promise<RouteRow | undefined> {
  const result = await db.query<RouteRow>(`SELECT * FROM (${ROUTE_SUMMARIES}) summary WHERE summary.code = $1`, [code]);
  return result.rows[0];
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
  keyset: KeysetValue[];
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
}

/** The one order of the segment list: route, direction (+ first), chainage; ties on id. */
export const SEGMENT_KEYSET: readonly KeysetColumn[] = [
  { sql: 's.route_code', type: 'text', nullable: false, direction: 'asc' },
  { sql: 's.direction', type: 'smallint', nullable: false, direction: 'desc' },
  { sql: 's.chainage_from_meters', type: 'float8', nullable: false, direction: 'asc' },
  { sql: 's.id', type: 'bigint', nullable: false, direction: 'asc' },
];

function segmentWhere(filter: SegmentFilter): { where: string; values: unknown[] } {
  const bbox = filter.bbox;
  return {
    where: `WHERE ($1::double precision IS NULL OR s.centreline && ST_MakeEnvelope($1, $2, $3, $4, 4326))
       AND ($5::text IS NULL OR s.route_code = $5)`,
    values: [bbox?.minLon ?? null, bbox?.minLat ?? null, bbox?.maxLon ?? null, bbox?.maxLat ?? null, filter.routeCode ?? null],
  };
}

/** One page of segments plus one row more, after a cursor's key or at an offset. */
export async function selectSegments(db: Queryable, filter: SegmentFilter, limit: number, page: PageStart): Promise<SegmentRow[]> {
  const { where, values } = segmentWhere(filter);
  const bind = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const seek = page.kind === 'cursor' ? `AND ${keysetAfter(SEGMENT_KEYSET, page.after, bind)}` : '';
  const result = await db.query<SegmentRow>(
    `SELECT ${SEGMENT_COLUMNS}, ${keysetSelect(SEGMENT_KEYSET)} AS keyset
     FROM segments s
     JOIN routes r ON r.code = s.route_code
     LEFT JOIN jurisdictions j ON j.code = s.jurisdiction_code
     ${where} ${seek}
     ORDER BY ${keysetOrderBy(SEGMENT_KEYSET)}
     LIMIT ${bind(limit + 1)} OFFSET ${bind(page.kind === 'offset' ? page.offset : 0)}`,
    values,
  );
  return result.rows;
}

/** How many segments match (exact up to EXACT_COUNT_LIMIT, then estimated). */
export async function countSegments(db: Queryable, filter: SegmentFilter): Promise<MatchedCount> {
  const { where, values } = segmentWhere(filter);
  return boundedCount(db, `FROM segments s ${where}`, values, undefined, 's.jurisdiction_code');
}

/** The plan of the list's main query for `filter` (the index test reads it). */
export async function explainSegmentList(db: Queryable, filter: SegmentFilter, limit: number): Promise<string> {
  const { where, values } = segmentWhere(filter);
  const result = await db.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN SELECT s.id FROM segments s ${where} ORDER BY ${keysetOrderBy(SEGMENT_KEYSET)} LIMIT $${values.length + 1}`,
    [...values, limit],
  );
  return result.rows.map((row) => row['QUERY PLAN']).join('\n');
}

export async function selectSegment(db: Queryable, id: number): Promise<Omit<SegmentRow, 'keyset'> | undefined> {
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
