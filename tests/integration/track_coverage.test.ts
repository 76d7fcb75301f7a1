import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRequestScope } from '../../server/db/transaction.ts';
import { drive, insertAssignment, insertStraightSegment, noiseSource, trackFeature, type DrivenFix } from './helpers/track_fixtures.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

/**
 * Coverage from GPS tracks (issue 12): a divided road (two one-way carriageways 25 m apart), a
 * parallel two-way service road 45 m from it and a crossing road nobody drives, in a frame with no
 * other road. Fixes every second with ±15 m noise. The expected shares come from where the fixture
 * drove (true positions), not from the matcher.
 */

let server: TestServer;
let patrolToken: string;
const ROUTE = 'X9' + String(Math.floor(Math.random() * 90) + 10);
const ids = { eastbound: 0, westbound: 0, service: 0, crossing: 0 };
let assignmentId: number;
let crewId: number;
const LENGTH = 2000;
const GAP: [number, number] = [1000, 1500];

beforeAll(async () => {
  server = await startTestServer({ as: 'patrol' });
  patrolToken = server.token!;
  await server.db.pool.query(`INSERT INTO routes (code, name, admin_class) VALUES ($1, '测试县道', 'county') ON CONFLICT DO NOTHING`, [ROUTE]);
  ids.eastbound = await insertStraightSegment(server.db.pool, { route: ROUTE, direction: 1, from: [0, 0], to: [LENGTH, 0], chainageFrom: 0, chainageTo: LENGTH, isOneway: true });
  ids.westbound = await insertStraightSegment(server.db.pool, { route: ROUTE, direction: -1, from: [LENGTH, 25], to: [0, 25], chainageFrom: 0, chainageTo: LENGTH, isOneway: true });
  ids.service = await insertStraightSegment(server.db.pool, { route: ROUTE, direction: 1, from: [0, -45], to: [LENGTH, -45], chainageFrom: 5000, chainageTo: 5000 + LENGTH, isOneway: false });
  ids.crossing = await insertStraightSegment(server.db.pool, { route: ROUTE, direction: 1, from: [2500, -1000], to: [2500, 1000], chainageFrom: 8000, chainageTo: 10000, isOneway: false });
  ({ assignmentId, crewId } = await insertAssignment(server.db.pool, { usernames: ['patrol', 'officer'], segmentIds: [ids.eastbound, ids.westbound, ids.service, ids.crossing], status: 'in_progress' }));
});
afterAll(async () => {
  await server.close();
});

function postChunk(fixes: DrivenFix[], chunkId = randomUUID(), token = patrolToken) {
  return server.requestWith(token, `/assignments/${assignmentId}/track`, { method: 'POST', body: JSON.stringify({ chunkId, track: trackFeature(fixes) }) });
}

/** Share of [0, LENGTH] the fixture really drove on a line, from its true x positions. */
function drivenShare(intervals: [number, number][]): number {
  return intervals.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, LENGTH) - Math.max(a, 0)), 0) / LENGTH;
}

async function shares() {
  const coverage = await server.request(`/assignments/${assignmentId}/coverage`);
  expect(coverage.status).toBe(200);
  return { body: coverage.body, share: new Map<number, number>(coverage.body.segments.map((s: { segmentId: number; coveredShare: number }) => [s.segmentId, s.coveredShare])) };
}

describe('track coverage', () => {
  const start = Math.floor(Date.parse('2026-11-30T01:00:00Z') / 1000);
  const eastbound = drive({ x0: -100, x1: LENGTH + 100, y: 0, speed: 15, startEpochSeconds: start, noise: noiseSource(17, 15), gap: GAP });

  it('the carriageway driven is covered except the gap; the opposite carriageway is not covered at all', async () => {
    // Two chunks, split away from the gap: the leg across the chunks counts too.
    const half = Math.floor(eastbound.length / 4);
    expect((await postChunk(eastbound.slice(0, half))).status).toBe(200);
    const response = await postChunk(eastbound.slice(half));
    expect(response.status).toBe(200);
    const { share } = await shares();
    const expected = drivenShare([[0, GAP[0]], [GAP[1], LENGTH]]);
    expect(expected).toBeCloseTo(0.75, 5);
    expect(Math.abs(share.get(ids.eastbound)! - expected)).toBeLessThan(0.03);
    expect(share.get(ids.westbound)).toBe(0);
    expect(share.get(ids.crossing)).toBe(0);
    expect(share.get(ids.service)).toBe(0);
  });

  it('driving the parallel service road covers it and does not add to the main carriageway beside it', async () => {
    const before = (await shares()).share.get(ids.eastbound)!;
    const service = drive({ x0: -100, x1: LENGTH + 100, y: -45, speed: 15, startEpochSeconds: start + 600, noise: noiseSource(29, 15) });
    expect((await postChunk(service)).status).toBe(200);
    const { share, body } = await shares();
    expect(share.get(ids.service)).toBeGreaterThan(0.97);
    expect(share.get(ids.eastbound)).toBeCloseTo(before, 6);
    // Only the service road reached the default 0.8: one "patrolled" record, for it.
    expect(body.segments.find((s: { segmentId: number }) => s.segmentId === ids.service).covered).toBe(true);
    expect(body.segments.find((s: { segmentId: number }) => s.segmentId === ids.eastbound).covered).toBe(false);
    const patrols = await server.db.pool.query<{ segment_id: number; source: string }>(
      `SELECT segment_id::integer AS segment_id, source FROM segment_patrols WHERE assignment_id = $1 ORDER BY segment_id`,
      [assignmentId],
    );
    expect(patrols.rows).toEqual([{ segment_id: ids.service, source: 'track' }]);
    // progress = covered assigned metres ÷ assigned metres, from the shares
    const expectedProgress = (share.get(ids.eastbound)! * LENGTH + share.get(ids.service)! * LENGTH) / (4 * LENGTH);
    expect(body.progress).toBeCloseTo(expectedProgress, 2);
  });

  it('the westbound carriageway driven westbound is covered; a resent chunk stores nothing new', async () => {
    const westbound = drive({ x0: LENGTH + 100, x1: -100, y: 25, speed: 15, startEpochSeconds: start + 1200, noise: noiseSource(41, 15) });
    const chunkId = randomUUID();
    const first = await postChunk(westbound, chunkId);
    expect(first.body.stored).toBe(true);
    const again = await postChunk(westbound, chunkId);
    expect(again.status).toBe(200);
    expect(again.body.stored).toBe(false);
    const { share, body } = await shares();
    expect(share.get(ids.westbound)).toBeGreaterThan(0.97);
    expect(body.track.chunks).toBe(4);
    const stored = await server.db.pool.query<{ count: number }>(`SELECT count(*)::integer AS count FROM patrol_tracks WHERE assignment_id = $1`, [assignmentId]);
    expect(stored.rows[0]!.count).toBe(4);
    // Stored as a measured line: M is the epoch second of each fix.
    const m = await server.db.pool.query<{ first_m: number }>(`SELECT ST_M(ST_StartPoint(geom)) AS first_m FROM patrol_tracks WHERE assignment_id = $1 AND client_chunk_id = $2`, [assignmentId, chunkId]);
    expect(m.rows[0]!.first_m).toBe(start + 1200);
  });

  it('track.append through /sync stores a chunk once', async () => {
    const late = drive({ x0: 2500 - 1, x1: 2500 + 1, y: 0, speed: 1, startEpochSeconds: start + 3000, noise: noiseSource(5, 0) });
    const action = { id: randomUUID(), type: 'track.append', payload: { assignmentId, track: trackFeature(late) } };
    const sync = (actions: unknown[]) => server.request('/sync', { method: 'POST', body: JSON.stringify({ deviceId: 'phone-1', actions }) });
    const first = await sync([action]);
    expect(first.body.results[0].status).toBe('applied');
    const second = await sync([action]);
    expect(second.body.results[0].status).toBe('duplicate');
    const stored = await server.db.pool.query<{ count: number }>(`SELECT count(*)::integer AS count FROM patrol_tracks WHERE assignment_id = $1`, [assignmentId]);
    expect(stored.rows[0]!.count).toBe(5);
  });

  it('a track biased toward the opposite carriageway (nearer to it) still counts only for the direction driven', async () => {
    const other = await insertAssignment(server.db.pool, { usernames: ['patrol'], segmentIds: [ids.eastbound, ids.westbound], status: 'in_progress' });
    // Driven eastbound, every fix 20 m north: 5 m from the westbound line, 20 m from the eastbound one.
    const biased = drive({ x0: -100, x1: LENGTH + 100, y: 20, speed: 15, startEpochSeconds: start + 5000, noise: noiseSource(53, 3) });
    const response = await server.request(`/assignments/${other.assignmentId}/track`, { method: 'POST', body: JSON.stringify({ chunkId: randomUUID(), track: trackFeature(biased) }) });
    expect(response.status).toBe(200);
    const share = new Map<number, number>(response.body.coverage.segments.map((s: { segmentId: number; coveredShare: number }) => [s.segmentId, s.coveredShare]));
    expect(share.get(ids.westbound)).toBe(0);
    expect(share.get(ids.eastbound)).toBeGreaterThan(0.97);
  });

  it('someone not on the crew cannot record its track; another district cannot see it', async () => {
    const dispatcherToken = await server.login('manager');
    const refused = await postChunk(eastbound.slice(0, 5), randomUUID(), dispatcherToken);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('NOT_ON_CREW');
    const officer2 = await server.db.pool.query<{ id: number }>(`SELECT id FROM users WHERE username = 'officer2'`);
    const seen = await withRequestScope(server.db.pool, { userId: officer2.rows[0]!.id, role: 'officer', scopeCodes: ['410105'], isTop: false }, async (client) => {
      const tracks = await client.query<{ count: number }>(`SELECT count(*)::integer AS count FROM patrol_tracks WHERE assignment_id = $1`, [assignmentId]);
      const coverage = await client.query<{ count: number }>(`SELECT count(*)::integer AS count FROM segment_track_coverage WHERE assignment_id = $1`, [assignmentId]);
      return [tracks.rows[0]!.count, coverage.rows[0]!.count];
    });
    expect(seen).toEqual([0, 0]);
    expect(crewId).toBeGreaterThan(0);
  });
});
