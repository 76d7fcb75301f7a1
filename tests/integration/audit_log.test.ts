import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRequestScope } from '../../server/db/transaction.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

let server: TestServer;
let auditRowId: number;
beforeAll(async () => {
  server = await startTestServer({ as: null });
  await server.login('officer2'); // at least one 410105 row
  await server.login('officer');
  const row = await server.db.pool.query<{ id: number }>('SELECT max(id) AS id FROM audit_log');
  auditRowId = row.rows[0]!.id;
});
afterAll(async () => {
  await server.close();
});

describe('the audit trail is append-only in the database', () => {
  it.each([
    ['UPDATE', `UPDATE audit_log SET action = 'tampered' WHERE id = $1`],
    ['DELETE', 'DELETE FROM audit_log WHERE id = $1'],
  ])('%s is refused even for the superuser', async (_operation, sql) => {
    await expect(server.db.pool.query(sql, [auditRowId])).rejects.toThrow(/append-only/);
    const still = await server.db.pool.query('SELECT action FROM audit_log WHERE id = $1', [auditRowId]);
    expect(still.rows[0].action).not.toBe('tampered');
  });

  it('TRUNCATE is refused even for the superuser', async () => {
    await expect(server.db.pool.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    const count = await server.db.pool.query<{ count: number }>('SELECT count(*)::integer AS count FROM audit_log');
    expect(count.rows[0]!.count).toBeGreaterThan(0);
  });

  it('the request role cannot change rows either, nor append in another user’s name', async () => {
    const scope = { userId: 1, role: 'admin', scopeCodes: ['410104'], isTop: false };
    await expect(withRequestScope(server.db.pool, scope, (client) => client.query('DELETE FROM audit_log'))).rejects.toThrow();
    await expect(
      withRequestScope(server.db.pool, scope, (client) => client.query(`INSERT INTO audit_log (actor_user_id, action) VALUES (999999, 'forged')`)),
    ).rejects.toThrow();
  });
});

describe('GET /api/v1/audit', () => {
  it('shows a district admin the rows of their district only', async () => {
    const token = await server.login('admin');
    const own = await server.requestWith(token, '/audit?limit=500');
    expect(own.status).toBe(200);
    expect(own.body.entries.length).toBeGreaterThan(0);
    for (const entry of own.body.entries) expect(entry.jurisdictionCode).toBe('410104');
    const sibling = await server.requestWith(token, '/audit?actor=officer2');
    expect(sibling.body.numberMatched).toBe(0);
  });

  it('lets a province admin filter by actor, action and time', async () => {
    const token = await server.login('province_admin');
    const from = new Date(Date.now() - 3600_000).toISOString();
    const response = await server.requestWith(token, `/audit?actor=officer2&action=auth.login&from=${encodeURIComponent(from)}`);
    expect(response.status).toBe(200);
    expect(response.body.numberMatched).toBeGreaterThan(0);
    for (const entry of response.body.entries) {
      expect(entry).toMatchObject({ action: 'auth.login', actor: { username: 'officer2', role: 'officer' }, jurisdictionCode: '410105' });
      expect(entry.requestId).toEqual(expect.any(String));
    }
    const prefix = await server.requestWith(token, '/audit?action=auth&limit=5');
    expect(prefix.body.entries.every((entry: { action: string }) => entry.action.startsWith('auth.'))).toBe(true);
    expect((await server.requestWith(token, '/audit?from=yesterday')).status).toBe(400);
  });

  it('is refused to non-admin roles', async () => {
    const token = await server.login('manager');
    const response = await server.requestWith(token, '/audit');
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('FORBIDDEN');
  });
});
