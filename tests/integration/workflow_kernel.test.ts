import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withTransaction } from '../../server/db/transaction.ts';
import { defineWorkflow } from '../../server/domain/workflow.ts';
import { AppError } from '../../server/http/errors.ts';
import { insertViolations, type NewViolationRow } from '../../server/violations/queries.ts';
import {
  bindWorkflow,
  transitionMany,
  transitionOne,
  withConcurrencyRetry,
  WORKFLOW_NOW,
  type WorkflowActor,
  type WorkflowRequest,
  type WorkflowState,
} from '../../server/workflow/kernel.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

/**
 * The workflow kernel on the database: bulk transitions in opposite orders never deadlock into a
 * 500, and a second, test-only workflow declares only its table + transition table + hooks.
 */

const external = inject('databaseMode') === 'external';
const RUN = `wk${Date.now().toString(36)}`;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ as: 'officer' });
});
afterAll(async () => {
  await server.db.pool.query('DROP TABLE IF EXISTS wk_lamp_events, wk_lamps');
  await server?.close();
});

function noticeIssuedCase(externalId: string): NewViolationRow {
  return {
    external_id: externalId, case_number: null, category: 'piling', status: 'notice_issued',
    geometry: JSON.stringify({ type: 'Point', coordinates: [113.75, 34.7] }),
    attributes: { material: '砂石', volumeCubicMeters: 5 }, description: 'kernel test', source: 'patrol',
    party: { name: '当事人' }, segment_id: null, route_code: null, direction: null, chainage_meters: null, side: null,
    offset_meters: null, zones: ['road_land'], jurisdiction_code: '410104',
    verdict: { isViolation: true, article: '公路法 46', penaltyArticle: '公路法 77', reasonCode: 'PROHIBITED_ZONE', reason: { zh: '测试', en: 'test' } },
    is_violation: true, deadline_at: new Date(Date.now() + 5 * 86_400_000).toISOString(), reported_at: null, updated_at: null,
    closed_at: null, reported_by: null, version: 1, is_demo: false,
  };
}

describe('bulk case transitions through the API', () => {
  it('two bulks over the same cases in opposite orders: one 200, one 409, never a 500, one event per case', async () => {
    const rounds = 12;
    const casesPerRound = 6;
    for (let round = 0; round < rounds; round += 1) {
      const rows = Array.from({ length: casesPerRound }, (_, index) => noticeIssuedCase(`${RUN}-bulk-${round}-${index}`));
      const ids = (await insertViolations(server.db.pool, rows)).map((row) => row.id);
      const bulk = (order: number[]) =>
        server.request('/violations/bulk-transitions', { method: 'POST', body: JSON.stringify({ ids: order, event: 'start_rectification' }) });
      // Embedded: one database session, so the two run one after the other; external: at once.
      const [first, second] = external
        ? await Promise.all([bulk(ids), bulk([...ids].reverse())])
        : [await bulk(ids), await bulk([...ids].reverse())];
      const statuses = [first.status, second.status].sort();
      expect(statuses, JSON.stringify([first.body, second.body])).toEqual([200, 409]);
      const refused = first.status === 409 ? first : second;
      expect(refused.body.error.code).toBe('BULK_TRANSITION_FAILED');
      const events = await server.db.pool.query<{ violation_id: number; count: number }>(
        'SELECT violation_id, count(*)::integer AS count FROM case_events WHERE violation_id = ANY($1) GROUP BY violation_id',
        [ids],
      );
      expect(events.rows.map((row) => row.count)).toEqual(Array(casesPerRound).fill(1));
      const states = await server.db.pool.query<{ status: string; version: number }>('SELECT DISTINCT status, version FROM violations WHERE id = ANY($1)', [ids]);
      expect(states.rows).toEqual([{ status: 'rectifying', version: 2 }]);
    }
  });
});

// A second workflow, declared only as data + a table binding: a lamp that is switched on and off.
const LAMP_WORKFLOW = defineWorkflow({
  name: 'lamp',
  statuses: ['off', 'on', 'broken'] as const,
  events: ['switch_on', 'switch_off', 'report_broken'] as const,
  requirements: ['note'] as const,
  transitions: [
    { from: 'off', event: 'switch_on', to: 'on', roles: ['officer', 'manager'], requires: [] },
    { from: 'on', event: 'switch_off', to: 'off', roles: ['officer', 'manager'], requires: [] },
    { from: 'on', event: 'report_broken', to: 'broken', roles: ['manager'], requires: ['note'] },
  ],
});

interface LampState extends WorkflowState {
  switched_count: number;
}

const LAMP_BINDING = bindWorkflow<LampState, WorkflowRequest, { note: string | null }>({
  workflow: LAMP_WORKFLOW,
  entityCode: 'LAMP',
  entityPlural: 'lamps',
  names: {
    table: 'wk_lamps',
    idColumn: 'id',
    statusColumn: 'status',
    versionColumn: 'version',
    updatableColumns: ['switched_count', 'changed_at'],
    eventTable: 'wk_lamp_events',
    eventEntityColumn: 'lamp_id',
  },
  selectStates: async (db, ids) => (await db.query<LampState>('SELECT id, status, version, switched_count FROM wk_lamps WHERE id = ANY($1::bigint[])', [ids])).rows,
  notFound: (id) => new AppError(404, 'LAMP_NOT_FOUND', `No lamp ${id}`, { id }),
  hooks: {
    check: ({ transition, request }) => {
      if (transition.requires.includes('note') && !request.note?.trim()) throw new AppError(422, 'REQUIREMENTS_MISSING', 'a note is needed', { missing: ['note'] });
      return { note: request.note ?? null };
    },
    columns: (plan) => ({ switched_count: plan.state.switched_count + 1, changed_at: WORKFLOW_NOW }),
  },
});

const officer: WorkflowActor = { id: 1, username: 'lamp-officer', role: 'officer' };
const manager: WorkflowActor = { id: 2, username: 'lamp-manager', role: 'manager' };

async function createLamps(count: number): Promise<number[]> {
  const pool = server.db.pool;
  await pool.query(`CREATE TABLE IF NOT EXISTS wk_lamps (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, status text NOT NULL, version integer NOT NULL DEFAULT 1,
    switched_count integer NOT NULL DEFAULT 0, changed_at timestamptz)`);
  await pool.query(`CREATE TABLE IF NOT EXISTS wk_lamp_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, lamp_id bigint NOT NULL REFERENCES wk_lamps (id), event text NOT NULL,
    from_status text, to_status text NOT NULL, actor_user_id bigint, actor_username text, actor_role text, note text,
    details jsonb NOT NULL DEFAULT '{}', occurred_at timestamptz NOT NULL DEFAULT now())`);
  const result = await pool.query<{ id: number }>(`INSERT INTO wk_lamps (status) SELECT 'off' FROM generate_series(1, $1) RETURNING id`, [count]);
  return result.rows.map((row) => Number(row.id));
}

async function codeOf(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
    return 'ok';
  } catch (error) {
    if (error instanceof AppError) return `${error.status} ${error.code}`;
    throw error;
  }
}

describe('a second workflow on the same kernel (test-only table)', () => {
  it('applies the table: transition, version, extra columns and one event row in the same transaction', async () => {
    const [id] = await createLamps(1);
    await withTransaction(server.db.pool, (client) => transitionOne(client, LAMP_BINDING, id!, { event: 'switch_on', expectedVersion: 1 }, officer));
    const lamp = await server.db.pool.query('SELECT status, version, switched_count, changed_at IS NOT NULL AS changed FROM wk_lamps WHERE id = $1', [id]);
    expect(lamp.rows[0]).toEqual({ status: 'on', version: 2, switched_count: 1, changed: true });
    const events = await server.db.pool.query('SELECT event, from_status, to_status, actor_username FROM wk_lamp_events WHERE lamp_id = $1', [id]);
    expect(events.rows).toEqual([{ event: 'switch_on', from_status: 'off', to_status: 'on', actor_username: 'lamp-officer' }]);
  });

  it('refuses with the contract codes and writes nothing', async () => {
    const [id] = await createLamps(1);
    const run = (request: WorkflowRequest, actor: WorkflowActor) =>
      codeOf(() => withTransaction(server.db.pool, (client) => transitionOne(client, LAMP_BINDING, id!, request, actor)));
    expect(await run({ event: 'switch_off' }, officer)).toBe('409 TRANSITION_NOT_ALLOWED');
    expect(await run({ event: 'switch_on', expectedVersion: 7 }, officer)).toBe('409 LAMP_CHANGED');
    expect(await run({ event: 'switch_on' }, { ...officer, role: 'viewer' })).toBe('403 ROLE_NOT_ALLOWED');
    expect(await run({ event: 'switch_on' }, officer)).toBe('ok');
    expect(await run({ event: 'report_broken' }, officer)).toBe('403 ROLE_NOT_ALLOWED');
    expect(await run({ event: 'report_broken' }, manager)).toBe('422 REQUIREMENTS_MISSING');
    const events = await server.db.pool.query<{ count: number }>('SELECT count(*)::integer AS count FROM wk_lamp_events WHERE lamp_id = $1', [id]);
    expect(events.rows[0]!.count).toBe(1);
    expect(await codeOf(() => withTransaction(server.db.pool, (client) => transitionOne(client, LAMP_BINDING, 2 ** 40, { event: 'switch_on' }, officer)))).toBe(
      '404 LAMP_NOT_FOUND',
    );
  });

  it('bulk is all or nothing and opposite orders at once end in one winner, never a deadlock', async () => {
    for (let round = 0; round < 10; round += 1) {
      const ids = await createLamps(8);
      const bulk = (order: number[]) => codeOf(() => withTransaction(server.db.pool, (client) => transitionMany(client, LAMP_BINDING, order, { event: 'switch_on' }, officer)));
      const results = external ? await Promise.all([bulk(ids), bulk([...ids].reverse())]) : [await bulk(ids), await bulk([...ids].reverse())];
      expect(results.sort()).toEqual(['409 BULK_TRANSITION_FAILED', 'ok']);
      const lamps = await server.db.pool.query('SELECT DISTINCT status, version FROM wk_lamps WHERE id = ANY($1)', [ids]);
      expect(lamps.rows).toEqual([{ status: 'on', version: 2 }]);
    }
  });

  it('retries a serialization failure once from a savepoint, then answers 409 CONCURRENT_UPDATE', async () => {
    const [id] = await createLamps(1);
    let calls = 0;
    const flaky = () =>
      withTransaction(server.db.pool, (client) =>
        withConcurrencyRetry(client, async () => {
          calls += 1;
          await client.query('UPDATE wk_lamps SET switched_count = switched_count + 1 WHERE id = $1', [id]);
          if (calls === 1) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
          return 'done';
        }),
      );
    expect(await flaky()).toBe('done');
    expect(calls).toBe(2);
    // The first attempt's write was rolled back to the savepoint: one increment, not two.
    const lamp = await server.db.pool.query('SELECT switched_count FROM wk_lamps WHERE id = $1', [id]);
    expect(lamp.rows[0]).toEqual({ switched_count: 1 });

    calls = 0;
    const always = () =>
      codeOf(() =>
        withTransaction(server.db.pool, (client) =>
          withConcurrencyRetry(client, async () => {
            calls += 1;
            throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
          }),
        ),
      );
    expect(await always()).toBe('409 CONCURRENT_UPDATE');
    expect(calls).toBe(2);
  });
});
