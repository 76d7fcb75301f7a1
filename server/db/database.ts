import pg from 'pg';

export type DatabaseMode = 'embedded' | 'external';

/** The one handle on the database the rest of the server receives. */
export interface Database {
  readonly pool: pg.Pool;
  /**
   * A read replica's pool (DATABASE_READ_URL) for read-only routes that may lag a little (tiles,
   * lists, dashboards); the primary's pool when no replica is configured.
   */
  readonly readPool: pg.Pool;
  readonly mode: DatabaseMode;
  close(): Promise<void>;
}

/** Anything `queries.ts` functions can run SQL on: the pool or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

// Return bigint ids and numerics as JS numbers: ids stay far below 2^53 and the API speaks JSON.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

/**
 * Connects to the PostgreSQL behind `url`. The embedded database (PGlite) is one session, so its
 * pool holds one connection: a second connection in the same process would wait behind an open
 * transaction of the first forever.
 */
export async function openDatabase(url: string, readUrl?: string): Promise<Database> {
  const probe = new pg.Client({ connectionString: url });
  await probe.connect();
  let mode: DatabaseMode;
  try {
    const result = await probe.query<{ version: string }>('SELECT version() AS version');
    mode = result.rows[0]?.version.includes('PGlite') ? 'embedded' : 'external';
  } finally {
    await probe.end();
  }
  const pool = new pg.Pool({ connectionString: url, max: mode === 'embedded' ? 1 : 10 });
  // The replica runs the same schema (streaming replication); no migrations run there.
  const readPool = readUrl && mode === 'external' ? new pg.Pool({ connectionString: readUrl, max: 10 }) : pool;
  return {
    pool,
    readPool,
    mode,
    async close() {
      await pool.end();
      if (readPool !== pool) await readPool.end();
    },
  };
}
