/**
 * What the generated-data benches share: a database of their own on DATABASE_URL's server, dropped
 * and created anew each run, migrated like the app's but without demo data; and their timing helpers.
 */
import pg from 'pg';
import { readConfig, type AppConfig } from '../server/config.ts';
import { openDatabase, type Database } from '../server/db/database.ts';
import { prepareDatabase } from '../server/prepare_database.ts';

/** Exits with a message when DATABASE_URL is not set (the benches need a real PostgreSQL + PostGIS). */
export async function openFreshBenchDatabase(benchName: string, databaseName: string): Promise<{ db: Database; config: AppConfig; pool: Database['pool'] }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    console.error(`${benchName} needs DATABASE_URL of a real PostgreSQL + PostGIS server (it creates its own database there)`);
    process.exit(2);
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${databaseName}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  const config = readConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: url.toString(), LUYU_LOAD_DEMO: 'never' });
  const db = await openDatabase(url.toString());
  await prepareDatabase(db, config);
  return { db, config, pool: db.pool };
}

/**
 * A province (410000) of `cities` cities (41cc00) of `districtsPerCity` districts (41ccdd) each: the
 * grid the generated-data benches spread their rows over (district dd of city cc = one cell).
 */
export async function insertBenchJurisdictions(pool: Database['pool'], cities: number, districtsPerCity: number): Promise<void> {
  await pool.query(`INSERT INTO jurisdictions (code, name, level) VALUES ('410000', '河南省（基准）', 'province')`);
  await pool.query(
    `INSERT INTO jurisdictions (code, name, level, parent_code)
     SELECT '41' || lpad(c::text, 2, '0') || '00', '基准市' || c, 'city', '410000' FROM generate_series(1, $1) c`,
    [cities],
  );
  await pool.query(
    `INSERT INTO jurisdictions (code, name, level, parent_code)
     SELECT '41' || lpad(c::text, 2, '0') || lpad(d::text, 2, '0'), '基准市' || c || '区' || d, 'district', '41' || lpad(c::text, 2, '0') || '00'
     FROM generate_series(1, $1) c, generate_series(1, $2) d`,
    [cities, districtsPerCity],
  );
}

export const fmt = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 1 });

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

export function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
}
