import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database.ts';
import { boundedCount } from '../../server/paging/queries.ts';
import { withRequestScope, type RequestScope } from '../../server/db/transaction.ts';

/**
 * boundedCount (server/paging/queries.ts), the count every list and the OGC items page use: exact
 * while the matches fit under the limit, the planner's estimate (flagged) beyond it — never less
 * than the rows it saw. Rows from generate_series, so no table other files read is touched.
 */
let db: Database;
beforeAll(async () => {
  db = await openDatabase(inject('databaseUrl'));
});
afterAll(async () => {
  await db.close();
});

const series = 'FROM generate_series(1, $1::integer) g WHERE g % $2::integer = 0';

describe('boundedCount', () => {
  it('is exact up to the limit, including exactly at it and for no match', async () => {
    expect(await boundedCount(db.pool, series, [100, 1], 100)).toEqual({ numberMatched: 100, numberMatchedIsEstimate: false });
    expect(await boundedCount(db.pool, series, [100, 3], 100)).toEqual({ numberMatched: 33, numberMatchedIsEstimate: false });
    expect(await boundedCount(db.pool, series, [0, 1], 100)).toEqual({ numberMatched: 0, numberMatchedIsEstimate: false });
  });

  it('beyond the limit answers the estimate, flagged, and never below limit + 1', async () => {
    const over = await boundedCount(db.pool, series, [5000, 1], 100);
    expect(over.numberMatchedIsEstimate).toBe(true);
    expect(over.numberMatched).toBeGreaterThanOrEqual(101);
    // generate_series(1, $1) with a parameter: the planner's row estimate is its default (1,000
    // rows, a selectivity applied for the filter), so the figure shows the estimate was read, not
    // counted: an exact count would be 5,000.
    expect(over.numberMatched).not.toBe(5000);
  });

  describe('the estimate of a scoped request names the scope (row-level security hides it from the planner)', () => {
    // A table of its own with a policy in migration 036's form: 20,000 rows in A, 10,000 in B and
    // 3,000 without a jurisdiction, half of each of kind x. ANALYZE samples every row (30,000 per
    // default statistics target), so the column statistics hold the exact fractions.
    const table = `bounded_count_probe_${Math.random().toString(36).slice(2, 10)}`;
    beforeAll(async () => {
      await db.pool.query(`CREATE TABLE ${table} (id serial PRIMARY KEY, jurisdiction_code text, kind text NOT NULL)`);
      await db.pool.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await db.pool.query(`CREATE POLICY ${table}_scope ON ${table} TO luyu_app
        USING (jurisdiction_code IN (SELECT unnest(luyu_scope_codes())) OR (jurisdiction_code IS NULL AND (SELECT luyu_scope_is_top())))`);
      await db.pool.query(`GRANT SELECT ON ${table} TO luyu_app`);
      await db.pool.query(
        `INSERT INTO ${table} (jurisdiction_code, kind)
         SELECT code, CASE WHEN g % 2 = 0 THEN 'x' ELSE 'y' END
           FROM (VALUES ('A', 20000), ('B', 10000), (NULL, 3000)) AS part(code, n), generate_series(1, n) g`,
      );
      await db.pool.query(`ANALYZE ${table}`);
    });
    afterAll(async () => {
      await db.pool.query(`DROP TABLE IF EXISTS ${table}`);
    });

    const scoped = (scopeCodes: string[], isTop: boolean): RequestScope => ({ userId: 1, role: 'manager', scopeCodes, isTop });
    const countKindX = (scope: RequestScope) =>
      withRequestScope(db.pool, scope, async (client) => {
        const counted = await boundedCount(client, `FROM ${table} p WHERE p.kind = $1`, ['x'], 100, 'p.jurisdiction_code');
        const after = await client.query<{ role: string; outside: number }>(
          `SELECT current_user::text AS role, (SELECT count(*)::integer FROM ${table} WHERE jurisdiction_code = 'B') AS outside`,
        );
        return { counted, after: after.rows[0]! };
      });

    it('estimates a district user’s matches from the column statistics, and gives the policy back', async () => {
      const { counted, after } = await countKindX(scoped(['A'], false));
      expect(counted.numberMatchedIsEstimate).toBe(true);
      // Exact: 10,000 (A's kind x). Left to the policy's default selectivity the plan said ~7,500.
      expect(Math.abs(counted.numberMatched - 10_000)).toBeLessThanOrEqual(500);
      expect(after).toEqual({ role: 'luyu_app', outside: 0 });
    });

    it('counts rows without a jurisdiction for the top of the tree', async () => {
      const { counted } = await countKindX(scoped(['A', 'B'], true));
      expect(counted.numberMatchedIsEstimate).toBe(true);
      expect(Math.abs(counted.numberMatched - 16_500)).toBeLessThanOrEqual(825);
    });
  });
});

