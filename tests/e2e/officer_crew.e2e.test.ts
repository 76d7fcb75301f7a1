import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { DEMO_PASSWORD, hasChromium, SCREENSHOT_DIR, startBrowserTest, warnIfSkipped } from './helpers/browser_test.ts';
import type { RunningApp } from './helpers/start_app.ts';

vi.setConfig({ testTimeout: 120_000 });

warnIfSkipped('officer on a crew');

/**
 * Crews are made of officers and patrol staff: an officer on a crew opens the crew app /crew,
 * sees its crew's assignment of today and accepts it. The officer is created here, on a crew of
 * its own (the demo officer is on a demo crew whose plan another browser test may publish).
 */
const OFFICER = `e2e_officer_${Date.now().toString(36)}`;

async function publishAssignment(pool: pg.Pool): Promise<number> {
  const segment = await pool.query<{ id: number; line: GeoJSON.LineString }>(
    `SELECT id::integer AS id, ST_AsGeoJSON(ST_Force2D(centreline), 7)::json AS line FROM segments
     WHERE jurisdiction_code = '410104' AND admin_class = 'county' AND is_demo AND length_meters BETWEEN 500 AND 900 ORDER BY id DESC LIMIT 1`,
  );
  const { id: segmentId, line } = segment.rows[0]!;
  // The demo password (patrol6's hash), role officer with its own certificate number, in 410104.
  await pool.query(
    `INSERT INTO users (username, display_name, password_hash, role, jurisdiction_code, is_demo, enforcement_certificate_number)
     SELECT $1, '执法测试员', password_hash, 'officer', '410104', true, $2 FROM users WHERE username = 'patrol6'`,
    [OFFICER, `E2E-${Date.now().toString(36)}`],
  );
  const crew = await pool.query<{ id: number }>(
    `INSERT INTO crews (name, jurisdiction_code, vehicle_plate, base, shift_start_minutes, shift_end_minutes)
     VALUES ('e2e执法巡查组', '410104', '豫A·E2E02', ST_SetSRID(ST_MakePoint($1, $2), 4326), 0, 1439) RETURNING id::integer AS id`,
    line.coordinates[0],
  );
  await pool.query(`INSERT INTO crew_members (crew_id, user_id) SELECT $1, id FROM users WHERE username = $2`, [crew.rows[0]!.id, OFFICER]);
  const plan = await pool.query<{ id: number }>(
    `INSERT INTO patrol_plans (jurisdiction_code, plan_date, status, seed, seconds) VALUES ('410104', (now() AT TIME ZONE 'Asia/Shanghai')::date, 'published', 1, 1) RETURNING id::integer AS id`,
  );
  const assignment = await pool.query<{ id: number }>(
    `INSERT INTO patrol_assignments (plan_id, crew_id, assignment_date, jurisdiction_code, status, route, distance_meters)
     VALUES ($1, $2, (now() AT TIME ZONE 'Asia/Shanghai')::date, '410104', 'published', ST_SetSRID(ST_GeomFromGeoJSON($3), 4326), ST_Length(ST_SetSRID(ST_GeomFromGeoJSON($3), 4326)::geography))
     RETURNING id::integer AS id`,
    [plan.rows[0]!.id, crew.rows[0]!.id, JSON.stringify(line)],
  );
  await pool.query(`INSERT INTO patrol_assignment_segments (assignment_id, segment_id, sequence, direction_served) VALUES ($1, $2, 1, 'forward')`, [assignment.rows[0]!.id, segmentId]);
  return assignment.rows[0]!.id;
}

describe.skipIf(!hasChromium)('an officer on a crew uses the crew app', () => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let pool: pg.Pool;
  let assignmentId: number;

  beforeAll(async () => {
    ({ app, browser } = await startBrowserTest());
    pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    assignmentId = await publishAssignment(pool);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
    await pool?.end();
  });

  it('lands on /crew with its crew’s assignment and accepts it', async () => {
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${app.baseUrl}/crew`);
    await page.waitForURL(/\/login\?next=/);
    await page.locator('input[name="username"]').fill(OFFICER);
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await page.locator('input[name="password"]').press('Enter');
    await page.waitForURL(/\/crew$/);
    await page.getByTestId('crew-assignment').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('crew-status').getAttribute('data-status')).toBe('published');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'officer_crew_assignment.png') });

    await page.getByTestId('crew-event-accept').click();
    await expect.poll(() => page.locator('[data-type="assignment.transition"][data-state="applied"]').count(), { timeout: 15_000 }).toBe(1);
    const stored = await pool.query<{ status: string }>(`SELECT status FROM patrol_assignments WHERE id = $1`, [assignmentId]);
    expect(stored.rows[0]!.status).toBe('accepted');
  });
});
