import type { TestProject } from 'vitest/node';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { readConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded.ts';
import { prepareDatabase } from '../../server/prepare_database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated database with the demo data, shared by all test files (they create their own records). */
    databaseUrl: string;
    databaseMode: 'embedded' | 'external';
  }
}

/**
 * With DATABASE_URL: a fresh throwaway database is created on that server (never the named one,
 * so a developer's data is safe) and dropped afterwards. Without: one embedded PGlite for the run.
 */
export default async function setup(project: TestProject) {
  // REGEN rewrites the expected out/ files from the code under test: in CI that would make the
  // fixture tests pass by definition.
  for (const name of ['REGEN', 'REGEN_INPUTS']) {
    if (process.env.CI && process.env[name]) throw new Error(`${name}=${process.env[name]} is refused when CI is set: regenerate fixtures locally and review the diff`);
  }
  const serverUrl = process.env.DATABASE_URL;
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl: string;
  let dropDatabase: (() => Promise<void>) | undefined;
  const startedAt = performance.now();

  if (serverUrl) {
    const databaseName = `luyu_test_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${databaseName}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
      await client.end();
    };
  } else {
    embedded = await startEmbeddedDatabase({});
    databaseUrl = embedded.url;
  }

  const db = await openDatabase(databaseUrl);
  const config = readConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: databaseUrl, LUYU_ZONE_WIDTHS: '{}' });
  await prepareDatabase(db, { ...config, LUYU_LOAD_DEMO: 'auto' });
  const mode = db.mode;
  await db.close();
  console.log(`[global setup] ${mode} database with demo data ready in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);

  project.provide('databaseUrl', databaseUrl);
  project.provide('databaseMode', mode);

  return async () => {
    await dropDatabase?.();
    await embedded?.stop();
  };
}
