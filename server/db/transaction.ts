import type pg from 'pg';

/**
 * Runs `work` inside one transaction on one client: committed when it resolves, rolled back when
 * it throws (the error is rethrown unchanged), so a batch is never half written.
 */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Who a request acts for, as the database's row-level security policies read it. */
export interface RequestScope {
  userId: number;
  role: string;
  /** The user's jurisdiction and every jurisdiction below it. */
  scopeCodes: readonly string[];
  /** The user's jurisdiction is the top of the tree: rows without a jurisdiction are visible too. */
  isTop: boolean;
}

/**
 * One transaction as the non-superuser role `luyu_app` with the request's scope in transaction-local
 * settings (data/migrations/003_accounts.sql). The app connects as an owner or superuser, which
 * bypasses row-level security; the role switch is what makes the policies apply. SET LOCAL and
 * set_config(..., true) end with the transaction, so a pooled connection (or PGlite's one shared
 * session) never carries one user's scope into the next request.
 */
export async function withRequestScope<T>(pool: pg.Pool, scope: RequestScope, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(pool, async (client) => {
    await setRequestScope(client, scope);
    return work(client);
  });
}

/** The role switch and the scope settings, transaction-local, in one round trip. */
async function setRequestScope(client: pg.PoolClient, scope: RequestScope): Promise<void> {
  // set_config('role', …, true) is SET LOCAL ROLE: one round trip for the role and the scope.
  await client.query(
    `SELECT set_config('role', 'luyu_app', true), set_config('luyu.scope_codes', $1, true), set_config('luyu.scope_is_top', $2, true),
            set_config('luyu.user_id', $3, true), set_config('luyu.role', $4, true)`,
    [scope.scopeCodes.join(','), scope.isTop ? 'on' : 'off', String(scope.userId), scope.role],
  );
}

/**
 * withRequestScope opened on demand: `work` gets a handle whose first query takes a connection and
 * opens the scoped transaction; a `work` that never queries (a cached tile) costs no round trip.
 * Committed when `work` resolves, rolled back when it throws, as withTransaction.
 */
export async function withLazyRequestScope<T>(pool: pg.Pool, scope: RequestScope, work: (db: Pick<pg.PoolClient, 'query'>) => Promise<T>): Promise<T> {
  let opened: Promise<pg.PoolClient> | null = null;
  const open = (): Promise<pg.PoolClient> =>
    (opened ??= (async () => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await setRequestScope(client, scope);
        return client;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
        throw error;
      }
    })());
  const db = {
    query: async (...args: unknown[]) => {
      const opener = await open();
      return (opener.query as (...queryArgs: unknown[]) => unknown).apply(opener, args);
    },
  } as unknown as Pick<pg.PoolClient, 'query'>;
  const client = async () => (opened ? opened.catch(() => null) : null);
  try {
    const result = await work(db);
    await (await client())?.query('COMMIT');
    return result;
  } catch (error) {
    await (await client())?.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    (await client())?.release();
  }
}
