import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_USER, type FreshPage, hasChromium, logInOnFreshPage, logInToApi, SCREENSHOT_DIR, useBrowserTest, warnIfSkipped } from './helpers/browser_test.ts';
import { solidPng } from './helpers/solid_png.ts';
import { type Position, squareBeside } from './helpers/square_beside.ts';

// Many steps on a loaded 2-core machine or the embedded database.
vi.setConfig({ testTimeout: 180_000 });

warnIfSkipped('detections review');

// The imagery basemap of this run: a host the page may load from (CSP), answered by the test itself.
const IMAGERY_ORIGIN = 'https://imagery.luyu-test.cn';
process.env.LUYU_IMAGERY_ORIGINS = IMAGERY_ORIGIN;
process.env.LUYU_IMAGERY_TEMPLATE = `${IMAGERY_ORIGIN}/tiles/{z}/{x}/{y}.png`;
process.env.LUYU_IMAGERY_ATTRIBUTION = '测试影像';

interface DetectionRow {
  id: number;
  properties: { id: number; reviewStatus: string; violationId: number | null };
}

describe.skipIf(!hasChromium)('卫星线索 review: zone legend, F asks and badges, merge by case number or nearby case, viewer read-only', () => {
  const e2e = useBrowserTest();
  let token = '';
  let batchId = 0;

  async function api<T>(method: string, apiPath: string, body?: unknown, as = token): Promise<{ status: number; body: T }> {
    const response = await fetch(`${e2e.app.baseUrl}/api/v1${apiPath}`, {
      method,
      headers: { Authorization: `Bearer ${as}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async function detection(id: number): Promise<DetectionRow['properties']> {
    return (await api<DetectionRow>('GET', `/detections/${id}`)).body.properties;
  }

  beforeAll(async () => {
    token = await logInToApi(e2e.app.baseUrl);
    // Four leads of our own beside a 410104 G310 segment, at three quarters of it (the other detections test uses a quarter).
    const segments = (await api<{ features: { geometry: { coordinates: Position[] }; properties: { jurisdictionCode: string | null } }[] }>('GET', '/segments?route=G310&limit=50')).body;
    const segment = segments.features.find((feature) => feature.properties.jurisdictionCode === '410104') ?? segments.features[0]!;
    const line = segment.geometry.coordinates;
    const i = Math.min(line.length - 2, Math.floor((line.length * 3) / 4));
    const [at, next] = [line[i]!, line[i + 1]!];
    const run = Date.now().toString(36);
    const features = [
      { offset: 12, along: 0, changeType: 'material_pile', confidence: 0.95 },
      { offset: 14, along: 40, changeType: 'material_pile', confidence: 0.9 },
      { offset: -15, along: 80, changeType: 'temporary_structure', confidence: 0.85 },
      { offset: 20, along: 120, changeType: 'new_building', confidence: 0.8 },
    ].map((spec, index) => ({
      type: 'Feature',
      properties: { externalId: `review-${run}-${index + 1}`, changeType: spec.changeType, confidence: spec.confidence },
      geometry: { type: 'Polygon', coordinates: squareBeside(at, next, spec.offset, spec.along, 12) },
    }));
    const form = new FormData();
    form.set('file', new Blob([JSON.stringify({ type: 'FeatureCollection', features })], { type: 'application/geo+json' }), 'review.geojson');
    form.set('source', 'GF-2');
    form.set('beforeDate', '2026-03-01');
    form.set('afterDate', '2026-04-15');
    form.set('crs', 'WGS84');
    const upload = await fetch(`${e2e.app.baseUrl}/api/v1/detection-batches`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
    expect(upload.status).toBe(202);
    batchId = ((await upload.json()) as { id: number }).id;
    // The ingest job runs in the background (expect.poll only works inside a test).
    const deadline = Date.now() + 60_000;
    let status = '';
    while (Date.now() < deadline && status !== 'done' && status !== 'failed') {
      await new Promise((resolve) => setTimeout(resolve, 300));
      status = (await api<{ status: string }>('GET', `/detection-batches/${batchId}`)).body.status;
    }
    expect(status).toBe('done');
  });

  /** A fresh browser context `width` px wide, logged in as `username` on the 卫星线索 view `target`. */
  async function openDetections(width: number, username: string, target: string, beforeGoto?: (page: Page) => Promise<void>): Promise<FreshPage> {
    const opened = await logInOnFreshPage(e2e.browser, `${e2e.app.baseUrl}${target}`, { username, context: { viewport: { width, height: 900 } }, beforeGoto });
    await opened.page.getByTestId('detections').waitFor({ timeout: 30_000 });
    return opened;
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOT_DIR, `detections_review_${name}.png`) });

  it('the lead map has a zone legend whose toggles change the map and persist', async () => {
    const { context, page, errors } = await openDetections(1440, DEMO_USER, `/detections?batch=${batchId}&status=pending,field`);
    const map = page.locator('[data-testid="detection-map"][data-map-ready="true"]');
    await map.waitFor({ timeout: 45_000 });
    await page.locator('[data-testid="detection-map"][data-map-idle="true"]').waitFor({ timeout: 20_000 });
    const legend = page.getByTestId('det-map-legend');
    const boxes = legend.locator('.legend-zones input[type="checkbox"]');
    expect(await boxes.count()).toBe(6);
    expect(await legend.innerText()).toContain('建筑控制区');
    await shot(page, '01_legend');
    const before = await page.getByTestId('detection-map').screenshot();

    // Every kind off: the tint and outlines go (the same view, drawn differently).
    for (const box of await boxes.all()) await box.uncheck();
    await page.waitForTimeout(300);
    await page.locator('[data-testid="detection-map"][data-map-idle="true"]').waitFor({ timeout: 20_000 });
    const after = await page.getByTestId('detection-map').screenshot();
    expect(after.equals(before)).toBe(false);
    await shot(page, '02_zones_off');

    // The choice is kept (localStorage): after a reload the kinds are still off.
    await page.reload();
    await page.locator('[data-testid="detection-map"][data-map-ready="true"]').waitFor({ timeout: 45_000 });
    for (const box of await page.getByTestId('det-map-legend').locator('.legend-zones input[type="checkbox"]').all()) expect(await box.isChecked()).toBe(false);
    for (const box of await page.getByTestId('det-map-legend').locator('.legend-zones input[type="checkbox"]').all()) await box.check();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('on a phone the map tab shows the lead with the legend folded (it would cover the lead)', async () => {
    const { context, page, errors } = await openDetections(390, DEMO_USER, `/detections?batch=${batchId}&status=pending,field`);
    await page.locator('.det-tabs button[data-pane="map"]').click();
    await page.locator('[data-testid="detection-map"][data-map-ready="true"]').waitFor({ timeout: 45_000 });
    const legend = page.getByTestId('det-map-legend');
    expect(await legend.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(false);
    await legend.locator('summary').click();
    expect(await legend.locator('.legend-zones input[type="checkbox"]').count()).toBe(6);
    await shot(page, '09_phone_legend');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the configured imagery basemap switches on under the zones and is remembered', async () => {
    let tiles = 0;
    const { context, page, errors } = await openDetections(1440, DEMO_USER, `/detections?batch=${batchId}&status=pending,field`, async (fresh) => {
      await fresh.route(`${IMAGERY_ORIGIN}/**`, async (route) => {
        tiles += 1;
        await route.fulfill({ status: 200, contentType: 'image/png', body: solidPng([34, 102, 51]) });
      });
    });
    await page.locator('[data-testid="detection-map"][data-map-idle="true"]').waitFor({ timeout: 45_000 });
    const toggle = page.getByTestId('imagery-toggle');
    expect(await toggle.isChecked()).toBe(false);
    expect(tiles).toBe(0);
    const before = await page.getByTestId('detection-map').screenshot();
    await toggle.check();
    await expect.poll(() => tiles, { timeout: 15_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    await page.locator('[data-testid="detection-map"][data-map-idle="true"]').waitFor({ timeout: 20_000 });
    expect((await page.getByTestId('detection-map').screenshot()).equals(before)).toBe(false);
    expect(await page.getByTestId('detection-map').innerText()).toContain('测试影像');
    await shot(page, '08_imagery');
    await page.reload();
    expect(await page.getByTestId('imagery-toggle').isChecked()).toBe(true);
    await page.getByTestId('imagery-toggle').uncheck();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('F asks first (Esc cancels, Enter sends) and the lead shows 派往现场; 合并 takes a nearby case or a case number as printed', async () => {
    // A case near the leads: confirm the first one through the API (it becomes a reported case).
    const pending = (await api<{ features: DetectionRow[] }>('GET', `/detections?batch=${batchId}&status=pending&sort=priority&order=desc&limit=10`)).body.features;
    expect(pending.length).toBe(4);
    const anchor = pending[0]!.properties.id;
    const confirmed = await api<DetectionRow>('POST', `/detections/${anchor}/review`, { action: 'confirm', category: 'piling', attributes: { material: '砂石', volumeCubicMeters: 20 } });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const nearbyCaseId = confirmed.body.properties.violationId!;
    // A numbered open case elsewhere in the district: merged by typing its 统一编号 with the dashes.
    // The oldest reported (a demo case): the newest are other files' cases, which they may close
    // before the merge below (MERGE_TARGET_CLOSED).
    const numbered = (await api<{ features: { id: number; properties: { caseNumber: string | null } }[] }>('GET', '/violations?status=verified,notice_issued,rectifying&jurisdiction=410104&sort=reportedAt&order=asc&limit=20')).body.features.find(
      (feature) => feature.properties.caseNumber?.includes('-'),
    )!;
    expect(numbered).toBeTruthy();

    const { context, page, errors } = await openDetections(1440, DEMO_USER, `/detections?batch=${batchId}&status=pending,field`);
    await page.locator('[data-testid="detection-map"][data-map-ready="true"]').waitFor({ timeout: 45_000 });
    const list = page.getByTestId('det-list');
    const current = page.getByTestId('det-current');
    await list.waitFor();

    // F opens a confirmation; Esc cancels and nothing is sent.
    const fieldId = Number(await current.getAttribute('data-id'));
    await page.locator('body').press('f');
    const fieldDialog = page.getByTestId('det-field-dialog');
    await fieldDialog.waitFor();
    expect(await fieldDialog.innerText()).toContain('派往现场');
    await shot(page, '03_field_dialog');
    await page.keyboard.press('Escape');
    await fieldDialog.waitFor({ state: 'detached' });
    expect((await detection(fieldId)).reviewStatus).toBe('pending');
    expect(await list.locator(`.det-card[data-id="${fieldId}"]`).getAttribute('data-status')).toBe('pending');

    // F again, Enter: sent; the card and the detail show the badge.
    await page.locator('body').press('f');
    await fieldDialog.waitFor();
    await page.keyboard.press('Enter');
    await fieldDialog.waitFor({ state: 'detached' });
    const fieldCard = list.locator(`.det-card[data-id="${fieldId}"][data-status="field"]`);
    await fieldCard.waitFor({ timeout: 15_000 });
    expect(await fieldCard.getByTestId('det-field-badge').innerText()).toBe('派往现场');
    await expect.poll(async () => (await detection(fieldId)).reviewStatus, { timeout: 10_000 }).toBe('field');
    await fieldCard.locator('button').click();
    await page.locator(`[data-testid="det-current"][data-id="${fieldId}"]`).getByTestId('det-field-badge').waitFor();
    await shot(page, '04_field_badge');

    // 合并 from the picker: the case confirmed above lies within 300 m and is offered.
    const others = (await api<{ features: DetectionRow[] }>('GET', `/detections?batch=${batchId}&status=pending&limit=10`)).body.features.map((feature) => feature.properties.id);
    expect(others.length).toBe(2);
    await list.locator(`.det-card[data-id="${others[0]}"] button`).click();
    await page.locator(`[data-testid="det-current"][data-id="${others[0]}"]`).waitFor();
    await page.locator('body').press('m');
    const merge = page.getByTestId('det-merge-dialog');
    await merge.waitFor();
    const offered = merge.locator(`.det-merge-case[data-id="${nearbyCaseId}"]`);
    await offered.waitFor({ timeout: 15_000 });
    await offered.locator('input[type="radio"]').check();
    await shot(page, '05_merge_picker');
    await merge.locator('button[type="submit"]').click();
    await merge.waitFor({ state: 'detached' });
    await list.locator(`.det-card[data-id="${others[0]}"][data-status="merged"]`).waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await detection(others[0]!)).violationId, { timeout: 10_000 }).toBe(nearbyCaseId);

    // 合并 by the printed case number, dashes and all.
    await list.locator(`.det-card[data-id="${others[1]}"] button`).click();
    await page.locator(`[data-testid="det-current"][data-id="${others[1]}"]`).waitFor();
    await page.locator('body').press('m');
    await merge.waitFor();
    await merge.locator('input[name="caseNumber"]').fill(numbered.properties.caseNumber!);
    expect(await merge.locator('input[name="caseNumber"]').inputValue()).toBe(numbered.properties.caseNumber);
    await merge.locator('input[name="caseNumber"]').press('Enter');
    await merge.waitFor({ state: 'detached' });
    await list.locator(`.det-card[data-id="${others[1]}"][data-status="merged"]`).waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await detection(others[1]!)).violationId, { timeout: 10_000 }).toBe(Number(numbered.id));
    await shot(page, '06_merged');

    // An unknown case number is a 404 the officer can read (in Chinese), not a silent failure.
    const unknown = await api<{ error: { code: string } }>('POST', `/detections/${fieldId}/review`, { action: 'merge', caseNumber: '410104-1999-999999' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('CASE_NUMBER_NOT_FOUND');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a viewer sees no review keys or buttons, a read-only note instead, and C does nothing', async () => {
    const { context, page, errors } = await openDetections(1440, 'viewer', `/detections?batch=${batchId}&status=all`);
    const current = page.getByTestId('det-current');
    await current.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('det-readonly').isVisible()).toBe(true);
    expect(await current.locator('.det-actions').count()).toBe(0);
    const keys = await page.getByTestId('det-keys').innerText();
    expect(keys).toContain('上一条/下一条');
    for (const hidden of ['确认立案', '误报', '转外业核查', '合并']) expect(keys).not.toContain(hidden);
    await page.locator('body').press('c');
    await page.locator('body').press('f');
    await page.waitForTimeout(300);
    expect(await page.locator('dialog[open]').count()).toBe(0);
    await shot(page, '07_viewer');
    expect(errors).toEqual([]);
    await context.close();
  });
});
