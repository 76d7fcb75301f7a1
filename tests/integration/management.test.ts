/**
 * Dashboard, rankings and campaign progress recomputed from records this file creates, in a test
 * city of its own (419800: districts 419801 A, 419802 B, 419803 C) so other test files running in
 * parallel never change the counts. Every expected number is worked out by hand in the comments.
 *
 * Months: Q = two months ago, P = last month, M = this month (Asia/Shanghai); records are dated in
 * Q and P so the test does not depend on today's day of the month. One case clears at the start
 * of M (moves between months).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/auth/service.ts';
import { refreshManagementAggregates } from '../../server/management/aggregates.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

let server: TestServer;
let managerToken: string;
let districtManagerToken: string;

const shanghaiNow = new Date(Date.now() + 8 * 3_600_000);
function monthLabel(offset: number): string {
  const date = new Date(Date.UTC(shanghaiNow.getUTCFullYear(), shanghaiNow.getUTCMonth() + offset, 1));
  return date.toISOString().slice(0, 7);
}
const Q = monthLabel(-2);
const P = monthLabel(-1);
const M = monthLabel(0);
const day = (month: string, dayOfMonth: number) => `${month}-${String(dayOfMonth).padStart(2, '0')}`;
const at = (month: string, dayOfMonth: number) => `${day(month, dayOfMonth)}T10:00:00+08:00`;
/** Plain calendar arithmetic for expected dates (independent of the code under test). */
function plusDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

interface CaseSpec {
  key: string;
  district: string;
  category?: string;
  status: string;
  reportedAt: string;
  deadlineAt?: string;
  clearedAt?: string;
  reopenedAt?: string;
  isViolation?: boolean;
}

const ids = new Map<string, number>();

async function insertCase(spec: CaseSpec): Promise<void> {
  const pool = server.db.pool;
  const result = await pool.query<{ id: number }>(
    `INSERT INTO violations (category, status, geom, source, verdict, is_violation, jurisdiction_code, reported_at, updated_at, deadline_at, cleared_at, closed_at, zones)
     VALUES ($1, $2, ST_SetSRID(ST_MakePoint(113.9, 34.6), 4326), 'patrol', '{}', $3, $4, $5, $5, $6, $7, CASE WHEN $2 = 'closed' THEN $7::timestamptz END, '{building_control}')
     RETURNING id`,
    [spec.category ?? 'billboard', spec.status, spec.isViolation ?? true, spec.district, spec.reportedAt, spec.deadlineAt ?? null, spec.clearedAt ?? null],
  );
  const id = result.rows[0]!.id;
  ids.set(spec.key, id);
  if (spec.reopenedAt) {
    await pool.query(
      `INSERT INTO case_events (violation_id, event, from_status, to_status, occurred_at, actor_username, actor_role)
       VALUES ($1, 'reopen', 'closed', 'verified', $2, 'mgmt_test', 'officer')`,
      [id, spec.reopenedAt],
    );
  }
}

beforeAll(async () => {
  server = await startTestServer({ as: null });
  const pool = server.db.pool;
  await pool.query(
    `INSERT INTO jurisdictions (code, name, level, parent_code) VALUES
       ('419800', '测试市', 'city', '410000'), ('419801', '甲区', 'district', '419800'),
       ('419802', '乙区', 'district', '419800'), ('419803', '丙区', 'district', '419800')`,
  );
  await createUser(pool, { username: 'mgmt_city', role: 'manager', jurisdictionCode: '419800', password: 'luyu-demo', isDemo: false, skipPasswordRules: true } as never);
  await createUser(pool, { username: 'mgmt_district', role: 'manager', jurisdictionCode: '419801', password: 'luyu-demo', isDemo: false, skipPasswordRules: true } as never);
  managerToken = await server.login('mgmt_city');
  districtManagerToken = await server.login('mgmt_district');

  const A = '419801';
  const B = '419802';
  // District A
  await insertCase({ key: 'a1', district: A, status: 'closed', reportedAt: at(P, 5), deadlineAt: at(P, 12), clearedAt: at(P, 10) }); // on time
  await insertCase({ key: 'a2', district: A, status: 'reinspected', reportedAt: at(P, 5), deadlineAt: at(P, 12), clearedAt: at(P, 20) }); // late
  await insertCase({ key: 'a3', district: A, status: 'rectifying', reportedAt: at(P, 10), deadlineAt: at(P, 15) }); // overdue
  await insertCase({ key: 'a4', district: A, status: 'verified', reportedAt: at(P, 10) }); // open, no deadline
  // Reported in P, cleared on the 1st of M after its deadline (moves between months).
  await insertCase({ key: 'a5', district: A, status: 'closed', reportedAt: at(P, 20), deadlineAt: `${day(M, 1)}T00:30:00+08:00`, clearedAt: `${day(M, 1)}T01:00:00+08:00` });
  // Closed in Q, reopened in P: now verified again (open, no standing clearance).
  await insertCase({ key: 'a6', district: A, status: 'verified', reportedAt: at(Q, 3), deadlineAt: at(Q, 10), reopenedAt: at(P, 15) });
  await insertCase({ key: 'a7', district: A, status: 'rejected', reportedAt: at(Q, 4) }); // not a case: never counted
  // District B
  await insertCase({ key: 'b1', district: B, status: 'closed', reportedAt: at(Q, 5), deadlineAt: at(Q, 9), clearedAt: at(Q, 6) });
  await insertCase({ key: 'b2', district: B, status: 'rectifying', reportedAt: at(Q, 5), deadlineAt: at(Q, 20) }); // overdue
  await insertCase({ key: 'b3', district: B, status: 'closed', reportedAt: at(P, 3), deadlineAt: at(P, 10), clearedAt: at(P, 4) });
  await insertCase({ key: 'b4', district: B, status: 'reported', reportedAt: at(P, 6), isViolation: false }); // outside road law: never counted

  // A formula set for the test city from P on (written directly: the API refuses past months).
  await pool.query(
    `INSERT INTO scoring_formulas (jurisdiction_code, effective_from, rules, note) VALUES ('419800', $1::date, $2::jsonb, 'test: from P')`,
    [
      `${P}-01`,
      JSON.stringify([
        { rule: 'closure_rate', maxPoints: 40 },
        { rule: 'on_time_rate', maxPoints: 20 },
        { rule: 'overdue_cases', pointsEach: 5, maxPoints: 20 },
        { rule: 'recurrence', pointsEach: 3, maxPoints: 9 },
      ]),
    ],
  );
  // The refresh job would fold these in within seconds; fold them now so every read below is current.
  await refreshManagementAggregates(pool);
});

afterAll(async () => {
  await server?.close();
});

const asManager = (path: string, init?: RequestInit) => server.requestWith(managerToken, path, init);

describe('dashboard', () => {
  it('counts the test city by hand and every href lists exactly that many records', async () => {
    const from = day(Q, 1);
    const response = await asManager(`/dashboard?jurisdiction=419800&from=${from}`);
    expect(response.status).toBe(200);
    const figures = response.body.figures;
    // open (not cleared): a3, a4, a6, b2 = 4; overdue (deadline passed, running): a3, b2 = 2
    expect(figures.open.value).toBe(4);
    expect(figures.overdue.value).toBe(2);
    // cleared since Q-01: a1, a2, a5, b1, b3 = 5; of them after the deadline: a2, a5 = 2
    expect(figures.cleared.value).toBe(5);
    expect(figures.clearedLate.value).toBe(2);
    // reported since Q-01 (cases only: not a7 rejected, not b4 outside road law): a1–a6, b1–b3 = 9; cleared now 9 − 4 open = 5
    expect(figures.reported.value).toBe(9);
    expect(figures.reportedCleared.value).toBe(5);
    expect(figures.clearanceRate.value).toBeCloseTo(5 / 9, 10);
    // billboard days to clear: b1 1, b3 1, a1 5, a2 15, a5 ≥ 9 → sorted [1, 1, 5, ≥9, 15]: median 5
    expect(response.body.categories).toEqual([expect.objectContaining({ category: 'billboard', medianDaysToClear: 5, cleared: expect.objectContaining({ value: 5 }) })]);
    // density: all open cases share one cell
    expect(response.body.density.cells).toEqual([expect.objectContaining({ open: 4 })]);
    // overdue list: b2 (deadline Q-20) before a3 (P-15)
    expect(response.body.overdueList.items.map((item: { id: number }) => item.id)).toEqual([ids.get('b2'), ids.get('a3')]);

    const countFigures: { value: number; href: string }[] = [
      figures.open, figures.overdue, figures.cleared, figures.clearedLate, figures.reported, figures.reportedCleared,
      ...response.body.categories.map((category: { cleared: { value: number; href: string } }) => category.cleared),
      ...response.body.trend.flatMap((point: { reported: { value: number; href: string }; cleared: { value: number; href: string } }) => [point.reported, point.cleared]),
    ];
    for (const figure of countFigures) {
      const list = await asManager(figure.href.replace('/api/v1', ''));
      expect(list.status, figure.href).toBe(200);
      expect(list.body.numberMatched, figure.href).toBe(figure.value);
    }
    const trend = new Map(response.body.trend.map((point: { month: string; reported: { value: number }; cleared: { value: number } }) => [point.month, point]));
    // Q: reported a6, b1, b2 = 3, cleared b1 = 1; P: reported a1–a5, b3 = 6, cleared a1, a2, b3 = 3; M: cleared a5 = 1
    expect(trend.get(Q)).toMatchObject({ reported: { value: 3 }, cleared: { value: 1 } });
    expect(trend.get(P)).toMatchObject({ reported: { value: 6 }, cleared: { value: 3 } });
    expect(trend.get(M)).toMatchObject({ reported: { value: 0 }, cleared: { value: 1 } });
  });

  it('shows a transition once the refresh job has run (reads never refresh with a job queue)', async () => {
    const before = await asManager('/dashboard?jurisdiction=419802');
    // b2 cleared now: the write marks it; the scheduled job (server/management/aggregates.ts) folds it in.
    await server.db.pool.query(`UPDATE violations SET status = 'cleared', version = version + 1 WHERE id = $1`, [ids.get('b2')]);
    const open = async () => (await asManager('/dashboard?jurisdiction=419802')).body.figures.open.value;
    await expect.poll(open, { timeout: 30_000, interval: 250 }).toBe(before.body.figures.open.value - 1);
    const after = await asManager('/dashboard?jurisdiction=419802');
    expect(after.body.figures.overdue.value).toBe(before.body.figures.overdue.value - 1);
    await server.db.pool.query(`UPDATE violations SET status = 'rectifying', version = version + 1 WHERE id = $1`, [ids.get('b2')]);
    await expect.poll(open, { timeout: 30_000, interval: 250 }).toBe(before.body.figures.open.value);
  });

  it('is scoped: a district manager sees their district, not a sibling', async () => {
    const own = await server.requestWith(districtManagerToken, '/dashboard');
    expect(own.status).toBe(200);
    expect(own.body.jurisdiction.code).toBe('419801');
    // A: open a3, a4, a6 = 3
    expect(own.body.figures.open.value).toBe(3);
    const sibling = await server.requestWith(districtManagerToken, '/dashboard?jurisdiction=419802');
    expect(sibling.status).toBe(403);
    expect(sibling.body.error.code).toBe('OUTSIDE_JURISDICTION');
  });
});

describe('rankings', () => {
  it('scores Q by the default formula and P by the city formula in force then', async () => {
    // Q, default formula (closure 30, on-time 25, overdue 1 each ≤ 15, recurrence 2 each ≤ 10, leads, patrol neutral):
    //  A: reported a6 = 1, open 1 → closure 30 × 1/1 = 30; nothing cleared in Q (a6's clearance was undone) → 70
    //  B: reported b1, b2 = 2, open b2 → closure 30 × 1/2 = 15; overdue b2 (deadline Q-20) → 1 → 84
    //  C: nothing → 100
    const q = await asManager(`/rankings?period=${Q}&jurisdiction=419800`);
    expect(q.status).toBe(200);
    expect(q.body.formulaVersion).toBe(1);
    expect(q.body.units.map((unit: { code: string; score: number; rank: number }) => [unit.code, unit.score, unit.rank])).toEqual([
      ['419803', 100, 1],
      ['419802', 84, 2],
      ['419801', 70, 3],
    ]);
    const bQ = q.body.units.find((unit: { code: string }) => unit.code === '419802');
    expect(bQ.lost.find((item: { rule: string }) => item.rule === 'closure_rate')).toMatchObject({ points: 15, count: 1 });
    expect(bQ.lost.find((item: { rule: string }) => item.rule === 'overdue_cases')).toMatchObject({ points: 1, count: 1 });
    expect(bQ.lost.find((item: { rule: string }) => item.rule === 'patrol_coverage')).toMatchObject({ points: 0, neutral: true, href: null });

    // P, city formula (closure 40, on-time 20, overdue 5 each ≤ 20, recurrence 3 each ≤ 9):
    //  A: reported a1–a5 = 5, open a3, a4 = 2 → 40 × 2/5 = 16; cleared in P a1, a2, late a2 → 20 × 1/2 = 10;
    //     overdue a3 → 5; reopened a6 → 3; total 34 → 66
    //  B: reported b3, cleared on time → 100; C → 100 (tie: both rank 1, A rank 3)
    const p = await asManager(`/rankings?period=${P}&jurisdiction=419800`);
    expect(p.body.formulaVersion).not.toBe(1);
    expect(p.body.units.map((unit: { code: string; score: number; rank: number }) => [unit.code, unit.score, unit.rank])).toEqual([
      ['419802', 100, 1],
      ['419803', 100, 1],
      ['419801', 66, 3],
    ]);
    const aP = p.body.units.find((unit: { code: string }) => unit.code === '419801');
    expect(aP.lost.map((item: { rule: string; points: number; count: number }) => [item.rule, item.points, item.count])).toEqual([
      ['closure_rate', 16, 2],
      ['on_time_rate', 10, 1],
      ['overdue_cases', 5, 1],
      ['recurrence', 3, 1],
    ]);
    // Every lost point opens the records behind it.
    for (const item of aP.lost) {
      const list = await asManager(item.href.replace('/api/v1', ''));
      expect(list.body.numberMatched, item.href).toBe(item.count);
    }
    const recurrence = await asManager(aP.lost[3].href.replace('/api/v1', ''));
    expect(recurrence.body.features.map((feature: { id: number }) => feature.id)).toEqual([ids.get('a6')]);
  });

  it('refuses a formula version that would rescore a past month, accepts this month', async () => {
    const rules = [{ rule: 'closure_rate', maxPoints: 50 }];
    const past = await asManager('/scoring-formula', { method: 'PUT', body: JSON.stringify({ effectiveFrom: P, rules }) });
    expect(past.status).toBe(400);
    expect(past.body.error.code).toBe('FORMULA_EFFECTIVE_IN_PAST');
    const tooMuch = await asManager('/scoring-formula', { method: 'PUT', body: JSON.stringify({ effectiveFrom: M, rules: [{ rule: 'closure_rate', maxPoints: 80 }, { rule: 'on_time_rate', maxPoints: 30 }] }) });
    expect(tooMuch.body.error.code).toBe('FORMULA_INVALID');
    const now = await asManager('/scoring-formula', { method: 'PUT', body: JSON.stringify({ effectiveFrom: M, rules }) });
    expect(now.status).toBe(200);
    const read = await asManager('/scoring-formula');
    expect(read.body.current.version).toBe(now.body.version);
    // P is still scored by the version in force then.
    const p = await asManager(`/rankings?period=${P}&jurisdiction=419800`);
    expect(p.body.formulaVersion).not.toBe(now.body.version);
    expect(p.body.units.find((unit: { code: string }) => unit.code === '419801').score).toBe(66);
  });

  it('prints the bulletin and its workbook', async () => {
    const html = await server.requestWith(managerToken, `/rankings/bulletin?period=${P}&jurisdiction=419800`);
    expect(html.status).toBe(200);
    expect(html.body).toContain('甲区');
    expect(html.body).toContain('66.00');
    const xlsx = await fetch(`${server.baseUrl}/api/v1/rankings/bulletin?period=${P}&jurisdiction=419800&format=xlsx`, { headers: { authorization: `Bearer ${managerToken}` } });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });
});

describe('campaigns', () => {
  it('progress and forecast at a given day, everything found in scope', async () => {
    const created = await asManager('/campaigns', {
      method: 'POST',
      body: JSON.stringify({ name: '测试广告清理', scope: { jurisdictions: ['419801', '419802'], categories: ['billboard'] }, startDate: day(P, 1), deadline: day(P, 28) }),
    });
    expect(created.status).toBe(201);
    const asOf = day(P, 20);
    const progress = await asManager(`/campaigns/${created.body.id}/progress?asOf=${asOf}`);
    expect(progress.status).toBe(200);
    // found by P-20, not cleared before P-01: A a1–a6 = 6, B b2, b3 = 2 (b1 cleared in Q) → target 8
    // cleared P-01…P-20: a1 (P-10), a2 (P-20), b3 (P-04) = 3 → remaining 5
    // T = 20 days, λ = 3/20 = 0.15 → ⌈5 / 0.15⌉ = ⌈33.3⌉ = 34 days
    // 1.645·√3 = 2.8492: λ_high = 5.8492/20 = 0.29246 → ⌈17.10⌉ = 18; λ_low = 0.15082/20 = 0.0075410 → ⌈663.04⌉ = 664
    expect(progress.body).toMatchObject({
      target: 8,
      cleared: 3,
      remaining: 5,
      forecastFinishDate: plusDays(asOf, 34),
      earliestFinishDate: plusDays(asOf, 18),
      latestFinishDate: plusDays(asOf, 664),
      onTrack: false,
    });
    expect(progress.body.series).toHaveLength(20);
    expect(progress.body.series[3]).toEqual({ date: day(P, 4), cleared: 1 });
    expect(progress.body.series[19]).toEqual({ date: asOf, cleared: 3 });
    // A: target 6, cleared 2, λ = 0.1 → ⌈4/0.1⌉ = 40 days; B: target 2, cleared 1, λ = 0.05 → 20 days; both after P-28
    expect(progress.body.byUnit).toEqual([
      { code: '419801', name: '甲区', target: 6, cleared: 2, remaining: 4, forecastFinishDate: plusDays(asOf, 40), onTrack: false },
      { code: '419802', name: '乙区', target: 2, cleared: 1, remaining: 1, forecastFinishDate: plusDays(asOf, 20), onTrack: false },
    ]);
  });

  it('splits a number target over units by what they found', async () => {
    const created = await asManager('/campaigns', {
      method: 'POST',
      body: JSON.stringify({ name: '测试目标4', scope: { jurisdictions: ['419801', '419802'], categories: ['billboard'] }, startDate: day(P, 1), deadline: day(P, 28), target: 4 }),
    });
    const asOf = day(P, 20);
    const progress = await asManager(`/campaigns/${created.body.id}/progress?asOf=${asOf}`);
    // 4 × 6/8 = 3 (A), 4 × 2/8 = 1 (B). Total: remaining 1, λ 0.15 → ⌈6.67⌉ = 7 → P-27 ≤ P-28: on track.
    // B: 1 of 1 done on P-04; A: 1 left at λ 0.1 → 10 days → P-30 > P-28: behind.
    expect(progress.body).toMatchObject({ target: 4, cleared: 3, remaining: 1, forecastFinishDate: plusDays(asOf, 7), onTrack: true });
    expect(progress.body.byUnit).toEqual([
      { code: '419801', name: '甲区', target: 3, cleared: 2, remaining: 1, forecastFinishDate: plusDays(asOf, 10), onTrack: false },
      { code: '419802', name: '乙区', target: 1, cleared: 1, remaining: 0, forecastFinishDate: day(P, 4), onTrack: true },
    ]);
    const report = await asManager(`/campaigns/${created.body.id}/report?asOf=${asOf}`);
    expect(report.status).toBe(200);
    expect(report.body).toContain('测试目标4');
    // A day per point from the start: a date in year 9999 would build millions of rows.
    for (const far of ['9999-12-31', '1900-01-01']) {
      const refused = await asManager(`/campaigns/${created.body.id}/report?format=xlsx&asOf=${far}`);
      expect(refused.status, far).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('refuses a scope outside the manager, and other districts cannot see the campaign', async () => {
    const outside = await asManager('/campaigns', {
      method: 'POST',
      body: JSON.stringify({ name: '越界', scope: { jurisdictions: ['410104'] }, startDate: day(P, 1), deadline: day(P, 28) }),
    });
    expect(outside.status).toBe(403);
    const list = await asManager('/campaigns');
    const id = list.body.items[0].id;
    const demoManager = await server.login('manager'); // 管城区 410104
    const hidden = await server.requestWith(demoManager, `/campaigns/${id}`);
    expect(hidden.status).toBe(404);
    const officer = await server.login('officer');
    const forbidden = await server.requestWith(officer, '/campaigns', { method: 'POST', body: JSON.stringify({ name: 'x', scope: {}, startDate: day(P, 1), deadline: day(P, 2) }) });
    expect(forbidden.status).toBe(403);
  });

  it('keeps aggregate rows of the test city away from another district (row-level security)', async () => {
    const demoManager = await server.login('manager');
    const dashboard = await server.requestWith(demoManager, '/dashboard?jurisdiction=419801');
    expect(dashboard.status).toBe(403);
    const client = await server.db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL ROLE luyu_app');
      await client.query(`SELECT set_config('luyu.scope_codes', '410104', true), set_config('luyu.scope_is_top', 'off', true)`);
      for (const table of ['management_violation_facts', 'management_daily', 'management_clear_days', 'management_open_cells', 'management_lead_days', 'campaigns']) {
        const rows = await client.query(`SELECT count(*)::integer AS n FROM ${table} WHERE jurisdiction_code LIKE '4198%'`);
        expect(rows.rows[0].n, table).toBe(0);
      }
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

describe('demo', () => {
  it('city_manager ranks the districts of 郑州市 with different scores and sees the demo campaign', async () => {
    const token = await server.login('city_manager');
    const lastMonth = await server.requestWith(token, `/rankings?period=${P}`);
    expect(lastMonth.status).toBe(200);
    expect(lastMonth.body.jurisdiction.code).toBe('410100');
    const withCases = lastMonth.body.units.filter((unit: { lost: { count: number }[] }) => unit.lost.some((item) => item.count > 0));
    expect(withCases.length).toBeGreaterThanOrEqual(4);
    expect(new Set(withCases.map((unit: { score: number }) => unit.score)).size).toBeGreaterThanOrEqual(3);
    const campaigns = await server.requestWith(token, '/campaigns');
    const demo = campaigns.body.items.find((item: { name: string }) => item.name === '高速公路沿线广告设施清理');
    const progress = await server.requestWith(token, `/campaigns/${demo.id}/progress`);
    expect(progress.body.byUnit.length).toBeGreaterThanOrEqual(4);
    expect(progress.body.cleared).toBeGreaterThan(0);
  });
});
