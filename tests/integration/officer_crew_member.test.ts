import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/credentials.ts';
import { drive, insertAssignment, insertStraightSegment, noiseSource, trackFeature } from './helpers/track_fixtures.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

/**
 * Crews are made of officers and patrol staff (patrol_rules.ts CREW_MEMBER_ROLES): an officer on a
 * crew works its assignment in the field app exactly like a patrol user (list, accept, start,
 * pause, track, sync), and an officer on no crew sees no assignment at all — officers are scoped
 * to their own crews like patrol staff, not to the whole district like dispatchers.
 *
 * Both officers are created here (the demo officer is on a demo crew, and other files publish
 * today's plans of 410104 on the shared PostgreSQL), so "sees none" means exactly none.
 */

const PASSWORD = 'officer-crew-password';
const SUFFIX = randomUUID().slice(0, 8);
const MEMBER = `crew_officer_${SUFFIX}`;
const OUTSIDER = `lone_officer_${SUFFIX}`;
const ROUTE = 'X6' + String(Math.floor(Math.random() * 90) + 10);
/** Far from the other track fixtures (they use y = -12000 and nearer). */
const Y_METERS = -21000;

let server: TestServer;
let assignmentId: number;
let crewId: number;
let memberToken: string;
let outsiderToken: string;
let today: string;

interface AssignmentBody {
  id: number;
  crewId: number;
  status: string;
  version: number;
}

beforeAll(async () => {
  server = await startTestServer({ as: 'dispatcher' });
  const hash = await hashPassword(PASSWORD);
  await server.db.pool.query(
    `INSERT INTO users (username, password_hash, role, jurisdiction_code, enforcement_certificate_number)
     VALUES ($1, $3, 'officer', '410104', $4), ($2, $3, 'officer', '410104', $5)`,
    [MEMBER, OUTSIDER, hash, `T${SUFFIX}1`, `T${SUFFIX}2`],
  );
  await server.db.pool.query(`INSERT INTO routes (code, name, admin_class) VALUES ($1, '执法员巡查县道', 'county') ON CONFLICT DO NOTHING`, [ROUTE]);
  const segmentId = await insertStraightSegment(server.db.pool, { route: ROUTE, direction: 1, from: [0, Y_METERS], to: [600, Y_METERS], chainageFrom: 0, chainageTo: 600, isOneway: false });
  // A crew of the member officer only, with a published assignment for today.
  ({ assignmentId, crewId } = await insertAssignment(server.db.pool, { usernames: [MEMBER], segmentIds: [segmentId], status: 'published', crewName: `执法员组-${SUFFIX}` }));
  today = (await server.db.pool.query<{ day: string }>(`SELECT to_char((now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS day`)).rows[0]!.day;
  memberToken = await server.login(MEMBER, PASSWORD);
  outsiderToken = await server.login(OUTSIDER, PASSWORD);
});
afterAll(async () => {
  await server.close();
});

function transition(token: string, event: string, expectedVersion: number) {
  return server.requestWith<AssignmentBody & { error?: { code: string } }>(token, `/assignments/${assignmentId}/transitions`, {
    method: 'POST',
    body: JSON.stringify({ event, expectedVersion }),
  });
}

function sync(token: string, actions: unknown[]) {
  return server.requestWith<{ results: { id: string; status: string; entityId?: number; error?: { code: string } }[] }>(token, '/sync', {
    method: 'POST',
    body: JSON.stringify({ deviceId: `device-${randomUUID()}`, actions }),
  });
}

function syncTransition(event: string, baseVersion: number) {
  return { id: randomUUID(), type: 'assignment.transition', at: new Date().toISOString(), baseVersion, payload: { assignmentId, event } };
}

async function storedState() {
  const result = await server.db.pool.query<{ status: string; version: number; chunks: number }>(
    `SELECT status, version, (SELECT count(*)::integer FROM patrol_tracks WHERE assignment_id = $1) AS chunks FROM patrol_assignments WHERE id = $1`,
    [assignmentId],
  );
  return result.rows[0]!;
}

/** Driving the whole 600 m segment at 10 m/s, one fix a second, 3 m of noise. */
function chunkOfDrive() {
  return trackFeature(drive({ x0: 0, x1: 600, y: Y_METERS, speed: 10, startEpochSeconds: Math.floor(Date.now() / 1000) - 120, noise: noiseSource(12, 3) }));
}

describe('an officer who is not on the crew', () => {
  it('lists no assignment, and the crew’s assignment, its coverage and its track are 404', async () => {
    const list = await server.requestWith<{ assignments: AssignmentBody[] }>(outsiderToken, `/assignments?date=${today}`);
    expect(list.status).toBe(200);
    expect(list.body.assignments).toEqual([]);
    const byCrew = await server.requestWith<{ assignments: AssignmentBody[] }>(outsiderToken, `/assignments?crew=${crewId}`);
    expect(byCrew.body.assignments).toEqual([]);
    for (const part of ['coverage', 'track']) {
      const read = await server.requestWith(outsiderToken, `/assignments/${assignmentId}/${part}`);
      expect(read.status).toBe(404);
      expect(read.body.error.code).toBe('ASSIGNMENT_NOT_FOUND');
    }
  });

  it('cannot accept it, directly or through sync, and cannot record its track', async () => {
    const before = await storedState();
    const accepted = await transition(outsiderToken, 'accept', before.version);
    expect(accepted.status).toBe(404);
    expect(accepted.body.error?.code).toBe('ASSIGNMENT_NOT_FOUND');
    const synced = await sync(outsiderToken, [syncTransition('accept', before.version)]);
    expect(synced.status).toBe(200);
    expect(synced.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'ASSIGNMENT_NOT_FOUND' } });
    const track = await server.requestWith(outsiderToken, `/assignments/${assignmentId}/track`, { method: 'POST', body: JSON.stringify({ chunkId: randomUUID(), track: chunkOfDrive() }) });
    expect(track.status).toBe(403);
    expect(track.body.error.code).toBe('NOT_ON_CREW');
    expect(await storedState()).toEqual(before);
  });
});

describe('an officer on the crew works it like patrol staff', () => {
  it('sees its crew’s published assignment and only its crews’', async () => {
    const list = await server.requestWith<{ assignments: AssignmentBody[] }>(memberToken, `/assignments?date=${today}`);
    expect(list.status).toBe(200);
    expect(list.body.assignments.map((assignment) => assignment.id)).toEqual([assignmentId]);
    expect(list.body.assignments[0]).toMatchObject({ crewId, status: 'published' });
  });

  it('accepts and starts it, uploads a track chunk, pauses and resumes through sync', async () => {
    const accepted = await transition(memberToken, 'accept', (await storedState()).version);
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    const started = await transition(memberToken, 'start', accepted.body.version);
    expect(started.status).toBe(200);
    expect(started.body.status).toBe('in_progress');

    const chunk = await server.requestWith<{ stored: boolean; coverage: { progress: number } }>(memberToken, `/assignments/${assignmentId}/track`, {
      method: 'POST',
      body: JSON.stringify({ chunkId: randomUUID(), track: chunkOfDrive() }),
    });
    expect(chunk.status).toBe(200);
    expect(chunk.body.stored).toBe(true);
    // The whole segment was driven: it is covered (threshold = the configured share, default below 1).
    expect(chunk.body.coverage.progress).toBeGreaterThan(0.5);
    const coverage = await server.requestWith<{ progress: number }>(memberToken, `/assignments/${assignmentId}/coverage`);
    expect(coverage.status).toBe(200);
    expect(coverage.body.progress).toBe(chunk.body.coverage.progress);

    // The field app sends everything through sync: pause, a track chunk, resume — applied in order.
    const version = (await storedState()).version;
    const trackAction = { id: randomUUID(), type: 'track.append', at: new Date().toISOString(), payload: { assignmentId, track: chunkOfDrive() } };
    const synced = await sync(memberToken, [syncTransition('pause', version), trackAction, syncTransition('resume', version + 1)]);
    expect(synced.status).toBe(200);
    expect(synced.body.results.map((result) => result.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await storedState()).toEqual({ status: 'in_progress', version: version + 2, chunks: 2 });
  });
});
