import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFieldDetection } from './helpers/field_fixtures.ts';
import { drive, insertAssignment, insertStraightSegment, noiseSource, toLonLat, trackFeature } from './helpers/track_fixtures.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';
import { PILING } from './helpers/violation_fixtures.ts';

/**
 * 路域环境调查档案 and 监督检查日志档案: records this file creates itself (a segment of its own far
 * from everything else, a crew driving it, a finding rejected, a lead, a supervision item) show up
 * in the archives in order, in the printable page and in the xlsx; another district gets 404.
 */

let server: TestServer;
let patrolToken: string;
let segmentId: number;
let assignmentId: number;
let violationId: number;
let detectionId: number;
let supervisionNumber: string;
const ROUTE = 'X7' + String(Math.floor(Math.random() * 90) + 10);
const CREW = `档案巡查组-${randomUUID().slice(0, 6)}`;
/** y = -6000 m in the fixtures' frame: no other test file puts a segment or drives there. */
const Y = -6000;
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const shiftDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  server = await startTestServer({ as: 'officer' });
  patrolToken = await server.login('patrol');
  await server.db.pool.query(`INSERT INTO routes (code, name, admin_class) VALUES ($1, '档案测试县道', 'county') ON CONFLICT DO NOTHING`, [ROUTE]);
  segmentId = await insertStraightSegment(server.db.pool, { route: ROUTE, direction: 1, from: [0, Y], to: [1200, Y], chainageFrom: 12000, chainageTo: 13200, isOneway: false });
  ({ assignmentId } = await insertAssignment(server.db.pool, { usernames: ['patrol'], segmentIds: [segmentId], status: 'in_progress', crewName: CREW }));

  // The crew drives the whole segment.
  const fixes = drive({ x0: -40, x1: 1240, y: Y, speed: 12, startEpochSeconds: Math.floor(Date.now() / 1000) - 900, noise: noiseSource(7, 8) });
  const track = await server.requestWith(patrolToken, `/assignments/${assignmentId}/track`, { method: 'POST', body: JSON.stringify({ chunkId: randomUUID(), track: trackFeature(fixes) }) });
  expect(track.status).toBe(200);

  // A finding 300 m along the segment, 8 m to its side (located by the server onto this segment), then rejected: a case step.
  const [lon, lat] = toLonLat(300, Y - 8);
  const created = await server.request('/violations', {
    method: 'POST',
    body: JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { source: 'patrol', category: 'piling', attributes: PILING, confirmNotDuplicate: true } }),
  });
  expect(created.status).toBe(201);
  violationId = Number(created.body.id);
  const rejected = await server.request(`/violations/${violationId}/transitions`, { method: 'POST', body: JSON.stringify({ event: 'reject', rejectReason: 'duplicate', note: '档案测试：重复上报' }) });
  expect(rejected.status).toBe(200);

  // A satellite lead on the segment (the fixture helper places it; its location is set like ingestion would).
  const [leadLon, leadLat] = toLonLat(900, Y + 15);
  detectionId = await insertFieldDetection(server.db.pool, { type: 'Point', coordinates: [leadLon, leadLat] });
  await server.db.pool.query(`UPDATE detections SET segment_id = $1, route_code = $2, stake_from_meters = 12900, stake_to_meters = 12910, side = 'left' WHERE id = $3`, [segmentId, ROUTE, detectionId]);

  // A supervision item issued by and to 410104, with its first timeline row (交办).
  supervisionNumber = `DB-410104-2098-${String(Math.floor(Math.random() * 900000) + 100000)}`;
  await server.db.pool.query(
    `WITH s AS (
       INSERT INTO supervisions (supervision_number, issuing_jurisdiction_code, subject, backlog, responsible_jurisdiction_code, responsible_user_id, deadline, instructions)
       SELECT $1, '410104', 'backlog', '{"overdue": true}', '410104', u.id, '2099-01-01', '档案测试督办事项' FROM users u WHERE u.username = 'officer' RETURNING id
     )
     INSERT INTO supervision_events (supervision_id, event, from_status, to_status, actor_username) SELECT id, 'assign', NULL, 'assigned', 'manager' FROM s`,
    [supervisionNumber],
  );
});
afterAll(async () => {
  await server.close();
});

const authorized = (path: string, token = server.token) => fetch(`${server.baseUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('segment archive (路域环境调查档案)', () => {
  it('lists the patrol with its covered stake range, the finding, the case step and the lead, in time order', async () => {
    const response = await server.request(`/archives/segments/${segmentId}?from=${shiftDays(today, -3)}&to=${today}`);
    expect(response.status).toBe(200);
    const archive = response.body;
    expect(archive.id).toBe(segmentId);
    expect(archive.segment).toMatchObject({ route: ROUTE, stakeFrom: 'K12+000', stakeTo: 'K13+200' });
    const kinds = archive.entries.map((entry: { kind: string; refId: number }) => `${entry.kind}:${entry.refId}`);
    // Exactly this file's records: nothing else lies on this segment.
    expect([...kinds].sort()).toEqual([`case:${violationId}`, `finding:${violationId}`, `lead:${detectionId}`, `patrol:${assignmentId}`].sort());
    const times = archive.entries.map((entry: { at: string }) => Date.parse(entry.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const patrol = archive.entries.find((entry: { kind: string }) => entry.kind === 'patrol');
    expect(patrol.title).toContain(CREW);
    expect(patrol.result).toBe('已巡查');
    expect(patrol.place).toMatch(/^K12\+0\d\d–K13\+[12]\d\d$/);
    const finding = archive.entries.find((entry: { kind: string }) => entry.kind === 'finding');
    expect(finding.place).toMatch(/^X7\d\d K12\+(29\d|30\d) 右侧$/);
    const caseStep = archive.entries.find((entry: { kind: string }) => entry.kind === 'case');
    expect(caseStep.title).toContain('不予立案');
    expect(caseStep.detail).toContain('档案测试：重复上报');
    expect(archive.counts).toMatchObject({ patrol: 1, finding: 1, lead: 1, case: 1 });
  });

  it('a period before the records holds none of them', async () => {
    const response = await server.request(`/archives/segments/${segmentId}?from=${shiftDays(today, -40)}&to=${shiftDays(today, -10)}`);
    expect(response.status).toBe(200);
    expect(response.body.entries).toEqual([]);
  });

  it('prints as an html page with the rows and exports an xlsx that reads back', async () => {
    const query = `from=${today}&to=${today}`;
    const html = await authorized(`/archives/segments/${segmentId}?${query}&format=html`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    const text = await html.text();
    expect(text).toContain('路域环境调查档案');
    expect(text).toContain(CREW);
    expect(text).toContain('不予立案');
    expect(text).toContain('K12+000–K13+200');
    const json = (await server.request(`/archives/segments/${segmentId}?${query}`)).body;
    // One table row per entry after the header row.
    expect(text.split('</table>')[1]!.match(/<tr>/g)!.length).toBe(json.entries.length + 1);

    const xlsx = await authorized(`/archives/segments/${segmentId}?${query}&format=xlsx`);
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    const rows = sheet.getSheetValues().filter(Boolean).map((row) => (row as unknown[]).slice(1).map((cell) => String(cell ?? '')));
    expect(rows[0]).toEqual(['时间', '类型', '事项', '位置', '情况', '结果']);
    const entryRows = rows.filter((row) => row[1] !== '基本情况').slice(1);
    expect(entryRows.map((row) => row[1])).toEqual(json.entries.map((entry: { kindLabel: string }) => entry.kindLabel));
    expect(entryRows.some((row) => row[2]!.includes(CREW))).toBe(true);
  });

  it('another district gets 404 for the segment, not its records', async () => {
    const other = await server.login('officer2');
    const response = await server.requestWith(other, `/archives/segments/${segmentId}?from=${today}&to=${today}`);
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('SEGMENT_NOT_FOUND');
    expect(JSON.stringify(response.body)).not.toContain(CREW);
  });

  it.each([
    ['to before from', `from=${today}&to=${shiftDays(today, -1)}`, 'ARCHIVE_PERIOD_REVERSED'],
    ['more than 366 days', `from=2024-01-01&to=2025-01-01`, 'ARCHIVE_PERIOD_TOO_LONG'],
    ['a day that does not exist', `from=2026-02-30&to=2026-03-01`, 'VALIDATION_FAILED'],
    ['no from', `to=${today}`, 'VALIDATION_FAILED'],
    ['an unknown format', `from=${today}&to=${today}&format=pdf`, 'VALIDATION_FAILED'],
  ])('%s → 400 %s', async (_name, query, code) => {
    const response = await server.request(`/archives/segments/${segmentId}?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe(code);
  });

  it('366 days (a leap year) is still one archive', async () => {
    expect((await server.request(`/archives/segments/${segmentId}?from=2024-01-01&to=2024-12-31`)).status).toBe(200);
  });
});

describe('unit archive (监督检查日志档案)', () => {
  it("holds the unit's patrol log with its progress, the finding, the case step and the supervision step", async () => {
    const response = await server.request(`/archives/units/410104?from=${today}&to=${today}`);
    expect(response.status).toBe(200);
    const archive = response.body;
    expect(archive.unit).toMatchObject({ code: '410104' });
    const log = archive.entries.find((entry: { kind: string; refId: number }) => entry.kind === 'patrol_log' && entry.refId === assignmentId);
    expect(log.title).toBe(CREW);
    // Progress computed here from the stored coverage: this assignment's one segment, its covered share.
    const share = await server.db.pool.query<{ covered_share: number }>('SELECT covered_share FROM segment_track_coverage WHERE assignment_id = $1 AND segment_id = $2', [assignmentId, segmentId]);
    expect(log.result).toContain(`完成 ${Math.round(share.rows[0]!.covered_share * 100)}%`);
    expect(archive.entries.some((entry: { kind: string; refId: number }) => entry.kind === 'finding' && entry.refId === violationId)).toBe(true);
    expect(archive.entries.some((entry: { kind: string; refId: number }) => entry.kind === 'case' && entry.refId === violationId)).toBe(true);
    const supervision = archive.entries.find((entry: { kind: string; title: string }) => entry.kind === 'supervision' && entry.title.includes(supervisionNumber));
    expect(supervision.title).toBe(`交办：${supervisionNumber}`);
    expect(supervision.detail).toContain('档案测试督办事项');
    const times = archive.entries.map((entry: { at: string }) => Date.parse(entry.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('a city manager reads the city archive with the district records in it', async () => {
    const city = await server.login('city_manager');
    const response = await server.requestWith(city, `/archives/units/410100?from=${today}&to=${today}`);
    expect(response.status).toBe(200);
    expect(response.body.entries.some((entry: { kind: string; refId: number }) => entry.kind === 'patrol_log' && entry.refId === assignmentId)).toBe(true);
  });

  it('html and xlsx carry the rows', async () => {
    const text = await (await authorized(`/archives/units/410104?from=${today}&to=${today}&format=html`)).text();
    expect(text).toContain('监督检查日志档案');
    expect(text).toContain(supervisionNumber);
    expect(text).toContain(CREW);
    const xlsx = await authorized(`/archives/units/410104?from=${today}&to=${today}&format=xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const cells = workbook.worksheets[0]!.getSheetValues().flat().map(String);
    expect(cells.some((cell) => cell.includes(supervisionNumber))).toBe(true);
    expect(cells).toContain('巡查日志');
  });

  it('another district, a unit above the caller and an unknown code get 404; a malformed code 400', async () => {
    const other = await server.login('officer2');
    const foreign = await server.requestWith(other, `/archives/units/410104?from=${today}&to=${today}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('UNIT_NOT_FOUND');
    expect((await server.request(`/archives/units/410100?from=${today}&to=${today}`)).status).toBe(404);
    expect((await server.request(`/archives/units/419999?from=${today}&to=${today}`)).status).toBe(404);
    const own = await server.requestWith(other, `/archives/units/410105?from=${today}&to=${today}`);
    expect(own.status).toBe(200);
    expect(own.body.entries.some((entry: { refId: number; kind: string }) => entry.kind === 'patrol_log' && entry.refId === assignmentId)).toBe(false);
    expect(JSON.stringify(own.body)).not.toContain(supervisionNumber);
    expect((await server.request(`/archives/units/41O104?from=${today}&to=${today}`)).status).toBe(400);
  });

  it('a patrol user may not read the unit archive (it holds supervision)', async () => {
    expect((await server.requestWith(patrolToken, `/archives/units/410104?from=${today}&to=${today}`)).status).toBe(403);
  });
});
