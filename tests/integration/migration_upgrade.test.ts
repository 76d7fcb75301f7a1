/**
 * Issue 9, migrations are immutable: databases migrated at 3a3e14d (006 as it landed) and at
 * 89662bb (006 edited in place, since restored) are built from committed fixtures of that time
 * (tests/fixtures/upgrade/<commit>/migrations + rows_at_006.sql), then migrated to HEAD: both must
 * start, lose no row, end without the staging GiST index, and a 006 changed any other way is refused.
 * Each case gets a fresh database: a throwaway database on the PostgreSQL server, or its own
 * embedded PGlite.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../../server/config.ts';
import { openDatabase, type Database } from '../../server/db/database.ts';
import { startEmbeddedDatabase } from '../../server/db/embedded.ts';
import { migrate } from '../../server/db/migrate.ts';
import { failInterruptedBatches } from '../../server/detections/queries.ts';

const FIXTURES = path.join(REPO_ROOT, 'tests', 'fixtures', 'upgrade');

/** A fresh empty database of the run's kind; `drop` removes it. */
async function freshDatabase(): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (inject('databaseMode') === 'embedded') {
    const embedded = await startEmbeddedDatabase({});
    const db = await openDatabase(embedded.url);
    return { db, drop: async () => { await db.close(); await embedded.stop(); } };
  }
  const name = `luyu_upgrade_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: inject('databaseUrl') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  const db = await openDatabase(url.toString());
  return {
    db,
    drop: async () => {
      await db.close();
      const cleanup = new pg.Client({ connectionString: inject('databaseUrl') });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

async function buildAt(db: Database, migrationsDir: string): Promise<void> {
  // The runner's bookkeeping (name, sha256 of the file) has not changed since 001.
  await migrate(db.pool, migrationsDir);
  await db.pool.query(readFileSync(path.join(FIXTURES, 'rows_at_006.sql'), 'utf8'));
}

const stagingIndexExists = async (db: Database) =>
  (await db.pool.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'detection_staging_geom_gist'`)).rowCount === 1;

describe.each(['3a3e14d', '89662bb'])('a database migrated at %s', (commit) => {
  it('migrates to HEAD and keeps its rows', async () => {
    const { db, drop } = await freshDatabase();
    try {
      await buildAt(db, path.join(FIXTURES, commit, 'migrations'));
      expect(await stagingIndexExists(db)).toBe(commit === '3a3e14d');
      const status = await migrate(db.pool);
      expect(status.applied).toEqual(expect.arrayContaining(['006_detections.sql', '007_detection_staging_no_gist.sql', '008_jobs.sql']));
      expect(await stagingIndexExists(db)).toBe(false);
      const rows = await db.pool.query<{ users: number; districts: number; batches: string; audit: number }>(
        `SELECT (SELECT count(*) FROM users WHERE username = 'officer' AND is_demo)::int AS users,
                (SELECT count(*) FROM jurisdictions WHERE level = 'district')::int AS districts,
                (SELECT string_agg(client_batch_id || ':' || status, ',' ORDER BY id) FROM detection_batches) AS batches,
                (SELECT count(*) FROM audit_log WHERE action = 'detection_batch.create')::int AS audit`,
      );
      expect(rows.rows[0]).toEqual({ users: 1, districts: 2, batches: 'gf2-2026-03:done,gf2-2026-04:staging', audit: 1 });
      // The staging batch of the old in-process queue has no job: the start fails it with a reason.
      expect(await failInterruptedBatches(db.pool)).toBe(1);
      const staged = await db.pool.query(`SELECT count(*)::int AS n FROM detection_staging`);
      expect(staged.rows[0].n).toBe(0);
      // A second start changes nothing.
      expect((await migrate(db.pool)).applied).toEqual(status.applied);
    } finally {
      await drop();
    }
  }, 180_000);
});

describe('a 006 changed in any other way', () => {
  it('stops the start', async () => {
    const { db, drop } = await freshDatabase();
    const edited = mkdtempSync(path.join(tmpdir(), 'luyu-edited-'));
    try {
      cpSync(path.join(FIXTURES, '3a3e14d', 'migrations'), edited, { recursive: true });
      const file = path.join(edited, '006_detections.sql');
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- an edit\n`);
      await migrate(db.pool, edited);
      await expect(migrate(db.pool)).rejects.toThrow(/006_detections\.sql was changed after it was applied/);
    } finally {
      rmSync(edited, { recursive: true, force: true });
      await drop();
    }
  }, 180_000);
});
