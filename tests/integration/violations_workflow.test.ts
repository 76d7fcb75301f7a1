import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database.ts';
import { withRequestScope } from '../../server/db/transaction.ts';
import { CASE_EVENTS, CASE_STATUSES, type CaseEvent, type CaseStatus } from '../../server/domain/case_workflow.ts';
import { ROLES, type Role } from '../../server/domain/roles.ts';
import { AppError } from '../../server/http/errors.ts';
import { transitionCase, type CaseActor, type TransitionRequest } from '../../server/violations/case_transitions.ts';
import { insertViolations, type NewViolationRow } from '../../server/violations/queries.ts';
import { EXPECTED_TRANSITION_COUNT, expectedTransition } from './helpers/expected_case_transitions.ts';
import { insertPhotos } from './helpers/violation_fixtures.ts';

/**
 * The transition table through the service against the database: every status × event × role on a
 * case of its own, expected from the hand-written table in helpers/expected_case_transitions.ts (not
 * from the code under test), and the concurrency properties (single winner, gap-free case numbers).
 */

let db: Database;
const RUN = `wf${Date.now().toString(36)}`;
const actors = new Map<Role, CaseActor>();
const DISTRICT = '410104';

const VERDICT = { isViolation: true, article: '公路法 46', penaltyArticle: '公路法 77', reasonCode: 'PROHIBITED_ZONE', reason: { zh: '测试', en: 'test' } };

function caseRow(externalId: string, status: CaseStatus, jurisdictionCode = DISTRICT, source = 'patrol'): NewViolationRow {
  return {
    external_id: externalId, case_number: null, category: 'piling', status,
    geometry: JSON.stringify({ type: 'Point', coordinates: [113.75, 34.7] }),
    attributes: { material: '砂石', volumeCubicMeters: 5 }, description: 'workflow test', source,
    party: { name: '当事人' }, segment_id: null, route_code: null, direction: null, chainage_meters: null, side: null,
    offset_meters: null, zones: ['road_land'], jurisdiction_code: jurisdictionCode, verdict: VERDICT, is_violation: true,
    deadline_at: new Date(Date.now() + 5 * 86_400_000).toISOString(), reported_at: null, updated_at: null,
    closed_at: status === 'closed' ? new Date().toISOString() : null, reported_by: null, version: 1, is_demo: false,
  };
}

/** Runs one transition as `role` in its own request-scoped transaction; returns the error code or 'ok'. */
async function attempt(role: Role, id: number, request: TransitionRequest, scope: string[] = [DISTRICT]): Promise<string> {
  const actor = actors.get(role)!;
  try {
    await withRequestScope(db.pool, { userId: actor.id, role, scopeCodes: scope, isTop: false }, (client) => transitionCase(client, id, request, actor));
    return 'ok';
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

async function snapshot(ids: number[]) {
  const result = await db.pool.query<{ id: number; status: string; version: number; events: number }>(
    `SELECT v.id, v.status, v.version, (SELECT count(*)::integer FROM case_events e WHERE e.violation_id = v.id) AS events
     FROM violations v WHERE v.id = ANY($1) ORDER BY v.id`,
    [ids],
  );
  return new Map(result.rows.map((row) => [row.id, row]));
}

beforeAll(async () => {
  db = await openDatabase(inject('databaseUrl'));
  const users = await db.pool.query<{ id: number; username: string; role: Role }>(
    `SELECT id, username, role FROM users WHERE jurisdiction_code = $1 AND username = ANY($2)`,
    [DISTRICT, [...ROLES]],
  );
  for (const user of users.rows) actors.set(user.role, { id: user.id, username: user.username, role: user.role });
  expect([...actors.keys()].sort()).toEqual([...ROLES].sort());
});

afterAll(async () => {
  await db.close();
});

describe('transition table, exhaustively through the service', () => {
  it('every status × event × role either transitions with exactly one event or is refused with no change', async () => {
    const combos: { status: CaseStatus; event: CaseEvent; role: Role; externalId: string }[] = [];
    for (const status of CASE_STATUSES) for (const event of CASE_EVENTS) for (const role of ROLES) combos.push({ status, event, role, externalId: `${RUN}-${status}-${event}-${role}` });
    // One small case per combination, set-wise: a party, a deadline, a 'before' and an 'after' photo,
    // so every requirement is met and only the table (and the role) decides.
    const inserted = await insertViolations(db.pool, combos.map((combo) => caseRow(combo.externalId, combo.status)));
    expect(inserted).toHaveLength(combos.length);
    const ids = inserted.map((row) => row.id);
    await insertPhotos(db.pool, ids.flatMap((violationId) => [
      { violationId, jurisdictionCode: DISTRICT, tag: 'before' as const },
      { violationId, jurisdictionCode: DISTRICT, tag: 'after' as const },
    ]));
    // Separation of duties is met too: a second certified officer for notices, and a fresh on-site
    // 'after' photo per attempt for a re-inspection (tests/integration/duties_documents.test.ts covers refusals).
    const freshPhotos = await insertPhotos(db.pool, ids.map(() => ({ violationId: null, jurisdictionCode: DISTRICT, tag: 'after' as const })));
    const before = await snapshot(ids);
    const outcomes: string[] = [];
    const deadline = new Date(Date.now() + 10 * 86_400_000);
    for (const [index, combo] of combos.entries()) {
      const id = ids[index]!;
      const secondOfficerId = actors.get(combo.role === 'manager' ? 'officer' : 'manager')!.id;
      const code = await attempt(combo.role, id, {
        event: combo.event, note: '说明', deadline, rejectReason: 'duplicate', party: { name: '当事人' }, secondOfficerId, photoIds: [freshPhotos[index]!],
      });
      const expected = expectedTransition(combo.status, combo.event, combo.role);
      outcomes.push(`${combo.status} ${combo.event} ${combo.role}: ${code === (expected.ok ? 'ok' : expected.code) ? 'as designed' : `got ${code}, expected ${expected.ok ? 'ok' : expected.code}`}`);
    }
    expect(outcomes.filter((line) => !line.endsWith('as designed'))).toEqual([]);
    const after = await snapshot(ids);
    const wrong: string[] = [];
    combos.forEach((combo, index) => {
      const id = ids[index]!;
      const was = before.get(id)!;
      const now = after.get(id)!;
      const expected = expectedTransition(combo.status, combo.event, combo.role);
      const want = expected.ok ? { status: expected.to, version: was.version + 1, events: was.events + 1 } : { status: was.status, version: was.version, events: was.events };
      if (now.status !== want.status || now.version !== want.version || now.events !== want.events) {
        wrong.push(`${combo.status} ${combo.event} ${combo.role}: ${JSON.stringify(now)} ≠ ${JSON.stringify(want)}`);
      }
    });
    expect(wrong).toEqual([]);
    expect(outcomes.length).toBe(CASE_STATUSES.length * CASE_EVENTS.length * ROLES.length);
    // Every allowed row of the hand-written table was exercised and at least one role got through.
    expect(new Set(combos.filter((combo) => expectedTransition(combo.status, combo.event, combo.role).ok).map((combo) => `${combo.status} ${combo.event}`)).size).toBe(EXPECTED_TRANSITION_COUNT);
  });

  it('names each missing requirement and changes nothing', async () => {
    const rows = [
      caseRow(`${RUN}-req-photo`, 'reported'),
      caseRow(`${RUN}-req-satellite`, 'reported', DISTRICT, 'satellite_lead'),
      caseRow(`${RUN}-req-after`, 'notice_issued'),
      caseRow(`${RUN}-req-reason`, 'reported'),
      caseRow(`${RUN}-req-other`, 'reported'),
      caseRow(`${RUN}-req-reminder`, 'notice_issued'),
      { ...caseRow(`${RUN}-req-party`, 'verified'), party: null },
    ];
    const ids = (await insertViolations(db.pool, rows)).map((row) => row.id);
    const before = await snapshot(ids);
    const cases: [number, TransitionRequest, string[]][] = [
      [ids[0]!, { event: 'verify' }, ['photo']],
      [ids[1]!, { event: 'verify' }, ['site_photo_for_satellite_lead']],
      [ids[2]!, { event: 'report_cleared' }, ['after_photo']],
      [ids[3]!, { event: 'reject' }, ['reject_reason']],
      [ids[4]!, { event: 'reject', rejectReason: 'other' }, ['note']],
      [ids[5]!, { event: 'send_reminder' }, ['deadline']],
      [ids[6]!, { event: 'issue_notice' }, ['party']],
    ];
    for (const [id, request, missing] of cases) {
      const actor = actors.get('officer')!;
      const error = await withRequestScope(db.pool, { userId: actor.id, role: 'officer', scopeCodes: [DISTRICT], isTop: false }, (client) =>
        transitionCase(client, id, request, actor),
      ).then(() => null, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('REQUIREMENTS_MISSING');
      expect(((error as AppError).details as { missing: string[] }).missing).toEqual(missing);
    }
    expect(await snapshot(ids)).toEqual(before);
  });
});

describe('concurrency', () => {
  const external = inject('databaseMode') === 'external';

  it('two clients sending the same event: one wins, the other gets CASE_CHANGED, one event row', async () => {
    const [row] = await insertViolations(db.pool, [caseRow(`${RUN}-race`, 'reported')]);
    const id = row!.id;
    await insertPhotos(db.pool, [{ violationId: id, jurisdictionCode: DISTRICT, tag: 'before' }]);
    const request: TransitionRequest = { event: 'verify', expectedVersion: 1 };
    // Embedded: one connection, so the two run one after the other; external: truly at once.
    const results = external
      ? await Promise.all([attempt('officer', id, request), attempt('manager', id, request)])
      : [await attempt('officer', id, request), await attempt('manager', id, request)];
    expect(results.filter((result) => result === 'ok')).toHaveLength(1);
    expect(results.filter((result) => result === 'CASE_CHANGED')).toHaveLength(1);
    const state = await snapshot([id]);
    expect(state.get(id)).toMatchObject({ status: 'verified', version: 2, events: 1 });
    const events = await db.pool.query<{ event: string }>('SELECT event FROM case_events WHERE violation_id = $1', [id]);
    expect(events.rows).toEqual([{ event: 'verify' }]);
  });

  it('50 verifications in one jurisdiction get case numbers 1..50 without gaps; a rollback returns its number', async () => {
    // A district no other test numbers cases in, so the sequence is this test's alone.
    const district = '410185';
    const count = 50;
    const rows = Array.from({ length: count + 2 }, (_, index) => caseRow(`${RUN}-seq-${index}`, 'reported', district));
    const ids = (await insertViolations(db.pool, rows)).map((row) => row.id);
    await insertPhotos(db.pool, ids.map((violationId) => ({ violationId, jurisdictionCode: district, tag: 'before' as const })));
    const batch = ids.slice(0, count);
    const results = external
      ? await Promise.all(batch.map((id, index) => attempt(index % 2 ? 'officer' : 'manager', id, { event: 'verify' }, [district])))
      : await batch.reduce<Promise<string[]>>(async (done, id) => [...(await done), await attempt('officer', id, { event: 'verify' }, [district])], Promise.resolve([]));
    expect(results.every((result) => result === 'ok')).toBe(true);
    const numbers = await db.pool.query<{ case_number: string }>('SELECT case_number FROM violations WHERE id = ANY($1)', [batch]);
    const sequences = numbers.rows.map((row) => Number(row.case_number.split('-')[2])).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: count }, (_, index) => index + 1));
    expect(new Set(numbers.rows.map((row) => row.case_number.slice(0, 11))).size).toBe(1);

    // A verification whose transaction rolls back hands its number back.
    const actor = actors.get('officer')!;
    await expect(
      withRequestScope(db.pool, { userId: actor.id, role: 'officer', scopeCodes: [district], isTop: false }, async (client) => {
        await transitionCase(client, ids[count]!, { event: 'verify' }, actor);
        throw new Error('roll back on purpose');
      }),
    ).rejects.toThrow('roll back on purpose');
    expect(await attempt('officer', ids[count + 1]!, { event: 'verify' }, [district])).toBe('ok');
    const last = await db.pool.query<{ case_number: string }>('SELECT case_number FROM violations WHERE id = $1', [ids[count + 1]]);
    expect(Number(last.rows[0]!.case_number.split('-')[2])).toBe(count + 1);
    const counter = await db.pool.query<{ last_sequence: number }>('SELECT last_sequence FROM case_number_counters WHERE jurisdiction_code = $1', [district]);
    expect(counter.rows[0]!.last_sequence).toBe(count + 1);
  });
});
