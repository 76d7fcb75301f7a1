/**
 * bench:lists — the big lists at any page depth on a generated province, side by side with the
 * raw SQL each endpoint runs, in one run on one database. Asserts nothing; prints figures.
 *
 * Generates (in its own database, dropped and recreated): a bench province with a few cities of
 * districts, `--violations` violations (default 200,000) and `--detections` satellite leads
 * (default 50,000), spread over 3 years. Then, as a province-scope manager through HTTP, and
 * alternating request by request with the same statements straight on the pool (no HTTP, no
 * session, no scoped transaction, no row-level security), measures p95 of:
 * - page 1;
 * - a deep page (`--depth` rows in, default half the rows) by cursor: the cursor is the one
 *   links.next would carry, built from the key of the row just before that depth with
 *   server/paging/keyset.ts's encodeCursor, and checked against a page reached by offset;
 * - the same depth by offset (what the pages did before cursors).
 * The "raw SQL" column is the page statement plus the bounded count, as the endpoint runs them.
 *
 * Needs a real PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres npm run bench:lists -- --violations 200000
 */
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createApp } from '../server/app.ts';
import { fmt, insertBenchJurisdictions, openFreshBenchDatabase, p95, timed } from './fresh_database.ts';
import { createUser } from '../server/auth/service.ts';
import { countDetections, selectDetections } from '../server/detections/queries.ts';
import type { DetectionFilter } from '../server/detections/types.ts';
import { encodeCursor, type PageStart } from '../server/paging/keyset.ts';
import { countViolations, selectViolations } from '../server/violations/queries.ts';
import type { ViolationFilter } from '../server/violations/types.ts';

const { values: options } = parseArgs({
  options: {
    violations: { type: 'string', default: '200000' },
    detections: { type: 'string', default: '50000' },
    depth: { type: 'string' },
    iterations: { type: 'string', default: '30' },
    limit: { type: 'string', default: '100' },
  },
});
const VIOLATIONS = Number(options.violations);
const DETECTIONS = Number(options.detections);
const ITERATIONS = Number(options.iterations);
const PAGE_LIMIT = Number(options.limit);
const CITIES = 4;
const DISTRICTS_PER_CITY = 5;
const DATABASE_NAME = 'luyu_bench_lists';
for (const [name, value] of Object.entries({ VIOLATIONS, DETECTIONS, ITERATIONS, PAGE_LIMIT })) {
  if (!Number.isSafeInteger(value) || value < 1) {
    console.error(`bench:lists: ${name} must be a whole number ≥ 1`);
    process.exit(2);
  }
}

const { db, config, pool } = await openFreshBenchDatabase('bench:lists', DATABASE_NAME);

console.log(
  `Luyu lists benchmark: ${fmt(VIOLATIONS)} violations, ${fmt(DETECTIONS)} leads, ${CITIES * DISTRICTS_PER_CITY} districts in ${CITIES} cities, 3 years; ` +
    `pages of ${PAGE_LIMIT}; database ${DATABASE_NAME}`,
);

const generated = await timed(async () => {
  await insertBenchJurisdictions(pool, CITIES, DISTRICTS_PER_CITY);
  await pool.query('SELECT setseed(0.15)');
  // Each district's findings lie in a box of its own; every status, reports over 3 years.
  await pool.query(
    `INSERT INTO violations (category, status, geom, source, verdict, is_violation, zones, jurisdiction_code, reported_at, updated_at, deadline_at)
     SELECT category, status,
            ST_SetSRID(ST_MakePoint(110.5 + (substr(district, 3, 2)::int - 1 + random()) * (6.0 / $2), 31.5 + (substr(district, 5, 2)::int - 1 + random()) * (4.8 / $3)), 4326),
            'patrol', '{}', random() < 0.93, '{building_control}', district, reported_at, reported_at,
            reported_at + ((3 + floor(random() * 13)) || ' days')::interval
     FROM (
       SELECT (ARRAY['billboard', 'structure', 'piling', 'trading', 'excavation'])[1 + floor(random() * 5)::int] AS category,
              (ARRAY['reported', 'verified', 'notice_issued', 'rectifying', 'reminded', 'cleared', 'reinspected', 'closed', 'closed', 'rejected'])[1 + floor(random() * 10)::int] AS status,
              '41' || lpad((1 + floor(random() * $2))::int::text, 2, '0') || lpad((1 + floor(random() * $3))::int::text, 2, '0') AS district,
              now() - (random() * 1095 || ' days')::interval AS reported_at
       FROM generate_series(1, $1)
     ) s`,
    [VIOLATIONS, CITIES, DISTRICTS_PER_CITY],
  );
  const batch = await pool.query<{ id: number }>(
    `INSERT INTO detection_batches (content_sha256, status, file_format, source, before_date, after_date, crs, jurisdiction_code, finished_at)
     VALUES (repeat('0', 64), 'done', 'geojson', 'bench', '2024-01-01', '2026-01-01', 'WGS84', '410000', now()) RETURNING id`,
  );
  // Priorities 0–100 repeat a lot, so the (priority, id) key's tie-break on id matters.
  await pool.query(
    `INSERT INTO detections (batch_id, feature_index, geom, area_square_meters, change_type, in_scope, jurisdiction_code, priority, review_status, created_at)
     SELECT $1, i, ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(110.5 + random() * 6, 31.5 + random() * 4.8), 4326), 0.0003, 2)), 300, 'new_structure', true,
            '41' || lpad((1 + floor(random() * $3))::int::text, 2, '0') || lpad((1 + floor(random() * $4))::int::text, 2, '0'),
            floor(random() * 101)::int, (ARRAY['pending', 'confirmed', 'rejected', 'field'])[1 + floor(random() * 4)::int],
            now() - (random() * 1095 || ' days')::interval
     FROM generate_series(1, $2) i`,
    [batch.rows[0]!.id, DETECTIONS, CITIES, DISTRICTS_PER_CITY],
  );
  await pool.query('VACUUM ANALYZE');
});
console.log(`generated in ${fmt(generated.ms)} ms`);

await createUser(pool, { username: 'bench_province', role: 'manager', jurisdictionCode: '410000', password: 'bench-password-1', skipPasswordRules: true } as never);
const app = createApp({ db, config });
const server = app.listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench_province', password: 'bench-password-1' }) });
const { token } = (await login.json()) as { token: string };

interface ListPage {
  features: { properties: { id: number } }[];
  numberMatched: number;
  numberMatchedIsEstimate: boolean;
  links: { next?: string };
}

async function requestEndpoint(path: string): Promise<ListPage> {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as ListPage;
}

/**
 * Endpoint and raw SQL alternate request by request, so a burst of load from elsewhere on the
 * machine hits both series alike and their ratio stays meaningful.
 */
async function interleavedSamples(path: string, raw: () => Promise<unknown>): Promise<{ endpoint: number[]; raw: number[] }> {
  const samples = { endpoint: [] as number[], raw: [] as number[] };
  for (let index = 0; index < ITERATIONS + 3; index += 1) {
    const endpoint = await timed(() => requestEndpoint(path));
    const direct = await timed(raw);
    if (index < 3) continue;
    samples.endpoint.push(endpoint.ms);
    samples.raw.push(direct.ms);
  }
  return samples;
}

interface ListCase {
  label: string;
  path: string;
  raw: () => Promise<unknown>;
}

// Default sorts of the two lists, as the routes fill them in.
const violationFilter: ViolationFilter = { sort: 'reportedAt', order: 'desc' };
const detectionFilter: DetectionFilter = { includeOutOfScope: false, sort: 'priority', order: 'desc' };
// The statements each endpoint runs for one page: the page (one row more) and, unless the page
// itself tells the total, the bounded count.
const rawViolations = (start: PageStart) => async () => {
  await selectViolations(pool, violationFilter, PAGE_LIMIT, start);
  await countViolations(pool, violationFilter);
};
const rawDetections = (start: PageStart) => async () => {
  await selectDetections(pool, detectionFilter, PAGE_LIMIT, start);
  await countDetections(pool, detectionFilter);
};

/**
 * The cursor links.next carries on the page that ends just before `depth`: the key of row
 * `depth - 1` (0-based), encoded as keyset.ts encodes it. Checked: its page starts where the
 * offset page at `depth` starts.
 */
async function deepCursor(
  list: string,
  depth: number,
  sort: string,
  order: 'asc' | 'desc',
  keyOfRow: (offset: number) => Promise<{ keyset: (string | number | null)[] } | undefined>,
): Promise<string> {
  const row = await keyOfRow(depth - 1);
  if (!row) throw new Error(`${list}: no row at ${depth - 1}`);
  const cursor = encodeCursor({ sort, order, values: row.keyset });
  const [byCursor, byOffset] = await Promise.all([requestEndpoint(`/${list}?limit=${PAGE_LIMIT}&cursor=${cursor}`), requestEndpoint(`/${list}?limit=${PAGE_LIMIT}&offset=${depth}`)]);
  const ids = (page: ListPage) => page.features.map((feature) => feature.properties.id).join(',');
  if (ids(byCursor) !== ids(byOffset)) throw new Error(`${list}: the cursor page at ${depth} differs from the offset page`);
  return cursor;
}

function listCases(list: string, cursor: string, depth: number, raw: (start: PageStart) => () => Promise<unknown>, after: PageStart): ListCase[] {
  const page = (offset: number) => 1 + Math.floor(offset / PAGE_LIMIT);
  return [
    { label: `GET /${list} page 1`, path: `/${list}?limit=${PAGE_LIMIT}`, raw: raw({ kind: 'offset', offset: 0 }) },
    { label: `GET /${list} page ${fmt(page(depth))} by cursor`, path: `/${list}?limit=${PAGE_LIMIT}&cursor=${cursor}`, raw: raw(after) },
    { label: `GET /${list} page ${fmt(page(depth))} by offset=${depth}`, path: `/${list}?limit=${PAGE_LIMIT}&offset=${depth}`, raw: raw({ kind: 'offset', offset: depth }) },
  ];
}

const depthOf = (total: number) => {
  const wanted = options.depth === undefined ? Math.floor(total / 2) : Number(options.depth);
  // A page boundary strictly inside the list, so the deep page is full.
  return Math.max(PAGE_LIMIT, Math.min(total - PAGE_LIMIT, Math.floor(wanted / PAGE_LIMIT) * PAGE_LIMIT));
};

const violationDepth = depthOf(VIOLATIONS);
const violationKeyRow = async (offset: number) => (await selectViolations(pool, violationFilter, 1, { kind: 'offset', offset }))[0];
const violationCursor = await deepCursor('violations', violationDepth, 'reportedAt', 'desc', violationKeyRow);
const violationAfter: PageStart = { kind: 'cursor', after: (await violationKeyRow(violationDepth - 1))!.keyset };
const detectionDepth = depthOf(DETECTIONS);
const detectionKeyRow = async (offset: number) => (await selectDetections(pool, detectionFilter, 1, { kind: 'offset', offset }))[0];
const detectionCursor = await deepCursor('detections', detectionDepth, 'priority', 'desc', detectionKeyRow);
const detectionAfter: PageStart = { kind: 'cursor', after: (await detectionKeyRow(detectionDepth - 1))!.keyset };

const firstPage = await requestEndpoint(`/violations?limit=${PAGE_LIMIT}`);
const rawCount = await countViolations(pool, violationFilter);
// The endpoint plans under row-level security, the raw count without it: their estimates may differ.
console.log(
  `violations: numberMatched ${fmt(firstPage.numberMatched)}${firstPage.numberMatchedIsEstimate ? ' (estimate)' : ''} through the endpoint, ` +
    `${fmt(rawCount.numberMatched)}${rawCount.numberMatchedIsEstimate ? ' (estimate)' : ''} on the pool`,
);
console.log(`violations: deep pages start at row ${fmt(violationDepth)} (cursor page checked equal to the offset page)`);
console.log(`detections: deep pages start at row ${fmt(detectionDepth)} (checked likewise)`);

const cases = [
  ...listCases('violations', violationCursor, violationDepth, rawViolations, violationAfter),
  ...listCases('detections', detectionCursor, detectionDepth, rawDetections, detectionAfter),
];
const load = () => loadavg().map((value) => value.toFixed(1)).join(' ');
console.log(`\nload average before the measurements: ${load()} (1, 5, 15 min; ${cpus().length} cores)`);
console.log(`${'endpoint'.padEnd(44)} ${'p95 ms'.padStart(8)} ${'raw SQL p95'.padStart(12)} ${'ratio'.padStart(7)}   (${ITERATIONS} of each, alternating, after 3 warm-up; target p95 ≤ 100 ms)`);
for (const item of cases) {
  const samples = await interleavedSamples(item.path, item.raw);
  const endpoint = p95(samples.endpoint);
  const raw = p95(samples.raw);
  console.log(`${item.label.padEnd(44)} ${fmt(endpoint).padStart(8)} ${fmt(raw).padStart(12)} ${(endpoint / raw).toFixed(2).padStart(6)}×`);
}
console.log(`load average after: ${load()}`);

await new Promise<void>((resolve) => server.close(() => resolve()));
await db.close();
