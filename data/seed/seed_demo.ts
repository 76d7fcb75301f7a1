import type pg from 'pg';
import type { AppConfig } from '../../server/config.ts';
import { demoUsersAllowed, seedDemoUsers } from './demo_users.ts';
import { isDemoDataLoaded, isDemoDataNeeded, loadDemoData, type DemoLoadSummary } from './load_demo.ts';

/**
 * The demo data set on an empty database, and the demo users (unless production forbids them).
 * server/prepare_database.ts imports this module only when LUYU_LOAD_DEMO=auto, so a production
 * start with LUYU_LOAD_DEMO=never never loads the seed code. New demo records (crews, managers)
 * go in their own files here and are called from this function.
 */
export async function seedDemo(pool: pg.Pool, config: AppConfig): Promise<{ demo: DemoLoadSummary | null; demoUsers: number }> {
  const demo = (await isDemoDataNeeded(pool)) ? await loadDemoData(pool) : null;
  // Also for a database whose demo data predates accounts (seedDemoUsers skips a database with users).
  const demoUsers = demoUsersAllowed(config) && (await isDemoDataLoaded(pool)) ? await seedDemoUsers(pool) : 0;
  return { demo, demoUsers };
}
