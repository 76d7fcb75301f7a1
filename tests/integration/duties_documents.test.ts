import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePdfRenderer } from '../../server/documents/pdf_renderer.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';
import { districtSegments, insertPhotos, pointBeside, STRUCTURE, type FixtureSegment } from './helpers/violation_fixtures.ts';

/**
 * Separation of duties (issue 14) and the enforcement documents of a real case. Findings go beside
 * 410104 segments this file alone uses (index 70+); the rules row written for 410105 is removed.
 */

let server: TestServer;
let manager: string;
let officerId: number;
let managerId: number;
let segments: FixtureSegment[];
let nextSegment = 0;
const segment = () => segments[(nextSegment += 1) % segments.length]!;

async function userId(username: string): Promise<number> {
  const result = await server.db.pool.query<{ id: number }>('SELECT id::integer AS id FROM users WHERE username = $1', [username]);
  return result.rows[0]!.id;
}

async function send(token: string | undefined, id: number, body: Record<string, unknown>) {
  return server.requestWith(token ?? server.token, `/violations/${id}/transitions`, { method: 'POST', body: JSON.stringify(body) });
}

/** A structure in the control zone, verified by `officer` with a photo. */
async function verifiedCase(): Promise<number> {
  const s = segment();
  const created = await server.request('/violations', {
    method: 'POST',
    body: JSON.stringify({
      type: 'Feature',
      geometry: pointBeside(s.line, 0.5, s.road_land_half_width_meters + 4),
      properties: { source: 'patrol', category: 'structure', attributes: STRUCTURE, confirmNotDuplicate: true },
    }),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as number;
  const photoIds = await insertPhotos(server.db.pool, [{ violationId: null, jurisdictionCode: '410104', tag: 'before' }]);
  expect((await send(undefined, id, { event: 'verify', photoIds })).status).toBe(200);
  return id;
}

const PARTY = { name: '郑州某某建材有限公司', idType: 'business_license', idNumber: '91410104MA9XXXXX2Q', address: '郑州市管城回族区紫荆山南路 1 号' };

beforeAll(async () => {
  server = await startTestServer({ as: 'officer' });
  manager = await server.login('manager');
  officerId = await userId('officer');
  managerId = await userId('manager');
  segments = (await districtSegments(server.db.pool, '410104')).slice(70, 100);
});

afterAll(async () => {
  await server.db.pool.query(`DELETE FROM duty_rules WHERE jurisdiction_code = '410105'`);
  await closePdfRenderer();
  await server.close();
});

describe('separation of duties (defaults)', () => {
  it('a notice names two certified officers: refuses none, refuses oneself, accepts the manager', async () => {
    const id = await verifiedCase();
    const none = await send(undefined, id, { event: 'issue_notice', party: PARTY });
    expect(none.status).toBe(422);
    expect(none.body.error).toMatchObject({ code: 'DUTY_SECOND_OFFICER_REQUIRED', details: { rule: 'DUTY_SECOND_OFFICER_REQUIRED', rulesSetBy: null } });
    const self = await send(undefined, id, { event: 'issue_notice', party: PARTY, secondOfficerId: officerId });
    expect(self.body.error.code).toBe('DUTY_SECOND_OFFICER_REQUIRED');
    const viewer = await send(undefined, id, { event: 'issue_notice', party: PARTY, secondOfficerId: await userId('viewer') });
    expect(viewer.status).toBe(400);
    expect(viewer.body.error.code).toBe('SECOND_OFFICER_NOT_FOUND');
    const foreign = await send(undefined, id, { event: 'issue_notice', party: PARTY, secondOfficerId: await userId('officer2') });
    expect(foreign.body.error.code).toBe('SECOND_OFFICER_NOT_FOUND');
    const issued = await send(undefined, id, { event: 'issue_notice', party: PARTY, secondOfficerId: managerId });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    const detail = await server.request(`/violations/${id}`);
    const notice = detail.body.timeline.find((event: { event: string }) => event.event === 'issue_notice');
    expect(notice.details.officers).toEqual([
      { userId: officerId, name: '管城区执法员', certificateNumber: '41010420002' },
      { userId: managerId, name: '管城区领导', certificateNumber: '41010420001' },
    ]);
  });

  it('re-inspection by another officer with its own photo; closing by someone other than the clearance reporter', async () => {
    const id = await verifiedCase();
    expect((await send(undefined, id, { event: 'issue_notice', party: PARTY, secondOfficerId: managerId })).status).toBe(200);
    const [clearancePhoto] = await insertPhotos(server.db.pool, [{ violationId: null, jurisdictionCode: '410104', tag: 'after' }]);
    expect((await send(undefined, id, { event: 'report_cleared', photoIds: [clearancePhoto] })).status).toBe(200);

    const sameOfficer = await send(undefined, id, { event: 'reinspect_pass' });
    expect(sameOfficer.status).toBe(403);
    expect(sameOfficer.body.error.code).toBe('DUTY_REINSPECTOR_IS_CLEARANCE_REPORTER');
    const noOwnPhoto = await send(manager, id, { event: 'reinspect_pass' });
    expect(noOwnPhoto.status).toBe(422);
    expect(noOwnPhoto.body.error.code).toBe('DUTY_REINSPECTION_PHOTO_REQUIRED');
    const [ownPhoto] = await insertPhotos(server.db.pool, [{ violationId: null, jurisdictionCode: '410104', tag: 'after' }]);
    const passed = await send(manager, id, { event: 'reinspect_pass', photoIds: [ownPhoto] });
    expect(passed.status, JSON.stringify(passed.body)).toBe(200);

    const closeBySameOfficer = await send(undefined, id, { event: 'close' });
    expect(closeBySameOfficer.status).toBe(403);
    expect(closeBySameOfficer.body.error.code).toBe('DUTY_CLOSER_IS_CLEARANCE_REPORTER');
    const closed = await send(manager, id, { event: 'close' });
    expect(closed.status).toBe(200);
    expect(closed.body.properties.status).toBe('closed');
  });
});

describe('duty rules per jurisdiction', () => {
  it('a manager relaxes a rule for a district below them; it applies there and is audited', async () => {
    const cityManager = await server.login('city_manager');
    const relaxed = { jurisdiction: '410105', reinspectorDiffersFromClearanceReporter: false, reinspectionNeedsOwnPhoto: true, closerDiffersFromClearanceReporter: true, noticeNeedsTwoOfficers: true };
    const put = await server.requestWith(cityManager, '/duty-rules', { method: 'PUT', body: JSON.stringify(relaxed) });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ jurisdiction: '410105', reinspectorDiffersFromClearanceReporter: false, setBy: '410105' });
    const audit = await server.db.pool.query(`SELECT count(*)::integer AS n FROM audit_log WHERE action = 'duty_rules.set' AND entity_id = '410105'`);
    expect(audit.rows[0].n).toBeGreaterThanOrEqual(1);
    const officer2 = await server.login('officer2');
    const seen = await server.requestWith(officer2, '/duty-rules');
    expect(seen.body).toMatchObject({ jurisdiction: '410105', reinspectorDiffersFromClearanceReporter: false, setBy: '410105' });
    // 410104 keeps the defaults.
    expect((await server.request('/duty-rules')).body).toMatchObject({ jurisdiction: '410104', reinspectorDiffersFromClearanceReporter: true, setBy: null });
  });

  it('an officer may not change the rules', async () => {
    const response = await server.request('/duty-rules', {
      method: 'PUT',
      body: JSON.stringify({ reinspectorDiffersFromClearanceReporter: false, reinspectionNeedsOwnPhoto: false, closerDiffersFromClearanceReporter: false, noticeNeedsTwoOfficers: false }),
    });
    expect(response.status).toBe(403);
  });

  it('another district cannot see a district’s rules row (row-level security)', async () => {
    const client = await server.db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL ROLE luyu_app');
      await client.query(`SELECT set_config('luyu.scope_codes', '410104', true), set_config('luyu.scope_is_top', 'off', true)`);
      const rows = await client.query(`SELECT count(*)::integer AS n FROM duty_rules WHERE jurisdiction_code = '410105'`);
      expect(rows.rows[0].n).toBe(0);
      await client.query(`SELECT set_config('luyu.scope_codes', '410105', true)`);
      const own = await client.query(`SELECT count(*)::integer AS n FROM duty_rules WHERE jurisdiction_code = '410105'`);
      expect(own.rows[0].n).toBe(1);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('lists the certified officers a notice may name', async () => {
    const response = await server.request('/officers/certified');
    expect(response.status).toBe(200);
    const usernames = response.body.items.map((item: { username: string }) => item.username);
    expect(usernames).toEqual(expect.arrayContaining(['manager', 'officer']));
    expect(usernames).not.toContain('officer2');
  });
});

describe('enforcement documents of a case', () => {
  it('stop order and inspection record once filed; notice and service record after the notice', async () => {
    const id = await verifiedCase();
    for (const kind of ['stop_order', 'inspection_record']) {
      const response = await fetch(`${server.baseUrl}/api/v1/violations/${id}/documents/${kind}`, { headers: { authorization: `Bearer ${server.token}` } });
      expect(response.status, kind).toBe(200);
      const html = await response.text();
      expect(html).toContain('管城区执法员');
      expect(html).toContain('41010420002');
    }
    const early = await server.request(`/violations/${id}/documents/service_record`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('NOTICE_NOT_ISSUED');
    expect((await send(undefined, id, { event: 'issue_notice', party: PARTY, secondOfficerId: managerId })).status).toBe(200);
    const notice = await fetch(`${server.baseUrl}/api/v1/violations/${id}/documents/rectification_notice`, { headers: { authorization: `Bearer ${server.token}` } });
    const html = await notice.text();
    for (const expected of ['《公路安全保护条例》第十三条', '管城区领导', '41010420001', '91410104MA9XXXXX2Q', '紫荆山南路', '六十日内', '六个月内', '印章', '见证人']) {
      expect(html, expected).toContain(expected);
    }
    const service = await server.request(`/violations/${id}/documents/service_record`);
    expect(service.status).toBe(200);
    const unknown = await server.request(`/violations/${id}/documents/penalty_decision`);
    expect(unknown.status).toBe(400);
  });

  it.runIf(existsSync('/usr/bin/chromium'))('downloads the notice as an A4 PDF printed from the same HTML', async () => {
    const id = await verifiedCase();
    expect((await send(undefined, id, { event: 'issue_notice', party: PARTY, secondOfficerId: managerId })).status).toBe(200);
    const response = await fetch(`${server.baseUrl}/api/v1/violations/${id}/notice?format=pdf`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // A4 portrait is 210 × 297 mm = 595.3 × 841.9 points (Chromium rounds to its pixel grid).
    const box = /MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(bytes.toString('latin1'));
    expect(Number(box![1])).toBeCloseTo(595.3, -1);
    expect(Number(box![2])).toBeCloseTo(841.9, -1);
  }, 60_000);

  it('answers 503 PDF_RENDERER_UNAVAILABLE without Chromium', async () => {
    const bare = await startTestServer({ as: 'officer', env: { LUYU_CHROMIUM_PATH: '/nonexistent/chromium' } });
    try {
      const id = await verifiedCase();
      expect((await send(undefined, id, { event: 'issue_notice', party: PARTY, secondOfficerId: managerId })).status).toBe(200);
      const response = await bare.request(`/violations/${id}/notice?format=pdf`);
      expect(response.status).toBe(503);
      expect(response.body.error.code).toBe('PDF_RENDERER_UNAVAILABLE');
    } finally {
      await bare.close();
    }
  });
});

describe('GET /auth/session (no console error on an anonymous load)', () => {
  it('answers 200 with user null when anonymous, and the user when logged in', async () => {
    const anonymous = await server.requestWith(undefined, '/auth/session');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ user: null });
    const invalid = await server.requestWith('not-a-token', '/auth/session');
    expect(invalid.status).toBe(200);
    expect(invalid.body).toEqual({ user: null });
    const known = await server.request('/auth/session');
    expect(known.body.user).toMatchObject({ username: 'officer', role: 'officer', jurisdiction: { code: '410104' } });
  });
});

describe('a stake in another district', () => {
  it('answers OUTSIDE_JURISDICTION ("not in your jurisdiction"), not STAKE_OUT_OF_RANGE', async () => {
    // A 410104 stake no 410105 segment covers, picked as the superuser among the demo roads: the
    // longest 410104 segment may be another file's fixture (chainage calibration deletes its route).
    const picked = await server.db.pool.query<{ route_code: string; chainage: number }>(
      `SELECT s.route_code, round((s.chainage_from_meters + s.chainage_to_meters) / 2) AS chainage
       FROM segments s
       WHERE s.jurisdiction_code = '410104' AND s.direction = 1 AND s.is_demo
         AND NOT EXISTS (SELECT 1 FROM segments o WHERE o.route_code = s.route_code AND o.jurisdiction_code = '410105'
                         AND (s.chainage_from_meters + s.chainage_to_meters) / 2 BETWEEN o.chainage_from_meters AND o.chainage_to_meters)
       ORDER BY s.length_meters DESC LIMIT 1`,
    );
    const { route_code: route, chainage } = picked.rows[0]!;
    const stake = `K${Math.floor(chainage / 1000)}+${String(chainage % 1000).padStart(3, '0')}`;
    const own = await server.request(`/lrs/point?route=${route}&stake=${encodeURIComponent(stake)}`);
    expect(own.status).toBe(200);
    const officer2 = await server.login('officer2');
    const foreign = await server.requestWith(officer2, `/lrs/point?route=${route}&stake=${encodeURIComponent(stake)}`);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('OUTSIDE_JURISDICTION');
    const beyond = await server.requestWith(officer2, `/lrs/point?route=${route}&stake=${encodeURIComponent("K400+000")}`);
    expect(beyond.body.error.code).toBe('STAKE_OUT_OF_RANGE');
  });
});
