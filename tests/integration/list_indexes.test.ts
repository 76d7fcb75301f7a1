import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database.ts';
import { explainDetectionList } from '../../server/detections/queries.ts';
import type { DetectionFilter } from '../../server/detections/types.ts';
import { explainViolationList } from '../../server/violations/queries.ts';
import { VIOLATION_SORTS, type ViolationFilter } from '../../server/violations/types.ts';

/**
 * The big lists' main filters are served by an index. The planner only prefers an index when the
 * table is big, so each test fills its table with 8,000 synthetic rows and ANALYZEs it inside a
 * transaction that is rolled back (statistics are transactional too): other files sharing the
 * database never see the rows. No planner switches are turned off.
 */

let db: Database;
const ROWS = 8_000;

beforeAll(async () => {
  db = await openDatabase(inject('databaseUrl'));
});
afterAll(async () => {
  await db.close();
});

async function withBigTable(fill: string, check: (client: { query: Database['pool']['query'] }) => Promise<void>) {
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(fill, [ROWS]);
    await check(client as never);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

const scansTable = (plan: string, table: string) => new RegExp(`Seq Scan on ${table}\\b`).test(plan);
/**
 * A sort of many rows: any plain Sort, or an Incremental Sort (which sorts each group of equal
 * leading keys) unless its groups are one row each, i.e. it reads the unique case-number index.
 */
const sortsManyRows = (plan: string) =>
  /^(\s*->)?\s*Sort\s+\(/m.test(plan) || (/Incremental Sort/.test(plan) && !/using violations_case_number_key\b/.test(plan));

describe('violations list plans', () => {
  it('uses an index for the default order, status, a reported range and a bbox', async () => {
    await withBigTable(
      `INSERT INTO violations (category, status, source, geom, verdict, is_violation, jurisdiction_code, reported_at, route_code, chainage_meters, case_number)
       SELECT (ARRAY['piling','billboard','structure'])[1 + i % 3], (ARRAY['reported','verified','closed','rectifying'])[1 + i % 4], 'patrol',
              ST_SetSRID(ST_MakePoint(113 + (i % 200) * 0.005, 34 + (i / 200) * 0.005), 4326), '{}', true, '410104',
              timestamptz '2024-01-01' + i * interval '7 minutes', NULL, NULL, NULL
       FROM generate_series(1, $1) i`,
      async (client) => {
        await client.query('ANALYZE violations');
        const base: ViolationFilter = { sort: 'reportedAt', order: 'desc' };
        const cases: [string, ViolationFilter][] = [
          ['default order', base],
          ['status', { ...base, statuses: ['rectifying'] }],
          ['reported range', { ...base, reportedFrom: '2024-02-01', reportedTo: '2024-02-03' }],
          ['bbox', { ...base, bbox: { minLon: 113.1, minLat: 34.1, maxLon: 113.11, maxLat: 34.11 } }],
        ];
        for (const [name, filter] of cases) {
          const plan = await explainViolationList(client as never, filter, 101);
          expect(scansTable(plan, 'violations'), `${name}:\n${plan}`).toBe(false);
          expect(plan, name).toMatch(/Index Scan|Index Only Scan|Bitmap Index Scan/);
        }
      },
    );
  });
});

describe('violations list plans, every sort in both orders', () => {
  it('reads the first page of each sort from an index, with no sort of the table', async () => {
    await withBigTable(
      `INSERT INTO violations (category, status, source, geom, verdict, is_violation, jurisdiction_code, reported_at, route_code, chainage_meters, case_number, deadline_at)
       SELECT (ARRAY['piling','billboard','structure'])[1 + i % 3], (ARRAY['reported','verified','closed','rectifying'])[1 + i % 4], 'patrol',
              ST_SetSRID(ST_MakePoint(113 + (i % 200) * 0.005, 34 + (i / 200) * 0.005), 4326), '{}', true, '410104',
              timestamptz '2024-01-01' + i * interval '7 minutes',
              CASE WHEN i % 5 = 0 THEN NULL ELSE r.codes[1 + i % cardinality(r.codes)] END, CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 997) * 10 END,
              CASE WHEN i % 3 = 0 THEN NULL ELSE '410104-2019-' || lpad(i::text, 6, '0') END,
              CASE WHEN i % 4 = 0 THEN NULL ELSE timestamptz '2024-03-01' + (i % 500) * interval '1 hour' END
       FROM generate_series(1, $1) i, (SELECT array_agg(code ORDER BY code) AS codes FROM routes) r`,
      async (client) => {
        await client.query('ANALYZE violations');
        const wrong: string[] = [];
        for (const sort of VIOLATION_SORTS) {
          for (const order of ['asc', 'desc'] as const) {
            const plan = await explainViolationList(client as never, { sort, order }, 101);
            if (scansTable(plan, 'violations') || sortsManyRows(plan)) wrong.push(`${sort} ${order}:\n${plan}`);
          }
        }
        expect(wrong).toEqual([]);
      },
    );
  });
});

describe('detections list plans', () => {
  it('uses an index for a batch, for pending by priority and for a bbox', async () => {
    await withBigTable(
      `WITH batch AS (
         INSERT INTO detection_batches (content_sha256, status, file_format, source, before_date, after_date, crs, jurisdiction_code)
         VALUES (repeat('b', 64), 'done', 'features', 'plan-test', '2025-01-01', '2025-02-01', 'WGS84', '410104') RETURNING id)
       INSERT INTO detections (batch_id, feature_index, geom, area_square_meters, change_type, in_scope, priority, review_status, jurisdiction_code, confidence)
       SELECT batch.id, i, ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(113 + (i % 200) * 0.005, 34 + (i / 200) * 0.005), 4326), 0.0001, 2)),
              50, 'new_building', true, i % 101, (ARRAY['pending','confirmed','rejected','field'])[1 + i % 4], '410104', (i % 100) / 100.0
       FROM batch, generate_series(1, $1) i`,
      async (client) => {
        await client.query('ANALYZE detections');
        const batchId = (await client.query<{ id: number }>(`SELECT id::integer AS id FROM detection_batches WHERE source = 'plan-test'`)).rows[0]!.id;
        const base: DetectionFilter = { includeOutOfScope: false, sort: 'priority', order: 'desc' };
        const cases: [string, DetectionFilter][] = [
          ['default order', base],
          ['pending by priority', { ...base, statuses: ['pending'] }],
          ['batch', { ...base, batchId }],
          ['bbox', { ...base, bbox: { minLon: 113.1, minLat: 34.1, maxLon: 113.11, maxLat: 34.11 } }],
        ];
        for (const [name, filter] of cases) {
          const plan = await explainDetectionList(client as never, filter, 101);
          expect(scansTable(plan, 'detections'), `${name}:\n${plan}`).toBe(false);
          expect(plan, name).toMatch(/Index Scan|Index Only Scan|Bitmap Index Scan/);
        }
      },
    );
  });
});
