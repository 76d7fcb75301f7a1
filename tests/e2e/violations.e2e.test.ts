import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { apiGet, DEMO_USER, hasChromium, logInOnFreshPage, SCREENSHOT_DIR, useBrowserTest, warnIfSkipped } from './helpers/browser_test.ts';

warnIfSkipped('violations');

/** The current year in Asia/Shanghai: case numbers carry it. */
function chinaYear(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
}

/** Each test is a long browser flow: 55–72 s on the shared 2-core machine, over the 60 s default. */
const BROWSER_FLOW_TIMEOUT_MS = 180_000;

describe.skipIf(!hasChromium)('violations: report, file and close a case in a real browser', () => {
  let photo: Buffer;

  const e2e = useBrowserTest();

  beforeAll(async () => {
    photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 180, g: 120, b: 60 } } }).jpeg().toBuffer();
  });

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `violations_${name}.png`) });
  }

  /** Opens a transition's dialog from the drawer, fills it with `fill`, submits, waits for the new status. */
  async function transition(page: Page, event: string, status: string, fill: (dialog: Locator) => Promise<void>, screenshot: string): Promise<void> {
    const drawer = page.getByTestId('violation-drawer');
    await drawer.locator(`button[data-event="${event}"]`).waitFor({ timeout: 15_000 });
    await drawer.locator(`button[data-event="${event}"]`).click();
    const dialog = page.getByTestId('transition-dialog');
    await dialog.waitFor();
    await fill(dialog);
    await shot(page, `${screenshot}_form`);
    await dialog.locator('button[type="submit"]').click();
    await dialog.waitFor({ state: 'detached' });
    await drawer.locator(`[data-testid="case-view"][data-status="${status}"]`).waitFor({ timeout: 15_000 });
    await shot(page, screenshot);
  }

  it('creates a billboard on the map and takes it through verify, notice, clearance, re-inspection and closure', async () => {
    // A spot on a 410104 national road: the middle vertex of a G310 segment lies on the centreline (road land).
    const segments = await apiGet<{ features: { geometry: { coordinates: [number, number][] }; properties: { jurisdictionCode: string | null } }[] }>(
      e2e.app.baseUrl,
      '/segments?route=G310&limit=50',
    );
    const segment = segments.features.find((feature) => feature.properties.jurisdictionCode === '410104') ?? segments.features[0]!;
    const coordinates = segment.geometry.coordinates;
    const [lon, lat] = coordinates[Math.floor(coordinates.length / 2)]!;

    const { context, page, errors } = await logInOnFreshPage(e2e.browser, `${e2e.app.baseUrl}/#map=17/${lat.toFixed(6)}/${lon.toFixed(6)}`, { context: { viewport: { width: 1280, height: 860 } } });
    await page.locator('[data-map-ready="true"]').waitFor({ timeout: 45_000 });
    await page.locator('[data-map-idle="true"]').waitFor({ timeout: 15_000 });
    // Navigation: both pages for an officer, the map current.
    const nav = page.getByRole('navigation', { name: '主导航' });
    expect(await nav.getByRole('link', { name: '审图' }).getAttribute('aria-current')).toBe('page');
    expect(await nav.getByRole('link', { name: '违法台账' }).isVisible()).toBe(true);
    await shot(page, '01_map');

    // Report: point mode, click the map centre (the segment's vertex).
    await page.getByTestId('report-button').click();
    const panel = page.getByTestId('create-panel');
    await panel.waitFor();
    const map = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(map.x + map.width / 2, map.y + map.height / 2);
    const form = panel.getByTestId('create-form');
    await form.waitFor();
    await form.locator('select[name="structureType"]').selectOption('tower');
    await form.locator('input[name="faceAreaSquareMeters"]').fill('18');
    await form.locator('input[name="heightMeters"]').fill('6.5');
    await form.locator('input[name="illuminated"]').check();
    await form.locator('textarea[name="description"]').fill('路边立柱广告牌，未见审批');
    const assessment = form.getByTestId('assessment');
    await assessment.locator('dl.fields').waitFor({ timeout: 15_000 });
    expect(await assessment.innerText()).toContain('G310');
    expect(await assessment.innerText()).toMatch(/K\d+\+\d{3}/);
    await shot(page, '02_create_form');

    await form.locator('button[type="submit"]').click();
    // A demo billboard within 30 m is a possible duplicate: report anyway.
    const drawer = page.getByTestId('violation-drawer');
    const duplicates = form.getByTestId('duplicates');
    await Promise.race([drawer.waitFor({ timeout: 15_000 }), duplicates.waitFor({ timeout: 15_000 })]);
    if (await duplicates.isVisible().catch(() => false)) {
      await shot(page, '02b_duplicates');
      await duplicates.getByRole('button', { name: '仍然上报' }).click();
    }
    await drawer.locator('[data-testid="case-view"][data-status="reported"]').waitFor({ timeout: 15_000 });
    expect(await drawer.innerText()).toContain('非公路标志、广告设施');
    expect(await drawer.innerText()).toContain('公路法 54');
    await shot(page, '03_created');

    // Verify with a before photo: the case number appears.
    await transition(
      page,
      'verify',
      'verified',
      async (dialog) => {
        await dialog.locator('input[name="photo"]').setInputFiles({ name: 'before.jpg', mimeType: 'image/jpeg', buffer: photo });
        await dialog.locator('select[name="photoTag"]').selectOption('before');
        await dialog.locator('textarea[name="note"]').fill('现场核实，立柱式广告牌位于公路用地内');
      },
      '04_verified',
    );
    const caseNumber = (await drawer.getByTestId('case-number').innerText()).trim();
    expect(caseNumber).toMatch(new RegExp(`^410104-${chinaYear()}-\\d{6}`));
    expect(await drawer.locator('.photo-strip img').count()).toBeGreaterThan(0);

    // Issue the rectification notice: party name, default deadline.
    await transition(
      page,
      'issue_notice',
      'notice_issued',
      async (dialog) => {
        await dialog.locator('input[name="partyName"]').fill('郑州某某广告有限公司');
        await dialog.locator('input[name="partyAddress"]').fill('郑州市管城回族区航海东路 88 号');
        // Two officers on a notice: the demo manager is the second (separation of duties).
        await dialog.locator('select[name="secondOfficer"] option', { hasText: '管城区领导' }).waitFor({ state: 'attached' });
        await dialog.locator('select[name="secondOfficer"]').selectOption({ label: '管城区领导（执法证号 41010420001）' });
        expect(await dialog.locator('input[name="deadline"]').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      },
      '05_notice_issued',
    );
    const noticeHref = await drawer.getByTestId('notice-link').getAttribute('href');
    expect(noticeHref).toMatch(/\/api\/v1\/violations\/\d+\/documents\/rectification_notice$/);
    // The button opens the printable notice in a new tab.
    const [notice] = await Promise.all([context.waitForEvent('page'), drawer.getByTestId('notice-link').click()]);
    await notice.waitForLoadState();
    const noticeText = await notice.locator('body').innerText();
    expect(noticeText).toContain(caseNumber);
    expect(noticeText).toContain('《中华人民共和国公路法》第五十四条');
    expect(noticeText).toContain('41010420001');
    // One attribute formatter: the checked 带照明 reads 是 on the notice as in the drawer.
    expect(noticeText).toContain('带照明：是');
    await notice.screenshot({ path: path.join(SCREENSHOT_DIR, 'violations_06_notice.png'), fullPage: true });
    await notice.close();

    // Cleared with an after photo by the officer; re-inspected and closed by another officer (the
    // manager) with the re-inspection's own photo (separation of duties).
    await transition(
      page,
      'report_cleared',
      'cleared',
      async (dialog) => {
        await dialog.locator('input[name="photo"]').setInputFiles({ name: 'after.jpg', mimeType: 'image/jpeg', buffer: photo });
        await dialog.locator('select[name="photoTag"]').selectOption('after');
      },
      '07_cleared',
    );
    const caseUrl = page.url();
    const { context: managerContext, page: managerPage } = await logInOnFreshPage(e2e.browser, caseUrl, { username: 'manager', context: { viewport: { width: 1280, height: 860 } } });
    await managerPage.getByTestId('violation-drawer').locator('[data-testid="case-view"][data-status="cleared"]').waitFor({ timeout: 45_000 });
    await transition(
      managerPage,
      'reinspect_pass',
      'reinspected',
      async (dialog) => {
        await dialog.locator('input[name="photo"]').setInputFiles({ name: 'after.jpg', mimeType: 'image/jpeg', buffer: photo });
        await dialog.locator('select[name="photoTag"]').selectOption('after');
        await dialog.locator('textarea[name="note"]').fill('复查：广告牌已拆除');
      },
      '08_reinspected',
    );
    await transition(managerPage, 'close', 'closed', async () => undefined, '09_closed');
    await managerContext.close();
    await page.reload();
    await drawer.locator('[data-testid="case-view"][data-status="closed"]').waitFor({ timeout: 45_000 });

    // The timeline lists every step, oldest first, each by the officer.
    const items = drawer.getByTestId('timeline').locator('.timeline-item');
    const events = await items.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-event')));
    expect(events).toEqual(['report', 'verify', 'issue_notice', 'report_cleared', 'reinspect_pass', 'close']);
    const actors = await items.locator('.timeline-actor').allInnerTexts();
    expect(actors).toEqual([DEMO_USER, DEMO_USER, DEMO_USER, DEMO_USER, 'manager', 'manager']);
    await drawer.getByTestId('timeline').scrollIntoViewIfNeeded();
    await shot(page, '10_timeline');

    // The ledger finds it by case number.
    await nav.getByRole('link', { name: '违法台账' }).click();
    await page.getByTestId('ledger-table').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('ledger-total').innerText()).toMatch(/共 \d+ 条/);
    await shot(page, '11_ledger');
    await page.getByRole('searchbox').fill(caseNumber);
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/\/violations\?q=/);
    await page.locator(`tr:has-text("${caseNumber}")`).waitFor();
    expect(await page.getByTestId('ledger-total').innerText()).toBe('共 1 条');
    await shot(page, '12_ledger_filtered');

    // "在地图上查看" opens the map on the case with its drawer.
    await page.locator(`tr:has-text("${caseNumber}") a.map-link`).click();
    await page.waitForURL(/\/#map=17\/[\d.]+\/[\d.]+.*v=\d+/);
    await page.locator('[data-map-ready="true"]').waitFor({ timeout: 45_000 });
    expect((await page.getByTestId('violation-drawer').getByTestId('case-number').innerText()).trim()).toBe(caseNumber);
    // Esc closes the drawer and the hash forgets the case.
    await page.getByTestId('violation-drawer').getByRole('button', { name: '关闭' }).focus();
    await page.keyboard.press('Escape');
    await page.getByTestId('violation-drawer').waitFor({ state: 'detached' });
    await page.waitForFunction(() => !location.hash.includes('v='));

    expect(errors).toEqual([]);
    await context.close();
  }, BROWSER_FLOW_TIMEOUT_MS + 60_000); // a second officer logs in for the re-inspection and closure

  it('ledger: filters in the URL, bulk verify refusals per row, import with dry run; map dots; phone drawer', async () => {
    const { context, page, errors } = await logInOnFreshPage(e2e.browser, `${e2e.app.baseUrl}/violations?status=reported`, { context: { viewport: { width: 1280, height: 860 } } });
    const table = page.getByTestId('ledger-table');
    await table.waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => location.search)).toBe('?status=reported');
    const statuses = await table.locator('tbody .status-badge').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-status')));
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((status) => status === 'reported')).toBe(true);

    // Sorting by clicking a header goes into the URL too.
    await table.getByRole('button', { name: /案件编号/ }).click();
    await page.waitForURL(/sort=caseNumber/);
    await table.waitFor();

    // Bulk verify of reported demo findings without photos: nothing changes, each refusal is listed.
    const rowsWithoutPhotos = table.locator('tbody tr');
    await rowsWithoutPhotos.nth(0).locator('input[type="checkbox"]').check();
    await rowsWithoutPhotos.nth(1).locator('input[type="checkbox"]').check();
    await page.getByRole('button', { name: '批量核实立案' }).click();
    const bulk = page.getByTestId('bulk-dialog');
    await bulk.locator('textarea').fill('批量核实');
    await bulk.locator('button[type="submit"]').click();
    await bulk.getByTestId('bulk-failures').waitFor({ timeout: 15_000 });
    expect(await bulk.getByTestId('bulk-failures').locator('li').count()).toBeGreaterThan(0);
    await shot(page, '13_bulk_failures');
    await page.keyboard.press('Escape');
    await bulk.waitFor({ state: 'detached' });

    // Import: a file with one bad row cannot be committed; a clean one can.
    const [lon, lat] = [113.7401, 34.6823];
    const file = (features: object[]) => ({
      name: 'import.geojson',
      mimeType: 'application/geo+json',
      buffer: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })),
    });
    const good = { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { externalId: `E2E-${Date.now()}`, category: 'piling', material: '沙土', volumeCubicMeters: 12 } };
    const bad = { type: 'Feature', geometry: { type: 'Point', coordinates: [lon + 0.0003, lat] }, properties: { externalId: `E2E-BAD-${Date.now()}`, category: 'billboard', heightMeters: -3 } };
    await page.getByRole('button', { name: '批量导入' }).click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.locator('input[type="file"]').setInputFiles(file([good, bad]));
    await dialog.getByRole('button', { name: '预检' }).click();
    await dialog.getByTestId('import-result').waitFor({ timeout: 15_000 });
    expect(await dialog.getByRole('button', { name: '导入', exact: true }).isDisabled()).toBe(true);
    expect(await dialog.locator('tr.is-error').count()).toBe(1);
    await shot(page, '14_import_dry_run');
    await dialog.locator('input[type="file"]').setInputFiles(file([good]));
    await dialog.getByRole('button', { name: '预检' }).click();
    await dialog.getByTestId('import-result').waitFor();
    await dialog.getByRole('button', { name: '导入', exact: true }).click();
    await dialog.getByText('已导入 1 条').waitFor({ timeout: 15_000 });
    await shot(page, '15_import_done');
    await page.keyboard.press('Escape');

    // The map at district scale: status dots (tiles, no clusters), the legend entry with its toggle.
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '审图' }).click();
    await page.goto(`${e2e.app.baseUrl}/#map=12.5/34.70/113.75`);
    await page.locator('[data-map-ready="true"]').waitFor({ timeout: 45_000 });
    await page.locator('[data-map-idle="true"]').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('violations-toggle').isChecked()).toBe(true);
    await shot(page, '16_map_clusters');

    // Drawing an area: three clicks, Enter finishes; the form then shows the drawn area.
    await page.getByTestId('report-button').click();
    const panel = page.getByTestId('create-panel');
    await panel.getByRole('button', { name: '绘制范围' }).click();
    const box = (await page.getByTestId('map').boundingBox())!;
    const cx = box.x + box.width / 2 - 150;
    const cy = box.y + box.height / 2;
    await page.mouse.click(cx, cy);
    await page.mouse.click(cx + 60, cy);
    await page.mouse.click(cx + 60, cy + 50);
    await shot(page, '16b_drawing');
    await page.keyboard.press('Enter');
    expect(await panel.getByTestId('place-chosen').innerText()).toContain('3 个顶点');
    await panel.getByTestId('create-form').waitFor();
    await shot(page, '16c_drawn_area');
    await panel.getByRole('button', { name: '取消' }).first().click();
    await panel.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await context.close();

    // Phone: the drawer opened from a link is a bottom sheet.
    const { features } = await apiGet<{ features: { id: number; geometry: { type: string; coordinates: [number, number] } }[] }>(e2e.app.baseUrl, '/violations?status=rectifying&limit=5');
    const target = features.find((feature) => feature.geometry.type === 'Point') ?? features[0]!;
    const [tlon, tlat] = target.geometry.type === 'Point' ? target.geometry.coordinates : [113.75, 34.7];
    const { context: phone, page: phonePage } = await logInOnFreshPage(e2e.browser, `${e2e.app.baseUrl}/#map=16/${tlat}/${tlon}&v=${target.id}`, { context: { viewport: { width: 390, height: 844 } } });
    const drawer = phonePage.getByTestId('violation-drawer');
    await drawer.getByTestId('case-view').waitFor({ timeout: 30_000 });
    const sheet = (await drawer.boundingBox())!;
    expect(sheet.width).toBe(390);
    expect(Math.round(sheet.y + sheet.height)).toBe(844);
    await phonePage.locator('[data-map-ready="true"]').waitFor({ timeout: 45_000 });
    await phonePage.screenshot({ path: path.join(SCREENSHOT_DIR, 'violations_17_phone_drawer.png') });
    await phone.close();
  }, BROWSER_FLOW_TIMEOUT_MS);
});
