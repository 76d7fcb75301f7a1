import type { AppConfig } from './config.ts';
import type { Database } from './db/database.ts';
import { migrate, type MigrationStatus } from './db/migrate.ts';
import { failInterruptedBatches } from './detections/queries.ts';
import { syncZoneWidths } from './zones/service.ts';
import { ensureConfiguredAdmin } from './auth/service.ts';
import { isDemoDataNeeded, isDemoDataLoaded, loadDemoData, type DemoLoadSummary } from '../data/load_demo.ts';
import { demoUsersAllowed, seedDemoUsers } from '../data/demo_users.ts';

export interface PreparedDatabase {
  migrations: MigrationStatus;
  demo: DemoLoadSummary | null;
  demoUsers: number;
  configuredAdmin: string | null;
  interruptedDetectionBatches: number;
}

/**
 * Migrations, the law's zone widths, the demo data on an empty database, the demo users (unless
 * production forbids them) and the configured first admin: everything before serving.
 */
export async function prepareDatabase(db: Database, config: AppConfig): Promise<PreparedDatabase> {
  const migrations = await migrate(db.pool);
  await syncZoneWidths(db.pool, config.LUYU_ZONE_WIDTHS);
  const demo = config.LUYU_LOAD_DEMO === 'auto' && (await isDemoDataNeeded(db.pool)) ? await loadDemoData(db.pool) : null;
  // Also for a database whose demo data predates accounts (seedDemoUsers skips a database with users).
  const demoUsers = config.LUYU_LOAD_DEMO === 'auto' && demoUsersAllowed(config) && (await isDemoDataLoaded(db.pool)) ? await seedDemoUsers(db.pool) : 0;
  const configuredAdmin = await ensureConfiguredAdmin(db.pool, config);
  // Batches uploaded before the job queue existed (their in-process queue died): nobody finishes them.
  const interruptedDetectionBatches = await failInterruptedBatches(db.pool);
  return { migrations, demo, demoUsers, configuredAdmin, interruptedDetectionBatches };
}
