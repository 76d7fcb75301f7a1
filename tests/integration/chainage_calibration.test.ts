/**
 * Chainage that matches the stakes (issue 16). A test route is laid out with GeographicLib on the
 * CGCS2000 ellipsoid, so every position's geodesic distance from the origin is known without
 * PostGIS; the expected stakes are computed here by hand from the calibration rule
 * (docs/chainage_calibration.md), never by the SQL under test.
 */
import { randomInt } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withRequestScope } from '../../server/db/transaction.ts';
import { AppError } from '../../server/http/errors.ts';
import { parseChainBreakRows, parseMarkerRows } from '../../server/chainage/parse_survey.ts';
import { readSurveyTable } from '../../server/chainage/read_survey_table.ts';
import { loadSurvey } from '../../server/chainage/service.ts';
import { destination, inverse, type LonLat } from '../helpers/geodesic_reference.ts';

const ORIGIN: LonLat = [113.62, 34.78];
const AZIMUTH_DEGREES = 30;
const VERTEX_SPACING_METERS = 250;
const ROUTE_LENGTH_METERS = 2000;

let pool: pg.Pool;
const routeCode = `Z${randomInt(1000, 9999)}`;
/** The point at geodesic distance `meters` from the origin along the test route (one geodesic). */
const at = (meters: number) => destination(ORIGIN, AZIMUTH_DEGREES, meters);

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
  await pool.query(`INSERT INTO routes (code, name, admin_class) VALUES ($1, 'calibration test', 'county')`, [routeCode]);
  // Two segments, M = geodesic distance (what the loader gives after re-measuring on the ellipsoid).
  for (const [from, to] of [[0, 1000], [1000, ROUTE_LENGTH_METERS]] as const) {
    const vertices = [];
    for (let meters = from; meters <= to; meters += VERTEX_SPACING_METERS) vertices.push(`${at(meters).join(' ')} ${meters}`);
    await pool.query(
      `INSERT INTO segments (route_code, direction, chainage_from_meters, chainage_to_meters, centreline, admin_class, road_land_half_width_meters)
       VALUES ($1, 1, $2, $3, ST_GeomFromEWKT($4), 'county', 7)`,
      [routeCode, from, to, `SRID=4326;LINESTRINGM(${vertices.join(',')})`],
    );
  }
});
afterAll(async () => {
  await pool.query('DELETE FROM segments WHERE route_code = $1', [routeCode]);
  await pool.query('DELETE FROM routes WHERE code = $1', [routeCode]);
  await pool.end();
});

async function stakeAt(point: LonLat): Promise<number> {
  const result = await pool.query<{ stake: number }>(
    `SELECT ST_InterpolatePoint(centreline, ST_SetSRID(ST_MakePoint($2, $3), 4326)) AS stake FROM segments
     WHERE route_code = $1 ORDER BY centreline <-> ST_SetSRID(ST_MakePoint($2, $3), 4326) LIMIT 1`,
    [routeCode, point[0], point[1]],
  );
  return result.rows[0]!.stake;
}

function csv(rows: string[][]): Uint8Array {
  return new TextEncoder().encode(rows.map((row) => row.join(',')).join('\n'));
}

describe('chainage calibrated to stake markers and chain breaks', () => {
  // Markers at geodesic 200, 800, 1500 and 1900 m read K0+210, K0+815, K1+480, K1+890; a long
  // chain K1+200 = K1+150 (50 m of stakes repeat) lies between the second and third.
  const markers = [
    [200, 210],
    [800, 815],
    [1500, 1480],
    [1900, 1890],
  ] as const;

  it('loads markers and breaks from CSV (Chinese headers, K stakes) and recalibrates in one transaction', async () => {
    const markerRows = parseMarkerRows(await readSurveyTable('markers.csv', csv([
      ['路线编号', '方向', '桩号', '经度', '纬度'],
      ...markers.map(([meters, stake]) => [routeCode, '上行', `K${Math.floor(stake / 1000)}+${String(stake % 1000).padStart(3, '0')}`, ...at(meters).map(String)]),
    ])));
    const breakRows = parseChainBreakRows(await readSurveyTable('breaks.csv', csv([['route', 'stake_before', 'stake_after'], [routeCode, 'K1+200', 'K1+150']])));
    const result = await loadSurvey(pool, { markers: markerRows, chainBreaks: breakRows, source: 'test survey' });
    expect(result).toMatchObject({ routes: [routeCode], markers: 4, chainBreaks: 1 });
    expect(result.largestResidualMeters[routeCode]).toBeLessThanOrEqual(0.01);
  });

  it('answers each marker\'s stake at its point (≤ 1 m; here to the centimetre)', async () => {
    for (const [meters, stake] of markers) expect(Math.abs((await stakeAt(at(meters))) - stake)).toBeLessThan(0.01);
  });

  it('interpolates between markers and jumps at the chain break', async () => {
    // Between markers 2 and 3 the stakes run continuously K0+815 → K1+480 + 50 repeated metres
    // over 700 m of road: scale (1530 − 815) / 700; the break sits where that reaches K1+200.
    const scale = (1480 + 50 - 815) / 700;
    const breakMeters = 800 + (1200 - 815) / scale;
    const before = 815 + (breakMeters - 1 - 800) * scale;
    const after = 815 + (breakMeters + 1 - 800) * scale - 50;
    expect(Math.abs((await stakeAt(at(breakMeters - 1))) - before)).toBeLessThan(0.01);
    expect(Math.abs((await stakeAt(at(breakMeters + 1))) - after)).toBeLessThan(0.01);
    // Between the first two markers: (815 − 210) / 600 m.
    expect(Math.abs((await stakeAt(at(500))) - (210 + 300 * (605 / 600)))).toBeLessThan(0.01);
    // Beyond the last marker chainage grows metre for metre.
    expect(Math.abs((await stakeAt(at(1950))) - 1940)).toBeLessThan(0.01);
  });

  it('finds both places of a stake that the long chain repeats on either side of the break', async () => {
    const scale = (1480 + 50 - 815) / 700;
    const breakMeters = 800 + (1200 - 815) / scale;
    const expected = [800 + (1180 - 815) / scale, breakMeters + (1180 - 1150) / scale].map(at);
    const result = await pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat FROM segments s CROSS JOIN LATERAL ST_Dump(ST_LocateAlong(s.centreline, 1180)) d WHERE s.route_code = $1`,
      [routeCode],
    );
    // (The break's own point reads every repeated stake too: the zero-length edge spans them.)
    for (const point of expected) {
      const distances = result.rows.map((row) => inverse(point, [row.lon, row.lat]).distanceMeters);
      expect(Math.min(...distances)).toBeLessThan(0.01);
    }
  });

  it('refuses a marker far from its route and writes nothing', async () => {
    const far = destination(ORIGIN, AZIMUTH_DEGREES + 90, 500);
    const attempt = loadSurvey(pool, { markers: [{ routeCode, direction: 1, stakeMeters: 100, lon: far[0], lat: far[1] }], chainBreaks: [], source: 'bad' });
    await expect(attempt).rejects.toMatchObject({ code: 'SURVEY_MARKER_OFF_ROUTE', status: 422 } satisfies Partial<AppError>);
    const kept = await pool.query<{ count: number }>('SELECT count(*)::integer AS count FROM chainage_markers WHERE route_code = $1', [routeCode]);
    expect(kept.rows[0]!.count).toBe(4);
  });

  it('rejects invalid survey rows with their row numbers', async () => {
    const rows = await readSurveyTable('markers.csv', csv([['route', 'direction', 'stake', 'lon', 'lat'], [routeCode, 'up', 'K1+2000', '200', '34']]));
    expect(() => parseMarkerRows(rows)).toThrow(expect.objectContaining({ code: 'SURVEY_ROWS_INVALID' }));
  });

  it('another district cannot see the markers and chain breaks', async () => {
    await pool.query(`UPDATE chainage_markers SET jurisdiction_code = '410102' WHERE route_code = $1`, [routeCode]);
    await pool.query(`UPDATE chain_breaks SET jurisdiction_code = '410102' WHERE route_code = $1`, [routeCode]);
    const seen = await withRequestScope(pool, { userId: 0, role: 'district_officer', scopeCodes: ['410105'], isTop: false }, async (client) => {
      const result = await client.query<{ markers: number; breaks: number }>(
        `SELECT (SELECT count(*) FROM chainage_markers WHERE route_code = $1)::integer AS markers,
                (SELECT count(*) FROM chain_breaks WHERE route_code = $1)::integer AS breaks`,
        [routeCode],
      );
      return result.rows[0]!;
    });
    expect(seen).toEqual({ markers: 0, breaks: 0 });
    const own = await withRequestScope(pool, { userId: 0, role: 'district_officer', scopeCodes: ['410102'], isTop: false }, async (client) =>
      (await client.query<{ markers: number }>('SELECT count(*)::integer AS markers FROM chainage_markers WHERE route_code = $1', [routeCode])).rows[0]!,
    );
    expect(own.markers).toBe(4);
  });
});
