/**
 * The synthetic province that bench:tiles and bench:client measure on: its own database
 * `<database>_bench_tiles` on DATABASE_URL's server, kept between runs (drawing 50,000 segments'
 * zones takes minutes), loaded anew only when it holds another number of segments, with every
 * stale dissolved zone set rebuilt before anything is timed.
 */
import { ensureDatabaseExists } from '../scripts/ensure_database.ts';
import { readConfig, type AppConfig } from '../server/config.ts';
import { openDatabase, type Database } from '../server/db/database.ts';
import { prepareDatabase } from '../server/prepare_database.ts';
import { rebuildDissolvedSet, selectStaleDissolvedSets } from '../server/zones/queries.ts';
import { describeSyntheticNetwork, generateProvinceNetwork, loadProvinceNetwork } from '../scripts/province_network.ts';
import { fmt } from './fresh_database.ts';

export interface ProvinceBenchDatabase {
  db: Database;
  config: AppConfig;
  pool: Database['pool'];
  databaseName: string;
}

/** Exits with a message when DATABASE_URL is not set (ST_AsMVT needs a real PostgreSQL + PostGIS). */
export async function openProvinceBenchDatabase(benchName: string, segments: number): Promise<ProvinceBenchDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    console.error(`${benchName} needs DATABASE_URL of a real PostgreSQL + PostGIS server (it keeps its own database there)`);
    process.exit(2);
  }
  const url = new URL(serverUrl);
  const databaseName = `${url.pathname.replace(/^\//, '') || 'postgres'}_bench_tiles`;
  url.pathname = `/${databaseName}`;
  await ensureDatabaseExists(url.toString());
  const config = readConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: url.toString(), LUYU_LOAD_DEMO: 'never' });
  const db = await openDatabase(url.toString());
  await prepareDatabase(db, config);
  const pool = db.pool;

  // Generating is quick and deterministic; loading (zones drawn by PostGIS) is what a rerun skips.
  const network = generateProvinceNetwork({ segments, seed: 1, extent: 'density' });
  if ((await describeSyntheticNetwork(pool)).segments !== network.segments.length) {
    const started = performance.now();
    const summary = await loadProvinceNetwork(pool, network);
    await pool.query('ANALYZE');
    console.log(`loaded ${fmt(summary.segments)} segments, ${fmt(summary.zones)} zones in ${fmt((performance.now() - started) / 1000)} s`);
  }
  // A database from before migration 034 (or a load that was interrupted) has stale dissolved sets.
  const dissolveStarted = performance.now();
  let dissolvedSets = 0;
  for (let progress = true; progress; ) {
    progress = false;
    for (const setId of await selectStaleDissolvedSets(pool, 100)) {
      if ((await rebuildDissolvedSet(pool, setId)) < 0) continue;
      progress = true;
      dissolvedSets += 1;
    }
  }
  if (dissolvedSets > 0) {
    await pool.query('ANALYZE dissolved_zones');
    console.log(`dissolved ${fmt(dissolvedSets)} stale (district, kind) zone sets in ${fmt((performance.now() - dissolveStarted) / 1000)} s`);
  }
  return { db, config, pool, databaseName };
}
