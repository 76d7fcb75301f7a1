import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database.ts';
import { boundedCount } from '../../server/paging/queries.ts';

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
});
