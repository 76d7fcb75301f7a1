import type { Queryable } from '../db/database.ts';

export interface LocatedRow {
  segment_id: number;
  route_code: string;
  route_name: string;
  direction: 1 | -1;
  chainage_meters: number;
  offset_meters: number;
  /** Cross product sign of the point against the line, in the + (chainage-increasing) sense. */
  left_of_plus_direction: boolean;
  jurisdiction_code: string | null;
  jurisdiction_name: string | null;
  snapped_point: GeoJSON.Point;
}

export interface LocatedGeometryRow extends LocatedRow {
  /** 1-based position of the geometry in the request. */
  ordinal: number;
  /** Zone kinds (any segment's or structure's) the geometry touches. */
  zone_kinds: string[];
}

/**
 * Set-based locator: for each geometry (GeoJSON, EPSG:4326), the nearest segment within
 * `radiusMeters`, the measure and side of the geometry's representative point on it, the
 * distance, and every zone kind it touches. Candidates come from the GiST index (&& against a
 * metre-sized envelope, then KNN order); distance, measure and side are computed in the segment's
 * Gauss-Krüger zone so they are true metres. Geometries with no segment in reach come back with
 * a null segment_id, so no input row is silently dropped.
 */
export async function selectNearestSegmentsForGeometries(db: Queryable, geometries: readonly GeoJSON.Geometry[], radiusMeters: number): Promise<LocatedGeometryRow[]> {
  const result = await db.query<LocatedGeometryRow>(
    `WITH input AS (
       SELECT ordinal::integer AS ordinal, ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326) AS geom
       FROM json_array_elements_text($1::json) WITH ORDINALITY AS g(geometry, ordinal)
     ), points AS (
       SELECT ordinal, geom, ST_PointOnSurface(geom) AS pt FROM input
     ), best AS (
       SELECT p.ordinal, p.geom, p.pt, n.*
       FROM points p
       LEFT JOIN LATERAL (
         SELECT m.id, m.route_code, m.direction, m.jurisdiction_code, m.line_m, m.pt_m, m.geom_m,
                ST_Distance(m.line_m, m.geom_m) AS offset_meters,
                ST_LineLocatePoint(ST_Force2D(m.line_m), m.pt_m) AS fraction,
                ST_Length(ST_Force2D(m.line_m)) AS metric_length
         FROM (
           SELECT c.id, c.route_code, c.direction, c.jurisdiction_code,
                  ST_Transform(c.centreline, c.srid) AS line_m, ST_Transform(p.pt, c.srid) AS pt_m, ST_Transform(p.geom, c.srid) AS geom_m
           FROM (
             SELECT s.id, s.route_code, s.direction, s.centreline, s.jurisdiction_code, luyu_metric_srid(s.centreline) AS srid
             FROM segments s
             WHERE s.centreline && ST_Expand(p.geom, $2 / (111320.0 * cos(radians(ST_Y(p.pt)))), $2 / 110540.0)
             ORDER BY s.centreline <-> p.geom
             LIMIT 16
           ) c
         ) m
         WHERE ST_DWithin(m.line_m, m.geom_m, $2)
         ORDER BY offset_meters, m.id
         LIMIT 1
       ) n ON true
     ), tangent AS (
       SELECT b.*,
              ST_LineInterpolatePoint(ST_Force2D(b.line_m), greatest(b.fraction - 0.5 / b.metric_length, 0)) AS ta,
              ST_LineInterpolatePoint(ST_Force2D(b.line_m), least(b.fraction + 0.5 / b.metric_length, 1)) AS tb
       FROM best b
     )
     SELECT t.ordinal, t.id AS segment_id, t.route_code, r.name AS route_name, t.direction,
            ST_InterpolatePoint(t.line_m, t.pt_m) AS chainage_meters,
            t.offset_meters,
            ((ST_X(t.tb) - ST_X(t.ta)) * (ST_Y(t.pt_m) - ST_Y(t.ta)) - (ST_Y(t.tb) - ST_Y(t.ta)) * (ST_X(t.pt_m) - ST_X(t.ta)) > 0)
              = (ST_M(ST_StartPoint(t.line_m)) <= ST_M(ST_EndPoint(t.line_m))) AS left_of_plus_direction,
            t.jurisdiction_code, j.name AS jurisdiction_name,
            ST_AsGeoJSON(ST_Transform(ST_ClosestPoint(ST_Force2D(t.line_m), t.pt_m), 4326), 7)::json AS snapped_point,
            ARRAY(SELECT DISTINCT z.kind FROM protection_zones z WHERE z.geom && t.geom AND ST_Intersects(z.geom, t.geom) ORDER BY z.kind) AS zone_kinds
     FROM tangent t
     LEFT JOIN routes r ON r.code = t.route_code
     LEFT JOIN jurisdictions j ON j.code = t.jurisdiction_code
     ORDER BY t.ordinal`,
    [JSON.stringify(geometries.map((geometry) => JSON.stringify(geometry))), radiusMeters],
  );
  return result.rows;
}

export interface DirectionRangeRow {
  direction: 1 | -1;
  chainage_from_meters: number;
  chainage_to_meters: number;
}

/** The chainage ranges a route covers per direction, merged across touching segments. */
export async function selectRouteRanges(db: Queryable, routeCode: string): Promise<DirectionRangeRow[]> {
  const result = await db.query<DirectionRangeRow>(
    `SELECT direction, min(chainage_from_meters) AS chainage_from_meters, max(chainage_to_meters) AS chainage_to_meters
     FROM segments WHERE route_code = $1 GROUP BY direction ORDER BY direction DESC`,
    [routeCode],
  );
  return result.rows;
}

export interface PointAtChainageRow {
  segment_id: number;
  point: GeoJSON.Point;
}

export async function selectPointAtChainage(db: Queryable, routeCode: string, direction: 1 | -1, chainageMeters: number): Promise<PointAtChainageRow | undefined> {
  const result = await db.query<PointAtChainageRow>(
    `SELECT s.id AS segment_id,
            ST_AsGeoJSON(ST_Force2D(ST_GeometryN(ST_LocateAlong(s.centreline, $3), 1)), 7)::json AS point
     FROM segments s
     WHERE s.route_code = $1 AND s.direction = $2
       AND $3 BETWEEN s.chainage_from_meters AND s.chainage_to_meters
       AND NOT ST_IsEmpty(ST_LocateAlong(s.centreline, $3))
     ORDER BY s.id
     LIMIT 1`,
    [routeCode, direction, chainageMeters],
  );
  return result.rows[0];
}
