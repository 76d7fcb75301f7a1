import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { REPO_ROOT } from '../config.ts';
import type { Queryable } from './database.ts';
import { withTransaction } from './transaction.ts';

export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'data', 'migrations');

export interface MigrationStatus {
  level: number;
  applied: string[];
}

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/**
 * Earlier contents of a migration that databases in the field may have applied. 006 was edited in
 * place after it landed (89662bb dropped the staging GiST index); the edit is reverted and moved to
 * 007, but a database migrated at 89662bb recorded the edited file's checksum. Both are the same
 * migration for that database: accept the recorded one, and 007's DROP INDEX IF EXISTS is a no-op there.
 * Never add to this list to get around an edit: add a new migration instead.
 */
export const ACCEPTED_HISTORICAL_CHECKSUMS: Readonly<Record<string, readonly string[]>> = {
  '006_detections.sql': ['e0d8f8e62c80497328eaee2ace1b05a79732326f34ad98e0f6f77e801e9a509f'],
};

function readMigrationFiles(directory: string): MigrationFile[] {
  return readdirSync(directory)
    .filter((name) => /^\d{3}_[a-z0-9_]+\.sql$/.test(name))
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(directory, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies the pending files of data/migrations in name order, each in its own transaction with
 * its bookkeeping row. An applied file whose content changed stops the start: migrations are
 * append-only, a change needs a new file.
 */
export async function migrate(pool: pg.Pool, directory = MIGRATIONS_DIR): Promise<MigrationStatus> {
  await pool.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const files = readMigrationFiles(directory);
  for (const file of files) {
    await withTransaction(pool, async (client) => {
      // Serialise concurrent starts (two app replicas) on the bookkeeping table.
      await client.query('LOCK TABLE schema_migrations IN EXCLUSIVE MODE');
      const existing = await client.query<{ checksum: string }>(
        'SELECT checksum FROM schema_migrations WHERE name = $1',
        [file.name],
      );
      const appliedChecksum = existing.rows[0]?.checksum;
      if (appliedChecksum === file.checksum) return;
      if (appliedChecksum !== undefined && ACCEPTED_HISTORICAL_CHECKSUMS[file.name]?.includes(appliedChecksum)) return;
      if (appliedChecksum !== undefined) {
        throw new Error(`Migration ${file.name} was changed after it was applied; add a new migration instead`);
      }
      await client.query(file.sql);
      await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [file.name, file.checksum]);
    });
  }
  return readMigrationStatus(pool);
}

export async function readMigrationStatus(pool: Queryable): Promise<MigrationStatus> {
  const result = await pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
  const applied = result.rows.map((row) => row.name);
  const last = applied.at(-1);
  return { level: last ? Number(last.slice(0, 3)) : 0, applied };
}
