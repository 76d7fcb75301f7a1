import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database.ts';
import { withRequestScope } from '../../server/db/transaction.ts';

/**
 * Row-level security tested where it lives: straight SQL as the application role `luyu_app`, with
 * the transaction-local scope settings server/db/transaction.ts sets for a request, against rows of
 * the user's own district (410104) and of another one (410105). Nothing goes through the API, so a
 * policy that the service happens to compensate for (a `WITH CHECK (true)`) is still caught.
 *
 * The tables come from the database (every table with RLS switched on, and every policy in
 * pg_policies): a new table or policy without a case below FAILS the first test, so other branches
 * must add theirs. Expected outcomes are written out per table and operation, not derived.
 */

const OWN = '410104';
const FOREIGN = '410105';
/** SQLSTATE insufficient_privilege: what both a RLS refusal and a revoked privilege raise. */
const DENIED = 'denied';
type Outcome = number | typeof DENIED;

interface Expected {
  /** Rows the SELECT of the row by primary key returns. */
  select: number;
  /** INSERT of a copy of the row: 1 row written, or refused. */
  insert: Outcome;
  /** A no-op UPDATE of the row: rows updated, or refused. */
  update: Outcome;
  delete: Outcome;
}

interface TableCase {
  /** Policy names on the table, as pg_policies lists them (a new policy needs a look here). */
  policies: string[];
  /** Superuser SQL (inside the test transaction) returning the primary key of one own-district row. */
  own: string;
  foreign: string;
  /** Column → SQL expression for the inserted copy (unique columns must differ from the original). */
  copyOverrides?: Record<string, string>;
  /** A column change that would move an own row into the other district: must be refused (WITH CHECK). */
  move?: { column: string; value: string };
  ownExpected: Expected;
  foreignExpected: Expected;
}

/** Own row: visible and writable; foreign row: invisible, unwritable, and no copy may be inserted. */
const SCOPED_OWN: Expected = { select: 1, insert: 1, update: 1, delete: 1 };
const SCOPED_FOREIGN: Expected = { select: 0, insert: DENIED, update: 0, delete: 0 };

/** SQL for a random lowercase hex string of 2 × `bytes` characters (up to 64). */
const hex = (bytes: number) => `left(md5(random()::text) || md5(random()::text), ${bytes * 2})`;

/**
 * Rows created for the test inside its transaction (rolled back at the end): sessions, photos, a
 * counter, batches, staged rows, case events, audit rows and users for both districts. Ids are
 * read back by the table cases through `pg_temp.rls_fixture`.
 */
const FIXTURE_SQL = `
  CREATE TEMP TABLE rls_fixture (name text PRIMARY KEY, id bigint) ON COMMIT DROP;
  INSERT INTO rls_fixture SELECT 'me', id FROM users WHERE username = 'officer';
  INSERT INTO rls_fixture SELECT 'officer2', id FROM users WHERE username = 'officer2';
  WITH u AS (INSERT INTO users (username, password_hash, role, jurisdiction_code)
             VALUES ('rls_own_' || ${hex(4)}, 'scrypt$x', 'viewer', '${OWN}'), ('rls_foreign_' || ${hex(4)}, 'scrypt$x', 'viewer', '${FOREIGN}')
             RETURNING id, jurisdiction_code)
  INSERT INTO rls_fixture SELECT CASE jurisdiction_code WHEN '${OWN}' THEN 'user_own' ELSE 'user_foreign' END, id FROM u;
  WITH s AS (INSERT INTO sessions (token_hash, csrf_hash, user_id, expires_at)
             SELECT ${hex(32)}, ${hex(32)}, f.id, now() + interval '1 hour' FROM rls_fixture f WHERE f.name IN ('me', 'officer2')
             RETURNING id, user_id)
  INSERT INTO rls_fixture SELECT CASE WHEN s.user_id = (SELECT id FROM rls_fixture WHERE name = 'me') THEN 'session_own' ELSE 'session_foreign' END, s.id FROM s;
  WITH p AS (INSERT INTO evidence_photos (sha256, media_type, byte_size, storage_path, thumbnail_path, jurisdiction_code)
             VALUES (${hex(32)}, 'image/jpeg', 1, 'x/own.jpg', 'x/own.webp', '${OWN}'), (${hex(32)}, 'image/jpeg', 1, 'x/foreign.jpg', 'x/foreign.webp', '${FOREIGN}')
             RETURNING id, jurisdiction_code)
  INSERT INTO rls_fixture SELECT CASE jurisdiction_code WHEN '${OWN}' THEN 'photo_own' ELSE 'photo_foreign' END, id FROM p;
  INSERT INTO case_number_counters (jurisdiction_code, year, last_sequence) VALUES ('${OWN}', 2998, 5), ('${FOREIGN}', 2998, 5)
    ON CONFLICT DO NOTHING;
  WITH b AS (INSERT INTO detection_batches (content_sha256, status, file_format, source, before_date, after_date, crs, jurisdiction_code)
             VALUES (${hex(32)}, 'staging', 'geojson', 'rls test', '2026-01-01', '2026-02-01', 'WGS84', '${OWN}'),
                    (${hex(32)}, 'staging', 'geojson', 'rls test', '2026-01-01', '2026-02-01', 'WGS84', '${FOREIGN}')
             RETURNING id, jurisdiction_code)
  INSERT INTO rls_fixture SELECT CASE jurisdiction_code WHEN '${OWN}' THEN 'batch_own' ELSE 'batch_foreign' END, id FROM b;
  INSERT INTO detection_staging (batch_id, feature_index, geom, change_type)
    SELECT id, 0, ST_Multi(ST_Buffer(ST_MakePoint(113.7, 34.7), 0.0001)), 'new_structure' FROM rls_fixture WHERE name IN ('batch_own', 'batch_foreign');
  WITH e AS (INSERT INTO case_events (violation_id, event, to_status)
             SELECT v.id, 'report', 'reported' FROM (
               (SELECT id FROM violations WHERE jurisdiction_code = '${OWN}' ORDER BY id LIMIT 1)
               UNION ALL (SELECT id FROM violations WHERE jurisdiction_code = '${FOREIGN}' ORDER BY id LIMIT 1)) v
             RETURNING id, violation_id)
  INSERT INTO rls_fixture SELECT CASE (SELECT jurisdiction_code FROM violations WHERE id = e.violation_id) WHEN '${OWN}' THEN 'event_own' ELSE 'event_foreign' END, e.id FROM e;
  INSERT INTO road_structures (kind, size_class, name, route_code, direction, length_meters, geom, jurisdiction_code)
    SELECT 'bridge', 'medium', 'rls test bridge', route_code, direction, 50,
           ST_Force2D(ST_LineSubstring(centreline, 0, least(1, 50 / greatest(ST_Length(centreline::geography), 50)))), '${FOREIGN}'
    FROM segments WHERE jurisdiction_code = '${FOREIGN}' ORDER BY id LIMIT 1;
  WITH a AS (INSERT INTO audit_log (actor_user_id, jurisdiction_code, action)
             SELECT id, CASE name WHEN 'me' THEN '${OWN}' ELSE '${FOREIGN}' END, 'rls.test' FROM rls_fixture WHERE name IN ('me', 'officer2')
             RETURNING id, jurisdiction_code)
  INSERT INTO rls_fixture SELECT CASE jurisdiction_code WHEN '${OWN}' THEN 'audit_own' ELSE 'audit_foreign' END, id FROM a;
  WITH s AS (INSERT INTO supervisions (supervision_number, issuing_jurisdiction_code, subject, backlog, responsible_jurisdiction_code, responsible_user_id, deadline, instructions)
             SELECT 'DB-' || code || '-2998-' || lpad((floor(random() * 899999) + 100000)::text, 6, '0'), code, 'backlog', '{"overdue": true}', code,
                    (SELECT id FROM rls_fixture WHERE name = CASE code WHEN '${OWN}' THEN 'me' ELSE 'officer2' END), '2998-01-01', 'rls test'
             FROM unnest(ARRAY['${OWN}', '${FOREIGN}']) AS code
             RETURNING id, responsible_jurisdiction_code)
  INSERT INTO rls_fixture SELECT CASE responsible_jurisdiction_code WHEN '${OWN}' THEN 'supervision_own' ELSE 'supervision_foreign' END, id FROM s;
  WITH e AS (INSERT INTO supervision_events (supervision_id, event, to_status)
             SELECT id, 'assign', 'assigned' FROM rls_fixture WHERE name IN ('supervision_own', 'supervision_foreign')
             RETURNING id, supervision_id)
  INSERT INTO rls_fixture SELECT CASE WHEN e.supervision_id = (SELECT id FROM rls_fixture WHERE name = 'supervision_own') THEN 'supervision_event_own' ELSE 'supervision_event_foreign' END, e.id FROM e;
  INSERT INTO supervision_number_counters (jurisdiction_code, year, last_sequence) VALUES ('${OWN}', 2998, 5), ('${FOREIGN}', 2998, 5)
    ON CONFLICT DO NOTHING;
  INSERT INTO management_unit_months (jurisdiction_code, month, reported, open_reported, cleared, cleared_late, running_due, reopened)
    VALUES ('${OWN}', '2998-01-01', 1, 1, 0, 0, 0, 0), ('${FOREIGN}', '2998-01-01', 1, 1, 0, 0, 0, 0) ON CONFLICT DO NOTHING;
`;

const fixture = (name: string) => `SELECT id FROM pg_temp.rls_fixture WHERE name = '${name}'`;
const firstIn = (table: string, code: string) => `SELECT id FROM ${table} WHERE jurisdiction_code = '${code}' ORDER BY id LIMIT 1`;

/** Every table with row-level security, its policies, and the literal outcome per operation. */
/** Aggregates: read by scope, written only by the refresh function (the owner). */
const AGGREGATE_OWN: Expected = { select: 1, insert: DENIED, update: DENIED, delete: DENIED };
const AGGREGATE_FOREIGN: Expected = { select: 0, insert: DENIED, update: DENIED, delete: DENIED };

const TABLE_CASES: Record<string, TableCase> = {
  supervisions: {
    // Seen and moved by the issuing and the responsible side; never deleted; units and number fixed (trigger).
    policies: ['supervisions_read', 'supervisions_insert', 'supervisions_update'],
    own: fixture('supervision_own'),
    foreign: fixture('supervision_foreign'),
    copyOverrides: { supervision_number: `'DB-${OWN}-2997-' || lpad((floor(random() * 899999) + 100000)::text, 6, '0')` },
    move: { column: 'responsible_jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: { select: 1, insert: 1, update: 1, delete: DENIED },
    foreignExpected: { select: 0, insert: DENIED, update: 0, delete: DENIED },
  },
  supervision_events: {
    // Append-only timeline (UPDATE and DELETE revoked).
    policies: ['supervision_events_scope'],
    own: fixture('supervision_event_own'),
    foreign: fixture('supervision_event_foreign'),
    move: { column: 'supervision_id', value: `(${fixture('supervision_foreign')})` },
    ownExpected: { select: 1, insert: 1, update: DENIED, delete: DENIED },
    foreignExpected: { select: 0, insert: DENIED, update: DENIED, delete: DENIED },
  },
  supervision_number_counters: {
    policies: ['supervision_number_counters_scope'],
    own: `SELECT jurisdiction_code, year FROM supervision_number_counters WHERE jurisdiction_code = '${OWN}' AND year = 2998`,
    foreign: `SELECT jurisdiction_code, year FROM supervision_number_counters WHERE jurisdiction_code = '${FOREIGN}' AND year = 2998`,
    copyOverrides: { year: '2997' },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: { select: 1, insert: 1, update: 1, delete: DENIED },
    foreignExpected: { select: 0, insert: DENIED, update: 0, delete: DENIED },
  },
  management_unit_months: {
    policies: ['management_unit_months_scope'],
    own: `SELECT jurisdiction_code, to_char(month, 'YYYY-MM-DD') AS month FROM management_unit_months WHERE jurisdiction_code = '${OWN}' AND month = '2998-01-01'`,
    foreign: `SELECT jurisdiction_code, to_char(month, 'YYYY-MM-DD') AS month FROM management_unit_months WHERE jurisdiction_code = '${FOREIGN}' AND month = '2998-01-01'`,
    copyOverrides: { month: "'2997-01-01'" },
    ownExpected: AGGREGATE_OWN,
    foreignExpected: AGGREGATE_FOREIGN,
  },
  segments: {
    policies: ['segments_scope'],
    own: firstIn('segments', OWN),
    foreign: firstIn('segments', FOREIGN),
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  road_structures: {
    policies: ['road_structures_scope'],
    own: firstIn('road_structures', OWN),
    // The demo has no structure in 410105: the fixtures add one (a 50 m bridge on a 410105 segment).
    foreign: firstIn('road_structures', FOREIGN),
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  protection_zones: {
    policies: ['protection_zones_scope'],
    own: `SELECT z.id FROM protection_zones z JOIN segments s ON s.id = z.segment_id WHERE s.jurisdiction_code = '${OWN}' ORDER BY z.id LIMIT 1`,
    foreign: `SELECT z.id FROM protection_zones z JOIN segments s ON s.id = z.segment_id WHERE s.jurisdiction_code = '${FOREIGN}' ORDER BY z.id LIMIT 1`,
    move: { column: 'segment_id', value: `(${firstIn('segments', FOREIGN)})` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  users: {
    policies: ['users_scope'],
    own: fixture('user_own'),
    foreign: fixture('user_foreign'),
    copyOverrides: { username: `'rls_copy_' || ${hex(4)}` },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  sessions: {
    // Per user, not per district: a user sees and ends only their own sessions.
    policies: ['sessions_own'],
    own: fixture('session_own'),
    foreign: fixture('session_foreign'),
    copyOverrides: { token_hash: hex(32) },
    move: { column: 'user_id', value: `(${fixture('officer2')})` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  audit_log: {
    // Readable in scope; appended only in the request user's name; never changed (privileges revoked + trigger).
    policies: ['audit_log_append', 'audit_log_read'],
    own: fixture('audit_own'),
    foreign: fixture('audit_foreign'),
    ownExpected: { select: 1, insert: 1, update: DENIED, delete: DENIED },
    foreignExpected: { select: 0, insert: DENIED, update: DENIED, delete: DENIED },
  },
  violations: {
    policies: ['violations_scope'],
    own: firstIn('violations', OWN),
    foreign: firstIn('violations', FOREIGN),
    copyOverrides: { external_id: `'rls-' || ${hex(8)}`, case_number: 'NULL' },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  evidence_photos: {
    policies: ['evidence_photos_scope'],
    own: fixture('photo_own'),
    foreign: fixture('photo_foreign'),
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  case_events: {
    // Append-only: UPDATE and DELETE are revoked from the request role (and refused by a trigger).
    policies: ['case_events_scope'],
    own: fixture('event_own'),
    foreign: fixture('event_foreign'),
    move: { column: 'violation_id', value: `(${firstIn('violations', FOREIGN)})` },
    ownExpected: { select: 1, insert: 1, update: DENIED, delete: DENIED },
    foreignExpected: { select: 0, insert: DENIED, update: DENIED, delete: DENIED },
  },
  case_number_counters: {
    // Gap-free numbering: a counter row is never deleted by a request.
    policies: ['case_number_counters_scope'],
    own: `SELECT jurisdiction_code, year FROM case_number_counters WHERE jurisdiction_code = '${OWN}' AND year = 2998`,
    foreign: `SELECT jurisdiction_code, year FROM case_number_counters WHERE jurisdiction_code = '${FOREIGN}' AND year = 2998`,
    copyOverrides: { year: '2997' },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: { select: 1, insert: 1, update: 1, delete: DENIED },
    foreignExpected: { select: 0, insert: DENIED, update: 0, delete: DENIED },
  },
  detections: {
    policies: ['detections_scope'],
    own: firstIn('detections', OWN),
    foreign: firstIn('detections', FOREIGN),
    copyOverrides: { feature_index: '1000000 + feature_index' },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  detection_batches: {
    policies: ['detection_batches_scope'],
    own: fixture('batch_own'),
    foreign: fixture('batch_foreign'),
    copyOverrides: { content_sha256: hex(32) },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  detection_staging: {
    // No policy at all: the request role sees and writes nothing (the ingest runs as the owner).
    policies: [],
    own: `SELECT batch_id, feature_index FROM detection_staging WHERE batch_id = (${fixture('batch_own')})`,
    foreign: `SELECT batch_id, feature_index FROM detection_staging WHERE batch_id = (${fixture('batch_foreign')})`,
    copyOverrides: { feature_index: '1' },
    ownExpected: { select: 0, insert: DENIED, update: 0, delete: 0 },
    foreignExpected: { select: 0, insert: DENIED, update: 0, delete: 0 },
  },
};

let db: Database;
let rlsTables: { table: string; policies: string[] }[];

beforeAll(async () => {
  db = await openDatabase(inject('databaseUrl'));
  const tables = await db.pool.query<{ table: string; policies: string[] }>(
    `SELECT c.relname AS table,
            coalesce((SELECT array_agg(p.policyname::text ORDER BY p.policyname) FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname), '{}') AS policies
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relrowsecurity
     UNION
     SELECT p.tablename::text, array_agg(p.policyname::text ORDER BY p.policyname) FROM pg_policies p WHERE p.schemaname = 'public' GROUP BY p.tablename
     ORDER BY 1`,
  );
  rlsTables = tables.rows;
});

afterAll(async () => {
  await db.close();
});

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

interface Attempt {
  outcome: Outcome;
  detail: string;
}

/** Runs `sql` in a savepoint that is rolled back: its row count, or 'denied' for SQLSTATE 42501; anything else is a test error. */
async function attempt(client: pg.PoolClient, sql: string): Promise<Attempt> {
  // Always undone, so every operation meets the rows as the fixtures left them.
  await client.query('SAVEPOINT rls_attempt');
  try {
    const result = await client.query(sql);
    return { outcome: result.rowCount ?? 0, detail: '' };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '42501') return { outcome: DENIED, detail: (error as Error).message };
    throw new Error(`${sql}\n→ ${code} ${(error as Error).message}`);
  } finally {
    await client.query('ROLLBACK TO SAVEPOINT rls_attempt');
  }
}

/**
 * One transaction: fixtures and copies of the two rows as the superuser, then `SET LOCAL ROLE
 * luyu_app` and the same set_config calls as withRequestScope for the officer of 410104, then every
 * operation. Always rolled back.
 */
async function probeTable(table: string, tableCase: TableCase): Promise<string[]> {
  const client = await db.pool.connect();
  const wrong: string[] = [];
  try {
    await client.query('BEGIN');
    await client.query(FIXTURE_SQL);
    const keyColumns = (
      await client.query<{ name: string }>(
        `SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
         WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
        [table],
      )
    ).rows.map((row) => row.name);
    const insertable = (
      await client.query<{ name: string }>(
        `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped
           AND attidentity <> 'a' AND attgenerated = '' ORDER BY attnum`,
        [table],
      )
    ).rows.map((row) => row.name);
    const keys: Record<'own' | 'foreign', Record<string, unknown>> = { own: {}, foreign: {} };
    for (const side of ['own', 'foreign'] as const) {
      const found = await client.query(tableCase[side]);
      if (found.rows.length !== 1) throw new Error(`${table}: the ${side} fixture query found ${found.rows.length} rows: ${tableCase[side]}`);
      keys[side] = found.rows[0];
      const where = keyColumns.map((column) => `${quote(column)} = ${client.escapeLiteral(String(found.rows[0][column]))}`).join(' AND ');
      await client.query(`CREATE TEMP TABLE ${quote(`rls_src_${side}`)} ON COMMIT DROP AS SELECT * FROM ${quote(table)} WHERE ${where}`);
      await client.query(`GRANT SELECT ON pg_temp.${quote(`rls_src_${side}`)} TO luyu_app`);
    }
    const scope = await client.query<{ id: number }>(`SELECT id FROM users WHERE username = 'officer'`);
    // As server/db/transaction.ts withRequestScope does for a request of the 410104 officer.
    await client.query('SET LOCAL ROLE luyu_app');
    await client.query(
      `SELECT set_config('luyu.scope_codes', $1, true), set_config('luyu.scope_is_top', $2, true),
              set_config('luyu.user_id', $3, true), set_config('luyu.role', $4, true)`,
      [OWN, 'off', String(scope.rows[0]!.id), 'officer'],
    );
    const whereOf = (side: 'own' | 'foreign') =>
      keyColumns.map((column) => `${quote(column)} = ${client.escapeLiteral(String(keys[side][column]))}`).join(' AND ');
    const overrides = tableCase.copyOverrides ?? {};
    // A no-op update of a plain column (identity keys may not be assigned at all).
    const touched = insertable.find((column) => !keyColumns.includes(column))!;
    const copyList = insertable.map((column) => overrides[column] ?? quote(column));
    for (const side of ['own', 'foreign'] as const) {
      const expected = side === 'own' ? tableCase.ownExpected : tableCase.foreignExpected;
      const where = whereOf(side);
      const got: Record<keyof Expected, Attempt> = {
        select: await attempt(client, `SELECT 1 FROM ${quote(table)} WHERE ${where}`),
        insert: await attempt(client, `INSERT INTO ${quote(table)} (${insertable.map(quote).join(', ')}) SELECT ${copyList.join(', ')} FROM pg_temp.${quote(`rls_src_${side}`)}`),
        update: await attempt(client, `UPDATE ${quote(table)} SET ${quote(touched)} = ${quote(touched)} WHERE ${where}`),
        delete: await attempt(client, `DELETE FROM ${quote(table)} WHERE ${where}`),
      };
      for (const operation of ['select', 'insert', 'update', 'delete'] as const) {
        if (got[operation].outcome !== expected[operation]) {
          wrong.push(`${table} ${side} ${operation}: got ${got[operation].outcome}, expected ${expected[operation]} ${got[operation].detail}`);
        }
      }
    }
    if (tableCase.move) {
      // WITH CHECK: an own row may not be changed into one the user could not see.
      const moved = await attempt(client, `UPDATE ${quote(table)} SET ${quote(tableCase.move.column)} = ${tableCase.move.value} WHERE ${whereOf('own')}`);
      if (moved.outcome !== DENIED) wrong.push(`${table} own → ${FOREIGN} via ${tableCase.move.column}: got ${moved.outcome}, expected ${DENIED}`);
    }
    // The foreign row is still there, untouched (read back as the superuser).
    await client.query('RESET ROLE');
    const still = await client.query(`SELECT count(*)::integer AS n FROM ${quote(table)} WHERE ${whereOf('foreign')}`);
    if (still.rows[0].n !== 1) wrong.push(`${table}: the foreign row is gone`);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
  return wrong;
}

describe('row-level security, straight SQL as luyu_app', () => {
  it('every table with row-level security and every policy has a direct case here', () => {
    const missing: string[] = [];
    for (const { table, policies } of rlsTables) {
      const tableCase = TABLE_CASES[table];
      if (!tableCase) missing.push(`${table}: no case in TABLE_CASES (policies: ${policies.join(', ') || 'none'})`);
      else if ([...tableCase.policies].sort().join() !== [...policies].sort().join()) {
        missing.push(`${table}: policies ${policies.join(', ')} but the case lists ${tableCase.policies.join(', ')}`);
      }
    }
    for (const table of Object.keys(TABLE_CASES)) if (!rlsTables.some((row) => row.table === table)) missing.push(`${table}: listed here but has no row-level security`);
    expect(missing).toEqual([]);
    expect(rlsTables.length).toBeGreaterThanOrEqual(13);
  });

  it.each(Object.entries(TABLE_CASES))('%s: own rows as listed, the other district invisible and unwritable', async (table, tableCase) => {
    expect(await probeTable(table, tableCase)).toEqual([]);
  });

  it('withRequestScope really runs as luyu_app with the request scope (what the probes copy)', async () => {
    const seen = await withRequestScope(db.pool, { userId: 42, role: 'officer', scopeCodes: [OWN, '410105'], isTop: false }, async (client) => {
      const result = await client.query<{ role: string; codes: string; top: string; user: string }>(
        `SELECT current_user AS role, current_setting('luyu.scope_codes') AS codes, current_setting('luyu.scope_is_top') AS top, current_setting('luyu.user_id') AS user`,
      );
      return result.rows[0]!;
    });
    expect(seen).toEqual({ role: 'luyu_app', codes: `${OWN},410105`, top: 'off', user: '42' });
  });

  it('unset settings mean nothing visible (every policy denies by default)', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL ROLE luyu_app');
      const counts = await client.query<{ segments: number; violations: number; users: number }>(
        `SELECT (SELECT count(*) FROM segments)::integer AS segments, (SELECT count(*) FROM violations)::integer AS violations, (SELECT count(*) FROM users)::integer AS users`,
      );
      expect(counts.rows[0]).toEqual({ segments: 0, violations: 0, users: 0 });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
