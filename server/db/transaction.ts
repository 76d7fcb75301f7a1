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
