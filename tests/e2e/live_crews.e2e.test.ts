import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { hasChromium, logInOnFreshPage, SCREENSHOT_DIR, useBrowserTest, warnIfSkipped } from './helpers/browser_test.ts';

vi.setConfig({ testTimeout: 180_000 });

warnIfSkipped('live crews on the patrol plan map');

const CREW = `e2e在途组${Date.now().toString(36)}`;

/**
 * A crew under way today on the 410104 segment nearest the map's default centre: its last fix half
 * way along, 40 s old, half of the segment covered (so 50% progress).
 */
async function crewUnderWay(pool: pg.Pool): Promise<number> {
  const segment = await pool.query<{ id: number }>(
    `SELECT id::integer AS id FROM segments WHERE jurisdiction_code = '410104'
     ORDER BY centreline <-> ST_SetSRID(ST_MakePoint(113.77, 34.71), 4326) LIMIT 1`,
  );
  const segmentId = segment.rows[0]!.id;
  const assignment = await pool.query<{ id: number }>(
    `WITH crew AS (
       INSERT INTO crews (name, jurisdiction_code, vehicle_plate, base, shift_start_minutes, shift_end_minutes)
       VALUES ($1, '410104', '豫A·E2E02', ST_SetSRID(ST_MakePoint(113.77, 34.71), 4326), 0, 1439) RETURNING id
     ), plan AS (
       INSERT INTO patrol_plans (jurisdiction_code, plan_date, status, seed, seconds) VALUES ('410104', (now() AT TIME ZONE 'Asia/Shanghai')::date, 'published', 1, 1) RETURNING id
     )
     INSERT INTO patrol_assignments (plan_id, crew_id, assignment_date, jurisdiction_code, status, started_at)
     SELECT plan.id, crew.id, (now() AT TIME ZONE 'Asia/Shanghai')::date, '410104', 'in_progress', now() - interval '1 hour' FROM plan, crew
     RETURNING id::integer AS id`,
    [CREW],
  );
  const assignmentId = assignment.rows[0]!.id;
  await pool.query(`INSERT INTO patrol_assignment_segments (assignment_id, segment_id, sequence, direction_served) VALUES ($1, $2, 1, 'forward')`, [assignmentId, segmentId]);
  await pool.query(
    `INSERT INTO patrol_tracks (assignment_id, crew_id, user_id, jurisdiction_code, client_chunk_id, geom, started_at, ended_at, point_count, length_meters)
     SELECT a.id, a.crew_id, u.id, '410104', gen_random_uuid(),
            ST_SetSRID(ST_MakeLine(ST_MakePointM(ST_X(p0), ST_Y(p0), extract(epoch FROM now()) - 100), ST_MakePointM(ST_X(p1), ST_Y(p1), extract(epoch FROM now()) - 40)), 4326),
            now() - interval '100 seconds', now() - interval '40 seconds', 2, 100
     FROM patrol_assignments a, users u, segments s,
          LATERAL (SELECT ST_LineInterpolatePoint(ST_Force2D(s.centreline), 0.0) AS p0, ST_LineInterpolatePoint(ST_Force2D(s.centreline), 0.5) AS p1) pts
     WHERE a.id = $1 AND u.username = 'patrol' AND s.id = $2`,
    [assignmentId, segmentId],
  );
  await pool.query(
    `INSERT INTO segment_track_coverage (assignment_id, segment_id, jurisdiction_code, covered_fractions, covered_share, first_covered_at, last_covered_at)
     VALUES ($1, $2, '410104', '{[0,0.5]}', 0.5, now() - interval '100 seconds', now() - interval '40 seconds')`,
    [assignmentId, segmentId],
  );
  return assignmentId;
}

describe.skipIf(!hasChromium)('巡查计划: the dispatcher sees crews under way with their progress', () => {
  let pool: pg.Pool;
  let assignmentId: number;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    assignmentId = await crewUnderWay(pool);
  });

  const e2e = useBrowserTest();

  afterAll(async () => {
    await pool?.end();
  });

  it('lists the crew with a 50% progress bar and a recent fix (screenshot: its point and label on the map)', async () => {
    const { page } = await logInOnFreshPage(e2e.browser, `${e2e.app.baseUrl}/`, { username: 'dispatcher', context: { viewport: { width: 1440, height: 900 }, locale: 'zh-CN' } });
    await page.getByRole('link', { name: '巡查计划' }).click();
    const row = page.getByTestId(`live-crew-${assignmentId}`);
    await row.waitFor({ timeout: 30_000 });
    const text = await row.textContent();
    expect(text).toContain(CREW);
    expect(text).toContain('已巡 50%（0/1 段）');
    expect(text).toMatch(/[01] 分钟前定位/);
    expect(await row.locator('progress').getAttribute('value')).toBe('50');
    await page.locator('[data-testid="patrol-map"][data-map-ready="true"]').waitFor({ timeout: 45_000 });
    // The map's live layer is checked by eye on the screenshot (the page exposes no handle on the map's sources).
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'live_crews.png') });

    // The page's 监督检查日志档案 link prints the unit's archive with this crew's patrol log in it.
    const href = await page.getByTestId('unit-archive').locator('a').first().getAttribute('href');
    const archive = await page.request.get(new URL(href!, e2e.app.baseUrl).toString());
    expect(archive.status()).toBe(200);
    const html = await archive.text();
    expect(html).toContain('监督检查日志档案');
    expect(html).toContain(CREW);
    await page.context().close();
  });
});
