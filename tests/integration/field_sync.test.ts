import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRequestScope } from '../../server/db/transaction.ts';
import { insertViolations, type NewViolationRow } from '../../server/violations/queries.ts';
import { insertFieldDetection, noisyPhoto, sendChunk, sha256Hex, uploadWhole } from './helpers/field_fixtures.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';
import { insertAssignment } from './helpers/track_fixtures.ts';
import { districtSegments, pointBeside, PILING, TRADING, type FixtureSegment } from './helpers/violation_fixtures.ts';

/** POST /sync and the resumable photo uploads (issue 12, docs/field_app.md). */

let photoDir: string;
let server: TestServer;
let patrolToken: string;
let segments: FixtureSegment[];
const DEVICE = `device-${randomUUID()}`;

beforeAll(async () => {
  photoDir = mkdtempSync(path.join(os.tmpdir(), 'luyu-field-'));
  server = await startTestServer({ as: 'officer', env: { LUYU_PHOTO_DIR: photoDir } });
  patrolToken = await server.login('patrol');
  segments = await districtSegments(server.db.pool, '410104');
});
afterAll(async () => {
  await server.close();
  rmSync(photoDir, { recursive: true, force: true });
});

function finding(segmentIndex: number, fraction: number, category: 'piling' | 'trading' = 'piling') {
  return {
    id: randomUUID(),
    type: 'finding.create',
    at: new Date().toISOString(),
    payload: {
      type: 'Feature',
      geometry: pointBeside(segments[segmentIndex]!.line, fraction, 6),
      properties: { category, attributes: category === 'piling' ? PILING : TRADING, source: 'patrol', description: '巡查发现', confirmNotDuplicate: true },
    },
  };
}

function sync(actions: unknown[], token = server.token) {
  return server.requestWith<{ results: { id: string; status: string; entityId?: number; error?: { code: string }; server?: any }[] }>(token, '/sync', {
    method: 'POST',
    body: JSON.stringify({ deviceId: DEVICE, actions }),
  });
}

async function violationsOfActions(ids: string[]) {
  const result = await server.db.pool.query<{ external_id: string; count: number }>(
    `SELECT external_id, count(*)::integer AS count FROM violations WHERE external_id = ANY($1) GROUP BY external_id`,
    [ids.map((id) => `sync:${id}`)],
  );
  return new Map(result.rows.map((row) => [row.external_id.slice(5), row.count]));
}

describe('POST /sync', () => {
  it('the same batch twice creates each record once; the second answer is duplicate with the original ids', async () => {
    const actions = [finding(0, 0.3), finding(1, 0.6, 'trading')];
    const first = await sync(actions);
    expect(first.status).toBe(200);
    expect(first.body.results.map((result) => result.status)).toEqual(['applied', 'applied']);
    const second = await sync(actions);
    expect(second.body.results.map((result) => result.status)).toEqual(['duplicate', 'duplicate']);
    expect(second.body.results.map((result) => result.entityId)).toEqual(first.body.results.map((result) => result.entityId));
    const counts = await violationsOfActions(actions.map((action) => action.id));
    expect(actions.map((action) => counts.get(action.id))).toEqual([1, 1]);
    // Located on save like an office record: stake and zone filled in.
    expect(first.body.results[0]!.server.properties.stake).toMatch(/^K\d+\+\d{3}$/);
    expect(first.body.results[0]!.server.properties.zones.length).toBeGreaterThan(0);
  });

  it('a batch interrupted halfway and sent again in full completes without duplicates', async () => {
    const actions = [finding(2, 0.2), finding(3, 0.4), finding(4, 0.5, 'trading'), finding(5, 0.7)];
    const half = await sync(actions.slice(0, 2));
    expect(half.body.results.map((result) => result.status)).toEqual(['applied', 'applied']);
    const whole = await sync(actions);
    expect(whole.body.results.map((result) => result.status)).toEqual(['duplicate', 'duplicate', 'applied', 'applied']);
    const counts = await violationsOfActions(actions.map((action) => action.id));
    expect(actions.map((action) => counts.get(action.id))).toEqual([1, 1, 1, 1]);
    const logged = await server.db.pool.query<{ count: number }>(`SELECT count(*)::integer AS count FROM sync_actions WHERE action_id = ANY($1::uuid[])`, [actions.map((a) => a.id)]);
    expect(logged.rows[0]!.count).toBe(4);
  });

  it('a bad action is rejected with the error shape and does not roll back the others; it can be sent again once fixed', async () => {
    const good1 = finding(6, 0.3);
    const bad = finding(7, 0.3);
    (bad.payload.properties as Record<string, unknown>).category = 'spaceship';
    const good2 = finding(8, 0.3, 'trading');
    const response = await sync([good1, bad, good2]);
    expect(response.body.results.map((result) => result.status)).toEqual(['applied', 'rejected', 'applied']);
    expect(response.body.results[1]!.error!.code).toBe('VALIDATION_FAILED');
    const counts = await violationsOfActions([good1.id, bad.id, good2.id]);
    expect([counts.get(good1.id), counts.get(bad.id), counts.get(good2.id)]).toEqual([1, undefined, 1]);
    (bad.payload.properties as Record<string, unknown>).category = 'piling';
    const fixed = await sync([bad]);
    expect(fixed.body.results[0]!.status).toBe('applied');
  });

  it('an unknown action type is rejected, the rest applied', async () => {
    const good = finding(9, 0.5);
    const response = await sync([{ id: randomUUID(), type: 'coffee.order', payload: {} }, good]);
    expect(response.body.results.map((result) => [result.status, result.error?.code])).toEqual([
      ['rejected', 'ACTION_TYPE_UNKNOWN'],
      ['applied', undefined],
    ]);
  });

  it('a stale baseVersion on a re-inspection is a conflict carrying the server version; nothing is overwritten', async () => {
    const [row] = await insertViolations(server.db.pool, [clearedCase(`sync-conflict-${randomUUID()}`)]);
    const id = row!.id;
    const photo = await uploadWhole(server, server.token, await noisyPhoto(40, 7), 'after');
    const eventsBefore = await eventCount(id);
    const action = { id: randomUUID(), type: 'case.reinspect', baseVersion: 2, payload: { violationId: id, outcome: 'pass', note: '复查已清除', photoUploadIds: [photo.uploadId] } };
    const stale = await sync([action]);
    expect(stale.body.results[0]).toMatchObject({ status: 'conflict', error: { code: 'CASE_CHANGED' } });
    expect(stale.body.results[0]!.server.properties).toMatchObject({ status: 'cleared', version: 3 });
    expect(await eventCount(id)).toBe(eventsBefore);
    const state = await server.db.pool.query('SELECT status, version FROM violations WHERE id = $1', [id]);
    expect(state.rows[0]).toEqual({ status: 'cleared', version: 3 });

    // "Keep mine": the same action id with the server's version now applies, once.
    const kept = await sync([{ ...action, baseVersion: 3 }]);
    expect(kept.body.results[0]).toMatchObject({ status: 'applied', entityId: id });
    expect(kept.body.results[0]!.server.properties.status).toBe('reinspected');
    const again = await sync([{ ...action, baseVersion: 3 }]);
    expect(again.body.results[0]!.status).toBe('duplicate');
    expect(await eventCount(id)).toBe(eventsBefore + 1);
  });

  it('a patrol user may not pass a re-inspection (officers only, the case workflow): rejected, not applied', async () => {
    const [row] = await insertViolations(server.db.pool, [clearedCase(`sync-patrol-${randomUUID()}`)]);
    const photo = await uploadWhole(server, patrolToken, await noisyPhoto(32, 3), 'after');
    const response = await sync([{ id: randomUUID(), type: 'case.reinspect', baseVersion: 3, payload: { violationId: row!.id, outcome: 'pass', photoUploadIds: [photo.uploadId] } }], patrolToken);
    expect(response.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'ROLE_NOT_ALLOWED' } });
  });

  it('lead.verify confirms a field lead with the on-site photo attached; a second verification is a conflict with the lead as it is', async () => {
    const centre = pointBeside(segments[10]!.line, 0.5, 12);
    const detectionId = await insertFieldDetection(server.db.pool, centre);
    const photo = await uploadWhole(server, patrolToken, await noisyPhoto(48, 11), 'before');
    const action = { id: randomUUID(), type: 'lead.verify', payload: { detectionId, decision: 'confirm', category: 'structure', attributes: { storeys: 1 }, photoUploadIds: [photo.uploadId] } };
    const response = await sync([action], patrolToken);
    expect(response.body.results[0]).toMatchObject({ status: 'applied', entityId: detectionId });
    const violationId = response.body.results[0]!.server.violationId as number;
    const attached = await server.db.pool.query('SELECT violation_id::integer AS violation_id FROM evidence_photos WHERE id = $1', [photo.photoId]);
    expect(attached.rows[0]!.violation_id).toBe(violationId);

    const other = { id: randomUUID(), type: 'lead.verify', payload: { detectionId, decision: 'reject', rejectReason: 'false_positive', photoUploadIds: [photo.uploadId] } };
    const conflict = await sync([other], patrolToken);
    expect(conflict.body.results[0]).toMatchObject({ status: 'conflict', error: { code: 'DETECTION_ALREADY_REVIEWED' } });
    expect(conflict.body.results[0]!.server.properties.reviewStatus).toBe('confirmed');
  });

  it('an action whose photo is not uploaded yet is rejected as PHOTO_NOT_UPLOADED and can be sent again later', async () => {
    const action = finding(11, 0.5);
    (action.payload as Record<string, unknown>).photoUploadIds = [randomUUID()];
    const response = await sync([action], patrolToken);
    expect(response.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'PHOTO_NOT_UPLOADED' } });
    expect((await violationsOfActions([action.id])).get(action.id)).toBeUndefined();
  });

  it('the sync log and uploads are not visible to another district', async () => {
    const officer2 = await server.db.pool.query<{ id: number }>(`SELECT id FROM users WHERE username = 'officer2'`);
    const counts = await withRequestScope(server.db.pool, { userId: officer2.rows[0]!.id, role: 'officer', scopeCodes: ['410105'], isTop: false }, async (client) => {
      const actions = await client.query<{ count: number }>(`SELECT count(*)::integer AS count FROM sync_actions WHERE jurisdiction_code = '410104'`);
      const uploads = await client.query<{ count: number }>(`SELECT count(*)::integer AS count FROM photo_uploads WHERE jurisdiction_code = '410104'`);
      return [actions.rows[0]!.count, uploads.rows[0]!.count];
    });
    const all = await server.db.pool.query<{ count: number }>(`SELECT count(*)::integer AS count FROM sync_actions WHERE jurisdiction_code = '410104'`);
    expect(all.rows[0]!.count).toBeGreaterThan(0);
    expect(counts).toEqual([0, 0]);
  });
});

describe('assignment.transition through sync', () => {
  function transition(assignmentId: number, event: string, baseVersion: number | undefined, reason?: string) {
    return { id: randomUUID(), type: 'assignment.transition', at: new Date().toISOString(), ...(baseVersion === undefined ? {} : { baseVersion }), payload: { assignmentId, event, ...(reason ? { reason } : {}) } };
  }
  async function assignmentState(id: number) {
    const result = await server.db.pool.query<{ status: string; version: number; events: number }>(
      `SELECT status, version, (SELECT count(*)::integer FROM patrol_assignment_events WHERE assignment_id = $1) AS events FROM patrol_assignments WHERE id = $1`,
      [id],
    );
    return result.rows[0]!;
  }

  it('accept then start queued offline apply in order, once; the same batch again is duplicate', async () => {
    const { assignmentId } = await insertAssignment(server.db.pool, { usernames: ['patrol'], segmentIds: [segments[13]!.id], status: 'published' });
    const before = await assignmentState(assignmentId);
    const actions = [transition(assignmentId, 'accept', before.version), transition(assignmentId, 'start', before.version + 1)];
    const first = await sync(actions, patrolToken);
    expect(first.body.results.map((result) => result.status)).toEqual(['applied', 'applied']);
    expect(first.body.results[1]!.server).toMatchObject({ id: assignmentId, status: 'in_progress', version: before.version + 2 });
    const again = await sync(actions, patrolToken);
    expect(again.body.results.map((result) => result.status)).toEqual(['duplicate', 'duplicate']);
    expect(await assignmentState(assignmentId)).toEqual({ status: 'in_progress', version: before.version + 2, events: before.events + 2 });
  });

  it('a stale baseVersion (the office cancelled meanwhile) is a conflict with the server version; nothing changes', async () => {
    const { assignmentId } = await insertAssignment(server.db.pool, { usernames: ['patrol'], segmentIds: [segments[14]!.id], status: 'published' });
    const seen = await assignmentState(assignmentId);
    // The dispatcher cancelled it while the crew was offline (written as the office's transition would).
    await server.db.pool.query(`UPDATE patrol_assignments SET status = 'cancelled', version = version + 1 WHERE id = $1`, [assignmentId]);
    const stale = await sync([transition(assignmentId, 'accept', seen.version)], patrolToken);
    expect(stale.body.results[0]).toMatchObject({ status: 'conflict', server: { id: assignmentId, status: 'cancelled', version: seen.version + 1 } });
    expect(['ASSIGNMENT_CHANGED', 'ASSIGNMENT_TRANSITION_INVALID']).toContain(stale.body.results[0]!.error!.code);
    expect(await assignmentState(assignmentId)).toEqual({ status: 'cancelled', version: seen.version + 1, events: seen.events });
  });

  it('a stale baseVersion on a still-valid move: conflict; "keep mine" with the server version applies once', async () => {
    const { assignmentId } = await insertAssignment(server.db.pool, { usernames: ['patrol'], segmentIds: [segments[15]!.id], status: 'published' });
    const seen = await assignmentState(assignmentId);
    await server.db.pool.query(`UPDATE patrol_assignments SET version = version + 1 WHERE id = $1`, [assignmentId]);
    const action = transition(assignmentId, 'accept', seen.version);
    const stale = await sync([action], patrolToken);
    expect(stale.body.results[0]).toMatchObject({ status: 'conflict', error: { code: 'ASSIGNMENT_CHANGED' }, server: { status: 'published', version: seen.version + 1 } });
    const kept = await sync([{ ...action, baseVersion: seen.version + 1 }], patrolToken);
    expect(kept.body.results[0]).toMatchObject({ status: 'applied', entityId: assignmentId, server: { status: 'accepted' } });
    expect(await assignmentState(assignmentId)).toEqual({ status: 'accepted', version: seen.version + 2, events: seen.events + 1 });
  });

  it('decline without a reason, without baseVersion, or on another crew\'s assignment is rejected', async () => {
    const own = await insertAssignment(server.db.pool, { usernames: ['patrol'], segmentIds: [segments[16]!.id], status: 'published' });
    const other = await insertAssignment(server.db.pool, { usernames: ['officer'], segmentIds: [segments[17]!.id], status: 'published' });
    const version = (await assignmentState(own.assignmentId)).version;
    const response = await sync(
      [transition(own.assignmentId, 'decline', version), transition(own.assignmentId, 'accept', undefined), transition(other.assignmentId, 'accept', version)],
      patrolToken,
    );
    expect(response.body.results.map((result) => [result.status, result.error?.code])).toEqual([
      ['rejected', 'ASSIGNMENT_REASON_REQUIRED'],
      ['rejected', 'VALIDATION_FAILED'],
      ['rejected', 'ASSIGNMENT_NOT_FOUND'],
    ]);
    const declined = await sync([transition(own.assignmentId, 'decline', version, '车辆故障')], patrolToken);
    expect(declined.body.results[0]).toMatchObject({ status: 'applied', server: { status: 'declined', declineReason: '车辆故障' } });
  });
});

describe('resumable photo uploads', () => {
  it('a dropped connection resumes at the offset the server reports; the photo arrives intact, once', async () => {
    const bytes = await noisyPhoto(260, 5);
    const chunkBytes = 16 * 1024;
    const chunks = Math.ceil(bytes.length / chunkBytes);
    expect(chunks).toBeGreaterThanOrEqual(4);
    const id = randomUUID();
    const created = await server.request('/uploads', { method: 'POST', body: JSON.stringify({ id, sizeBytes: bytes.length, sha256: sha256Hex(bytes), tag: 'before' }) });
    expect(created.status).toBe(201);
    const half = Math.floor(chunks / 2);
    for (let index = 0; index < half; index += 1) {
      const sent = await sendChunk(server, server.token, id, index * chunkBytes, bytes.subarray(index * chunkBytes, (index + 1) * chunkBytes));
      expect(sent.status).toBe(200);
    }
    // The connection dropped; the device asks where to resume (creating again with the same id also tells).
    const state = await server.request(`/uploads/${id}`);
    expect(state.body).toMatchObject({ offsetBytes: half * chunkBytes, complete: false });
    const recreated = await server.request('/uploads', { method: 'POST', body: JSON.stringify({ id, sizeBytes: bytes.length, sha256: sha256Hex(bytes), tag: 'before' }) });
    expect(recreated.status).toBe(200);
    expect(recreated.body.offsetBytes).toBe(half * chunkBytes);
    // A chunk at a wrong offset (the device thought one more arrived) is refused with the right one.
    const wrong = await sendChunk(server, server.token, id, (half + 1) * chunkBytes, bytes.subarray((half + 1) * chunkBytes, (half + 2) * chunkBytes));
    expect(wrong.status).toBe(409);
    expect(wrong.body.error).toMatchObject({ code: 'UPLOAD_OFFSET_MISMATCH', details: { offsetBytes: half * chunkBytes } });
    for (let offset = state.body.offsetBytes as number; offset < bytes.length; offset += chunkBytes) {
      const sent = await sendChunk(server, server.token, id, offset, bytes.subarray(offset, offset + chunkBytes));
      expect(sent.status).toBe(200);
    }
    const finalized = await server.request(`/uploads/${id}/finalize`, { method: 'POST' });
    expect(finalized.status).toBe(200);
    expect(finalized.body).toMatchObject({ complete: true, offsetBytes: bytes.length });
    const again = await server.request(`/uploads/${id}/finalize`, { method: 'POST' });
    expect(again.body.photoId).toBe(finalized.body.photoId);
    const original = await fetch(`${server.baseUrl}/api/v1/photos/${finalized.body.photoId}/original`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(sha256Hex(Buffer.from(await original.arrayBuffer()))).toBe(sha256Hex(bytes));
  });

  it('a corrupted photo fails alone: the other photo of the same finding finishes without being sent again', async () => {
    const good = await noisyPhoto(64, 21);
    const broken = await noisyPhoto(64, 22);
    const brokenId = randomUUID();
    await server.request('/uploads', { method: 'POST', body: JSON.stringify({ id: brokenId, sizeBytes: broken.length, sha256: sha256Hex(good), tag: 'other' }) });
    await sendChunk(server, server.token, brokenId, 0, broken);
    const refused = await server.request(`/uploads/${brokenId}/finalize`, { method: 'POST' });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'UPLOAD_CHECKSUM_MISMATCH', details: { offsetBytes: 0 } });
    const other = await uploadWhole(server, server.token, good, 'other');
    expect(other.photoId).toBeGreaterThan(0);
    expect((await server.request(`/uploads/${brokenId}`)).body.offsetBytes).toBe(0);
  });

  it('another user cannot continue someone else\'s upload', async () => {
    const bytes = await noisyPhoto(24, 4);
    const id = randomUUID();
    await server.request('/uploads', { method: 'POST', body: JSON.stringify({ id, sizeBytes: bytes.length, sha256: sha256Hex(bytes) }) });
    const response = await sendChunk(server, patrolToken, id, 0, bytes);
    expect(response.status).toBe(404);
  });
});

async function eventCount(violationId: number): Promise<number> {
  const result = await server.db.pool.query<{ count: number }>('SELECT count(*)::integer AS count FROM case_events WHERE violation_id = $1', [violationId]);
  return result.rows[0]!.count;
}

function clearedCase(externalId: string): NewViolationRow {
  return {
    external_id: externalId, case_number: `410104-2026-9${String(Math.floor(Math.random() * 100000)).padStart(5, '0')}`, category: 'piling', status: 'cleared',
    geometry: JSON.stringify(pointBeside(segments[12]!.line, 0.5, 5)),
    attributes: PILING, description: 'sync conflict test', source: 'patrol',
    party: { name: '当事人' }, segment_id: null, route_code: null, direction: null, chainage_meters: null, side: null,
    offset_meters: null, zones: ['road_land'], jurisdiction_code: '410104',
    verdict: { isViolation: true, article: '公路法 46', penaltyArticle: '公路法 77', reasonCode: 'PROHIBITED_ZONE', reason: { zh: '测试', en: 'test' } },
    is_violation: true, deadline_at: null, reported_at: null, updated_at: null, closed_at: null, reported_by: null, version: 3, is_demo: false,
  };
}
