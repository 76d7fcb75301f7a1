/** `npm run db:reset`: drops every table of the configured database and loads the demo data again. */
import { readConfig } from '../server/config.ts';
import { startDatabase } from '../server/db/start_database.ts';
import { prepareDatabase } from '../server/prepare_database.ts';

const config = readConfig();
const db = await startDatabase(config);
try {
  await db.pool.query('DROP SCHEMA public CASCADE');
  await db.pool.query('CREATE SCHEMA public');
  const prepared = await prepareDatabase(db, { ...config, LUYU_LOAD_DEMO: 'auto' });
  console.log(`Database reset (${db.mode}): migration level ${prepared.migrations.level}`, prepared.demo);
} finally {
  await db.close();
}
