import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium, logInOnFreshPage, SCREENSHOT_DIR, useBrowserTest, warnIfSkipped } from './helpers/browser_test.ts';

// A browser flow of many steps: 60 s is too little on a loaded 2-core machine or the embedded database.
vi.setConfig({ testTimeout: 180_000 });

warnIfSkipped('patrol planning');

describe.skipIf(!hasChromium)('patrol planning: a dispatcher sees what is due and creates a crew', () => {
  const e2e = useBrowserTest();

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `patrol_planning_${name}.png`) });
  }

  it('opens 巡查计划 from the navigation, lists due segments with reasons, and creates a crew from the keyboard', async () => {
    const { page } = await logInOnFreshPage(e2e.browser, `${e2e.app.baseUrl}/`, { username: 'dispatcher', context: { viewport: { width: 1440, height: 900 }, locale: 'zh-CN' } });
    await page.getByRole('link', { name: '巡查计划' }).click();
    await page.getByTestId('patrol-planning').waitFor({ timeout: 30_000 });

    // The demo history leaves overdue and never-patrolled segments in 410104 every day.
    const list = page.getByTestId('patrol-due-list');
    await list.locator('li').first().waitFor({ timeout: 30_000 });
    expect(await list.locator('li').count()).toBeGreaterThan(10);
    await expect.poll(() => list.textContent()).toContain('超期未巡');
    await page.locator('[data-testid="patrol-map"][data-map-ready="true"]').waitFor({ timeout: 45_000 });
    await expect.poll(() => page.getByTestId('crew-list').textContent(), { timeout: 15_000 }).toContain('管城一中队');
    await list.locator('li button').first().click();
    await shot(page, 'due');

    // A crew of one is refused in Chinese before anything is sent; with two members it saves.
    await page.getByTestId('crew-create').click();
    const form = page.getByTestId('crew-form');
    await form.waitFor();
    const name = `e2e班组${Date.now().toString(36)}`;
    await page.keyboard.type(name);
    await form.getByTestId('crew-member-patrol2').check();
    await form.getByTestId('crew-lon').fill('113.7700');
    await form.getByTestId('crew-lat').fill('34.6990');
    await form.getByTestId('crew-lat').press('Enter');
    await expect.poll(() => form.textContent()).toContain('巡查至少需要 2 名执法人员');
    await shot(page, 'crew_invalid');
    await form.getByTestId('crew-member-patrol3').check();
    await form.getByTestId('crew-save').click();
    await form.waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(() => page.getByTestId('crew-list').textContent(), { timeout: 15_000 }).toContain(name);
    await shot(page, 'crew_created');
    await page.context().close();
  });
});
