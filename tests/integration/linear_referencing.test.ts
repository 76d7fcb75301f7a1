import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatStake } from '../../server/domain/stake.ts';
import { locatePoint, pointAtStake } from '../../server/lrs/service.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ as: 'province_admin' });
});
afterAll(async () => {
  await server.close();
});

const POINTS_PER_ROUTE = 100;

describe('point → stake → point round trip', () => {
  it(`is within 1 m at ${POINTS_PER_ROUTE} random points on every route`, async () => {
    const routes = await server.db.pool.query<{ code: string }>('SELECT code FROM routes ORDER BY code');
    let maximumErrorMeters = 0;
    let worst = '';
    for (const { code } of routes.rows) {
      // Reproducible "random" points: setseed makes random() deterministic within the statement.
      const points = await server.db.pool.query<{ lon: number; lat: number; direction: 1 | -1 }>(
        `WITH seeded AS (SELECT setseed(0.42)), picks AS (
           SELECT s.centreline, s.direction, random() AS fraction
           FROM seeded, generate_series(1, $2) AS n
           CROSS JOIN LATERAL (SELECT * FROM segments WHERE route_code = $1 AND n > 0 ORDER BY random() LIMIT 1) s
         )
         SELECT ST_X(p) AS lon, ST_Y(p) AS lat, direction
         FROM (SELECT ST_LineInterpolatePoint(ST_Force2D(centreline), fraction) AS p, direction FROM picks) q`,
        [code, POINTS_PER_ROUTE],
      );
      expect(points.rows).toHaveLength(POINTS_PER_ROUTE);
      for (const point of points.rows) {
        const located = await locatePoint(server.db.pool, point.lon, point.lat, 50);
        const back = await pointAtStake(server.db.pool, located.route, formatStake(located.chainageMeters, 2), located.direction);
        const distance = await server.db.pool.query<{ meters: number }>(
          'SELECT ST_Distance(ST_MakePoint($1, $2)::geography, ST_MakePoint($3, $4)::geography) AS meters',
          [point.lon, point.lat, back.point.coordinates[0], back.point.coordinates[1]],
        );
        const errorMeters = distance.rows[0]!.meters;
        if (errorMeters > maximumErrorMeters) {
          maximumErrorMeters = errorMeters;
          worst = `${code} at ${located.stake} (${point.lon}, ${point.lat})`;
        }
      }
    }
    console.log(`[round trip] ${routes.rows.length} routes × ${POINTS_PER_ROUTE} points: maximum error ${maximumErrorMeters.toFixed(3)} m (${worst})`);
    expect(maximumErrorMeters).toBeLessThan(1);
  }, 300_000);
});

describe('locate', () => {
  it('puts a point 20 m off a G107 centreline in the zone its road-land width implies', async () => {
    // Midpoints of G107 segments pushed 20 m perpendicular; keep the side away from any other road.
    const candidates = await server.db.pool.query<{ segment_id: number; lon: number; lat: number; half_width: number }>(
      `WITH mid AS (
         SELECT s.id, s.road_land_half_width_meters AS half_width, ST_Force2D(s.centreline) AS line,
                ST_LineInterpolatePoint(ST_Force2D(s.centreline), 0.5) AS p,
                ST_Azimuth(ST_LineInterpolatePoint(ST_Force2D(s.centreline), 0.49)::geography, ST_LineInterpolatePoint(ST_Force2D(s.centreline), 0.51)::geography) AS azimuth
         FROM segments s WHERE s.route_code = 'G107'
       ), pushed AS (
         SELECT id, half_width, ST_Project(p::geography, 20, azimuth + side * pi() / 2)::geometry AS q
         FROM mid, (VALUES (1), (-1)) AS sides(side)
       )
       SELECT p.id AS segment_id, ST_X(p.q) AS lon, ST_Y(p.q) AS lat, p.half_width
       FROM pushed p
       WHERE NOT EXISTS (
         SELECT 1 FROM segments o WHERE o.id <> p.id AND ST_DWithin(ST_Force2D(o.centreline)::geography, p.q::geography, 40))
       ORDER BY p.id LIMIT 5`,
    );
    expect(candidates.rows.length).toBeGreaterThan(0);
    for (const candidate of candidates.rows) {
      const located = await locatePoint(server.db.pool, candidate.lon, candidate.lat, 500);
      expect(located.route).toBe('G107');
      expect(located.segmentId).toBe(candidate.segment_id);
      expect(located.offsetMeters).toBeCloseTo(20, 0);
      expect(located.side).not.toBeNull();
      const expectedZone = candidate.half_width >= 20 ? 'road_land' : 'building_control';
      expect(located.zone).toBe(expectedZone);
      expect(located.zones).toContain('excavation_ban');
      expect(located.stake).toMatch(/^K\d+\+\d{3}$/);
    }
  });

  it('reports left and right relative to the + direction on both sides of a segment', async () => {
    const { rows } = await server.db.pool.query<{ left_lon: number; left_lat: number; right_lon: number; right_lat: number }>(
      `WITH s AS (
         SELECT ST_Force2D(centreline) AS line, ST_M(ST_StartPoint(centreline)) < ST_M(ST_EndPoint(centreline)) AS increasing
         FROM segments WHERE route_code = 'G310' AND direction = 1 ORDER BY id LIMIT 1
       ), a AS (
         SELECT increasing, ST_LineInterpolatePoint(line, 0.5) AS p,
                ST_Azimuth(ST_LineInterpolatePoint(line, 0.49)::geography, ST_LineInterpolatePoint(line, 0.51)::geography) AS azimuth
         FROM s
       ), sides AS (
         -- azimuth − 90° is left of the digitised direction; flip when the line runs against chainage.
         SELECT ST_Project(p::geography, 3, azimuth - CASE WHEN increasing THEN 1 ELSE -1 END * pi() / 2)::geometry AS left_point,
                ST_Project(p::geography, 3, azimuth + CASE WHEN increasing THEN 1 ELSE -1 END * pi() / 2)::geometry AS right_point
         FROM a
       )
       SELECT ST_X(left_point) AS left_lon, ST_Y(left_point) AS left_lat, ST_X(right_point) AS right_lon, ST_Y(right_point) AS right_lat FROM sides`,
    );
    const row = rows[0]!;
    expect((await locatePoint(server.db.pool, row.left_lon, row.left_lat, 50)).side).toBe('left');
    expect((await locatePoint(server.db.pool, row.right_lon, row.right_lat, 50)).side).toBe('right');
  });

  it('answers over HTTP with stake, side, offset, zone and jurisdiction', async () => {
    const segment = await server.request('/segments?route=G310&limit=1');
    const [lon, lat] = segment.body.features[0].geometry.coordinates[1];
    const { status, body } = await server.request(`/lrs/locate?lon=${lon}&lat=${lat}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ route: 'G310', zone: 'road_land', stake: expect.stringMatching(/^K\d+\+\d{3}$/) });
    expect(body.snappedPoint.type).toBe('Point');
    expect(body.jurisdiction.code).toMatch(/^41\d{4}$/);
  });
});

describe('stake → point', () => {
  // G107 is under 1 km long in the demo extract, so its stakes stop before K1+000.
  it.each([
    ['G107', 'K0+500', 500],
    ['G310', 'K3+200', 3200],
  ])('flies %s %s to a point whose stake reads back the same', async (route, stake, chainageMeters) => {
    const { status, body } = await server.request(`/lrs/point?route=${route}&stake=${encodeURIComponent(stake)}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ route, stake, chainageMeters, direction: 1 });
    const [lon, lat] = body.point.coordinates;
    const located = await server.request(`/lrs/locate?lon=${lon}&lat=${lat}`);
    expect(located.body.route).toBe(route);
    expect(Math.abs(located.body.chainageMeters - chainageMeters)).toBeLessThan(1);
  });

  it('accepts the − direction on a divided road and returns a point on the other carriageway', async () => {
    const plus = await server.request('/lrs/point?route=G4&stake=K2%2B000&direction=1');
    const minus = await server.request('/lrs/point?route=G4&stake=K2%2B000&direction=-1');
    expect(minus.status).toBe(200);
    expect(minus.body.direction).toBe(-1);
    const gap = await server.db.pool.query<{ meters: number }>(
      'SELECT ST_Distance(ST_GeomFromGeoJSON($1)::geography, ST_GeomFromGeoJSON($2)::geography) AS meters',
      [JSON.stringify(plus.body.point), JSON.stringify(minus.body.point)],
    );
    // Two carriageways of one cross-section: apart, but by a median's width, not a kilometre.
    expect(gap.rows[0]!.meters).toBeGreaterThan(3);
    expect(gap.rows[0]!.meters).toBeLessThan(80);
  });
});

describe('stake + side + offset → point', () => {
  it.each([
    ['left', 25],
    ['right', 40],
  ] as const)('G4 K2+500 %s %d m reads back as that side, offset and stake', async (side, offsetMeters) => {
    let checkedSides = 0;
    for (const direction of [1, -1] as const) {
      const { status, body } = await server.request(`/lrs/offset-point?route=G4&stake=K2%2B500&direction=${direction}&side=${side}&offset=${offsetMeters}`);
      expect(status).toBe(200);
      expect(body.direction).toBe(direction);
      const [lon, lat] = body.point.coordinates;
      const distance = await server.db.pool.query<{ meters: number }>(
        'SELECT ST_Distance(ST_Force2D(centreline)::geography, ST_MakePoint($2, $3)::geography) AS meters FROM segments WHERE id = $1',
        [body.segmentId, lon, lat],
      );
      expect(distance.rows[0]!.meters).toBeCloseTo(offsetMeters, 0);
      const located = await locatePoint(server.db.pool, lon, lat, 500);
      // On the median side the other carriageway may be nearer; side is checked where it is not.
      if (located.segmentId === body.segmentId) {
        expect(located.side).toBe(side);
        checkedSides += 1;
      }
      expect(Math.abs(located.chainageMeters - 2500)).toBeLessThan(3);
    }
    expect(checkedSides).toBeGreaterThan(0);
  });

  it('refuses a side that is not left or right', async () => {
    const { status, body } = await server.request('/lrs/offset-point?route=G4&stake=K2%2B000&side=up&offset=5');
    expect(status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
  });
});
