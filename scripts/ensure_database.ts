import pg from 'pg';

/**
 * Creates the database a PostgreSQL URL names when its server does not have it yet (connecting to
 * the same server's `postgres` database to ask), so a bench or generator pointed at
 * `<db>_province` or `<db>_bench_tiles` does not stop with "database … does not exist".
 */
export async function ensureDatabaseExists(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const databaseName = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!databaseName) return;
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
    // CREATE DATABASE takes no bind parameters: the name is quoted as an identifier.
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(databaseName)}`);
  } finally {
    await admin.end();
  }
}
