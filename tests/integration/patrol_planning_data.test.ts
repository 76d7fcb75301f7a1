import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRequestScope } from '../../server/db/transaction.ts';
import { findUnreachableSegments, stronglyConnectedComponents } from '../../server/routing/graph_analysis.ts';
import type { RoutingGraph } from '../../server/routing/graph_types.ts';
import { loadRoutingGraph } from '../../server/routing/load_routing_graph.ts';
import { listDueSegments, listPointTasks } from '../../server/patrols/service.ts';
import { insertSegmentPatrols } from '../../server/patrols/queries.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

// A test district far from the demo network (lon 100, lat 30), so its graph holds only these roads:
//   A  Z9901 county, undivided   (100.01,30.05) → (100.02,30.05) → (100.03,30.05)
//   B+ Z9902 national, one-way   (100.02,30.04) → (100.02,30.05) → (100.02,30.06)   shares A's middle vertex: a junction at grade
//   B− Z9902 national, one-way   (100.0202,30.06) → (100.0202,30.04)                the other carriageway, shares nothing
//   C  Z9903 expressway, one-way (100.025,30.04) → (100.025,30.06)                  crosses A without a shared vertex: an overpass
const DISTRICT = '419901';
const SIBLING = '419902';

let server: TestServer;
const ids: Record<'a' | 'bPlus' | 'bMinus' | 'c', number> = { a: 0, bPlus: 0, bMinus: 0, c: 0 };

function lineM(points: [number, number][]): string {
  let chainage = 0;
  const parts = points.map(([lon, lat], index) => {
    if (index > 0) chainage += Math.hypot((lon - points[index - 1]![0]) * 96_300, (lat - points[index - 1]![1]) * 110_850);
    return `${lon} ${lat} ${chainage.toFixed(2)}`;
  });
  return `SRID=4326;LINESTRINGM(${parts.join(',')})`;
}

async function insertSegment(route: string, direction: 1 | -1, oneway: boolean, adminClass: string, points: [number, number][], jurisdiction = DISTRICT): Promise<number> {
  const result = await server.db.pool.query<{ id: number }>(
    // The chainage range is the line's own M range: a segment record whose range disagrees with
    // its line has no road at its far stakes (other files' stake look-ups see these routes too).
    `INSERT INTO segments (route_code, direction, chainage_from_meters, chainage_to_meters, centreline, admin_class, is_oneway, road_land_half_width_meters, jurisdiction_code)
     SELECT $1, $2, least(ST_M(ST_StartPoint(g)), ST_M(ST_EndPoint(g))), greatest(ST_M(ST_StartPoint(g)), ST_M(ST_EndPoint(g))), g, $4, $5, 10, $6
     FROM (SELECT ST_GeomFromEWKT($3) AS g) line RETURNING id`,
    [route, direction, lineM(points), adminClass, oneway, jurisdiction],
  );
  return result.rows[0]!.id;
}

function arcsOf(graph: RoutingGraph, segmentId: number) {
  return graph.arcs.filter((arc) => arc.segmentId === segmentId).sort((x, y) => x.pieceIndex - y.pieceIndex);
}

function nodeAt(graph: RoutingGraph, lon: number, lat: number): number {
  const node = graph.nodes.find((candidate) => Math.abs(candidate.lon - lon) < 1e-9 && Math.abs(candidate.lat - lat) < 1e-9);
  if (!node) throw new Error(`no node at ${lon} ${lat}`);
  return node.id;
}

beforeAll(async () => {
  server = await startTestServer({ as: 'dispatcher' });
  const box = (x0: number, x1: number) => `SRID=4326;MULTIPOLYGON(((${x0} 29.9,${x1} 29.9,${x1} 30.1,${x0} 30.1,${x0} 29.9)))`;
  await server.db.pool.query(
    `INSERT INTO jurisdictions (code, name, level, parent_code, boundary) VALUES
       ($1, '测试区', 'district', '410100', ST_GeomFromEWKT($3)), ($2, '测试邻区', 'district', '410100', ST_GeomFromEWKT($4))`,
    [DISTRICT, SIBLING, box(99.9, 100.1), box(100.1, 100.3)],
  );
  await server.db.pool.query(
    `INSERT INTO routes (code, name, admin_class) VALUES ('Z9901', '测试县道', 'county'), ('Z9902', '测试国道', 'national'), ('Z9903', '测试高速', 'expressway')`,
  );
  ids.a = await insertSegment('Z9901', 1, false, 'county', [[100.01, 30.05], [100.02, 30.05], [100.03, 30.05]]);
  ids.bPlus = await insertSegment('Z9902', 1, true, 'national', [[100.02, 30.04], [100.02, 30.05], [100.02, 30.06]]);
  ids.bMinus = await insertSegment('Z9902', -1, true, 'national', [[100.0202, 30.06], [100.0202, 30.04]]);
  ids.c = await insertSegment('Z9903', 1, true, 'expressway', [[100.025, 30.04], [100.025, 30.06]]);
});

afterAll(async () => {
  await server?.close();
});

describe('routing graph', () => {
  it('cuts an undivided road at a junction at grade into two-way arcs that meet the crossing carriageway', async () => {
    const graph = await loadRoutingGraph(server.db.pool, [DISTRICT]);
    const junction = nodeAt(graph, 100.02, 30.05);
    const a = arcsOf(graph, ids.a);
    expect(a.map((arc) => [arc.from, arc.to, arc.oneway])).toEqual([
      [nodeAt(graph, 100.01, 30.05), junction, false],
      [junction, nodeAt(graph, 100.03, 30.05), false],
    ]);
    const bPlus = arcsOf(graph, ids.bPlus);
    expect(bPlus.map((arc) => [arc.from, arc.to, arc.oneway])).toEqual([
      [nodeAt(graph, 100.02, 30.04), junction, true],
      [junction, nodeAt(graph, 100.02, 30.06), true],
    ]);
    // 0.01° of longitude at 30.05° N is 963 m (geodesic, within a metre).
    expect(a[0]!.lengthMeters).toBeGreaterThan(960);
    expect(a[0]!.lengthMeters).toBeLessThan(966);
    // National roads at the default 50 km/h.
    expect(bPlus[0]!.travelSeconds).toBeCloseTo(bPlus[0]!.lengthMeters / (50 / 3.6), 6);
  });

  it('does not connect an expressway that passes over a road without a shared vertex', async () => {
    const graph = await loadRoutingGraph(server.db.pool, [DISTRICT]);
    const c = arcsOf(graph, ids.c);
    expect(c).toHaveLength(1);
    const aNodes = new Set(arcsOf(graph, ids.a).flatMap((arc) => [arc.from, arc.to]));
    expect(aNodes.has(c[0]!.from) || aNodes.has(c[0]!.to)).toBe(false);
  });

  it('gives a divided road two one-way arcs in opposite directions', async () => {
    const graph = await loadRoutingGraph(server.db.pool, [DISTRICT]);
    const node = new Map(graph.nodes.map((candidate) => [candidate.id, candidate]));
    const plus = arcsOf(graph, ids.bPlus);
    const minus = arcsOf(graph, ids.bMinus);
    expect(plus.every((arc) => arc.oneway) && minus.every((arc) => arc.oneway)).toBe(true);
    expect(node.get(plus[0]!.to)!.lat).toBeGreaterThan(node.get(plus[0]!.from)!.lat);
    expect(minus).toHaveLength(1);
    expect(node.get(minus[0]!.to)!.lat).toBeLessThan(node.get(minus[0]!.from)!.lat);
  });

  it('turns around at the dead ends of a divided road onto the opposite carriageway (019), not at a through junction', async () => {
    const graph = await loadRoutingGraph(server.db.pool, [DISTRICT]);
    const turns = graph.arcs.filter((arc) => arc.kind === 'connector').map((arc) => [arc.from, arc.to, arc.oneway]);
    // B+ ends at (100.02, 30.06) with no way on; B− starts 19 m east: turn from the ending
    // carriageway onto the starting one. B− ends at (100.0202, 30.04), B+ starts beside it.
    // C (an expressway with no opposite carriageway) and the junction in B+'s middle get none.
    expect(turns).toEqual(
      expect.arrayContaining([
        [nodeAt(graph, 100.02, 30.06), nodeAt(graph, 100.0202, 30.06), true],
        [nodeAt(graph, 100.0202, 30.04), nodeAt(graph, 100.02, 30.04), true],
      ]),
    );
    expect(turns).toHaveLength(2);
  });

  it('reports strongly connected components and names the segments a base cannot reach and return from', async () => {
    const graph = await loadRoutingGraph(server.db.pool, [DISTRICT]);
    // With the turnarounds the divided road is a loop through the junction with the undivided
    // road; the expressway that passes over without a shared vertex stays alone.
    const components = stronglyConnectedComponents(graph).filter((component) => component.arcCount > 0);
    expect(components).toHaveLength(1);
    expect(components[0]!.segmentIds).toEqual([ids.a, ids.bPlus, ids.bMinus].sort((x, y) => x - y));
    const base = nodeAt(graph, 100.01, 30.05);
    expect(findUnreachableSegments(graph, base, [ids.a, ids.bPlus, ids.bMinus, ids.c])).toEqual([ids.c]);
  });

  it('follows a segment edit: the moved expressway now ends on the county road', async () => {
    await server.db.pool.query(`UPDATE segments SET centreline = ST_GeomFromEWKT($2) WHERE id = $1`, [ids.c, lineM([[100.03, 30.04], [100.03, 30.05]])]);
    const graph = await loadRoutingGraph(server.db.pool, [DISTRICT]);
    const c = arcsOf(graph, ids.c);
    expect(c).toHaveLength(1);
    expect(c[0]!.to).toBe(nodeAt(graph, 100.03, 30.05));
    expect(c[0]!.to).toBe(arcsOf(graph, ids.a)[1]!.to);
    await server.db.pool.query(`UPDATE segments SET centreline = ST_GeomFromEWKT($2) WHERE id = $1`, [ids.c, lineM([[100.025, 30.04], [100.025, 30.06]])]);
  });

  it('answers the components over the API', async () => {
    const response = await server.request(`/routing-graph?jurisdiction=410104`);
    expect(response.status).toBe(200);
    expect(response.body.componentCount).toBeGreaterThan(0);
    expect(response.body.components[0].rank).toBe(1);
    // Before the turnarounds (019) only 272 of the demo district's 403 segments were in it.
    expect(response.body.components[0].segmentIds.length).toBeGreaterThanOrEqual(360);
  });
});

describe('what is due', () => {
  const DATE = '2026-03-10';

  beforeAll(async () => {
    await insertSegmentPatrols(server.db.pool, [
      // A (county, 3 days): 2 days ago → not due.
      { segmentId: ids.a, patrolledAt: '2026-03-08T10:00:00+08:00', source: 'assignment' },
      // B+ (national, 1 day): 4 days ago → overdue by 3.
      { segmentId: ids.bPlus, patrolledAt: '2026-03-06T09:00:00+08:00', source: 'assignment' },
      // C (expressway, 1 day): 00:30 on the 10th in Shanghai (still the 9th in UTC) → patrolled today.
      { segmentId: ids.c, patrolledAt: '2026-03-09T16:30:00Z', source: 'track' },
      // A patrol after the date does not count for that date.
      { segmentId: ids.bPlus, patrolledAt: '2026-03-12T09:00:00+08:00', source: 'assignment' },
    ]);
  });

  async function due(date: string) {
    const collection = await listDueSegments(server.db.pool, { date, jurisdictionCode: DISTRICT });
    return new Map(collection.features.map((feature) => [feature.properties.id, feature.properties]));
  }

  it('applies default frequencies, the last patrol before the date and Shanghai calendar days', async () => {
    const onDate = await due(DATE);
    expect([...onDate.keys()].sort((x, y) => x - y)).toEqual([ids.bPlus, ids.bMinus].sort((x, y) => x - y));
    // B+ runs 0.02° of latitude: 2 × 0.01 × 110,850 m (lineM) = 2,217 m.
    expect(onDate.get(ids.bPlus)).toMatchObject({ reasons: ['overdue'], daysSincePatrol: 4, overdueDays: 3, intervalDays: 1, lastPatrolledAt: '2026-03-06T01:00:00.000Z', stakeFrom: 'K0+000', stakeTo: 'K2+217' });
    expect(onDate.get(ids.bMinus)).toMatchObject({ reasons: ['never_patrolled'], lastPatrolledAt: null });
    const nextDay = await due('2026-03-11');
    expect(nextDay.get(ids.a)).toMatchObject({ reasons: ['interval_elapsed'], daysSincePatrol: 3 });
    expect(nextDay.get(ids.c)).toMatchObject({ reasons: ['interval_elapsed'], daysSincePatrol: 1 });
  });

  it("uses the jurisdiction's own frequency when a manager set one", async () => {
    await server.db.pool.query(`INSERT INTO patrol_frequencies (jurisdiction_code, admin_class, interval_days) VALUES ($1, 'county', 2)`, [DISTRICT]);
    const onDate = await due(DATE);
    expect(onDate.get(ids.a)).toMatchObject({ reasons: ['interval_elapsed'], intervalDays: 2, daysSincePatrol: 2 });
    await server.db.pool.query(`DELETE FROM patrol_frequencies WHERE jurisdiction_code = $1`, [DISTRICT]);
  });

  it('lists point tasks and makes their segments due', async () => {
    const verdict = JSON.stringify({ isViolation: true });
    const inserted = await server.db.pool.query<{ id: number }>(
      `INSERT INTO violations (category, status, geom, source, verdict, is_violation, segment_id, route_code, chainage_meters, jurisdiction_code, deadline_at, updated_at)
       VALUES ('piling', 'notice_issued', ST_GeomFromText('POINT(100.015 30.0502)', 4326), 'patrol', $1, true, $2, 'Z9901', 480, $3, '2026-03-08T23:59:59+08:00', '2026-03-01T00:00:00Z'),
              ('billboard', 'cleared', ST_GeomFromText('POINT(100.025 30.0502)', 4326), 'patrol', $1, true, $2, 'Z9901', 1440, $3, '2026-03-06T23:59:59+08:00', '2026-03-05T00:00:00Z'),
              ('piling', 'notice_issued', ST_GeomFromText('POINT(100.016 30.0502)', 4326), 'patrol', $1, true, $2, 'Z9901', 500, $3, '2026-03-12T23:59:59+08:00', '2026-03-01T00:00:00Z')
       RETURNING id`,
      [verdict, ids.a, DISTRICT],
    );
    const [noticeId, clearedId] = inserted.rows.map((row) => row.id);
    await server.db.pool.query(`INSERT INTO case_events (violation_id, event, from_status, to_status, occurred_at) VALUES ($1, 'report_cleared', 'notice_issued', 'cleared', '2026-03-05T10:00:00+08:00')`, [clearedId]);

    const tasks = await listPointTasks(server.db.pool, { date: DATE, jurisdictionCode: DISTRICT });
    // The notice due on the 12th is not due yet; the one due on the 8th is 2 days past (10 − 8);
    // re-inspection is due 3 days after the later of clearing (5th) and the deadline (6th): the 9th, 1 day past.
    expect(tasks.features.map((feature) => [feature.properties.kind, feature.properties.sourceId, feature.properties.overdueDays, feature.properties.stake])).toEqual([
      ['notice_deadline', noticeId, 2, 'K0+480'],
      ['reinspection', clearedId, 1, 'K1+440'],
    ]);
    const onDate = await due(DATE);
    expect(onDate.get(ids.a)!.reasons).toEqual(['notice_deadline', 'reinspection']);
  });

  it('serves the due segments over the API for dispatchers only', async () => {
    const response = await server.request(`/segments/due?date=${DATE}&jurisdiction=410104`);
    expect(response.status).toBe(200);
    expect(response.body.type).toBe('FeatureCollection');
    expect(response.body.features[0].properties).toHaveProperty('reasons');
    const patrolToken = await server.login('patrol');
    expect((await server.requestWith(patrolToken, `/segments/due?date=${DATE}`)).status).toBe(403);
    expect((await server.request(`/segments/due?date=2026-02-30`)).status).toBe(400);
    expect((await server.request(`/patrol-tasks/due?date=${DATE}&jurisdiction=410105`)).status).toBe(404);
  });

  it('lets a manager set a frequency once per version', async () => {
    const manager = await server.login('manager');
    const put = (version: number | null) =>
      server.requestWith(manager, '/patrol-frequencies', { method: 'PUT', body: JSON.stringify({ adminClass: 'village', intervalDays: 14, version }) });
    const before = await server.requestWith(manager, '/patrol-frequencies');
    const village = before.body.frequencies.find((entry: { adminClass: string }) => entry.adminClass === 'village');
    const first = await put(village.version);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ intervalDays: 14, source: 'jurisdiction' });
    expect((await put(village.version)).status).toBe(409);
    expect((await server.request('/patrol-frequencies', { method: 'PUT', body: JSON.stringify({ adminClass: 'village', intervalDays: 14, version: null }) })).status).toBe(403);
  });
});

describe('crews', () => {
  const base = { type: 'Point', coordinates: [113.8012, 34.7101] };
  let userIds: Record<string, number>;

  beforeAll(async () => {
    const result = await server.db.pool.query<{ id: number; username: string }>(`SELECT id, username FROM users WHERE username IN ('patrol2', 'patrol3', 'viewer', 'officer2')`);
    userIds = Object.fromEntries(result.rows.map((row) => [row.username, row.id]));
  });

  const crewBody = (name: string, memberIds: number[]) => JSON.stringify({ name, memberIds, base, shiftStartMinutes: 480, shiftEndMinutes: 1050, vehicle: { plate: '豫A·T0001' } });

  it('refuses a crew of one officer with 422', async () => {
    const response = await server.request('/crews', { method: 'POST', body: crewBody(`单人-${randomBytes(3).toString('hex')}`, [userIds.patrol2!]) });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('CREW_TOO_FEW_MEMBERS');
  });

  it('refuses members who are not officers or patrol staff of the jurisdiction', async () => {
    const response = await server.request('/crews', { method: 'POST', body: crewBody(`混编-${randomBytes(3).toString('hex')}`, [userIds.patrol2!, userIds.viewer!, userIds.officer2!]) });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('CREW_MEMBER_INVALID');
    expect(response.body.error.details.problems).toEqual([
      { userId: userIds.viewer, problem: 'role' },
      { userId: userIds.officer2, problem: 'not_found' },
    ]);
  });

  it('creates a crew snapped to the graph, and refuses a stale edit with 409', async () => {
    const created = await server.request('/crews', { method: 'POST', body: crewBody(`测试中队-${randomBytes(3).toString('hex')}`, [userIds.patrol2!, userIds.patrol3!]) });
    expect(created.status).toBe(201);
    expect(created.body.members.map((member: { id: number }) => member.id)).toEqual([userIds.patrol2, userIds.patrol3].sort((x, y) => x! - y!));
    expect(created.body.baseNode.distanceMeters).toBeLessThan(500);
    const id = created.body.id;
    const patched = await server.request(`/crews/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ version: created.body.version, jointUnit: '交警大队', availability: [{ date: '2026-03-10', available: false }] }),
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ version: created.body.version + 1, jointUnit: '交警大队' });
    const stale = await server.request(`/crews/${id}`, { method: 'PATCH', body: JSON.stringify({ version: created.body.version, name: 'x' }) });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('CREW_CHANGED');
    const listed = await server.request(`/crews?date=2026-03-10`);
    expect(listed.body.items.find((crew: { id: number }) => crew.id === id).onDate).toEqual({ date: '2026-03-10', available: false, shiftStartMinutes: 480, shiftEndMinutes: 1050 });
    const audit = await server.db.pool.query(`SELECT action FROM audit_log WHERE entity_type = 'crew' AND entity_id = $1 ORDER BY id`, [String(id)]);
    expect(audit.rows.map((row) => row.action)).toEqual(['crew.create', 'crew.update']);
  });

  it("answers 404 for a crew of a sibling district and does not list it", async () => {
    const sibling = await server.db.pool.query<{ id: number }>(
      `INSERT INTO crews (name, jurisdiction_code, base, shift_start_minutes, shift_end_minutes) VALUES ($1, '410105', ST_GeomFromText('POINT(113.7 34.78)', 4326), 480, 1020) RETURNING id`,
      [`金水中队-${randomBytes(3).toString('hex')}`],
    );
    const id = sibling.rows[0]!.id;
    expect((await server.request(`/crews/${id}`)).status).toBe(404);
    expect((await server.request(`/crews/${id}`, { method: 'PATCH', body: JSON.stringify({ version: 1, name: 'x' }) })).status).toBe(404);
    const list = await server.request('/crews');
    expect(list.body.items.some((crew: { id: number }) => crew.id === id)).toBe(false);
  });

  it('keeps every new table to its district under row-level security', async () => {
    const counts = await withRequestScope(server.db.pool, { userId: userIds.officer2!, role: 'officer', scopeCodes: ['410105'], isTop: false }, async (client) => {
      const result = await client.query<Record<string, number>>(
        `SELECT (SELECT count(*) FROM crews WHERE jurisdiction_code = '410104')::int AS crews,
                (SELECT count(*) FROM crew_members m JOIN users u ON u.id = m.user_id WHERE u.jurisdiction_code = '410104')::int AS members,
                (SELECT count(*) FROM crew_availability)::int AS availability,
                (SELECT count(*) FROM segment_patrols WHERE jurisdiction_code <> '410105')::int AS patrols,
                (SELECT count(*) FROM patrol_frequencies WHERE jurisdiction_code <> '410105')::int AS frequencies,
                (SELECT count(*) FROM routing_arcs WHERE jurisdiction_code <> '410105')::int AS arcs,
                (SELECT count(*) FROM routing_nodes WHERE jurisdiction_code <> '410105')::int AS nodes`,
      );
      return result.rows[0];
    });
    expect(counts).toEqual({ crews: 0, members: 0, availability: 0, patrols: 0, frequencies: 0, arcs: 0, nodes: 0 });
    // …while the same rows exist for their own district.
    const own = await server.db.pool.query(`SELECT (SELECT count(*) FROM crews WHERE jurisdiction_code = '410104')::int AS crews, (SELECT count(*) FROM segment_patrols WHERE jurisdiction_code = '410104')::int AS patrols`);
    expect(own.rows[0].crews).toBeGreaterThan(0);
    expect(own.rows[0].patrols).toBeGreaterThan(0);
  });
});
