/**
 * Opens the database the synthetic province lives in: LUYU_PROVINCE_DATABASE_URL (or --database-url),
 * else DATABASE_URL's server with the database name `<name>_province` when DATABASE_URL is set (a
 * separate database, so the app's demo network is never touched), else an embedded PGlite in its
 * own data dir. Migrated and given the zone widths like the app's, but never loaded with demo data.
 */
import path from 'node:path';
import { readConfig, REPO_ROOT } from '../server/config.ts';
import type { Database } from '../server/db/database.ts';
import { startDatabase } from '../server/db/start_database.ts';
import { prepareDatabase } from '../server/prepare_database.ts';
import { ensureDatabaseExists } from './ensure_database.ts';

export const DEFAULT_PROVINCE_DATA_DIR = path.join(REPO_ROOT, '.luyu', 'bench-province-pgdata');

export function provinceDatabaseUrl(explicit: string | undefined, environment: NodeJS.ProcessEnv = process.env): string | undefined {
  if (explicit) return explicit;
  if (environment.LUYU_PROVINCE_DATABASE_URL) return environment.LUYU_PROVINCE_DATABASE_URL;
  if (!environment.DATABASE_URL) return undefined;
  const url = new URL(environment.DATABASE_URL);
  url.pathname = `/${url.pathname.replace(/^\//, '') || 'postgres'}_province`;
  return url.toString();
}

export async function openProvinceDatabase(options: { databaseUrl?: string; dataDir?: string }): Promise<Database> {
  const databaseUrl = provinceDatabaseUrl(options.databaseUrl);
  if (databaseUrl) await ensureDatabaseExists(databaseUrl);
  const config = readConfig({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl ?? '',
    LUYU_DATA_DIR: options.dataDir ?? DEFAULT_PROVINCE_DATA_DIR,
    LUYU_LOAD_DEMO: 'never',
  });
  const db = await startDatabase(config);
  await prepareDatabase(db, config);
  return db;
}
