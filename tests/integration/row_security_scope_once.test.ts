import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database.ts';

/**
 * Migration 036: policies read the request's scope once per statement (a hashed subplan and init
 * plans) instead of parsing luyu.scope_codes for every row. row_level_security.test.ts checks
 * own/foreign rows table by table; this file checks what that one does not reach: the rows
 * without a jurisdiction (visible and insertable only at the top of the hierarchy, as
 * luyu_in_scope decided) and that no policy went back to the per-row form.
 */

let db: Database;
beforeAll(async () => {
  db = await openDatabase(inject('databaseUrl'));
});
afterAll(async () => {
  await db.close();
});

const OWN = '410104';

interface Scope {
  codes: string | null;
  isTop: string | null;
}

/** Runs `work` as luyu_app with the given settings (null: left unset) inside a rolled-back transaction. */
async function asApp<T>(scope: Scope, prepare: string, work: (query: (sql: string) => Promise<{ rows: Record<string, unknown>[] }>) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(prepare);
    await client.query(`SELECT set_config('role', 'luyu_app', true)`);
    if (scope.codes !== null) await client.query(`SELECT set_config('luyu.scope_codes', $1, true)`, [scope.codes]);
    if (scope.isTop !== null) await client.query(`SELECT set_config('luyu.scope_is_top', $1, true)`, [scope.isTop]);
    return await work((sql) => client.query(sql));
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

const TAGGED = `INSERT INTO violations (category, status, source, geom, verdict, is_violation, jurisdiction_code, external_id)
  VALUES ('piling', 'reported', 'patrol', ST_SetSRID(ST_MakePoint(113.6, 34.7), 4326), '{}', true, NULL, 'scope-once-null'),
         ('piling', 'reported', 'patrol', ST_SetSRID(ST_MakePoint(113.6, 34.7), 4326), '{}', true, '${OWN}', 'scope-once-own')`;
const VISIBLE = `SELECT external_id FROM violations WHERE external_id LIKE 'scope-once-%' ORDER BY external_id`;
const INSERT_UNASSIGNED = `INSERT INTO violations (category, status, source, geom, verdict, is_violation, jurisdiction_code, external_id)
  VALUES ('piling', 'reported', 'patrol', ST_SetSRID(ST_MakePoint(113.6, 34.7), 4326), '{}', true, NULL, 'scope-once-insert') RETURNING id`;

async function attemptInsert(scope: Scope): Promise<'inserted' | 'denied'> {
  return asApp(scope, 'SELECT 1', async (query) => {
    try {
      await query(INSERT_UNASSIGNED);
      return 'inserted';
    } catch (error) {
      if ((error as { code?: string }).code === '42501') return 'denied';
      throw error;
    }
  });
}

describe('row-level security reads the scope once per statement', () => {
  it('rows without a jurisdiction: visible at the top only, the listed codes visible, nothing with the settings unset', async () => {
    const seen = (scope: Scope) => asApp(scope, TAGGED, async (query) => (await query(VISIBLE)).rows.map((row) => row.external_id));
    expect(await seen({ codes: `${OWN},410105`, isTop: 'on' })).toEqual(['scope-once-null', 'scope-once-own']);
    expect(await seen({ codes: `${OWN},410105`, isTop: 'off' })).toEqual(['scope-once-own']);
    expect(await seen({ codes: '410105', isTop: 'off' })).toEqual([]);
    expect(await seen({ codes: '410105', isTop: null })).toEqual([]);
    expect(await seen({ codes: null, isTop: null })).toEqual([]);
    // An empty list is no scope at all (luyu_scope_codes turns '' into NULL).
    expect(await seen({ codes: '', isTop: 'off' })).toEqual([]);
  });

  it('a row without a jurisdiction may be written at the top only (WITH CHECK)', async () => {
    expect(await attemptInsert({ codes: OWN, isTop: 'on' })).toBe('inserted');
    expect(await attemptInsert({ codes: OWN, isTop: 'off' })).toBe('denied');
    expect(await attemptInsert({ codes: null, isTop: null })).toBe('denied');
  });

  it('no policy calls luyu_in_scope or luyu_current_user_id per row', async () => {
    const result = await db.pool.query<{ policy: string; expression: string }>(
      `SELECT tablename || '.' || policyname AS policy, concat(qual, ' ', with_check) AS expression FROM pg_policies WHERE schemaname = current_schema()`,
    );
    expect(result.rows.length).toBeGreaterThan(40);
    const perRow = result.rows
      .filter(({ expression }) => /luyu_in_scope\(/.test(expression) || /luyu_current_user_id\(\)/.test(expression.replace(/SELECT luyu_current_user_id\(\)/g, '')))
      .map(({ policy }) => policy);
    // A policy written the old way: use `col IN (SELECT unnest(luyu_scope_codes())) OR (col IS NULL AND (SELECT luyu_scope_is_top()))`.
    expect(perRow).toEqual([]);
  });

  it('the plan of a scoped read parses the scope list once, not per row', async () => {
    const plan = await asApp({ codes: OWN, isTop: 'off' }, 'SELECT 1', async (query) =>
      (await query('EXPLAIN (VERBOSE) SELECT id FROM violations')).rows.map((row) => String(row['QUERY PLAN'])).join('\n'),
    );
    // The scan's filter probes a hashed subplan; string_to_array runs only inside that subplan.
    const scanFilter = plan.split('\n').filter((line) => /^\s*Filter:/.test(line));
    expect(scanFilter.length, plan).toBeGreaterThan(0);
    expect(scanFilter.join('\n'), plan).toMatch(/hashed SubPlan/);
    expect(scanFilter.join('\n'), plan).not.toMatch(/string_to_array|current_setting/);
  });
});
