import type pg from 'pg';
import { rebuildStaleDissolvedSets } from '../../../server/zones/queries.ts';

/**
 * Other test files may be redrawing zones right now (test files share one PostgreSQL database and
 * run in parallel): rebuild until no dissolved set is stale, or give up after about five seconds.
 */
export async function makeDissolvedZonesCurrent(pool: pg.Pool): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await rebuildStaleDissolvedSets(pool);
    const current = await pool.query<{ current: boolean }>('SELECT luyu_dissolved_zones_current() AS current');
    if (current.rows[0]!.current) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('dissolved zones stayed stale');
}
