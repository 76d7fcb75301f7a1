/**
 * 督办 in the browser: the city manager (city_manager, 郑州市) supervises a stuck case from its
 * drawer in the ledger; the officer named (officer, 管城区) sees the badge, accepts and reports it
 * done; the manager urges in between and closes the loop with the follow-up visit's satisfaction.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it, vi } from 'vitest';
import { apiGet, hasChromium, logInOnFreshPage, SCREENSHOT_DIR, useBrowserTest } from './helpers/browser_test.ts';

// A browser flow of many steps: 60 s is too little on a loaded 2-core machine or the embedded database.
vi.setConfig({ testTimeout: 180_000 });

describe.skipIf(!hasChromium)('supervision: a manager supervises a stuck case, the officer answers it', () => {
  const e2e = useBrowserTest();

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `supervision_${name}.png`), fullPage: true });
  }

  async function logIn(username: string): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
    const { context, page, errors } = await logInOnFreshPage(e2e.browser, `${e2e.app.baseUrl}/`, { username, context: { viewport: { width: 1280, height: 900 } } });
    await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 30_000 });
    return { page, errors, close: () => context.close() };
  }

  it('交办 from the case drawer → 承办 by the officer → 督办 → 办结 → 回访 with satisfaction', async () => {
    // A stuck case of 管城区: its deadline has passed.
    const overdue = await apiGet<{ features: { properties: { id: number; caseNumber: string | null } }[] }>(e2e.app.baseUrl, '/violations?overdue=true&sort=deadline&order=asc&limit=5');
    const stuck = overdue.features.find((feature) => feature.properties.caseNumber !== null)!.properties;
    expect(stuck).toBeDefined();

    const manager = await logIn('city_manager');
    await manager.page.goto(`${e2e.app.baseUrl}/violations?q=${encodeURIComponent(stuck.caseNumber!)}`);
    await manager.page.locator('.case-link').first().click();
    const drawerSection = manager.page.getByTestId('case-supervisions');
    await drawerSection.waitFor({ timeout: 15_000 });
    await drawerSection.getByTestId('supervise-case').click();
    await manager.page.waitForURL(/\/supervision\?create=case/);
    const form = manager.page.getByRole('form', { name: '新建督办' });
    await form.getByLabel('责任人（用户名）').fill('officer');
    await form.getByLabel('督办要求').fill('该广告牌逾期未拆除，七日内拆除到位并报送整改照片');
    await shot(manager.page, '1_issue_form');
    await form.getByRole('button', { name: '交办' }).click();
    const detail = manager.page.getByTestId('supervision-detail');
    await expect.poll(async () => detail.locator('h2').textContent(), { timeout: 15_000 }).toMatch(/^DB-410100-\d{4}-\d{6} · 交办$/);
    const number = (await detail.locator('h2').textContent())!.split(' · ')[0]!;
    await shot(manager.page, '2_issued');

    // The officer named sees the badge and the item, and accepts it (承办).
    const officer = await logIn('officer');
    const badge = officer.page.getByTestId('supervision-badge');
    await badge.waitFor({ timeout: 15_000 });
    expect(Number(await badge.textContent())).toBeGreaterThanOrEqual(1);
    await officer.page.getByRole('link', { name: /督办/ }).first().click();
    await officer.page.waitForURL(/\/supervision/);
    const row = officer.page.getByTestId('supervision-row').filter({ hasText: number });
    await row.waitFor({ timeout: 15_000 });
    await expect.poll(async () => row.textContent()).toContain('我负责');
    await row.getByRole('button', { name: number }).click();
    const officerDetail = officer.page.getByTestId('supervision-detail');
    await officerDetail.getByRole('button', { name: '承办' }).click();
    await expect.poll(async () => officerDetail.locator('h2').textContent(), { timeout: 15_000 }).toContain('承办');
    await shot(officer.page, '3_officer_accepted');

    // The manager urges (督办) with a note.
    await manager.page.goto(`${e2e.app.baseUrl}/supervision?unit=410104`);
    await manager.page.getByTestId('supervision-row').filter({ hasText: number }).getByRole('button', { name: number }).click();
    await detail.getByLabel('办理情况 / 说明').fill('请三日内报送进展');
    await detail.getByRole('button', { name: '督办催办' }).click();
    await expect.poll(async () => detail.locator('h2').textContent(), { timeout: 15_000 }).toContain('督办中');

    // The officer reports it done (办结).
    await officer.page.reload();
    await officer.page.getByTestId('supervision-row').filter({ hasText: number }).getByRole('button', { name: number }).click();
    await officerDetail.getByLabel('办理情况 / 说明').fill('广告牌已拆除，整改照片已上传');
    await officerDetail.getByRole('button', { name: '报告办结' }).click();
    await expect.poll(async () => officerDetail.locator('h2').textContent(), { timeout: 15_000 }).toContain('办结');
    await shot(officer.page, '4_officer_done');

    // The manager visits afterwards (回访) and records the satisfaction.
    await manager.page.reload();
    await manager.page.getByTestId('supervision-row').filter({ hasText: number }).getByRole('button', { name: number }).click();
    await detail.getByLabel('回访满意度').selectOption({ label: '满意' });
    await detail.getByRole('button', { name: '回访' }).click();
    await expect.poll(async () => detail.locator('h2').textContent(), { timeout: 15_000 }).toContain('已回访');
    await expect.poll(async () => detail.locator('.sup-timeline li').count()).toBe(5);
    await shot(manager.page, '5_followed_up');

    expect(manager.errors).toEqual([]);
    expect(officer.errors).toEqual([]);
    await officer.close();
    await manager.close();
  });
});
