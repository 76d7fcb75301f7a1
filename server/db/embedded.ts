import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  /** A postgres:// URL on loopback that any `pg` client can use. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL + PostGIS in-process (PGlite, WebAssembly) and serves it on a loopback port,
 * so the server talks to it through the same `pg` code as to a real PostgreSQL.
 * PGlite is a single session: the socket server queues statements and keeps a transaction on the
 * connection that opened it, so several connections work, but session state is shared; we only
 * use transaction-scoped settings (SET LOCAL) for that reason.
 */
export async function startEmbeddedDatabase(options: { dataDir?: string; port?: number }): Promise<EmbeddedDatabase> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const pglite = await PGlite.create({ dataDir: options.dataDir, extensions: { postgis } });
  const socketServer = new PGLiteSocketServer({
    db: pglite,
    host: '127.0.0.1',
    port: options.port ?? 0,
    // Test workers and the app each hold one connection; statements are serialised anyway.
    maxConnections: 32,
  });
  await socketServer.start();
  const address = socketServer.getServerConn();
  return {
    url: `postgres://postgres@${address}/postgres`,
    async stop() {
      await socketServer.stop();
      await pglite.close();
    },
  };
}
