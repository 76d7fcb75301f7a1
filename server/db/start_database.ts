import type { AppConfig } from '../config.ts';
import { openDatabase, type Database } from './database.ts';
import { startEmbeddedDatabase } from './embedded.ts';

/**
 * `DATABASE_URL` set → that server; unset → embedded PostgreSQL + PostGIS persisted in
 * LUYU_DATA_DIR. Either way the rest of the server gets the same `pg` pool.
 */
export async function startDatabase(config: AppConfig, log: (message: string) => void = () => undefined): Promise<Database> {
  if (config.DATABASE_URL) return openDatabase(config.DATABASE_URL);
  const embedded = await startEmbeddedDatabase({ dataDir: config.LUYU_DATA_DIR, port: config.LUYU_EMBEDDED_PORT });
  log(
    `embedded PostgreSQL + PostGIS (data in ${config.LUYU_DATA_DIR}) listens only on a Unix socket this OS user can reach: ` +
      `psql -h ${embedded.socketDirectory} -p ${embedded.socketPort} -U postgres postgres`,
  );
  const database = await openDatabase(embedded.url);
  return {
    ...database,
    async close() {
      await database.close();
      await embedded.stop();
    },
  };
}
