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
    // set_config('role', …, true) is SET LOCAL ROLE: one round trip for the role and the scope.
    await client.query(
      `SELECT set_config('role', 'luyu_app', true), set_config('luyu.scope_codes', $1, true), set_config('luyu.scope_is_top', $2, true),
              set_config('luyu.user_id', $3, true), set_config('luyu.role', $4, true)`,
      [scope.scopeCodes.join(','), scope.isTop ? 'on' : 'off', String(scope.userId), scope.role],
    );
    return work(client);
  });
}
