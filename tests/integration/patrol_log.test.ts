import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFieldDetection, noisyPhoto, uploadWhole } from './helpers/field_fixtures.ts';
import { drive, insertAssignment, insertStraightSegment, noiseSource, trackFeature } from './helpers/track_fixtures.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';
import { districtSegments, pointBeside, PILING } from './helpers/violation_fixtures.ts';

/** 巡查日志 written from the record: a crew drives, records a finding, verifies a lead; the log lists it all. */

let photoDir: string;
let server: TestServer;
let assignmentId: number;
let segmentId: number;
const ROUTE = 'X8' + String(Math.floor(Math.random() * 90) + 10);

beforeAll(async () => {
  photoDir = mkdtempSync(path.join(os.tmpdir(), 'luyu-log-'));
  server = await startTestServer({ as: 'patrol', env: { LUYU_PHOTO_DIR: photoDir } });
  await server.db.pool.query(`INSERT INTO routes (code, name, admin_class) VALUES ($1, '测试县道', 'county') ON CONFLICT DO NOTHING`, [ROUTE]);
  segmentId = await insertStraightSegment(server.db.pool, { route: ROUTE, direction: 1, from: [0, 3000], to: [1500, 3000], chainageFrom: 12000, chainageTo: 13500, isOneway: false });
  ({ assignmentId } = await insertAssignment(server.db.pool, { usernames: ['patrol'], segmentIds: [segmentId], status: 'in_progress', crewName: `巡查一组-${randomUUID().slice(0, 6)}` }));
});
afterAll(async () => {
  await server.close();
  rmSync(photoDir, { recursive: true, force: true });
});

describe('patrol log', () => {
  it('lists the crew, distance, the stake range covered, the finding with stake and zone, and the lead verified', async () => {
    const start = Math.floor(Date.now() / 1000) - 600;
    const fixes = drive({ x0: -50, x1: 1550, y: 3000, speed: 12, startEpochSeconds: start, noise: noiseSource(3, 10) });
    expect((await server.request(`/assignments/${assignmentId}/track`, { method: 'POST', body: JSON.stringify({ chunkId: randomUUID(), track: trackFeature(fixes) }) })).status).toBe(200);

    const demo = (await districtSegments(server.db.pool, '410104'))[14]!;
    const findingPhoto = await uploadWhole(server, server.token, await noisyPhoto(40, 99), 'before');
    const leadPhoto = await uploadWhole(server, server.token, await noisyPhoto(40, 98), 'before');
    const detectionId = await insertFieldDetection(server.db.pool, pointBeside(demo.line, 0.2, 12));
    const sync = await server.request('/sync', {
      method: 'POST',
      body: JSON.stringify({
        deviceId: 'phone-log',
        actions: [
          {
            id: randomUUID(), type: 'finding.create',
            payload: { type: 'Feature', geometry: pointBeside(demo.line, 0.8, 6), properties: { category: 'piling', attributes: PILING, source: 'patrol', confirmNotDuplicate: true }, photoUploadIds: [findingPhoto.uploadId] },
          },
          { id: randomUUID(), type: 'lead.verify', payload: { detectionId, decision: 'confirm', category: 'structure', attributes: { storeys: 1 }, photoUploadIds: [leadPhoto.uploadId] } },
        ],
      }),
    });
    expect(sync.body.results.map((result: { status: string }) => result.status)).toEqual(['applied', 'applied']);
    const findingId = sync.body.results[0].entityId;

    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const list = await server.request(`/patrol-logs?date=${today}`);
    expect(list.body.items.map((item: { id: number }) => item.id)).toContain(assignmentId);

    const log = await server.request(`/patrol-logs/${assignmentId}`);
    expect(log.status).toBe(200);
    expect(log.body.crew.members.map((member: { name: string }) => member.name)).toEqual(['管城区巡查员']);
    expect(log.body.vehicle.plate).toBe('豫A·T1234');
    // Distance from the track, within the noise of the fixture's ~1.6 km.
    expect(log.body.distanceMeters).toBeGreaterThan(1500);
    const segment = log.body.segments.find((s: { segmentId: number }) => s.segmentId === segmentId);
    expect(segment.covered).toBe(true);
    expect(segment.coveredStakeRanges[0].from).toMatch(/^K12\+0\d\d$/);
    expect(segment.coveredStakeRanges[0].to).toMatch(/^K13\+[45]\d\d$/);
    const finding = log.body.findings.find((f: { kind: string; id: number }) => f.kind === 'finding' && f.id === findingId);
    expect(finding.stake).toMatch(/^K\d+\+\d{3}$/);
    expect(finding.zoneLabel).toBeTruthy();
    const lead = log.body.findings.find((f: { kind: string; id: number }) => f.kind === 'lead' && f.id === detectionId);
    expect(lead.status).toBe('confirmed');

    const weather = await server.request(`/patrol-logs/${assignmentId}`, { method: 'PATCH', body: JSON.stringify({ weather: '晴', note: null, expectedVersion: 0 }) });
    expect(weather.body.version).toBe(1);
    const stale = await server.request(`/patrol-logs/${assignmentId}`, { method: 'PATCH', body: JSON.stringify({ weather: '雨', note: null, expectedVersion: 0 }) });
    expect(stale.status).toBe(409);

    const html = await fetch(`${server.baseUrl}/api/v1/patrol-logs/${assignmentId}?format=html`, { headers: { authorization: `Bearer ${server.token}` } });
    const text = await html.text();
    expect(text).toContain('巡查日志');
    expect(text).toContain('晴');
    expect(text).toContain(finding.stake);
    const xlsx = await fetch(`${server.baseUrl}/api/v1/patrol-logs/${assignmentId}?format=xlsx`, { headers: { authorization: `Bearer ${server.token}` } });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const cells = workbook.worksheets[0]!.getSheetValues().flat().map(String);
    expect(cells).toContain('巡查发现');
    expect(cells).toContain('线索核实');
    expect(cells.some((cell) => cell.includes(finding.stake))).toBe(true);
  });
});
