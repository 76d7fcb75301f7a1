/**
 * A city manager (city_manager, 郑州市) lands on the dashboard, creates a campaign and sees its
 * chart and forecast, opens last month's ranking and drills from a lost point to the ledger.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { hasChromium, logInOnFreshPage, SCREENSHOT_DIR, useBrowserTest } from './helpers/browser_test.ts';

// A browser flow of many steps: 60 s is too little on a loaded 2-core machine or the embedded database.
vi.setConfig({ testTimeout: 180_000 });

describe.skipIf(!hasChromium)('management: dashboard, campaign, ranking drill-down', () => {
  const e2e = useBrowserTest();

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `management_${name}.png`), fullPage: true });
  }

  it('dashboard → new campaign with forecast → ranking → ledger of a lost point', async () => {
    const { context, page, errors } = await logInOnFreshPage(e2e.browser, `${e2e.app.baseUrl}/`, { username: 'city_manager', context: { viewport: { width: 1280, height: 900 } } });
    // A manager's home is the dashboard.
    await page.getByRole('heading', { name: '路域管理驾驶舱' }).waitFor({ timeout: 30_000 });
    const figures = page.getByRole('region', { name: '主要指标' });
    await figures.locator('.mgmt-figure-value').first().waitFor();
    const open = Number(await figures.locator('.mgmt-figure-value').first().textContent());
    expect(open).toBeGreaterThan(0);
    await page.locator('canvas').first().waitFor();
    await page.waitForTimeout(800);
    await shot(page, '1_dashboard');

    // The open figure opens the ledger with the same count.
    await figures.getByRole('link').first().click();
    await page.waitForURL(/\/violations\?/);
    // On PostgreSQL other test files file and clear cases at the same time, so the figure may have
    // moved on since the dashboard was drawn: the ledger's count must equal the figure as it was or
    // as the dashboard gives it now (asked with the page's own session).
    await expect
      .poll(async () => {
        const now = await page.evaluate(async () => {
          const response = await fetch('/api/v1/dashboard', { credentials: 'same-origin' });
          return ((await response.json()) as { figures: { open: { value: number } } }).figures.open.value;
        });
        const content = await page.content();
        return content.includes(String(open)) || content.includes(String(now));
      }, { timeout: 15_000 })
      .toBe(true);

    // Campaigns: create one and see its chart and forecast.
    await page.goto(`${e2e.app.baseUrl}/campaigns`);
    await page.getByRole('button', { name: '新建专项行动' }).click();
    const form = page.getByRole('form', { name: '新建专项行动' });
    await form.locator('input[name="name"]').fill('浏览器测试：违法堆放清理');
    const today = new Date(Date.now() + 8 * 3_600_000);
    const start = new Date(today.getTime() - 90 * 86_400_000).toISOString().slice(0, 10);
    const deadline = new Date(today.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
    await form.locator('input[name="startDate"]').fill(start);
    await form.locator('input[name="deadline"]').fill(deadline);
    await form.getByLabel('违法堆放').check();
    await form.getByRole('button', { name: '创建' }).click();
    const card = page.getByRole('region', { name: '浏览器测试：违法堆放清理' });
    await card.waitFor({ timeout: 15_000 });
    await card.locator('canvas').waitFor();
    await expect.poll(async () => card.locator('.mgmt-forecast').textContent(), { timeout: 15_000 }).toMatch(/预计|尚无清理/);
    await page.waitForTimeout(800);
    await shot(page, '2_campaign');

    // Rankings: last month; drill from a lost point to the ledger.
    await page.goto(`${e2e.app.baseUrl}/rankings`);
    const table = page.locator('table.mgmt-rankings');
    await table.waitFor({ timeout: 15_000 });
    expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(6);
    await shot(page, '3_rankings');
    const lost = table.locator('.mgmt-lost a').first();
    const count = Number((await lost.textContent())!.match(/（(\d+)）/)![1]);
    await lost.click();
    await page.waitForURL(/\/violations\?.*jurisdiction=/);
    await expect.poll(async () => (await page.content()).includes(String(count)), { timeout: 15_000 }).toBe(true);
    await page.waitForTimeout(500);
    await shot(page, '4_ledger_from_lost_point');

    // Phone width: the dashboard stays readable (one column).
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${e2e.app.baseUrl}/dashboard`);
    await figures.locator('.mgmt-figure-value').first().waitFor();
    await page.waitForTimeout(800);
    await shot(page, '5_dashboard_phone');
    expect(errors).toEqual([]);
    await context.close();
  });
});
