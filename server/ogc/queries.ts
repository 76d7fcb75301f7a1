/**
 * SQL of the OGC API Features layer (server/ogc/routes.ts). One shape per collection, from the
 * allowlist below: the collection id never reaches SQL as text. Every query runs on the request's
 * jurisdiction-scoped transaction, so row-level security decides what a caller sees; extents and
 * counts are of that scoped data too. Output geometry is RFC 7946: 2D, WGS84, outer rings
 * counter-clockwise (ST_ForcePolygonCCW; lines and points pass through unchanged).
 */
import type { Queryable } from '../db/database.ts';
import type { Bbox } from '../http/common_schemas.ts';
import { boundedCount, type MatchedCount } from '../paging/queries.ts';

export type OgcCollectionId = 'segments' | 'zones' | 'violations' | 'detections';

interface CollectionSql {
  /** FROM clause; the feature table is aliased `t`. */
  from: string;
  /** The stored geometry (EPSG:4326). */
  geometry: string;
  /** `json_build_object(...)` of the flat properties GIS clients show as attribute columns. */
  properties: string;
}

const COLLECTION_SQL: Record<OgcCollectionId, CollectionSql> = {
  segments: {
    from: 'segments t LEFT JOIN routes r ON r.code = t.route_code',
    geometry: 'ST_Force2D(t.centreline)',
    properties: `json_build_object('routeCode', t.route_code, 'routeName', r.name, 'adminClass', t.admin_class, 'direction', t.direction,
      'chainageFromMeters', t.chainage_from_meters, 'chainageToMeters', t.chainage_to_meters, 'lengthMeters', t.length_meters,
      'lanes', t.lanes, 'roadLandHalfWidthMeters', t.road_land_half_width_meters, 'jurisdictionCode', t.jurisdiction_code)`,
  },
  zones: {
    from: 'protection_zones t LEFT JOIN segments s ON s.id = t.segment_id LEFT JOIN road_structures st ON st.id = t.structure_id',
    geometry: 't.geom',
    properties: `json_build_object('kind', t.kind, 'segmentId', t.segment_id, 'structureId', t.structure_id,
      'routeCode', coalesce(s.route_code, st.route_code), 'innerOffsetMeters', t.inner_offset_meters, 'outerOffsetMeters', t.outer_offset_meters)`,
  },
  violations: {
    from: 'violations t',
    geometry: 't.geom',
    properties: `json_build_object('caseNumber', t.case_number, 'category', t.category, 'status', t.status, 'source', t.source,
      'routeCode', t.route_code, 'direction', t.direction, 'chainageMeters', t.chainage_meters, 'side', t.side, 'segmentId', t.segment_id,
      'jurisdictionCode', t.jurisdiction_code, 'reportedAt', t.reported_at, 'deadlineAt', t.deadline_at, 'closedAt', t.closed_at)`,
  },
  detections: {
    from: 'detections t',
    geometry: 't.geom',
    properties: `json_build_object('batchId', t.batch_id, 'externalId', t.external_id, 'changeType', t.change_type, 'confidence', t.confidence,
      'areaSquareMeters', t.area_square_meters, 'primaryZone', t.primary_zone, 'inScope', t.in_scope, 'segmentId', t.segment_id,
      'routeCode', t.route_code, 'candidateCategory', t.candidate_category, 'reviewStatus', t.review_status, 'violationId', t.violation_id,
      'jurisdictionCode', t.jurisdiction_code)`,
  },
};

export interface OgcFeatureRow {
  id: number;
  geometry: GeoJSON.Geometry;
  properties: Record<string, unknown>;
}

/** `[minLon, minLat, maxLon, maxLat]`, or null when the caller sees no feature of the collection. */
export type ExtentBbox = [number, number, number, number] | null;

export async function selectCollectionExtent(db: Queryable, collection: OgcCollectionId): Promise<ExtentBbox> {
  const sql = COLLECTION_SQL[collection];
  const result = await db.query<{ min_lon: number | null; min_lat: number | null; max_lon: number | null; max_lat: number | null }>(
    `SELECT ST_XMin(e) AS min_lon, ST_YMin(e) AS min_lat, ST_XMax(e) AS max_lon, ST_YMax(e) AS max_lat
     FROM (SELECT ST_Extent(${sql.geometry})::geometry AS e FROM ${sql.from}) extent`,
  );
  const row = result.rows[0];
  if (!row || row.min_lon === null || row.min_lat === null || row.max_lon === null || row.max_lat === null) return null;
  return [row.min_lon, row.min_lat, row.max_lon, row.max_lat];
}

/** `WHERE` for the optional bbox ($1–$4): features whose geometry intersects it (OGC: bbox selects intersecting features). */
function bboxWhere(collection: OgcCollectionId): string {
  return `($1::float8 IS NULL OR ST_Intersects(${COLLECTION_SQL[collection].geometry}, ST_MakeEnvelope($1, $2, $3, $4, 4326)))`;
}

function bboxValues(bbox: Bbox | undefined): unknown[] {
  return [bbox?.minLon ?? null, bbox?.minLat ?? null, bbox?.maxLon ?? null, bbox?.maxLat ?? null];
}

/**
 * The matches of a page request: exact up to EXACT_COUNT_LIMIT, beyond it the planner's estimate
 * (flagged), so a province-wide collection is not counted row by row on every page.
 */
export async function countFeatures(db: Queryable, collection: OgcCollectionId, bbox: Bbox | undefined): Promise<MatchedCount> {
  return boundedCount(db, `FROM ${COLLECTION_SQL[collection].from} WHERE ${bboxWhere(collection)}`, bboxValues(bbox));
}

function featureSelect(collection: OgcCollectionId): string {
  const sql = COLLECTION_SQL[collection];
  return `SELECT t.id, ST_AsGeoJSON(ST_ForcePolygonCCW(${sql.geometry}), 7)::json AS geometry, ${sql.properties} AS properties FROM ${sql.from}`;
}

/** One page in id order: a stable order, so offset pages never skip or repeat a feature. */
export async function selectFeatures(
  db: Queryable,
  collection: OgcCollectionId,
  filter: { bbox: Bbox | undefined; limit: number; offset: number },
): Promise<OgcFeatureRow[]> {
  const result = await db.query<OgcFeatureRow>(`${featureSelect(collection)} WHERE ${bboxWhere(collection)} ORDER BY t.id LIMIT $5 OFFSET $6`, [
    ...bboxValues(filter.bbox),
    filter.limit,
    filter.offset,
  ]);
  return result.rows;
}

export async function selectFeature(db: Queryable, collection: OgcCollectionId, id: number): Promise<OgcFeatureRow | undefined> {
  const result = await db.query<OgcFeatureRow>(`${featureSelect(collection)} WHERE t.id = $1`, [id]);
  return result.rows[0];
}
