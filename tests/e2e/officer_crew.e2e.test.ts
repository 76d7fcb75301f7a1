import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { hasChromium, logInOnFreshPage, SCREENSHOT_DIR, useBrowserTest, warnIfSkipped } from './helpers/browser_test.ts';
import { publishCrewAssignment } from './helpers/crew_assignment.ts';

vi.setConfig({ testTimeout: 120_000 });

warnIfSkipped('officer on a crew');

/**
 * Crews are made of officers and patrol staff: an officer on a crew opens the crew app /crew,
 * sees its crew's assignment of today and accepts it. The officer is created here, on a crew of
 * its own (the demo officer is on a demo crew whose plan another browser test may publish).
 */
const OFFICER = `e2e_officer_${Date.now().toString(36)}`;

describe.skipIf(!hasChromium)('an officer on a crew uses the crew app', () => {
  let context: BrowserContext;
  let pool: pg.Pool;
  let assignmentId: number;

  const e2e = useBrowserTest();

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
    // The demo password, role officer with its own certificate number, in 410104.
    ({ assignmentId } = await publishCrewAssignment(pool, {
      username: OFFICER,
      displayName: '执法测试员',
      role: 'officer',
      certificateNumber: `E2E-${Date.now().toString(36)}`,
      crewName: 'e2e执法巡查组',
      vehiclePlate: '豫A·E2E02',
      segment: 'last',
    }));
  });

  afterAll(async () => {
    await context?.close();
    await pool?.end();
  });

  it('lands on /crew with its crew’s assignment and accepts it', async () => {
    const fresh = await logInOnFreshPage(e2e.browser, `${e2e.app.baseUrl}/crew`, {
      username: OFFICER,
      context: { viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true },
    });
    context = fresh.context;
    const page = fresh.page;
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
