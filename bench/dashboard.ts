/**
 * bench:dashboard — the manager's endpoints on a generated province, side by side with the raw
 * aggregate SQL they read, in one run on one database.
 *
 * Generates (in its own database, dropped and recreated): 河南省 (bench) with 17 cities × 10
 * districts = 170 units, 120,000 violations over 3 years (every status, deadlines, clearances,
 * reopenings, a notice event per case with a running deadline) and 30,000 satellite leads. Then:
 * - full aggregate rebuild time;
 * - p95 of GET /dashboard and GET /rankings (province and city scope) through HTTP, and p95 of the
 *   same one statement each endpoint runs, directly on the pool (no HTTP, no auth, no scoped
 *   transaction, no row-level security), alternating request by request;
 * - transition → visible: a clearance committed, then the dashboard asked until it shows it, with
 *   the refresh job on a job queue as in production.
 *
 * Needs a real PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres npm run bench:dashboard
 */
import type { AddressInfo } from 'node:net';
import { createApp } from '../server/app.ts';
import { fmt, insertBenchJurisdictions, openFreshBenchDatabase, p95, timed } from './fresh_database.ts';
import { createUser } from '../server/auth/service.ts';
import { JobQueue } from '../server/jobs/job_queue.ts';
import { MANAGEMENT_REFRESH_EVERY_SECONDS, refreshManagementAggregates, registerManagementJobs } from '../server/management/aggregates.ts';
import { loadavg } from 'node:os';
import { addMonths, monthEnd, shanghaiToday } from '../server/management/periods.ts';
import { dashboardRanges } from '../server/management/dashboard_service.ts';
import { selectDashboard, selectRankings } from '../server/management/queries.ts';

const VIOLATIONS = 120_000;
const DETECTIONS = 30_000;
const CITIES = 17;
const DISTRICTS_PER_CITY = 10;
const ITERATIONS = 40;
const DATABASE_NAME = 'luyu_bench_dashboard';

const { db, config, pool } = await openFreshBenchDatabase('bench:dashboard', DATABASE_NAME);

console.log(`Luyu dashboard benchmark: ${fmt(VIOLATIONS)} violations, ${fmt(DETECTIONS)} leads, ${CITIES * DISTRICTS_PER_CITY} districts in ${CITIES} cities, 3 years; database ${DATABASE_NAME}`);

const generated = await timed(async () => {
  await insertBenchJurisdictions(pool, CITIES, DISTRICTS_PER_CITY);
  await pool.query('SELECT setseed(0.13)');
  // Statuses: a third still open, most of the rest cleared; deadlines 3–15 days after the report.
  await pool.query(
    // Each district's findings lie in a box of its own (city = column, district = row of the grid).
    `INSERT INTO violations (category, status, geom, source, verdict, is_violation, zones, jurisdiction_code, reported_at, updated_at, deadline_at, cleared_at, closed_at)
     SELECT category, status,
            ST_SetSRID(ST_MakePoint(110.5 + (substr(district, 3, 2)::int - 1 + random()) * (6.0 / $2), 31.5 + (substr(district, 5, 2)::int - 1 + random()) * (4.8 / $3)), 4326),
            'patrol', '{}', random() < 0.93,
            '{building_control}', district, reported_at, reported_at, deadline_at,
            CASE WHEN status IN ('cleared', 'reinspected', 'closed') THEN reported_at + (random() * 30 || ' days')::interval END,
            CASE WHEN status = 'closed' THEN reported_at + interval '31 days' END
     FROM (
       SELECT (ARRAY['billboard', 'structure', 'piling', 'trading', 'excavation'])[1 + floor(random() * 5)::int] AS category,
              (ARRAY['reported', 'verified', 'notice_issued', 'rectifying', 'reminded', 'cleared', 'reinspected', 'closed', 'closed', 'closed', 'closed', 'rejected'])[1 + floor(random() * 12)::int] AS status,
              '41' || lpad((1 + floor(random() * $2))::int::text, 2, '0') || lpad((1 + floor(random() * $3))::int::text, 2, '0') AS district,
              now() - (random() * 1095 || ' days')::interval AS reported_at,
              random() AS r
       FROM generate_series(1, $1)
     ) s CROSS JOIN LATERAL (SELECT s.reported_at + ((3 + floor(s.r * 13)) || ' days')::interval AS deadline_at) d`,
    [VIOLATIONS, CITIES, DISTRICTS_PER_CITY],
  );
  await pool.query(
    `INSERT INTO case_events (violation_id, event, from_status, to_status, occurred_at, actor_username, actor_role)
     SELECT id, 'issue_notice', 'verified', 'notice_issued', reported_at + interval '1 day', 'officer' || (id % 40), 'officer'
     FROM violations WHERE status IN ('notice_issued', 'rectifying', 'reminded')`,
  );
  // 1 in 60 verified cases was closed once and reopened.
  await pool.query(
    `INSERT INTO case_events (violation_id, event, from_status, to_status, occurred_at, actor_username, actor_role)
     SELECT id, 'reopen', 'closed', 'verified', reported_at + interval '40 days', 'officer', 'officer'
     FROM violations WHERE status = 'verified' AND id % 5 = 0`,
  );
  const batch = await pool.query<{ id: number }>(
    `INSERT INTO detection_batches (content_sha256, status, file_format, source, before_date, after_date, crs, jurisdiction_code, finished_at)
     VALUES (repeat('0', 64), 'done', 'geojson', 'bench', '2024-01-01', '2026-01-01', 'WGS84', '410000', now()) RETURNING id`,
  );
  await pool.query(
    `INSERT INTO detections (batch_id, feature_index, geom, area_square_meters, change_type, in_scope, jurisdiction_code, priority, review_status, created_at, reviewed_at)
     SELECT $1, i, ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(110.5 + random() * 6, 31.5 + random() * 4.8), 4326), 0.0003, 2)), 300, 'new_structure', true,
            '41' || lpad((1 + floor(random() * $3))::int::text, 2, '0') || lpad((1 + floor(random() * $4))::int::text, 2, '0'),
            50, s.status, s.created_at, CASE WHEN s.status <> 'pending' THEN s.created_at + (random() * 20 || ' days')::interval END
     FROM generate_series(1, $2) i
     CROSS JOIN LATERAL (SELECT (ARRAY['pending', 'confirmed', 'rejected', 'field'])[1 + floor(random() * 4)::int] AS status,
                                now() - (random() * 1095 || ' days')::interval AS created_at, i AS k) s`,
    [batch.rows[0]!.id, DETECTIONS, CITIES, DISTRICTS_PER_CITY],
  );
  await pool.query('ANALYZE');
});
console.log(`generated in ${fmt(generated.ms)} ms`);

const rebuild = await timed(() => refreshManagementAggregates(pool, { full: true }));
await pool.query('ANALYZE');
const counts = await pool.query<{ facts: number; daily: number }>('SELECT (SELECT count(*) FROM management_violation_facts)::integer AS facts, (SELECT count(*) FROM management_daily)::integer AS daily');
console.log(`full aggregate rebuild ${fmt(rebuild.ms)} ms → ${fmt(counts.rows[0]!.facts)} facts, ${fmt(counts.rows[0]!.daily)} daily rows`);

await createUser(pool, { username: 'bench_province', role: 'manager', jurisdictionCode: '410000', password: 'bench-password-1', skipPasswordRules: true } as never);
// The production path: a job queue (default poll interval) runs the aggregate refresh job, reads never refresh.
const jobs = new JobQueue(pool);
registerManagementJobs(jobs);
jobs.start();
const app = createApp({ db, config, jobs });
const server = app.listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench_province', password: 'bench-password-1' }) });
const { token } = (await login.json()) as { token: string };

async function requestEndpoint(path: string): Promise<void> {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  await response.json();
}

/**
 * Endpoint and raw SQL alternate request by request, so a burst of load from elsewhere on the
 * machine hits both series alike and their ratio stays meaningful.
 */
async function interleavedSamples(path: string, raw: () => Promise<unknown>): Promise<{ endpoint: number[]; raw: number[] }> {
  const samples = { endpoint: [] as number[], raw: [] as number[] };
  for (let index = 0; index < ITERATIONS + 5; index += 1) {
    const endpoint = await timed(() => requestEndpoint(path));
    const direct = await timed(raw);
    if (index < 5) continue;
    samples.endpoint.push(endpoint.ms);
    samples.raw.push(direct.ms);
  }
  return samples;
}

const today = shanghaiToday();
const monthFrom = `${today.slice(0, 7)}-01`;
const lastMonth = addMonths(today, -1);
// The same one statement each endpoint runs, straight on the pool: no HTTP, no session, no scoped
// transaction, no row-level security.
const rawDashboard = (scope: string) => () => selectDashboard(pool, scope, dashboardRanges(monthFrom, today, today));
const rawRanking = (parent: string) => () => selectRankings(pool, parent, `${lastMonth}-01`, monthEnd(lastMonth), today);

const cases: { label: string; path: string; raw: () => Promise<unknown> }[] = [
  { label: 'GET /dashboard (province, 170 districts)', path: '/dashboard', raw: rawDashboard('410000') },
  { label: 'GET /dashboard?jurisdiction=410100 (city)', path: '/dashboard?jurisdiction=410100', raw: rawDashboard('410100') },
  { label: `GET /rankings?period=${lastMonth} (17 cities)`, path: `/rankings?period=${lastMonth}`, raw: rawRanking('410000') },
  { label: `GET /rankings?period=${lastMonth}&jurisdiction=410100`, path: `/rankings?period=${lastMonth}&jurisdiction=410100`, raw: rawRanking('410100') },
];
const load = () => loadavg().map((value) => value.toFixed(1)).join(' ');
console.log(`\nload average before the measurements: ${load()} (1, 5, 15 min; ${(await import('node:os')).cpus().length} cores)`);
console.log(`${'endpoint'.padEnd(52)} ${'p95 ms'.padStart(8)} ${'raw SQL p95'.padStart(12)} ${'ratio'.padStart(7)}   (${ITERATIONS} of each, alternating, after 5 warm-up)`);
for (const item of cases) {
  const samples = await interleavedSamples(item.path, item.raw);
  const endpoint = p95(samples.endpoint);
  const raw = p95(samples.raw);
  console.log(`${item.label.padEnd(52)} ${fmt(endpoint).padStart(8)} ${fmt(raw).padStart(12)} ${(endpoint / raw).toFixed(2).padStart(6)}×`);
}

// Refresh after one transition, end to end: commit a clearance, then ask the dashboard of the
// case's district (as the manager, through HTTP) until its open count shows it. The job queue
// polls every second and the refresh job runs every MANAGEMENT_REFRESH_EVERY_SECONDS.
const latencies: number[] = [];
for (let index = 0; index < 10; index += 1) {
  const target = await pool.query<{ id: number; jurisdiction_code: string }>(
    `SELECT id, jurisdiction_code FROM violations WHERE status = 'rectifying' AND is_violation ORDER BY id OFFSET $1 LIMIT 1`,
    [index * 7],
  );
  const row = target.rows[0]!;
  const openOf = async () => {
    const response = await fetch(`${base}/dashboard?jurisdiction=${row.jurisdiction_code}`, { headers: { authorization: `Bearer ${token}` } });
    return ((await response.json()) as { figures: { open: { value: number } } }).figures.open.value;
  };
  const before = await openOf();
  const started = performance.now();
  await pool.query(`UPDATE violations SET status = 'cleared', version = version + 1, updated_at = now() WHERE id = $1`, [row.id]);
  while ((await openOf()) !== before - 1) {
    if (performance.now() - started > 60_000) throw new Error(`case ${row.id}: not visible on the dashboard after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  latencies.push(performance.now() - started);
}
console.log(
  `\ntransition → visible on the dashboard (refresh job every ${MANAGEMENT_REFRESH_EVERY_SECONDS} s, queue poll 1 s, dashboard polled every 100 ms): ` +
    `p95 ${fmt(p95(latencies))} ms, max ${fmt(Math.max(...latencies))} ms (target ≤ 5,000 ms)`,
);

console.log(`load average after: ${load()}`);

await new Promise<void>((resolve) => server.close(() => resolve()));
await jobs.stop();
await db.close();
