/**
 * Supervision (督办) through the API, in a test city of its own (419700: districts 419701 A and
 * 419702 B) so other files running in parallel never change what it counts. Expected numbers,
 * statuses and points are written out by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/auth/service.ts';
import { withRequestScope } from '../../server/db/transaction.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

let server: TestServer;
const tokens = new Map<string, string>();
const userIds = new Map<string, number>();
let stuckCaseId: number;
let closedCaseId: number;

const CITY = '419700';
const A = '419701';
const B = '419702';
const shanghaiToday = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const year = shanghaiToday.slice(0, 4);
/** Plain calendar arithmetic for expected dates (independent of the code under test). */
function plusDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
const inAWeek = plusDays(shanghaiToday, 7);

const as = (username: string, path: string, init?: RequestInit) => server.requestWith(tokens.get(username), path, init);
const post = (username: string, path: string, body: unknown) => as(username, path, { method: 'POST', body: JSON.stringify(body) });

async function supervise(username: string, body: Record<string, unknown>) {
  return post(username, '/supervisions', { subject: 'case', violationId: stuckCaseId, responsibleUsername: 'sup_officer_a', deadline: inAWeek, instructions: '限期拆除到位，报送整改照片', ...body });
}

beforeAll(async () => {
  server = await startTestServer({ as: null });
  const pool = server.db.pool;
  await pool.query(
    `INSERT INTO jurisdictions (code, name, level, parent_code) VALUES
       ('${CITY}', '督办测试市', 'city', '410000'), ('${A}', '督甲区', 'district', '${CITY}'), ('${B}', '督乙区', 'district', '${CITY}')`,
  );
  const users: [string, string, string][] = [
    ['sup_city', 'manager', CITY],
    ['sup_manager_a', 'manager', A],
    ['sup_officer_a', 'officer', A],
    ['sup_officer_a2', 'officer', A],
    ['sup_viewer_a', 'viewer', A],
    ['sup_manager_b', 'manager', B],
    ['sup_officer_b', 'officer', B],
  ];
  for (const [username, role, jurisdictionCode] of users) {
    const created = await createUser(pool, { username, role, jurisdictionCode, password: 'luyu-demo', isDemo: false, skipPasswordRules: true } as never);
    userIds.set(username, created.id);
    tokens.set(username, await server.login(username));
  }
  // A stuck case in A: notice issued, deadline passed 20 days ago.
  const stuck = await pool.query<{ id: number }>(
    `INSERT INTO violations (category, status, geom, source, verdict, is_violation, jurisdiction_code, reported_at, deadline_at, zones)
     VALUES ('billboard', 'rectifying', ST_SetSRID(ST_MakePoint(113.9, 34.6), 4326), 'patrol', '{}', true, $1, now() - interval '40 days', now() - interval '20 days', '{building_control}')
     RETURNING id`,
    [A],
  );
  stuckCaseId = stuck.rows[0]!.id;
  const closed = await pool.query<{ id: number }>(
    `INSERT INTO violations (category, status, geom, source, verdict, is_violation, jurisdiction_code, reported_at, closed_at, zones)
     VALUES ('billboard', 'closed', ST_SetSRID(ST_MakePoint(113.9, 34.6), 4326), 'patrol', '{}', true, $1, now() - interval '40 days', now(), '{building_control}')
     RETURNING id`,
    [A],
  );
  closedCaseId = closed.rows[0]!.id;
});

afterAll(async () => {
  await server?.close();
});

describe('issuing (交办)', () => {
  it('numbers items gap-free per issuing unit and year, also when a request fails in between', async () => {
    const first = await supervise('sup_city', {});
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      supervisionNumber: `DB-${CITY}-${year}-000001`,
      status: 'assigned',
      version: 1,
      subject: 'case',
      case: { id: stuckCaseId },
      issuingUnit: { code: CITY },
      responsibleUnit: { code: A },
      responsible: { username: 'sup_officer_a' },
      deadline: inAWeek,
      overdue: false,
    });
    // A refused request (responsible person of another unit) draws no number.
    const refused = await supervise('sup_city', { responsibleUsername: 'sup_officer_b' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('RESPONSIBLE_PERSON_INVALID');
    expect(refused.body.error.details.candidates).toEqual(['sup_manager_a', 'sup_officer_a', 'sup_officer_a2']);
    // Five at once (on a real server they race for the counter row): 000002–000006, each once.
    const parallel = await Promise.all(Array.from({ length: 5 }, () => supervise('sup_city', {})));
    expect(parallel.map((response) => response.status)).toEqual([201, 201, 201, 201, 201]);
    const numbers = parallel.map((response) => response.body.supervisionNumber as string).sort();
    expect(numbers).toEqual([2, 3, 4, 5, 6].map((sequence) => `DB-${CITY}-${year}-00000${sequence}`));
    // A district numbers its own items from 1.
    const own = await supervise('sup_manager_a', {});
    expect(own.body.supervisionNumber).toBe(`DB-${A}-${year}-000001`);
  });

  it('refuses a closed case, a deadline in the past, a unit outside the manager, and non-managers', async () => {
    const closed = await supervise('sup_city', { violationId: closedCaseId });
    expect([closed.status, closed.body.error.code]).toEqual([409, 'SUPERVISION_CASE_NOT_OPEN']);
    const past = await supervise('sup_city', { deadline: plusDays(shanghaiToday, -1) });
    expect([past.status, past.body.error.code]).toEqual([400, 'DEADLINE_IN_PAST']);
    const outside = await post('sup_manager_b', '/supervisions', { subject: 'backlog', jurisdiction: A, responsibleUsername: 'sup_officer_a', deadline: inAWeek, instructions: '清理积案' });
    expect([outside.status, outside.body.error.code]).toEqual([403, 'OUTSIDE_JURISDICTION']);
    // B's manager cannot see A's case: 404, not a hint that it exists.
    const foreignCase = await supervise('sup_manager_b', { responsibleUsername: 'sup_officer_b' });
    expect([foreignCase.status, foreignCase.body.error.code]).toEqual([404, 'VIOLATION_NOT_FOUND']);
    const officer = await supervise('sup_officer_a', {});
    expect([officer.status, officer.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it("supervises a unit's backlog: the overdue cases it held when issued", async () => {
    const response = await post('sup_city', '/supervisions', {
      subject: 'backlog',
      jurisdiction: A,
      backlog: { overdue: true },
      responsibleUsername: 'sup_manager_a',
      deadline: inAWeek,
      instructions: '逾期案件月底前全部办结',
    });
    expect(response.status).toBe(201);
    // Overdue in A: the stuck case only (the closed one is not open).
    expect(response.body).toMatchObject({ subject: 'backlog', case: null, backlog: { overdue: true, category: null, casesWhenIssued: 1 }, responsibleUnit: { code: A } });
  });
});

describe('the closed loop 交办 → 承办 → 督办 → 办结 → 回访', () => {
  it('runs through every step with the checks of each, a 409 on a stale version, and the timeline and audit trail', async () => {
    const created = await supervise('sup_city', { instructions: '闭环测试' });
    const id = created.body.id as number;
    const transition = (username: string, body: Record<string, unknown>) => post(username, `/supervisions/${id}/transitions`, body);

    // The officer named sees it (list of their own and on the case), a colleague does not as "mine".
    const mine = await as('sup_officer_a', '/supervisions?mine=true&limit=200');
    expect(mine.body.items.map((item: { id: number }) => item.id)).toContain(id);
    expect(mine.body.items.find((item: { id: number }) => item.id === id)).toMatchObject({ assignedToMe: true, allowedEvents: ['accept'] });
    const colleague = await as('sup_officer_a2', '/supervisions?mine=true&limit=200');
    expect(colleague.body.items.map((item: { id: number }) => item.id)).not.toContain(id);
    const onCase = await as('sup_officer_a2', `/supervisions?violationId=${stuckCaseId}&limit=200`);
    expect(onCase.body.items.find((item: { id: number }) => item.id === id)).toMatchObject({ assignedToMe: false, allowedEvents: [] });

    const colleagueAccepts = await transition('sup_officer_a2', { event: 'accept' });
    expect([colleagueAccepts.status, colleagueAccepts.body.error.code]).toEqual([403, 'SUPERVISION_NOT_RESPONSIBLE']);
    const accepted = await transition('sup_officer_a', { event: 'accept', expectedVersion: 1 });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', version: 2 });
    const stale = await transition('sup_city', { event: 'urge', expectedVersion: 1, note: '请加快' });
    expect([stale.status, stale.body.error.code, stale.body.error.details.currentVersion]).toEqual([409, 'SUPERVISION_CHANGED', 2]);
    const urgeWithoutNote = await transition('sup_city', { event: 'urge' });
    expect([urgeWithoutNote.status, urgeWithoutNote.body.error.code]).toEqual([422, 'REQUIREMENTS_MISSING']);
    const urged = await transition('sup_city', { event: 'urge', expectedVersion: 2, note: '三日内报送进展' });
    expect(urged.body).toMatchObject({ status: 'supervising', version: 3, urgeCount: 1 });
    const urgedAgain = await transition('sup_city', { event: 'urge', note: '再次催办' });
    expect(urgedAgain.body).toMatchObject({ status: 'supervising', version: 4, urgeCount: 2 });
    const done = await transition('sup_officer_a', { event: 'report_done', note: '广告牌已拆除，照片已上传' });
    expect(done.body).toMatchObject({ status: 'done', version: 5, handledOnTime: true });
    const officerFollowsUp = await transition('sup_officer_a', { event: 'follow_up', satisfaction: 'satisfied' });
    expect([officerFollowsUp.status, officerFollowsUp.body.error.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
    const noSatisfaction = await transition('sup_city', { event: 'follow_up' });
    expect([noSatisfaction.status, noSatisfaction.body.error.code]).toEqual([422, 'REQUIREMENTS_MISSING']);
    const followedUp = await transition('sup_city', { event: 'follow_up', satisfaction: 'basically_satisfied', note: '回访群众基本满意' });
    expect(followedUp.body).toMatchObject({ status: 'followed_up', version: 6, satisfaction: 'basically_satisfied', allowedEvents: [] });
    const afterEnd = await transition('sup_city', { event: 'urge', note: 'x' });
    expect([afterEnd.status, afterEnd.body.error.code]).toEqual([409, 'TRANSITION_NOT_ALLOWED']);

    const detail = await as('sup_city', `/supervisions/${id}`);
    expect(detail.body.events.map((event: { event: string; fromStatus: string | null; toStatus: string; actor: string }) => [event.event, event.fromStatus, event.toStatus, event.actor])).toEqual([
      ['assign', null, 'assigned', 'sup_city'],
      ['accept', 'assigned', 'accepted', 'sup_officer_a'],
      ['urge', 'accepted', 'supervising', 'sup_city'],
      ['urge', 'supervising', 'supervising', 'sup_city'],
      ['report_done', 'supervising', 'done', 'sup_officer_a'],
      ['follow_up', 'done', 'followed_up', 'sup_city'],
    ]);
    const audit = await server.db.pool.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_type = 'supervision' AND entity_id = $1 ORDER BY id`,
      [String(id)],
    );
    expect(audit.rows.map((row) => row.action)).toEqual([
      'supervisions.create',
      'supervisions.accept',
      'supervisions.urge',
      'supervisions.urge',
      'supervisions.report_done',
      'supervisions.follow_up',
    ]);
  });

  it('sends an item back from done, and refuses transitions of a sibling district with 404', async () => {
    const created = await supervise('sup_city', { instructions: '退回测试' });
    const id = created.body.id as number;
    await post('sup_officer_a', `/supervisions/${id}/transitions`, { event: 'accept' });
    await post('sup_officer_a', `/supervisions/${id}/transitions`, { event: 'report_done', note: '已办' });
    const back = await post('sup_city', `/supervisions/${id}/transitions`, { event: 'send_back', note: '照片不清楚，重新整改' });
    expect(back.body).toMatchObject({ status: 'supervising', doneAt: null });

    for (const username of ['sup_manager_b', 'sup_officer_b']) {
      const read = await as(username, `/supervisions/${id}`);
      expect([read.status, read.body.error.code]).toEqual([404, 'SUPERVISION_NOT_FOUND']);
      const write = await post(username, `/supervisions/${id}/transitions`, { event: 'report_done', note: 'x' });
      expect([write.status, write.body.error.code]).toEqual([404, 'SUPERVISION_NOT_FOUND']);
      const list = await as(username, '/supervisions?limit=200');
      expect(list.body.items.map((item: { id: number }) => item.id)).not.toContain(id);
    }
  });
});

describe('escalation of overdue items', () => {
  it('an overdue item of district A shows on the city dashboard as escalated, with a list that counts the same', async () => {
    const created = await supervise('sup_city', { instructions: '逾期升级测试' });
    const id = created.body.id as number;
    // Deadlines cannot be set in the past through the API: the item became overdue by waiting.
    await server.db.pool.query(`UPDATE supervisions SET deadline = $2::date WHERE id = $1`, [id, plusDays(shanghaiToday, -2)]);

    const item = await as('sup_city', `/supervisions/${id}`);
    expect(item.body).toMatchObject({ overdue: true, escalatedTo: { code: CITY, name: '督办测试市' }, handledOnTime: false });
    const city = await as('sup_city', `/dashboard?jurisdiction=${CITY}`);
    expect(city.status).toBe(200);
    const escalated = city.body.supervision.escalated;
    // Overdue items below the city: this one only (every other test item's deadline is ahead or met).
    expect(escalated.value).toBe(1);
    expect(city.body.supervision.escalatedItems).toEqual([expect.objectContaining({ id, escalatedTo: { code: CITY, name: '督办测试市' }, unit: { code: A, name: '督甲区' } })]);
    for (const figure of [city.body.supervision.open, city.body.supervision.overdue, escalated]) {
      const list = await as('sup_city', `${figure.href.replace('/api/v1', '')}&limit=200`);
      expect(list.status, figure.href).toBe(200);
      expect(list.body.numberMatched, figure.href).toBe(figure.value);
    }
    // District A sees its own overdue item, but nothing is escalated TO it (it is the level below).
    const district = await as('sup_manager_a', '/dashboard');
    expect(district.body.supervision.overdue.value).toBeGreaterThanOrEqual(1);
    expect(district.body.supervision.escalated.value).toBe(0);
    // Overdue first in the list.
    const list = await as('sup_city', `/supervisions?unit=${A}&limit=200`);
    expect(list.body.items[0]).toMatchObject({ id, overdue: true });
    await server.db.pool.query(`UPDATE supervisions SET deadline = $2::date WHERE id = $1`, [id, inAWeek]);
  });
});

describe('row-level security of the supervision tables', () => {
  it('district B sees none of the rows of items between the city and A', async () => {
    const counts = await withRequestScope(server.db.pool, { userId: userIds.get('sup_manager_b')!, role: 'manager', scopeCodes: [B], isTop: false }, async (client) => {
      const result = await client.query<{ supervisions: number; events: number; counters: number }>(
        `SELECT (SELECT count(*) FROM supervisions WHERE responsible_jurisdiction_code = $1 OR issuing_jurisdiction_code = $2)::integer AS supervisions,
                (SELECT count(*) FROM supervision_events e JOIN supervisions s ON s.id = e.supervision_id)::integer AS events,
                (SELECT count(*) FROM supervision_number_counters WHERE jurisdiction_code IN ($1, $2))::integer AS counters`,
        [A, CITY],
      );
      return result.rows[0]!;
    });
    expect(counts).toEqual({ supervisions: 0, events: 0, counters: 0 });
    // The same query as A's manager sees A's items, their events and A's own counter.
    const own = await withRequestScope(server.db.pool, { userId: userIds.get('sup_manager_a')!, role: 'manager', scopeCodes: [A], isTop: false }, async (client) => {
      const result = await client.query<{ supervisions: number; counters: number }>(
        `SELECT (SELECT count(*) FROM supervisions WHERE responsible_jurisdiction_code = $1)::integer AS supervisions,
                (SELECT count(*) FROM supervision_number_counters WHERE jurisdiction_code IN ($1, $2))::integer AS counters`,
        [A, CITY],
      );
      return result.rows[0]!;
    });
    expect(own.supervisions).toBeGreaterThan(0);
    expect(own.counters).toBe(1);
    // Writing an item for A as B is refused by the insert policy: tests/integration/row_level_security.test.ts (supervisions).
  });
});

describe('scoring: supervision handled on time', () => {
  it('loses maxPoints × late ÷ judged for the month of the deadlines, with the items behind it', async () => {
    // Last month (Asia/Shanghai), district B. Four items due in it, written directly (the API only
    // takes future deadlines): done on the 10th (deadline 10th) on time; done the 12th (deadline
    // 11th) late; not done (deadline 5th, passed) late; done on the 1st (deadline 20th) on time.
    const now = new Date(Date.now() + 8 * 3_600_000);
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    const pool = server.db.pool;
    const rows: [string, string | null][] = [
      [`${month}-10`, `${month}-10T18:00:00+08:00`],
      [`${month}-11`, `${month}-12T09:00:00+08:00`],
      [`${month}-05`, null],
      [`${month}-20`, `${month}-01T09:00:00+08:00`],
    ];
    for (const [index, [deadline, doneAt]] of rows.entries()) {
      await pool.query(
        `INSERT INTO supervisions (supervision_number, issuing_jurisdiction_code, subject, backlog, responsible_jurisdiction_code, responsible_user_id, deadline, instructions, status, done_at)
         VALUES ($1, $2, 'backlog', '{"overdue": true, "category": null, "casesWhenIssued": 0}', $3, $4, $5::date, '评分测试', $6, $7)`,
        [`DB-${CITY}-2000-00000${index + 1}`, CITY, B, userIds.get('sup_officer_b'), deadline, doneAt ? 'done' : 'supervising', doneAt],
      );
    }
    await pool.query(
      `INSERT INTO scoring_formulas (jurisdiction_code, effective_from, rules, note) VALUES ($1, $2::date, $3::jsonb, 'test: supervision weighed')`,
      [CITY, `${month}-01`, JSON.stringify([{ rule: 'closure_rate', maxPoints: 30 }, { rule: 'supervision_on_time', maxPoints: 20 }])],
    );
    const ranking = await as('sup_city', `/rankings?period=${month}&jurisdiction=${CITY}`);
    expect(ranking.status).toBe(200);
    const b = ranking.body.units.find((unit: { code: string }) => unit.code === B);
    const rule = b.lost.find((item: { rule: string }) => item.rule === 'supervision_on_time');
    // judged 4, late 2 → 20 × 2 / 4 = 10 points; B has no cases (closure 0) → score 90.
    expect(rule).toMatchObject({ points: 10, count: 2, neutral: false });
    expect(b.score).toBe(90);
    const behind = await as('sup_city', `${rule.href.replace('/api/v1', '')}&limit=200`);
    expect(behind.body.numberMatched).toBe(2);
    expect(behind.body.items.map((item: { deadline: string }) => item.deadline).sort()).toEqual([`${month}-05`, `${month}-11`]);
    // A: no item is due last month → nothing lost on the rule.
    const a = ranking.body.units.find((unit: { code: string }) => unit.code === A);
    expect(a.lost.find((item: { rule: string }) => item.rule === 'supervision_on_time')).toMatchObject({ points: 0, count: 0 });
  });
});
