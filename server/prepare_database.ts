import type { AppConfig } from './config.ts';
import type { Database } from './db/database.ts';
import { migrate, type MigrationStatus } from './db/migrate.ts';
import { failInterruptedBatches } from './detections/queries.ts';
import { syncZoneWidths } from './zones/service.ts';
import { ensureConfiguredAdmin } from './auth/service.ts';
import type { DemoLoadSummary } from '../data/seed/load_demo.ts';

export interface PreparedDatabase {
  migrations: MigrationStatus;
  demo: DemoLoadSummary | null;
  demoUsers: number;
  configuredAdmin: string | null;
  interruptedDetectionBatches: number;
}

/**
 * Migrations, the law's zone widths, the demo data (data/seed/, when LUYU_LOAD_DEMO=auto) and the
 * configured first admin: everything before serving.
 */
export async function prepareDatabase(db: Database, config: AppConfig): Promise<PreparedDatabase> {
  const migrations = await migrate(db.pool);
  await syncZoneWidths(db.pool, config.LUYU_ZONE_WIDTHS);
  // The seed code (data/seed/) is loaded only when the demo is wanted: never on LUYU_LOAD_DEMO=never.
  const { demo, demoUsers } =
    config.LUYU_LOAD_DEMO === 'auto' ? await (await import('../data/seed/seed_demo.ts')).seedDemo(db.pool, config) : { demo: null, demoUsers: 0 };
  const configuredAdmin = await ensureConfiguredAdmin(db.pool, config);
  // Batches uploaded before the job queue existed (their in-process queue died): nobody finishes them.
  const interruptedDetectionBatches = await failInterruptedBatches(db.pool);
  return { migrations, demo, demoUsers, configuredAdmin, interruptedDetectionBatches };
}
