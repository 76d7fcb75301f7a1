import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  /** A postgres:// URL of the Unix socket that any `pg` client of this OS user can use. */
  readonly url: string;
  /** The directory holding the socket (0700), for `psql -h <socketDirectory>`. */
  readonly socketDirectory: string;
  /** PostgreSQL's port number in the socket's name (.s.PGSQL.<port>); no TCP port is opened. */
  readonly socketPort: number;
  stop(): Promise<void>;
}

/** Linux refuses Unix socket paths longer than 107 bytes (sun_path); keep a margin. */
const MAX_SOCKET_PATH_BYTES = 100;

/**
 * Where the socket lives: beside the data directory (`<data>-socket`), or a fresh private
 * temporary directory when there is no data directory or that path is too long for a socket.
 * Either way the directory is 0700: only this OS user (and root) can reach the socket.
 */
function socketDirectoryFor(dataDir: string | undefined, port: number): { directory: string; temporary: boolean } {
  if (dataDir) {
    const directory = `${path.resolve(dataDir)}-socket`;
    if (Buffer.byteLength(path.join(directory, `.s.PGSQL.${port}`)) <= MAX_SOCKET_PATH_BYTES) {
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      chmodSync(directory, 0o700);
      return { directory, temporary: false };
    }
  }
  return { directory: mkdtempSync(path.join(tmpdir(), 'luyu-pg-')), temporary: true };
}

/**
 * Starts PostgreSQL + PostGIS in-process (PGlite, WebAssembly) and serves it on a Unix socket in
 * a 0700 directory, so the server talks to it through the same `pg` code as to a real PostgreSQL.
 * PGlite answers every startup as its superuser without asking for a password, so it must never
 * listen on TCP, where any local user (or anything that can reach loopback) would be superuser:
 * password hashes readable, sessions forgeable, the audit trigger switched off.
 * PGlite is a single session: the socket server queues statements and keeps a transaction on the
 * connection that opened it, so several connections work, but session state is shared; we only
 * use transaction-scoped settings (SET LOCAL) for that reason.
 */
export async function startEmbeddedDatabase(options: { dataDir?: string; port?: number }): Promise<EmbeddedDatabase> {
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    chmodSync(options.dataDir, 0o700);
  }
  const socketPort = options.port || 5432;
  const { directory, temporary } = socketDirectoryFor(options.dataDir, socketPort);
  const socketPath = path.join(directory, `.s.PGSQL.${socketPort}`);
  // A socket file left by a killed process would make listen() fail with EADDRINUSE.
  rmSync(socketPath, { force: true });
  const pglite = await PGlite.create({ dataDir: options.dataDir, extensions: { postgis } });
  const socketServer = new PGLiteSocketServer({
    db: pglite,
    path: socketPath,
    // Test workers and the app each hold one connection; statements are serialised anyway.
    maxConnections: 32,
  });
  await socketServer.start();
  chmodSync(socketPath, 0o600);
  return {
    url: `postgres://postgres@${encodeURIComponent(directory)}:${socketPort}/postgres`,
    socketDirectory: directory,
    socketPort,
    async stop() {
      await socketServer.stop();
      await pglite.close();
      rmSync(temporary ? directory : socketPath, { recursive: true, force: true });
    },
  };
}
