/** Backends of the bench's own database (bench/detections/database_cpu.ts). */
import type pg from 'pg';

export async function backendPids(pool: pg.Pool): Promise<number[]> {
  const result = await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`);
  return result.rows.map((row) => row.pid);
}
