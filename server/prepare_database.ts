import type { AppConfig } from './config.ts';
import type { Database } from './db/database.ts';
import { migrate, type MigrationStatus } from './db/migrate.ts';
import { syncZoneWidths } from './zones/service.ts';
import { isDemoDataNeeded, loadDemoData, type DemoLoadSummary } from '../data/load_demo.ts';

/** Migrations, the law's zone widths, and the demo data on an empty database: everything before serving. */
export async function prepareDatabase(db: Database, config: AppConfig): Promise<{ migrations: MigrationStatus; demo: DemoLoadSummary | null }> {
  const migrations = await migrate(db.pool);
  await syncZoneWidths(db.pool, config.LUYU_ZONE_WIDTHS);
  const demo = config.LUYU_LOAD_DEMO === 'auto' && (await isDemoDataNeeded(db.pool)) ? await loadDemoData(db.pool) : null;
  return { migrations, demo };
}
