import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test_server.ts';
import { BILLBOARD, districtSegments, insertPhotos, PILING, pointBeside, STRUCTURE, TRADING, type FixtureSegment } from './helpers/violation_fixtures.ts';

/**
 * The violations API against the contract (docs/violations_api.md). Each test places its findings
 * beside its own 410104 segment, so tests (and other files sharing the database) do not collide.
 */

let server: TestServer;
let officer2: string;
let segments: FixtureSegment[];
let nextSegment = 0;
/** A fresh segment per test, from the long 410104 county roads. */
const segment = () => segments[(nextSegment += 1) % segments.length]!;
const TOKEN = `T${Date.now().toString(36)}`;

function feature(geometry: GeoJSON.Geometry, properties: Record<string, unknown>) {
  return JSON.stringify({ type: 'Feature', geometry, properties: { source: 'patrol', ...properties } });
}

async function create(geometry: GeoJSON.Geometry, properties: Record<string, unknown>) {
  return server.request('/violations', { method: 'POST', body: feature(geometry, { confirmNotDuplicate: true, ...properties }) });
}

async function auditRows(response: { headers: Headers }) {
  const requestId = response.headers.get('x-request-id');
  const result = await server.db.pool.query<{ action: string }>('SELECT action FROM audit_log WHERE request_id = $1', [requestId]);
  return result.rows;
}

beforeAll(async () => {
  server = await startTestServer({ as: 'officer' });
  officer2 = await server.login('officer2');
  // Skip the first ones: the workflow test file uses those.
  segments = (await districtSegments(server.db.pool, '410104')).slice(20, 60);
});

afterAll(async () => {
  await server.close();
});

describe('POST /violations', () => {
  it('creates a located, assessed record with one report event and one audit row', async () => {
    const s = segment();
    const point = pointBeside(s.line, 0.5, s.road_land_half_width_meters * 0.5, 1);
    const response = await create(point, { category: 'piling', attributes: PILING, description: `${TOKEN} sand pile`, party: { name: '张某' } });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    const p = response.body.properties;
    expect(response.body.type).toBe('Feature');
    expect(response.body.id).toBe(p.id);
    expect(p).toMatchObject({
      category: 'piling', status: 'reported', caseNumber: null, source: 'patrol', version: 1, photoCount: 0, isDemo: false,
      route: s.route_code, jurisdiction: { code: '410104' }, overdue: false, deadline: null, daysRemaining: null, party: { name: '张某' },
    });
    expect(p.stake).toMatch(/^K\d+\+\d{3}$/);
    expect(['left', 'right']).toContain(p.side);
    expect(p.offsetMeters).toBeCloseTo(s.road_land_half_width_meters * 0.5, 0);
    expect(p.zones).toContain('road_land');
    expect(p.primaryZone).toBe('road_land');
    expect(p.verdict).toMatchObject({ isViolation: true, article: '公路安全保护条例 16; 公路法 46', penaltyArticle: '公路法 77', reasonCode: 'PROHIBITED_ZONE' });
    expect(typeof p.reportedAt).toBe('string');
    expect(await auditRows(response)).toEqual([{ action: 'violations.create' }]);
    const detail = await server.request(`/violations/${p.id}`);
    expect(detail.body.timeline).toHaveLength(1);
    expect(detail.body.timeline[0]).toMatchObject({ event: 'report', fromStatus: null, toStatus: 'reported', actor: { username: 'officer', role: 'officer' } });
  });

  it('refuses bad attributes with the field path and writes nothing', async () => {
    const s = segment();
    const response = await create(pointBeside(s.line, 0.5, 3), { category: 'billboard', attributes: { ...BILLBOARD, heightMeters: -2 } });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(response.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'attributes.heightMeters' })]));
    const unknownCategory = await create(pointBeside(s.line, 0.5, 3), { category: 'crops', attributes: {} });
    expect(unknownCategory.status).toBe(400);
    expect(unknownCategory.body.error.details[0].path).toBe('category');
    const badParty = await create(pointBeside(s.line, 0.5, 3), { category: 'piling', attributes: PILING, party: { name: 'x', idNumber: '1' } });
    expect(badParty.status).toBe(400);
    expect(badParty.body.error.details[0].path).toBe('party.idType');
    expect(await auditRows(response)).toEqual([]);
  });

  it('answers 409 POSSIBLE_DUPLICATE for an open finding of the same category nearby, unless confirmed', async () => {
    const s = segment();
    const first = await create(pointBeside(s.line, 0.3, 4), { category: 'trading', attributes: TRADING });
    expect(first.status).toBe(201);
    const near = pointBeside(s.line, 0.3, 4 + 10);
    const duplicate = await server.request('/violations', { method: 'POST', body: feature(near, { category: 'trading', attributes: TRADING }) });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('POSSIBLE_DUPLICATE');
    const candidate = duplicate.body.error.details.candidates.find((c: { id: number }) => c.id === first.body.id);
    expect(candidate).toMatchObject({ category: 'trading', status: 'reported', caseNumber: null });
    expect(candidate.distanceMeters).toBeGreaterThan(8);
    expect(candidate.distanceMeters).toBeLessThan(12);
    // Another category at the same place is not a duplicate.
    const other = await server.request('/violations', { method: 'POST', body: feature(near, { category: 'piling', attributes: PILING }) });
    expect([201, 409]).toContain(other.status);
    if (other.status === 409) expect(other.body.error.details.candidates.every((c: { category: string }) => c.category === 'piling')).toBe(true);
    const confirmed = await create(near, { category: 'trading', attributes: TRADING });
    expect(confirmed.status).toBe(201);
  });

  it('scopes externalId to the district: another district may use the same key for its own record (no 409, no oracle)', async () => {
    const externalId = `ext-scoped-${TOKEN}`;
    const own = await create(pointBeside(segment().line, 0.5, 3), { category: 'piling', attributes: PILING, externalId });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    const siblingLine = (await districtSegments(server.db.pool, '410105'))[3]!.line;
    const foreign = await server.requestWith(officer2, '/violations', {
      method: 'POST',
      body: feature(pointBeside(siblingLine, 0.5, 3), { confirmNotDuplicate: true, category: 'piling', attributes: PILING, externalId }),
    });
    expect(foreign.status, JSON.stringify(foreign.body)).toBe(201);
    expect(foreign.body.id).not.toBe(own.body.id);
    expect(foreign.body.properties.externalId).toBe(externalId);
  });

  it('is idempotent on externalId: 200 with the existing record, nothing new', async () => {
    const s = segment();
    const externalId = `ext-${TOKEN}`;
    const first = await create(pointBeside(s.line, 0.6, 3), { category: 'piling', attributes: PILING, externalId });
    expect(first.status).toBe(201);
    const again = await create(pointBeside(s.line, 0.2, 3), { category: 'piling', attributes: PILING, externalId });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.properties.externalId).toBe(externalId);
    const counts = await server.db.pool.query<{ violations: number; events: number }>(
      `SELECT count(*)::integer AS violations, (SELECT count(*)::integer FROM case_events WHERE violation_id = $2) AS events FROM violations WHERE external_id = $1`,
      [externalId, first.body.id],
    );
    expect(counts.rows[0]).toEqual({ violations: 1, events: 1 });
    expect(await auditRows(again)).toEqual([{ action: 'violations.create_existing' }]);
  });

  it('keeps a finding outside every zone as not a violation, and refuses to verify it', async () => {
    const s = segment();
    const response = await create(pointBeside(s.line, 0.5, 300), { category: 'piling', attributes: PILING });
    expect(response.status).toBe(201);
    expect(response.body.properties.verdict).toMatchObject({ isViolation: false, reasonCode: 'OUTSIDE_ROAD_LAW_ZONES', article: null });
    const detail = await server.request(`/violations/${response.body.id}`);
    expect(detail.body.allowedEvents.map((e: { event: string }) => e.event)).toEqual(['reject']);
    const [photo] = await insertPhotos(server.db.pool, [{ violationId: response.body.id, jurisdictionCode: '410104', tag: 'before' }]);
    expect(photo).toBeGreaterThan(0);
    const verify = await server.request(`/violations/${response.body.id}/transitions`, { method: 'POST', body: JSON.stringify({ event: 'verify' }) });
    expect(verify.status).toBe(409);
    expect(verify.body.error.code).toBe('NOT_A_VIOLATION');
  });

  it('POST /violations/assess answers location, verdict and duplicates without saving', async () => {
    const s = segment();
    const geometry = pointBeside(s.line, 0.5, s.road_land_half_width_meters + 5);
    // Counted at this very place: other test files create violations elsewhere at the same time.
    const countHere = () =>
      server.db.pool.query<{ count: number }>('SELECT count(*)::integer AS count FROM violations WHERE ST_DWithin(geom, ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), 0.00001)', [
        JSON.stringify(geometry),
      ]);
    const before = await countHere();
    const response = await server.request('/violations/assess', { method: 'POST', body: JSON.stringify({ geometry, category: 'structure', attributes: STRUCTURE }) });
    expect(response.status).toBe(200);
    expect(response.body.location).toMatchObject({ route: s.route_code, segmentId: expect.any(Number), jurisdiction: { code: '410104' } });
    // Beyond this carriageway's road land; on a divided road that may be the other carriageway's.
    expect(response.body.location.zones).toContain('building_control');
    expect(response.body.verdict.isViolation).toBe(true);
    expect(Array.isArray(response.body.possibleDuplicates)).toBe(true);
    const after = await countHere();
    expect(after.rows[0]!.count).toBe(before.rows[0]!.count);
  });
});

describe('GET /violations (filters, paging, sort)', () => {
  const ids: Record<string, number> = {};
  let listSegment: FixtureSegment;
  const q = `${TOKEN}-list`;

  beforeAll(async () => {
    listSegment = segment();
    const s = listSegment;
    const made = [
      ['piling', PILING, 0.2],
      ['trading', TRADING, 0.5],
      ['structure', STRUCTURE, 0.8],
    ] as const;
    for (const [category, attributes, fraction] of made) {
      const offset = category === 'structure' ? s.road_land_half_width_meters + 4 : 3;
      const response = await create(pointBeside(s.line, fraction, offset), { category, attributes, description: `${q} ${category}` });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      ids[category] = response.body.id;
    }
    // A notice whose deadline passed two days ago (set as the superuser: the API refuses past deadlines).
    await server.db.pool.query(`UPDATE violations SET status = 'notice_issued', deadline_at = now() - interval '2 days' WHERE id = $1`, [ids.trading]);
  });

  it('filters by q, category, status and isViolation; numberMatched counts before paging', async () => {
    const all = await server.request(`/violations?q=${q}`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ type: 'FeatureCollection', numberMatched: 3, numberReturned: 3, limit: 100, offset: 0 });
    const piling = await server.request(`/violations?q=${q}&category=piling,billboard`);
    expect(piling.body.features.map((f: { id: number }) => f.id)).toEqual([ids.piling]);
    const status = await server.request(`/violations?q=${q}&status=notice_issued`);
    expect(status.body.features.map((f: { id: number }) => f.id)).toEqual([ids.trading]);
    const violations = await server.request(`/violations?q=${q}&isViolation=true`);
    expect(violations.body.numberMatched).toBe(3);
    const bad = await server.request(`/violations?status=open`);
    expect(bad.status).toBe(400);
  });

  it('computes overdue and daysRemaining in Asia/Shanghai days', async () => {
    const overdue = await server.request(`/violations?q=${q}&overdue=true`);
    expect(overdue.body.features.map((f: { id: number }) => f.id)).toEqual([ids.trading]);
    expect(overdue.body.features[0].properties).toMatchObject({ overdue: true, daysRemaining: -2 });
    const notOverdue = await server.request(`/violations?q=${q}&overdue=false`);
    expect(notOverdue.body.numberMatched).toBe(2);
  });

  it('sorts, pages, and filters by route + stake range and bbox', async () => {
    const sorted = await server.request(`/violations?q=${q}&sort=category&order=asc`);
    expect(sorted.body.features.map((f: { properties: { category: string } }) => f.properties.category)).toEqual(['piling', 'structure', 'trading']);
    const page = await server.request(`/violations?q=${q}&sort=category&order=asc&limit=1&offset=1`);
    expect(page.body).toMatchObject({ numberMatched: 3, numberReturned: 1, limit: 1, offset: 1 });
    expect(page.body.features[0].properties.category).toBe('structure');
    const beyond = await server.request(`/violations?q=${q}&limit=1&offset=5`);
    expect(beyond.body).toMatchObject({ numberMatched: 3, numberReturned: 0 });

    const detail = await server.request(`/violations/${ids.piling}`);
    const chainage = detail.body.properties.chainageMeters as number;
    const stake = (m: number) => `K${Math.floor(m / 1000)}%2B${String(Math.floor(m % 1000)).padStart(3, '0')}`;
    const ranged = await server.request(`/violations?q=${q}&route=${listSegment.route_code}&stakeFrom=${stake(Math.max(0, chainage - 1))}&stakeTo=${stake(chainage + 2)}`);
    expect(ranged.body.features.map((f: { id: number }) => f.id)).toContain(ids.piling);
    expect(ranged.body.features.map((f: { id: number }) => f.id)).not.toContain(ids.structure);
    const [lon, lat] = detail.body.geometry.coordinates as [number, number];
    const boxed = await server.request(`/violations?q=${q}&bbox=${lon - 0.0001},${lat - 0.0001},${lon + 0.0001},${lat + 0.0001}`);
    expect(boxed.body.features.map((f: { id: number }) => f.id)).toEqual([ids.piling]);
    const badStake = await server.request(`/violations?stakeFrom=K1+1200`);
    expect(badStake.status).toBe(400);
  });

  it('exports the filtered ledger as xlsx, CSV and GeoJSON that parse back', async () => {
    const xlsx = await fetch(`${server.baseUrl}/api/v1/violations/export?format=xlsx&q=${q}&sort=category&order=asc`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toMatch(/^attachment; filename="luyu-violations-\d{8}\.xlsx"; filename\*=UTF-8''%E8%B7%AF%E5%9F%9F/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('案件编号');
    expect(sheet.rowCount).toBe(4);
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual(expect.arrayContaining(['里程（米）', '距中心线（米）', '违法类型']));
    expect(sheet.getRow(2).getCell(headers.indexOf('违法类型') + 1).value).toBe('违法堆放');

    const csv = await fetch(`${server.baseUrl}/api/v1/violations/export?format=csv&q=${q}`, { headers: { authorization: `Bearer ${server.token}` } });
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]!.split(',')[0]).toBe('案件编号');

    const geojson = await fetch(`${server.baseUrl}/api/v1/violations/export?format=geojson&q=${q}`, { headers: { authorization: `Bearer ${server.token}` } });
    const collection = JSON.parse(await geojson.text());
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features.map((f: { id: number }) => f.id).sort()).toEqual(Object.values(ids).sort());
  });
});

describe('detail, lifecycle, notice', () => {
  it('shows the timeline and allowed events; the sibling district record is a 404', async () => {
    const foreign = await server.db.pool.query<{ id: number }>(`SELECT id FROM violations WHERE jurisdiction_code = '410105' ORDER BY id LIMIT 1`);
    const response = await server.request(`/violations/${foreign.rows[0]!.id}`);
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('VIOLATION_NOT_FOUND');
    const asOwner = await server.requestWith(officer2, `/violations/${foreign.rows[0]!.id}`);
    expect(asOwner.status).toBe(200);
    expect(asOwner.body.timeline.length).toBeGreaterThanOrEqual(1);
  });

  it('verifies with photos (case number), issues the notice and prints it escaped', async () => {
    const s = segment();
    const created = await create(pointBeside(s.line, 0.4, s.road_land_half_width_meters + 5), {
      category: 'structure',
      attributes: { ...STRUCTURE, use: '<script>alert(1)</script>' },
      description: `${TOKEN} notice`,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const early = await server.request(`/violations/${id}/notice`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('NOTICE_NOT_ISSUED');

    const missing = await server.request(`/violations/${id}/transitions`, { method: 'POST', body: JSON.stringify({ event: 'verify' }) });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({ code: 'REQUIREMENTS_MISSING', details: { missing: ['photo'] } });
    const photoIds = await insertPhotos(server.db.pool, [{ violationId: null, jurisdictionCode: '410104', tag: 'before' }]);
    const verified = await server.request(`/violations/${id}/transitions`, { method: 'POST', body: JSON.stringify({ event: 'verify', photoIds, expectedVersion: 1, note: '现场核实' }) });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body.properties).toMatchObject({ status: 'verified', version: 2, photoCount: 1 });
    expect(verified.body.properties.caseNumber).toMatch(/^410104-\d{4}-\d{6}$/);
    expect(await auditRows(verified)).toEqual([{ action: 'violations.transition' }]);

    const stale = await server.request(`/violations/${id}/transitions`, { method: 'POST', body: JSON.stringify({ event: 'issue_notice', expectedVersion: 1, party: { name: 'x' } }) });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('CASE_CHANGED');
    const noParty = await server.request(`/violations/${id}/transitions`, { method: 'POST', body: JSON.stringify({ event: 'issue_notice' }) });
    expect(noParty.status).toBe(422);
    expect(noParty.body.error.details.missing).toEqual(['party']);

    const party = { name: '王某<script>alert("x")</script>', contact: '13800000000' };
    // Two officers on a notice (separation of duties): the demo manager holds a certificate too.
    const manager = await server.db.pool.query<{ id: number }>("SELECT id::integer AS id FROM users WHERE username = 'manager'");
    const issued = await server.request(`/violations/${id}/transitions`, {
      method: 'POST',
      body: JSON.stringify({ event: 'issue_notice', party, expectedVersion: 2, secondOfficerId: manager.rows[0]!.id }),
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    expect(issued.body.properties.party).toEqual(party);
    // Default deadline for structures: 15 calendar days.
    expect(issued.body.properties.daysRemaining).toBe(15);

    const page = await fetch(`${server.baseUrl}/api/v1/violations/${id}/notice`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'nonce-/);
    const html = await page.text();
    expect(html).toContain(verified.body.properties.caseNumber);
    expect(html).toContain('王某&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('《中华人民共和国公路法》第八十一条、《公路安全保护条例》第五十六条');
    expect(html).toContain('交通运输综合行政执法大队');
    expect(html).toContain('<svg');
    expect(html).toContain('@media print');
    const deadline = new Date(issued.body.properties.deadline);
    const local = new Date(deadline.getTime() + 8 * 3600_000);
    expect(html).toContain(`${local.getUTCFullYear()}年${local.getUTCMonth() + 1}月${local.getUTCDate()}日`);

    const detail = await server.request(`/violations/${id}`);
    expect(detail.body.timeline.map((e: { event: string }) => e.event)).toEqual(['report', 'verify', 'issue_notice']);
    expect(detail.body.timeline[1].photos.map((p: { id: number }) => p.id)).toEqual(photoIds);
    expect(detail.body.photos[0]).toMatchObject({ id: photoIds[0], tag: 'before', thumbnailUrl: `/api/v1/photos/${photoIds[0]}/thumbnail` });
    expect(detail.body.allowedEvents.map((e: { event: string }) => e.event)).toEqual(['start_rectification', 'report_cleared', 'send_reminder', 'reissue_notice']);
  });

  it('refuses a photo of another case and a role the workflow does not allow', async () => {
    const s = segment();
    const a = await create(pointBeside(s.line, 0.2, 3), { category: 'piling', attributes: PILING });
    const b = await create(pointBeside(s.line, 0.7, 3), { category: 'piling', attributes: PILING });
    const [photo] = await insertPhotos(server.db.pool, [{ violationId: a.body.id, jurisdictionCode: '410104', tag: 'before' }]);
    const response = await server.request(`/violations/${b.body.id}/transitions`, { method: 'POST', body: JSON.stringify({ event: 'verify', photoIds: [photo] }) });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('PHOTO_ATTACHED_ELSEWHERE');
    const patrol = await server.login('patrol');
    const asPatrol = await server.requestWith(patrol, `/violations/${a.body.id}/transitions`, { method: 'POST', body: JSON.stringify({ event: 'verify' }) });
    expect(asPatrol.status).toBe(403);
    expect(asPatrol.body.error.code).toBe('ROLE_NOT_ALLOWED');
  });

  it('bulk transitions are all-or-nothing with one audit row', async () => {
    const s = segment();
    const made: number[] = [];
    for (const fraction of [0.15, 0.45, 0.75]) {
      const response = await create(pointBeside(s.line, fraction, 3), { category: 'trading', attributes: TRADING });
      made.push(response.body.id);
    }
    await insertPhotos(server.db.pool, made.slice(0, 2).map((violationId) => ({ violationId, jurisdictionCode: '410104', tag: 'before' as const })));
    const refused = await server.request('/violations/bulk-transitions', { method: 'POST', body: JSON.stringify({ ids: made, event: 'verify' }) });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.failures).toEqual([expect.objectContaining({ id: made[2], code: 'REQUIREMENTS_MISSING' })]);
    const unchanged = await server.db.pool.query<{ status: string; events: number }>(
      `SELECT status, (SELECT count(*)::integer FROM case_events e WHERE e.violation_id = v.id) AS events FROM violations v WHERE id = ANY($1) ORDER BY id`,
      [made],
    );
    expect(unchanged.rows).toEqual(made.map(() => ({ status: 'reported', events: 1 })));
    expect(await auditRows(refused)).toEqual([]);

    await insertPhotos(server.db.pool, [{ violationId: made[2]!, jurisdictionCode: '410104', tag: 'before' }]);
    const done = await server.request('/violations/bulk-transitions', { method: 'POST', body: JSON.stringify({ ids: made, event: 'verify', note: '批量立案' }) });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.updated).toEqual(made);
    expect(await auditRows(done)).toEqual([{ action: 'violations.bulk_transition' }]);
    const numbers = await server.db.pool.query<{ case_number: string }>('SELECT case_number FROM violations WHERE id = ANY($1) ORDER BY id', [made]);
    expect(new Set(numbers.rows.map((row) => row.case_number)).size).toBe(3);
  });
});
