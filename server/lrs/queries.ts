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

/**
 * Nearest segment within `radiusMeters` and the point's measure on it. Candidates come from the
 * GiST index (&& against a metre-sized envelope, then KNN order); the exact distance, measure and
 * side are computed in the segment's Gauss-Krüger zone so they are true metres.
 */
export async function selectNearestSegment(db: Queryable, longitude: number, latitude: number, radiusMeters: number): Promise<LocatedRow | undefined> {
  const result = await db.query<LocatedRow>(
    `WITH p AS (
       SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS pt
     ), candidates AS (
       SELECT s.id, s.route_code, s.direction, s.centreline, s.jurisdiction_code, luyu_metric_srid(s.centreline) AS srid
       FROM segments s, p
       WHERE s.centreline && ST_Expand(p.pt, $3 / (111320.0 * cos(radians($2))), $3 / 110540.0)
       ORDER BY s.centreline <-> p.pt
       LIMIT 16
     ), measured AS (
       SELECT c.*, ST_Transform(c.centreline, c.srid) AS line_m, ST_Transform(p.pt, c.srid) AS pt_m
       FROM candidates c, p
     ), best AS (
       SELECT m.*, ST_Distance(m.line_m, m.pt_m) AS offset_meters,
              ST_LineLocatePoint(ST_Force2D(m.line_m), m.pt_m) AS fraction,
              ST_Length(ST_Force2D(m.line_m)) AS metric_length
       FROM measured m
       WHERE ST_DWithin(m.line_m, m.pt_m, $3)
       ORDER BY offset_meters, m.id
       LIMIT 1
     ), tangent AS (
       SELECT b.*,
              ST_LineInterpolatePoint(ST_Force2D(b.line_m), greatest(b.fraction - 0.5 / b.metric_length, 0)) AS a,
              ST_LineInterpolatePoint(ST_Force2D(b.line_m), least(b.fraction + 0.5 / b.metric_length, 1)) AS b
       FROM best b
     )
     SELECT t.id AS segment_id, t.route_code, r.name AS route_name, t.direction,
            ST_InterpolatePoint(t.line_m, t.pt_m) AS chainage_meters,
            t.offset_meters,
            ((ST_X(t.b) - ST_X(t.a)) * (ST_Y(t.pt_m) - ST_Y(t.a)) - (ST_Y(t.b) - ST_Y(t.a)) * (ST_X(t.pt_m) - ST_X(t.a)) > 0)
              = (ST_M(ST_StartPoint(t.line_m)) <= ST_M(ST_EndPoint(t.line_m))) AS left_of_plus_direction,
            t.jurisdiction_code, j.name AS jurisdiction_name,
            ST_AsGeoJSON(ST_Transform(ST_ClosestPoint(ST_Force2D(t.line_m), t.pt_m), 4326), 7)::json AS snapped_point
     FROM tangent t
     JOIN routes r ON r.code = t.route_code
     LEFT JOIN jurisdictions j ON j.code = t.jurisdiction_code`,
    [longitude, latitude, radiusMeters],
  );
  return result.rows[0];
}

/** Zone kinds whose polygons contain the point (any segment's or structure's). */
export async function selectZoneKindsAtPoint(db: Queryable, longitude: number, latitude: number): Promise<string[]> {
  const result = await db.query<{ kind: string }>(
    `SELECT DISTINCT z.kind
     FROM protection_zones z
     WHERE z.geom && ST_SetSRID(ST_MakePoint($1, $2), 4326)
       AND ST_Intersects(z.geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))`,
    [longitude, latitude],
  );
  return result.rows.map((row) => row.kind);
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
