import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database.ts';
import { ingestDetectionFeatures } from '../../server/detections/service.ts';
import { insertViolations, type NewViolationRow } from '../../server/violations/queries.ts';
import { squareAround } from './helpers/detection_files.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';
import { districtSegments, pointBeside } from './helpers/violation_fixtures.ts';

/**
 * Optional values and calendar edges inside SQL formulas: a detection without a confidence in the
 * priority statement, and deadlines at midnight Asia/Shanghai in the "days remaining / overdue"
 * expression. Expectations are relations the rules state in words (a missing confidence is
 * "neither trusted nor distrusted" = 0.5; a deadline counts by Shanghai calendar day), checked
 * against the code's output without reusing its formula.
 */

let db: Database;
let server: TestServer;
const RUN = `sfe${Date.now().toString(36)}`;

beforeAll(async () => {
  db = await openDatabase(inject('databaseUrl'));
  server = await startTestServer({ as: 'officer' });
});
afterAll(async () => {
  await server.close();
  await db.close();
});

async function* iterate(features: GeoJSON.Feature[]) {
  for (const feature of features) yield feature;
}

describe('priority of a detection without confidence (classification SQL)', () => {
  it('ranks exactly like confidence 0.5 and above confidence 0, all else equal', async () => {
    const segment = (await districtSegments(db.pool, '410104'))[7]!;
    // The same 20 m square in the building control zone three times, in one batch: only confidence differs.
    const square = squareAround(pointBeside(segment.line, 0.43, segment.road_land_half_width_meters + 6).coordinates, 10);
    const feature = (confidence: number | undefined): GeoJSON.Feature => ({
      type: 'Feature',
      geometry: square,
      properties: { changeType: 'new_structure', ...(confidence === undefined ? {} : { confidence }) },
    });
    const { batchId } = await ingestDetectionFeatures(
      db.pool,
      { source: `${RUN} priority`, beforeDate: '2026-01-01', afterDate: '2026-02-01', crs: 'WGS84', features: iterate([feature(undefined), feature(0.5), feature(0), feature(1)]) },
      { id: null, jurisdictionCode: '410100' },
    );
    const rows = await db.pool.query<{ feature_index: number; confidence: number | null; priority: number; primary_zone: string | null }>(
      'SELECT feature_index, confidence, priority, primary_zone FROM detections WHERE batch_id = $1 ORDER BY feature_index',
      [batchId],
    );
    expect(rows.rows.map((row) => row.confidence)).toEqual([null, 0.5, 0, 1]);
    expect(rows.rows[0]!.primary_zone).not.toBeNull();
    const [missing, half, zero, one] = rows.rows.map((row) => row.priority) as [number, number, number, number];
    expect(missing).toBe(half);
    expect(missing).toBeGreaterThan(zero);
    expect(one).toBeGreaterThan(half);
    // The confidence weight is a quarter of 100 (DOMAIN-side rule in detection_rules.ts's comment):
    // 0 → 1 moves the priority by 25 and a missing value sits half way.
    expect(one - zero).toBe(25);
    expect(Math.abs(missing - zero - 12.5)).toBeLessThanOrEqual(0.5);
  });
});

const DAY = 86_400_000;

/** The Asia/Shanghai calendar date `days` from today as YYYY-MM-DD, by Intl (not by the SQL under test). */
function shanghaiDate(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * DAY));
}

function runningCase(externalId: string, deadlineAt: string | null): NewViolationRow {
  return {
    external_id: externalId, case_number: null, category: 'piling', status: 'notice_issued',
    geometry: JSON.stringify({ type: 'Point', coordinates: [113.75, 34.7] }),
    attributes: { material: '砂石', volumeCubicMeters: 5 }, description: 'deadline edge', source: 'patrol',
    party: { name: '当事人' }, segment_id: null, route_code: null, direction: null, chainage_meters: null, side: null,
    offset_meters: null, zones: ['road_land'], jurisdiction_code: '410104', verdict: { isViolation: true }, is_violation: true,
    deadline_at: deadlineAt, reported_at: null, updated_at: null, closed_at: null, reported_by: null, version: 1, is_demo: false,
  };
}

describe('deadlines by Asia/Shanghai calendar day (list SQL)', () => {
  it('the last instant of yesterday in Shanghai is overdue by one day; midnight today is due today; no deadline is never overdue', async () => {
    const cases: [string, string | null, number | null, boolean][] = [
      [`${RUN}-yesterday-end`, `${shanghaiDate(-1)}T23:59:59.999+08:00`, -1, true],
      [`${RUN}-today-start`, `${shanghaiDate(0)}T00:00:00+08:00`, 0, false],
      [`${RUN}-today-end`, `${shanghaiDate(0)}T23:59:59+08:00`, 0, false],
      [`${RUN}-tomorrow-start`, `${shanghaiDate(1)}T00:00:00+08:00`, 1, false],
      [`${RUN}-none`, null, null, false],
    ];
    const inserted = await insertViolations(db.pool, cases.map(([externalId, deadline]) => runningCase(externalId, deadline)));
    for (const [index, [externalId, , daysRemaining, overdue]] of cases.entries()) {
      const response = await server.request(`/violations/${inserted[index]!.id}`);
      expect(response.status, externalId).toBe(200);
      expect({ externalId, daysRemaining: response.body.properties.daysRemaining, overdue: response.body.properties.overdue }).toEqual({ externalId, daysRemaining, overdue });
    }
    const overdueList = await server.request(`/violations?overdue=true&q=${RUN}&limit=100`);
    expect(overdueList.status).toBe(200);
    expect(overdueList.body.features.map((feature: { properties: { externalId: string } }) => feature.properties.externalId)).toEqual([`${RUN}-yesterday-end`]);
  });
});
