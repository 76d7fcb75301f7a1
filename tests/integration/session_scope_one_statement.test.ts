import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashToken } from '../../server/auth/credentials.ts';
import { insertSession, selectSessionUser, selectSessionUserSettingScope } from '../../server/auth/queries.ts';
import { openDatabase, type Database } from '../../server/db/database.ts';

/**
 * A GET request looks its session up and sets its row-level-security scope in one statement
 * (auth/queries.ts selectSessionUserSettingScope, used by route_definition.ts). That statement must
 * leave the transaction exactly as withRequestScope's set_config leaves it — role luyu_app and the
 * four luyu.* settings — and set nothing for a token without a live session.
 */

const OWN = '410104';
const SIBLING = '410105';
let db: Database;
let token: string;
let userId: number;

beforeAll(async () => {
  db = await openDatabase(inject('databaseUrl'));
  const user = await db.pool.query<{ id: number }>(`SELECT id FROM users WHERE jurisdiction_code = $1 AND disabled_at IS NULL ORDER BY id LIMIT 1`, [OWN]);
  userId = user.rows[0]!.id;
  token = randomBytes(24).toString('hex');
  await insertSession(db.pool, { tokenHash: hashToken(token), csrfHash: hashToken('csrf'), userId, lifetimeSeconds: 600, clientIp: null });
});
afterAll(async () => {
  await db.pool.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(token)]);
  await db.close();
});

interface Settings {
  role: string;
  scope_codes: string | null;
  scope_is_top: string | null;
  user_id: string | null;
  user_role: string | null;
}
const SETTINGS = `SELECT current_user AS role, current_setting('luyu.scope_codes', true) AS scope_codes,
  current_setting('luyu.scope_is_top', true) AS scope_is_top, current_setting('luyu.user_id', true) AS user_id,
  current_setting('luyu.role', true) AS user_role`;

async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    return await work(client);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

describe('selectSessionUserSettingScope', () => {
  it('returns the session user as selectSessionUser does and leaves the request scope set, which row-level security then applies', async () => {
    const plain = await selectSessionUser(db.pool, hashToken(token));
    expect(plain?.user_id).toBe(userId);
    const owner = (await db.pool.query<{ role: string }>('SELECT current_user AS role')).rows[0]!.role;
    await inTransaction(async (client) => {
      const row = await selectSessionUserSettingScope(client, hashToken(token));
      expect(row).toMatchObject(plain!);
      const settings = (await client.query<Settings>(SETTINGS)).rows[0]!;
      expect(settings).toEqual({
        role: 'luyu_app',
        scope_codes: plain!.scope_codes.join(','),
        scope_is_top: plain!.jurisdiction_is_top ? 'on' : 'off',
        user_id: String(userId),
        user_role: plain!.role,
      });
      // The policies apply: the sibling district's segments are invisible, the user's own are not.
      const visible = await client.query<{ jurisdiction_code: string; count: number }>(
        `SELECT jurisdiction_code, count(*)::int AS count FROM segments WHERE jurisdiction_code IN ($1, $2) GROUP BY 1`,
        [OWN, SIBLING],
      );
      expect(visible.rows.map((r) => r.jurisdiction_code)).toEqual([OWN]);
    });
    // Transaction-local: the pooled connection is back to the owner with no scope.
    const after = (await db.pool.query<Settings>(SETTINGS)).rows[0]!;
    expect(after.role).toBe(owner);
    expect(after.scope_codes ?? '').toBe('');
  });

  it('sets nothing for a token without a live session (the request then gets 401)', async () => {
    const owner = (await db.pool.query<{ role: string }>('SELECT current_user AS role')).rows[0]!.role;
    await inTransaction(async (client) => {
      expect(await selectSessionUserSettingScope(client, hashToken('no such token'))).toBeUndefined();
      const settings = (await client.query<Settings>(SETTINGS)).rows[0]!;
      expect(settings.role).toBe(owner);
      expect(settings.scope_codes ?? '').toBe('');
    });
  });
});
