import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRequestScope } from '../../server/db/transaction.ts';
import { shanghaiDate } from '../../server/domain/patrol_rules.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

// The demo district 410104 with its three demo crews (data/seed/demo_patrols.ts), planned for today.
const JURISDICTION = '410104';
const DATE = shanghaiDate();

let server: TestServer;
let plan: any;
let due: any[];
let dueTasks: any[];
let demoCrewIds: number[];
const DEMO_CREWS = ['管城一中队', '管城二中队', '管城联合巡查组'];

/** Geodesic metres of a lon/lat polyline (haversine), computed here, independent of PostGIS. */
function lineMeters(coordinates: number[][]): number {
  const radius = 6_371_008.8;
  let sum = 0;
  for (let i = 1; i < coordinates.length; i += 1) {
    const [lon1, lat1] = coordinates[i - 1]!.map((v) => (v * Math.PI) / 180) as [number, number];
    const [lon2, lat2] = coordinates[i]!.map((v) => (v * Math.PI) / 180) as [number, number];
    const h = Math.sin((lat2 - lat1) / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin((lon2 - lon1) / 2) ** 2;
    sum += 2 * radius * Math.asin(Math.sqrt(h));
  }
  return sum;
}

/**
 * Conservation: every due segment is in exactly one assignment or listed as unassigned with a
 * reason (a `partial` entry names a segment kept in its assignment with a piece unserved).
 */
function expectConservation() {
  const served = plan.assignments.flatMap((a: any) => a.segments.map((s: any) => s.segmentId));
  expect(new Set(served).size).toBe(served.length);
  const unassigned = plan.unassigned.filter((u: any) => u.kind === 'segment');
  const partial = unassigned.filter((u: any) => u.partial).map((u: any) => u.segmentId);
  expect(served).toEqual(expect.arrayContaining(partial));
  const unassignedIds = unassigned.filter((u: any) => !u.partial).map((u: any) => u.segmentId);
  expect(new Set(unassignedIds).size).toBe(unassignedIds.length);
  expect(served.filter((id: number) => unassignedIds.includes(id))).toEqual([]);
  expect([...served, ...unassignedIds].sort((x, y) => x - y)).toEqual(due.map((f) => f.properties.id).sort((x: number, y: number) => x - y));
  for (const entry of unassigned) {
    expect(['unreachable_from_base', 'longer_than_any_shift', 'no_room_in_any_shift', 'not_in_routing_graph']).toContain(entry.reason);
    expect(entry.route).toMatch(/^[A-Z]\d+/);
    expect(entry.stakeFrom).toMatch(/^K\d+\+\d{3}$/);
  }
  // Tasks the same way: each due task once, in an assignment or unassigned.
  const taskKeys = plan.assignments.flatMap((a: any) => a.tasks.map((t: any) => (t.detectionId !== null ? `detection:${t.detectionId}` : `violation:${t.violationId}`)));
  const unassignedTasks = plan.unassigned.filter((u: any) => u.kind === 'task').map((u: any) => u.taskId.split(':').slice(1).join(':'));
  expect([...taskKeys, ...unassignedTasks].sort()).toEqual(dueTasks.map((f) => `${f.properties.sourceType}:${f.properties.sourceId}`).sort());
}

async function reload() {
  const response = await server.request(`/patrol-plans/${plan.id}`);
  expect(response.status).toBe(200);
  plan = response.body;
  return plan;
}

/**
 * Waits, as the client does, until the plan is no longer 'generating'. Not `server.jobs.idle()`:
 * on PostgreSQL the test files share one queue, so another file's server may claim this plan's
 * job and this server's queue is idle while the plan is still being generated.
 */
async function settled() {
  const deadline = Date.now() + 50_000;
  while ((await reload()).status === 'generating') {
    if (Date.now() > deadline) throw new Error(`plan ${plan.id} still generating after 50 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return plan;
}

beforeAll(async () => {
  server = await startTestServer({ as: 'dispatcher' });
  due = (await server.request(`/segments/due?date=${DATE}&jurisdiction=${JURISDICTION}`)).body.features;
  dueTasks = (await server.request(`/patrol-tasks/due?date=${DATE}&jurisdiction=${JURISDICTION}`)).body.features;
  // The three demo crews by name: other test files may add crews to the district meanwhile.
  const crews = (await server.request(`/crews?date=${DATE}`)).body.items;
  demoCrewIds = DEMO_CREWS.map((name) => crews.find((crew: any) => crew.name === name).id);
  // A fixed number of improvement rounds (the seconds only cap it): the same plan however loaded the machine is.
  const created = await server.request('/patrol-plans', {
    method: 'POST',
    body: JSON.stringify({ date: DATE, jurisdiction: JURISDICTION, crewIds: demoCrewIds, seconds: 60, rounds: 20 }),
  });
  expect(created.status).toBe(202);
  expect(created.body.status).toBe('generating');
  plan = { id: created.body.id };
  await settled();
}, 120_000);

afterAll(async () => {
  await server.jobs.idle();
  await server?.close();
});

describe('generating a plan for the demo district', () => {
  it('is ready with one assignment per available crew and a lower bound', () => {
    expect(plan.status, JSON.stringify(plan.error)).toBe('ready');
    expect(plan.date).toBe(DATE);
    expect(plan.jurisdiction).toBe(JURISDICTION);
    expect(plan.assignments.length).toBe(3);
    expect(plan.lowerBoundMeters).toBeGreaterThan(0);
    const driven = plan.assignments.reduce((sum: number, a: any) => sum + a.distanceMeters, 0);
    expect(plan.lowerBoundMeters).toBeLessThanOrEqual(driven + 1);
  });

  it('serves every due segment and task exactly once or names it as unassigned with a reason', () => {
    expect(plan.roundsReached).toBe(20);
    expectConservation();
    // The expressway G4 lies in its own component (its interchanges are outside the district).
    expect(plan.unassigned.some((u: any) => u.route === 'G4' && u.reason === 'unreachable_from_base')).toBe(true);
  });

  it('gives each crew a continuous route from its base back to it, within its shift', async () => {
    const crews = (await server.request(`/crews?date=${DATE}`)).body;
    const crewList = Array.isArray(crews) ? crews : crews.crews ?? crews.items;
    for (const assignment of plan.assignments.filter((a: any) => a.segments.length > 0)) {
      const coordinates = assignment.route.coordinates as number[][];
      expect(coordinates[0]).toEqual(coordinates.at(-1));
      const crew = crewList.find((c: any) => c.id === assignment.crewId);
      // Starts at the routing node nearest the crew's base (within the snap distance).
      const start = lineMeters([crew.base.coordinates, coordinates[0]!]);
      expect(start).toBeLessThanOrEqual(crew.baseNode.distanceMeters + 1);
      // A jump between arcs that share no node would add a straight piece: the line would be longer than the arcs driven.
      expect(Math.abs(lineMeters(coordinates) - assignment.distanceMeters) / assignment.distanceMeters).toBeLessThan(0.005);
      expect(assignment.durationMinutes).toBeLessThanOrEqual(assignment.shiftMinutes);
      expect(assignment.serviceMeters).toBeLessThanOrEqual(assignment.distanceMeters);
      expect(assignment.segments.map((s: any) => s.order)).toEqual(assignment.segments.map((_: unknown, i: number) => i + 1));
    }
  });
});

describe('editing and publishing', () => {
  it('moves a segment to another crew and re-orders both routes, losing nothing; a stale version gets 409', async () => {
    const [from, to] = [...plan.assignments].sort((a: any, b: any) => b.segments.length - a.segments.length);
    const unreachable = new Set((await server.request(`/crews/${to.crewId}/unreachable?date=${DATE}`)).body.unreachable.map((u: any) => u.id));
    const segmentId = from.segments.find((s: any) => !unreachable.has(s.segmentId)).segmentId;
    const version = plan.version;
    const moved = await server.request(`/patrol-plans/${plan.id}`, { method: 'PATCH', body: JSON.stringify({ version, moves: [{ segmentId, toCrewId: to.crewId }] }) });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    await reload();
    const owner = plan.assignments.filter((a: any) => a.segments.some((s: any) => s.segmentId === segmentId));
    expect(owner.map((a: any) => a.crewId)).toEqual([to.crewId]);
    const segmentIds = (crewId: number, assignments: any[]) => assignments.find((a: any) => a.crewId === crewId).segments.map((s: any) => s.segmentId).sort((x: number, y: number) => x - y);
    expect(segmentIds(from.crewId, plan.assignments)).toEqual(from.segments.map((s: any) => s.segmentId).filter((id: number) => id !== segmentId).sort((x: number, y: number) => x - y));
    expect(segmentIds(to.crewId, plan.assignments)).toEqual([...to.segments.map((s: any) => s.segmentId), segmentId].sort((x: number, y: number) => x - y));
    expectConservation();
    const stale = await server.request(`/patrol-plans/${plan.id}`, { method: 'PATCH', body: JSON.stringify({ version, locks: [{ crewId: to.crewId, locked: true }] }) });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('PATROL_PLAN_CHANGED');
  });

  it('locks a crew and re-plans the rest without touching the locked route', async () => {
    const locked = plan.assignments[0];
    const response = await server.request(`/patrol-plans/${plan.id}`, { method: 'PATCH', body: JSON.stringify({ version: plan.version, locks: [{ crewId: locked.crewId, locked: true }], replan: true }) });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('generating');
    await settled();
    expect(plan.status).toBe('ready');
    const after = plan.assignments.find((a: any) => a.crewId === locked.crewId);
    expect(after.locked).toBe(true);
    expect(after.segments).toEqual(locked.segments);
    expectConservation();
  });

  it('publishes: every assignment goes from draft to published', async () => {
    const response = await server.request(`/patrol-plans/${plan.id}/publish`, { method: 'POST', body: JSON.stringify({ version: plan.version }) });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('published');
    expect(response.body.assignments.every((a: any) => a.status === 'published')).toBe(true);
    const again = await server.request(`/patrol-plans/${plan.id}/publish`, { method: 'POST', body: JSON.stringify({ version: response.body.version }) });
    expect(again.status).toBe(409);
    await reload();
  });
});

describe('assignments for crews', () => {
  it('shows a patrol user its own crew only, and lets the crew accept, start and complete (recording the patrol)', async () => {
    // patrol3 is in 管城二中队, patrol2 in 管城一中队 (data/seed/demo_patrols.ts).
    const own = await server.login('patrol3');
    const other = await server.login('patrol2');
    const visible = (await server.requestWith(own, `/assignments?date=${DATE}`)).body.assignments;
    // Only 管城二中队's: patrol3 is in no other crew. Other files on PostgreSQL may publish their
    // own plans for today meanwhile (the browser test of plans does), so this plan's are picked.
    expect(new Set(visible.map((a: any) => a.crewName))).toEqual(new Set(['管城二中队']));
    const mine = visible.filter((a: any) => a.planId === plan.id);
    expect(mine).toHaveLength(1);
    expect(mine[0].crewName).toBe('管城二中队');
    const assignment = mine[0];
    const foreign = await server.requestWith(other, `/assignments/${assignment.id}/transitions`, { method: 'POST', body: JSON.stringify({ event: 'accept', expectedVersion: assignment.version }) });
    expect(foreign.status).toBe(404);
    const noReason = await server.requestWith(own, `/assignments/${assignment.id}/transitions`, { method: 'POST', body: JSON.stringify({ event: 'decline', expectedVersion: assignment.version }) });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.code).toBe('ASSIGNMENT_REASON_REQUIRED');
    let current = assignment;
    for (const event of ['accept', 'start', 'pause', 'resume', 'complete']) {
      const response = await server.requestWith(own, `/assignments/${current.id}/transitions`, { method: 'POST', body: JSON.stringify({ event, expectedVersion: current.version }) });
      expect(response.status, `${event}: ${JSON.stringify(response.body)}`).toBe(200);
      current = response.body;
    }
    expect(current.status).toBe('completed');
    const stale = await server.requestWith(own, `/assignments/${current.id}/transitions`, { method: 'POST', body: JSON.stringify({ event: 'cancel', expectedVersion: 1 }) });
    expect([403, 409]).toContain(stale.status);
    const patrols = await server.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM segment_patrols WHERE assignment_id = $1 AND source = 'assignment'`, [current.id]);
    expect(patrols.rows[0]!.n).toBe(current.segments.length);
    // The dispatcher cannot accept for a crew.
    const another = plan.assignments.find((a: any) => a.id !== current.id);
    const dispatcherAccept = await server.request(`/assignments/${another.id}/transitions`, {
      method: 'POST',
      body: JSON.stringify({ event: 'accept', expectedVersion: another.version }),
    });
    expect(dispatcherAccept.status).toBe(403);
    expect(dispatcherAccept.body.error.code).toBe('ROLE_NOT_ALLOWED');
    // Every step is in the assignment's timeline, in order, with the actor.
    const timeline = await server.db.pool.query<{ event: string; from_status: string; to_status: string; actor_username: string }>(
      `SELECT event, from_status, to_status, actor_username FROM patrol_assignment_events WHERE assignment_id = $1 ORDER BY id`,
      [current.id],
    );
    expect(timeline.rows.map((row) => `${row.event}:${row.from_status}>${row.to_status}`)).toEqual([
      'publish:draft>published',
      'accept:published>accepted',
      'start:accepted>in_progress',
      'pause:in_progress>paused',
      'resume:paused>in_progress',
      'complete:in_progress>completed',
    ]);
    expect(timeline.rows.slice(1).every((row) => row.actor_username === 'patrol3')).toBe(true);
    // patrol2's crew declines its assignment with a reason, which is kept on the assignment and its event.
    const theirs = (await server.requestWith(other, `/assignments?date=${DATE}`)).body.assignments[0];
    const declined = await server.requestWith(other, `/assignments/${theirs.id}/transitions`, { method: 'POST', body: JSON.stringify({ event: 'decline', expectedVersion: theirs.version, reason: '  车辆维修  ' }) });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ status: 'declined', declineReason: '车辆维修', version: theirs.version + 1 });
  });

  it('hides the plan tables from a sibling district (row-level security)', async () => {
    const counts = await withRequestScope(server.db.pool, { userId: 1, role: 'dispatcher', scopeCodes: ['410105'], isTop: false }, async (client) => {
      // This file's plan only: other files keep plans of their own in 410105 on a shared PostgreSQL.
      const result = await client.query<{ plans: number; assignments: number; segments: number; tasks: number; events: number }>(
        `SELECT (SELECT count(*) FROM patrol_plans WHERE id = $1)::int AS plans, (SELECT count(*) FROM patrol_assignments WHERE plan_id = $1)::int AS assignments,
                (SELECT count(*) FROM patrol_assignment_segments WHERE assignment_id = ANY ($2::bigint[]))::int AS segments,
                (SELECT count(*) FROM patrol_assignment_tasks WHERE assignment_id = ANY ($2::bigint[]))::int AS tasks,
                (SELECT count(*) FROM patrol_assignment_events WHERE assignment_id = ANY ($2::bigint[]))::int AS events`,
        [plan.id, plan.assignments.map((a: any) => a.id)],
      );
      return result.rows[0]!;
    });
    expect(counts).toEqual({ plans: 0, assignments: 0, segments: 0, tasks: 0, events: 0 });
    const own = await withRequestScope(server.db.pool, { userId: 1, role: 'dispatcher', scopeCodes: ['410104'], isTop: false }, async (client) =>
      (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM patrol_assignment_events WHERE assignment_id = ANY ($1::bigint[])`, [plan.assignments.map((a: any) => a.id)])).rows[0]!.n,
    );
    expect(own).toBeGreaterThan(0);
  });
});

describe('a move onto a crew that cannot reach the segment', () => {
  it('is refused with 422 and changes nothing', async () => {
    // A crew based on the expressway G4, which lies in its own component of the graph: it can
    // reach no street of the district (GET /crews/:id/unreachable, computed from the graph alone).
    const g4 = due.find((feature) => feature.properties.route === 'G4');
    const memberIds = (await server.db.pool.query<{ id: number }>(`SELECT id FROM users WHERE username IN ('patrol5', 'patrol6') ORDER BY id`)).rows.map((row) => row.id);
    const crew = await server.request('/crews', {
      method: 'POST',
      body: JSON.stringify({ name: `G4测试组-${Date.now()}`, memberIds, base: { type: 'Point', coordinates: g4.geometry.coordinates[0] }, shiftStartMinutes: 480, shiftEndMinutes: 1050 }),
    });
    expect(crew.status, JSON.stringify(crew.body)).toBe(201);
    try {
      const created = await server.request('/patrol-plans', { method: 'POST', body: JSON.stringify({ date: DATE, jurisdiction: JURISDICTION, crewIds: [demoCrewIds[0], crew.body.id], seconds: 60, rounds: 1 }) });
      expect(created.status).toBe(202);
      plan = { id: created.body.id };
      await settled();
      expect(plan.status).toBe('ready');
      const unreachable = new Set((await server.request(`/crews/${crew.body.id}/unreachable?date=${DATE}`)).body.unreachable.map((u: any) => u.id));
      const source = plan.assignments.find((a: any) => a.crewId === demoCrewIds[0]);
      const segmentId = source.segments.find((s: any) => unreachable.has(s.segmentId)).segmentId;
      const before = JSON.stringify(plan);
      const refused = await server.request(`/patrol-plans/${plan.id}`, { method: 'PATCH', body: JSON.stringify({ version: plan.version, moves: [{ segmentId, toCrewId: crew.body.id }] }) });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('PLAN_MOVE_UNREACHABLE');
      expect(refused.body.error.details).toEqual({ segmentId, toCrewId: crew.body.id });
      expect(JSON.stringify(await reload())).toBe(before);
    } finally {
      await server.request(`/crews/${crew.body.id}`, { method: 'PATCH', body: JSON.stringify({ version: crew.body.version, isActive: false }) });
    }
  });
});
