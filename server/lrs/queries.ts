import type { Queryable } from '../db/database.ts';

/** One row of `luyu_locate(...)` (data/migrations/010_luyu_locate.sql). */
export interface LocatedRow {
  /** 1-based position of the geometry in the request. */
  ordinal: number;
  /** null: no segment within the radius (then every road field is null too). */
  segment_id: number | null;
  route_code: string;
  route_name: string;
  direction: 1 | -1;
  chainage_meters: number;
  offset_meters: number;
  /** Cross product sign of the point against the line, in the + (chainage-increasing) sense. */
  left_of_plus_direction: boolean;
  segment_jurisdiction_code: string | null;
  /** The district the finding belongs to: the segment's, else the district containing it. */
  jurisdiction_code: string | null;
  jurisdiction_name: string | null;
  snapped_point: GeoJSON.Point;
  /** Zone kinds (any segment's or structure's) the geometry touches. */
  zone_kinds: string[];
  admin_class: string | null;
  road_land_half_width_meters: number | null;
  building_control_meters: number | null;
}

/**
 * THE locator: for each geometry (GeoJSON, EPSG:4326) the nearest segment within `radiusMeters`
 * on the WHOLE network whatever the caller's jurisdiction, its measure, side, offset, zones, class
 * and widths, and the finding's district. One SQL function (luyu_locate) so every caller — /lrs,
 * violations, imports, later track matching — gets the same answer.
 */
export async function locateGeometries(db: Queryable, geometries: readonly GeoJSON.Geometry[], radiusMeters: number): Promise<LocatedRow[]> {
  if (geometries.length === 0) return [];
  const result = await db.query<LocatedRow>('SELECT * FROM luyu_locate($1::json, $2)', [JSON.stringify(geometries), radiusMeters]);
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

/** Does the stake exist on a segment the request's user cannot see (another district)? */
export async function selectStakeOutsideScope(db: Queryable, routeCode: string, chainageMeters: number): Promise<boolean> {
  const result = await db.query<{ outside: boolean }>('SELECT luyu_stake_outside_scope($1, $2) AS outside', [routeCode, chainageMeters]);
  return result.rows[0]?.outside === true;
}

export interface StakePointInput {
  routeCode: string;
  direction: 1 | -1;
  chainageMeters: number;
  /** +1 left, −1 right (looking in the + direction), 0 on the centreline. */
  sideSign: 1 | -1 | 0;
  offsetMeters: number;
}

export interface StakePointRow {
  /** 1-based position of the input. */
  ordinal: number;
  segment_id: number | null;
  direction: 1 | -1 | null;
  point: GeoJSON.Point | null;
}

/**
 * Set-based stake → point: for each input the segment of the route covering the chainage (in the
 * requested direction, else the + one: two-way roads have + segments only), the point at that
 * measure (ST_LocateAlong), pushed `offsetMeters` square to the road on the requested side. The
 * offset is computed in the segment's Gauss-Krüger zone so it is true metres. Inputs with no
 * segment at that chainage come back with null, never dropped.
 */
export async function selectStakePoints(db: Queryable, inputs: readonly StakePointInput[]): Promise<StakePointRow[]> {
  const result = await db.query<StakePointRow>(
    `WITH input AS (
       SELECT ordinal::integer AS ordinal, route_code, direction, chainage, side_sign, offset_meters
       FROM unnest($1::text[], $2::smallint[], $3::double precision[], $4::smallint[], $5::double precision[])
         WITH ORDINALITY AS t(route_code, direction, chainage, side_sign, offset_meters, ordinal)
     ), located AS (
       SELECT i.*, s.id AS segment_id, s.direction AS segment_direction, s.line_m,
              ST_Force2D(ST_GeometryN(ST_LocateAlong(s.line_m, i.chainage), 1)) AS p_m
       FROM input i
       LEFT JOIN LATERAL (
         SELECT c.id, c.direction, ST_Transform(c.centreline, luyu_metric_srid(c.centreline)) AS line_m
         FROM segments c
         WHERE c.route_code = i.route_code
           AND i.chainage BETWEEN c.chainage_from_meters AND c.chainage_to_meters
           AND NOT ST_IsEmpty(ST_LocateAlong(c.centreline, i.chainage))
         ORDER BY (c.direction = i.direction) DESC, c.direction DESC, c.id
         LIMIT 1
       ) s ON true
     ), tangent AS (
       SELECT l.*,
              ST_LineLocatePoint(ST_Force2D(l.line_m), l.p_m) AS fraction,
              ST_Length(ST_Force2D(l.line_m)) AS metric_length,
              ST_M(ST_StartPoint(l.line_m)) <= ST_M(ST_EndPoint(l.line_m)) AS digitised_with_chainage
       FROM located l
     ), normal AS (
       SELECT t.*,
              ST_LineInterpolatePoint(ST_Force2D(t.line_m), greatest(t.fraction - 0.5 / t.metric_length, 0)) AS ta,
              ST_LineInterpolatePoint(ST_Force2D(t.line_m), least(t.fraction + 0.5 / t.metric_length, 1)) AS tb
       FROM tangent t
     ), pushed AS (
       -- Left normal of the digitised direction is (−dy, dx); flip it where the line runs against chainage.
       SELECT n.ordinal, n.segment_id, n.segment_direction,
              ST_SetSRID(ST_MakePoint(
                ST_X(n.p_m) - n.side_sign * (CASE WHEN n.digitised_with_chainage THEN 1 ELSE -1 END) * n.offset_meters * (ST_Y(n.tb) - ST_Y(n.ta)) / d.length,
                ST_Y(n.p_m) + n.side_sign * (CASE WHEN n.digitised_with_chainage THEN 1 ELSE -1 END) * n.offset_meters * (ST_X(n.tb) - ST_X(n.ta)) / d.length
              ), ST_SRID(n.line_m)) AS q_m
       FROM normal n, LATERAL (SELECT greatest(sqrt((ST_X(n.tb) - ST_X(n.ta)) ^ 2 + (ST_Y(n.tb) - ST_Y(n.ta)) ^ 2), 1e-9) AS length) d
       WHERE n.segment_id IS NOT NULL
     )
     SELECT i.ordinal, p.segment_id, p.segment_direction AS direction,
            ST_AsGeoJSON(ST_Transform(p.q_m, 4326), 7)::json AS point
     FROM input i LEFT JOIN pushed p ON p.ordinal = i.ordinal
     ORDER BY i.ordinal`,
    [
      inputs.map((input) => input.routeCode),
      inputs.map((input) => input.direction),
      inputs.map((input) => input.chainageMeters),
      inputs.map((input) => input.sideSign),
      inputs.map((input) => input.offsetMeters),
    ],
  );
  return result.rows;
}
