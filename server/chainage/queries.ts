import type { Queryable } from '../db/database.ts';

export interface MarkerInput {
  routeCode: string;
  direction: 1 | -1;
  stakeMeters: number;
  lon: number;
  lat: number;
}

export interface ChainBreakInput {
  routeCode: string;
  stakeBeforeMeters: number;
  stakeAfterMeters: number;
  lon: number | null;
  lat: number | null;
}

/** A survey replaces the markers and chain breaks of the routes it covers. */
export async function deleteCalibration(db: Queryable, routeCodes: readonly string[]): Promise<void> {
  await db.query('DELETE FROM chainage_markers WHERE route_code = ANY ($1::text[])', [routeCodes]);
  await db.query('DELETE FROM chain_breaks WHERE route_code = ANY ($1::text[])', [routeCodes]);
}

/** Markers, each in the district that holds its point. */
export async function insertMarkers(db: Queryable, markers: readonly MarkerInput[], source: string): Promise<number> {
  const result = await db.query<{ count: number }>(
    `WITH inserted AS (
       INSERT INTO chainage_markers (route_code, direction, stake_meters, geom, jurisdiction_code, source)
       SELECT m.route_code, m.direction, m.stake, p.geom,
              (SELECT j.code FROM jurisdictions j WHERE j.level = 'district' AND ST_Intersects(j.boundary, p.geom) ORDER BY j.code LIMIT 1), $6
       FROM unnest($1::text[], $2::smallint[], $3::double precision[], $4::double precision[], $5::double precision[])
         AS m(route_code, direction, stake, lon, lat)
       CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(m.lon, m.lat), 4326) AS geom) p
       RETURNING 1
     ) SELECT count(*)::integer AS count FROM inserted`,
    [
      markers.map((m) => m.routeCode),
      markers.map((m) => m.direction),
      markers.map((m) => m.stakeMeters),
      markers.map((m) => m.lon),
      markers.map((m) => m.lat),
      source,
    ],
  );
  return result.rows[0]?.count ?? 0;
}

export async function insertChainBreaks(db: Queryable, breaks: readonly ChainBreakInput[], source: string): Promise<number> {
  const result = await db.query<{ count: number }>(
    `WITH inserted AS (
       INSERT INTO chain_breaks (route_code, stake_before_meters, stake_after_meters, geom, jurisdiction_code, source)
       SELECT b.route_code, b.before_m, b.after_m, p.geom,
              (SELECT j.code FROM jurisdictions j WHERE j.level = 'district' AND ST_Intersects(j.boundary, p.geom) ORDER BY j.code LIMIT 1), $6
       FROM unnest($1::text[], $2::double precision[], $3::double precision[], $4::double precision[], $5::double precision[])
         AS b(route_code, before_m, after_m, lon, lat)
       CROSS JOIN LATERAL (SELECT CASE WHEN b.lon IS NULL OR b.lat IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(b.lon, b.lat), 4326) END AS geom) p
       RETURNING 1
     ) SELECT count(*)::integer AS count FROM inserted`,
    [
      breaks.map((b) => b.routeCode),
      breaks.map((b) => b.stakeBeforeMeters),
      breaks.map((b) => b.stakeAfterMeters),
      breaks.map((b) => b.lon),
      breaks.map((b) => b.lat),
      source,
    ],
  );
  return result.rows[0]?.count ?? 0;
}

/** Rewrites the route's M values from its geodesic measure, markers and breaks (migration 017). */
export async function calibrateRoute(db: Queryable, routeCode: string): Promise<number> {
  const result = await db.query<{ written: number }>('SELECT luyu_calibrate_route($1) AS written', [routeCode]);
  return result.rows[0]?.written ?? 0;
}

export interface MarkerResidualRow {
  route_code: string;
  direction: 1 | -1;
  stake_meters: number;
  /** Chainage the calibrated centreline gives at the marker's point, minus the marker's stake. */
  residual_meters: number | null;
}

/** What the calibrated centrelines say at every marker of the routes (the ≤ 1 m check). */
export async function selectMarkerResiduals(db: Queryable, routeCodes: readonly string[]): Promise<MarkerResidualRow[]> {
  const result = await db.query<MarkerResidualRow>(
    `SELECT m.route_code, m.direction, m.stake_meters,
            (SELECT ST_InterpolatePoint(s.centreline, m.geom) FROM segments s
             WHERE s.route_code = m.route_code ORDER BY (s.direction = m.direction) DESC, s.centreline <-> m.geom LIMIT 1) - m.stake_meters AS residual_meters
     FROM chainage_markers m WHERE m.route_code = ANY ($1::text[])
     ORDER BY m.route_code, m.direction DESC, m.stake_meters`,
    [routeCodes],
  );
  return result.rows;
}

export async function selectUnknownRoutes(db: Queryable, routeCodes: readonly string[]): Promise<string[]> {
  const result = await db.query<{ code: string }>(
    `SELECT c.code FROM unnest($1::text[]) AS c(code) WHERE NOT EXISTS (SELECT 1 FROM segments s WHERE s.route_code = c.code) ORDER BY c.code`,
    [routeCodes],
  );
  return result.rows.map((row) => row.code);
}

/** Markers of the routes more than `maxMeters` from every segment of their route. */
export async function selectMarkersOffRoute(db: Queryable, routeCodes: readonly string[], maxMeters: number): Promise<{ route_code: string; stake_meters: number }[]> {
  const result = await db.query<{ route_code: string; stake_meters: number }>(
    `SELECT m.route_code, m.stake_meters FROM chainage_markers m
     WHERE m.route_code = ANY ($1::text[]) AND NOT EXISTS (
       SELECT 1 FROM segments s WHERE s.route_code = m.route_code AND ST_DWithin(s.geodesic_centreline::geography, m.geom::geography, $2))
     ORDER BY m.route_code, m.stake_meters`,
    [routeCodes, maxMeters],
  );
  return result.rows;
}
