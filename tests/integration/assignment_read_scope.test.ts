import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAssignment, insertStraightSegment } from './helpers/track_fixtures.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

/**
 * Coverage and track belong to the assignment: a patrol user reads them only for its own crews'
 * assignments (as GET /assignments lists them); another crew's in the same district is 404.
 */

let server: TestServer;
let assignmentId: number;
const ROUTE = 'X5' + String(Math.floor(Math.random() * 90) + 10);

beforeAll(async () => {
  server = await startTestServer({ as: 'dispatcher' });
  await server.db.pool.query(`INSERT INTO routes (code, name, admin_class) VALUES ($1, '范围测试县道', 'county') ON CONFLICT DO NOTHING`, [ROUTE]);
  const segmentId = await insertStraightSegment(server.db.pool, { route: ROUTE, direction: 1, from: [0, -12000], to: [800, -12000], chainageFrom: 0, chainageTo: 800, isOneway: false });
  // A crew of patrol2 only: the demo user 'patrol' (same district, same role) is not on it.
  ({ assignmentId } = await insertAssignment(server.db.pool, { usernames: ['patrol2'], segmentIds: [segmentId], status: 'in_progress', crewName: `范围组-${randomUUID().slice(0, 6)}` }));
});
afterAll(async () => {
  await server.close();
});

describe('who reads an assignment’s coverage and track', () => {
  it.each(['coverage', 'track'])('%s: another crew’s patrol user gets 404, the crew member and the dispatcher 200', async (part) => {
    const outsider = await server.requestWith(await server.login('patrol'), `/assignments/${assignmentId}/${part}`);
    expect(outsider.status).toBe(404);
    expect(outsider.body.error.code).toBe('ASSIGNMENT_NOT_FOUND');
    const member = await server.requestWith(await server.login('patrol2'), `/assignments/${assignmentId}/${part}`);
    expect(member.status).toBe(200);
    const dispatcher = await server.request(`/assignments/${assignmentId}/${part}`);
    expect(dispatcher.status).toBe(200);
  });
});
