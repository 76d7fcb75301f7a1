import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drive, insertAssignment, insertStraightSegment, noiseSource, toLonLat, trackFeature, type DrivenFix } from './helpers/track_fixtures.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

/**
 * GET /crews/live: today's crews under way with their latest fix and progress. A crew of this file
 * drives the first of its two segments (1,000 m and 500 m); its progress must be that segment's
 * covered share × 1000 / 1500. A 410105 crew under way is invisible to the 410104 dispatcher.
 */

let server: TestServer;
let assignmentId: number;
let foreignAssignmentId: number;
let fixes: DrivenFix[];
const ROUTE = 'X6' + String(Math.floor(Math.random() * 90) + 10);
const CREW = `实时巡查组-${randomUUID().slice(0, 6)}`;
/** y = -9000 m in the fixtures' frame: nobody else drives there. */
const Y = -9000;

type LiveCrew = { assignmentId: number; crewName: string; status: string; position: { coordinates: [number, number] } | null; fixAgeSeconds: number | null; progress: number; segmentsAssigned: number; segmentsCovered: number };

beforeAll(async () => {
  server = await startTestServer({ as: 'dispatcher' });
  const patrolToken = await server.login('patrol');
  await server.db.pool.query(`INSERT INTO routes (code, name, admin_class) VALUES ($1, '实时测试县道', 'county') ON CONFLICT DO NOTHING`, [ROUTE]);
  const first = await insertStraightSegment(server.db.pool, { route: ROUTE, direction: 1, from: [0, Y], to: [1000, Y], chainageFrom: 0, chainageTo: 1000, isOneway: false });
  const second = await insertStraightSegment(server.db.pool, { route: ROUTE, direction: 1, from: [3000, Y], to: [3500, Y], chainageFrom: 3000, chainageTo: 3500, isOneway: false });
  ({ assignmentId } = await insertAssignment(server.db.pool, { usernames: ['patrol'], segmentIds: [first, second], status: 'in_progress', crewName: CREW }));
  fixes = drive({ x0: -30, x1: 1030, y: Y, speed: 12, startEpochSeconds: Math.floor(Date.now() / 1000) - 120, noise: noiseSource(11, 6) });
  const track = await server.requestWith(patrolToken, `/assignments/${assignmentId}/track`, { method: 'POST', body: JSON.stringify({ chunkId: randomUUID(), track: trackFeature(fixes) }) });
  expect(track.status).toBe(200);

  // A 410105 crew under way today with a fix of its own, written as the superuser.
  const foreign = await server.db.pool.query<{ id: number }>(
    `WITH crew AS (
       INSERT INTO crews (name, jurisdiction_code, base, shift_start_minutes, shift_end_minutes)
       VALUES ($1, '410105', ST_SetSRID(ST_MakePoint(113.7, 34.78), 4326), 480, 1080) RETURNING id
     ), plan AS (
       INSERT INTO patrol_plans (jurisdiction_code, plan_date, status, seed, seconds) VALUES ('410105', (now() AT TIME ZONE 'Asia/Shanghai')::date, 'published', 1, 10) RETURNING id
     )
     INSERT INTO patrol_assignments (plan_id, crew_id, assignment_date, jurisdiction_code, status, started_at)
     SELECT plan.id, crew.id, (now() AT TIME ZONE 'Asia/Shanghai')::date, '410105', 'in_progress', now() FROM plan, crew RETURNING id::integer AS id`,
    [`金水实时组-${randomUUID().slice(0, 6)}`],
  );
  foreignAssignmentId = foreign.rows[0]!.id;
  await server.db.pool.query(
    `INSERT INTO patrol_tracks (assignment_id, crew_id, user_id, jurisdiction_code, client_chunk_id, geom, started_at, ended_at, point_count, length_meters)
     SELECT a.id, a.crew_id, u.id, '410105', $2, ST_SetSRID(ST_MakeLine(ST_MakePointM(113.70, 34.78, extract(epoch FROM now()) - 60), ST_MakePointM(113.701, 34.78, extract(epoch FROM now()))), 4326),
            now() - interval '1 minute', now(), 2, 91
     FROM patrol_assignments a, users u WHERE a.id = $1 AND u.username = 'officer2'`,
    [foreignAssignmentId, randomUUID()],
  );
});
afterAll(async () => {
  await server.close();
});

describe('live crews on the dispatcher map', () => {
  it('gives the latest fix, its age and progress = covered ÷ assigned length', async () => {
    const response = await server.request('/crews/live');
    expect(response.status).toBe(200);
    const crew = response.body.crews.find((item: LiveCrew) => item.assignmentId === assignmentId) as LiveCrew;
    expect(crew.crewName).toBe(CREW);
    expect(crew.status).toBe('in_progress');
    const last = fixes[fixes.length - 1]!;
    const [lon, lat] = toLonLat(last.x, last.y);
    expect(crew.position!.coordinates[0]).toBeCloseTo(lon, 6);
    expect(crew.position!.coordinates[1]).toBeCloseTo(lat, 6);
    const expectedAge = Date.now() / 1000 - last.epochSeconds;
    expect(Math.abs(crew.fixAgeSeconds! - expectedAge)).toBeLessThan(15);
    // Progress from the fixture's lengths (1,000 m driven, 500 m not) and the stored shares.
    const shares = await server.db.pool.query<{ segment_id: number; covered_share: number }>('SELECT segment_id, covered_share FROM segment_track_coverage WHERE assignment_id = $1', [assignmentId]);
    expect(shares.rows).toHaveLength(1);
    const expected = (shares.rows[0]!.covered_share * 1000) / 1500;
    expect(expected).toBeGreaterThan(0.6);
    expect(crew.progress).toBeCloseTo(expected, 2);
    expect(crew.segmentsAssigned).toBe(2);
    expect(crew.segmentsCovered).toBe(1);
  });

  it("another district's crew is not on the 410104 dispatcher's map; the city manager sees both", async () => {
    const own = await server.request('/crews/live');
    expect(own.body.crews.map((item: LiveCrew) => item.assignmentId)).not.toContain(foreignAssignmentId);
    const asked = await server.request('/crews/live?jurisdiction=410105');
    expect(asked.status).toBe(404);
    const city = await server.requestWith(await server.login('city_manager'), '/crews/live');
    expect(city.status).toBe(200);
    const ids = city.body.crews.map((item: LiveCrew) => item.assignmentId);
    expect(ids).toEqual(expect.arrayContaining([assignmentId, foreignAssignmentId]));
    const sibling = await server.requestWith(await server.login('city_manager'), '/crews/live?jurisdiction=410105');
    expect(sibling.body.crews.map((item: LiveCrew) => item.assignmentId)).toEqual(expect.arrayContaining([foreignAssignmentId]));
    expect(sibling.body.crews.map((item: LiveCrew) => item.assignmentId)).not.toContain(assignmentId);
  });

  it('a completed assignment leaves the live view', async () => {
    await server.db.pool.query(`UPDATE patrol_assignments SET status = 'completed', completed_at = now() WHERE id = $1`, [foreignAssignmentId]);
    const city = await server.requestWith(await server.login('city_manager'), '/crews/live');
    expect(city.body.crews.map((item: LiveCrew) => item.assignmentId)).not.toContain(foreignAssignmentId);
  });

  it('crews (patrol) do not read the dispatcher view', async () => {
    expect((await server.requestWith(await server.login('patrol'), '/crews/live')).status).toBe(403);
  });
});
