import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium, logInOnFreshPage, SCREENSHOT_DIR, useBrowserTest, warnIfSkipped } from './helpers/browser_test.ts';

// A browser flow of many steps: 60 s is too little on a loaded 2-core machine or the embedded database.
vi.setConfig({ testTimeout: 180_000 });

warnIfSkipped('patrol plans');

describe.skipIf(!hasChromium)('patrol plans: the dispatcher generates, edits and publishes; the crew accepts', () => {
  const e2e = useBrowserTest();

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `patrol_plans_${name}.png`) });
  }

  it('generates today’s plan, moves a segment to another crew, publishes it, and patrol3 accepts on 我的任务', async () => {
    const { page } = await logInOnFreshPage(e2e.browser, `${e2e.app.baseUrl}/`, { username: 'dispatcher', context: { viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' } });
    await page.getByRole('link', { name: '巡查计划' }).click();
    await page.getByTestId('patrol-planning').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="patrol-map"][data-map-ready="true"]').waitFor({ timeout: 45_000 });

    // The page offers to generate today's plan (or to generate it again when another test file on
    // the same database already planned today, e.g. the crew app's), and shows progress while it runs.
    const generate = page.getByTestId('plan-generate');
    await expect.poll(() => generate.textContent(), { timeout: 15_000 }).toMatch(/^(生成今日计划|重新生成)$/);
    await generate.click();
    await page.getByTestId('plan-progress').waitFor({ timeout: 15_000 });
    await shot(page, 'generating');
    const crews = page.getByTestId('plan-crews');
    await crews.waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('plan-summary').textContent()).toMatch(/草稿 · 行驶 [\d,.]+ km · 理论下界 [\d,.]+ km · 与下界之比 \d\.\d\d/);
    await expect.poll(() => page.getByTestId('plan-unassigned').textContent()).toContain('从驻地无法往返');
    await page.locator('[data-testid="patrol-map"][data-map-idle="true"]').waitFor({ timeout: 30_000 });
    await shot(page, 'generated');

    // Move the first segment of 管城一中队 to 管城二中队, from the keyboard.
    const first = page.locator('.plan-crew', { hasText: '管城一中队' }).locator('.plan-segment').first();
    const segmentTestId = (await first.getAttribute('data-testid'))!;
    const stakes = (await first.textContent())!.replace(/^\d+\.\s*/, '');
    await first.focus();
    await page.keyboard.press('Enter');
    const move = page.getByTestId('plan-move');
    await move.waitFor();
    expect(await move.textContent()).toContain('管城一中队');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('plan-move-target');
    await page.getByTestId('plan-move-target').selectOption({ label: '管城二中队' });
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('plan-move-submit');
    await page.keyboard.press('Enter');
    await page.locator('.plan-crew', { hasText: '管城二中队' }).getByTestId(segmentTestId).waitFor({ timeout: 30_000 });
    expect(await page.locator('.plan-crew', { hasText: '管城一中队' }).getByTestId(segmentTestId).count()).toBe(0);
    expect(await page.locator('.plan-crew', { hasText: '管城二中队' }).getByTestId(segmentTestId).textContent()).toContain(stakes);
    await page.locator('[data-testid="patrol-map"][data-map-idle="true"]').waitFor({ timeout: 30_000 });
    await shot(page, 'moved');

    // Publish, after confirming.
    await page.getByTestId('plan-publish').click();
    const dialog = page.getByTestId('plan-publish-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('下发后不能再调整');
    await shot(page, 'publish_confirm');
    await page.getByTestId('plan-publish-confirm').click();
    await expect.poll(() => page.getByTestId('plan-summary').textContent(), { timeout: 15_000 }).toMatch(/^已下发/);
    expect(await page.locator('.plan-crew', { hasText: '管城二中队' }).textContent()).toContain('已下发');
    await shot(page, 'published');
    await page.context().close();

    // patrol3 is a member of 管城二中队 (data/demo_patrols.ts): its assignment is there to accept.
    const { page: crewPage } = await logInOnFreshPage(e2e.browser, `${e2e.app.baseUrl}/`, { username: 'patrol3', context: { viewport: { width: 1200, height: 900 }, locale: 'zh-CN' } });
    await crewPage.getByRole('link', { name: '我的任务' }).click();
    await crewPage.getByTestId('my-assignments').waitFor({ timeout: 30_000 });
    // The crew's published card: 管城二中队 may also have today's assignment of an earlier test file
    // (the integration test of plans accepts and completes one), so it is picked by its status.
    const published = crewPage
      .locator('.assignment-card', { hasText: '管城二中队' })
      .filter({ has: crewPage.getByTestId('assignment-status').filter({ hasText: /^已下发$/ }) });
    await published.first().waitFor({ timeout: 30_000 });
    expect(await published.count()).toBe(1);
    const card = crewPage.getByTestId((await published.getAttribute('data-testid'))!);
    await card.locator('summary').click();
    expect(await card.textContent()).toContain(stakes);
    await shot(crewPage, 'my_assignments');
    await card.getByTestId('assignment-accept').click();
    await expect.poll(() => card.getByTestId('assignment-status').textContent(), { timeout: 15_000 }).toBe('已接收');
    await card.getByTestId('assignment-start').waitFor();
    await shot(crewPage, 'accepted');
    await crewPage.context().close();
    // Generation runs the solver for its default 10 s budget on a machine other tests share.
  }, 240_000);
});
