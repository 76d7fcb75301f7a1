import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { apiGet, hasChromium, logInOnFreshPage, SCREENSHOT_DIR, useBrowserTest, warnIfSkipped } from './helpers/browser_test.ts';
import { type Position, squareBeside } from './helpers/square_beside.ts';

// A browser flow of many steps: 60 s is too little on a loaded 2-core machine or the embedded database.
vi.setConfig({ testTimeout: 180_000 });

warnIfSkipped('detections');

describe.skipIf(!hasChromium)('detections: upload a batch, confirm one lead into a case, reject another', () => {
  const e2e = useBrowserTest();

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `detections_${name}.png`) });
  }

  it('uploads GeoJSON, follows progress, confirms and rejects with the keyboard', async () => {
    // A 410104 G310 segment; detections at a quarter of its length (away from the violations test's spot).
    const segments = await apiGet<{ features: { geometry: { coordinates: Position[] }; properties: { jurisdictionCode: string | null } }[] }>(e2e.app.baseUrl, '/segments?route=G310&limit=50');
    const segment = segments.features.find((feature) => feature.properties.jurisdictionCode === '410104') ?? segments.features[0]!;
    const line = segment.geometry.coordinates;
    const i = Math.max(0, Math.floor(line.length / 4) - 1);
    const at = line[i]!;
    const next = line[i + 1] ?? line[i - 1]!;
    const run = Date.now().toString(36);
    const features = [
      { offset: 4, size: 14, changeType: 'material_pile', confidence: 0.93 },
      { offset: 30, size: 16, changeType: 'new_building', confidence: 0.88 },
      { offset: -28, size: 12, changeType: 'temporary_structure', confidence: 72 },
      { offset: 80, size: 20, changeType: 'bare_soil', confidence: 0.61 },
      { offset: -45, size: 10, changeType: 'new_building', confidence: 0.55 },
    ].map((spec, index) => ({
      type: 'Feature',
      properties: { externalId: `e2e-${run}-${index + 1}`, changeType: spec.changeType, confidence: spec.confidence },
      geometry: { type: 'Polygon', coordinates: squareBeside(at, next, spec.offset, 0, spec.size) },
    }));
    // One far away (about 20 km north): out of every zone.
    features.push({
      type: 'Feature',
      properties: { externalId: `e2e-${run}-far`, changeType: 'new_building', confidence: 0.9 },
      geometry: { type: 'Polygon', coordinates: squareBeside([at[0] + 0.05, at[1] + 0.18], [at[0] + 0.06, at[1] + 0.18], 0, 0, 15) },
    });
    const geojson = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));

    // Every request, MapLibre's workers' tiles included: the map's detections must come from tiles.
    const requests: URL[] = [];
    const { context, page, errors } = await logInOnFreshPage(e2e.browser, `${e2e.app.baseUrl}/detections`, {
      context: { viewport: { width: 1440, height: 900 } },
      beforeGoto: (fresh) => {
        fresh.on('request', (request) => requests.push(new URL(request.url())));
      },
    });
    await page.getByTestId('detections').waitFor({ timeout: 30_000 });
    const nav = page.getByRole('navigation', { name: '主导航' });
    expect(await nav.getByRole('link', { name: '卫星线索' }).getAttribute('aria-current')).toBe('page');
    await page.locator('[data-testid="detection-map"][data-map-ready="true"]').waitFor({ timeout: 45_000 });
    await shot(page, '01_queue');

    // Upload.
    await page.getByTestId('det-upload-button').click();
    const dialog = page.getByTestId('det-upload-dialog');
    await dialog.waitFor();
    await dialog.locator('input[name="file"]').setInputFiles({ name: 'gf2_e2e.geojson', mimeType: 'application/geo+json', buffer: geojson });
    await dialog.locator('input[name="source"]').fill('GF-2');
    await dialog.locator('input[name="beforeDate"]').fill('2026-03-01');
    await dialog.locator('input[name="afterDate"]').fill('2026-04-15');
    await dialog.locator('select[name="crs"]').selectOption('WGS84');
    await shot(page, '02_upload_form');
    await dialog.locator('button[type="submit"]').click();
    const progress = dialog.getByTestId('det-progress');
    await progress.waitFor({ timeout: 15_000 });
    await progress.locator('xpath=self::*[@data-status="done" or @data-status="failed"]').waitFor({ timeout: 60_000 });
    await shot(page, '03_upload_done');
    expect(await progress.getAttribute('data-status')).toBe('done');
    await dialog.getByTestId('det-show-batch').click();
    await dialog.waitFor({ state: 'detached' });

    // The queue shows the batch's pending, in-scope detections (the far one is out of scope: hidden).
    const list = page.getByTestId('det-list');
    await list.waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).searchParams.get('batch')).toBeTruthy();
    const cards = list.locator('.det-card');
    const count = await cards.count();
    expect(count).toBeGreaterThanOrEqual(2);
    expect(count).toBeLessThanOrEqual(5);
    expect(await list.innerText()).toMatch(/G310/);
    expect(await list.innerText()).toMatch(/K\d+\+\d{3}/);
    await page.locator('[data-testid="detection-map"][data-map-idle="true"]').waitFor({ timeout: 15_000 });
    await shot(page, '04_queue_batch');

    // The map draws the detections from tiles: no list of every detection (only the queue's pages),
    // and the basemap's roads are tiles too.
    expect(requests.filter((url) => url.pathname.startsWith('/api/v1/tiles/detections/')).length).toBeGreaterThan(0);
    const detectionLists = requests.filter((url) => url.pathname === '/api/v1/detections');
    expect(detectionLists.length).toBeGreaterThan(0);
    for (const url of detectionLists) expect(Number(url.searchParams.get('limit')), url.search).toBeLessThanOrEqual(200);
    expect(requests.filter((url) => url.pathname === '/api/v1/basemap/roads')).toEqual([]);
    expect(requests.filter((url) => url.pathname.startsWith('/api/v1/tiles/basemap_roads/')).length).toBeGreaterThan(0);

    // A click on another detection drawn from the tiles makes it the current one.
    const current = page.getByTestId('det-current');
    const shownId = Number(await current.getAttribute('data-id'));
    const cardIds = (await cards.evaluateAll((nodes) => nodes.map((node) => Number(node.getAttribute('data-id'))))).filter((id) => id !== shownId);
    const target = cardIds[0]!;
    const detail = await apiGet<{ geometry: { type: string; coordinates: Position[][] | Position[][][] } }>(e2e.app.baseUrl, `/detections/${target}`);
    const ring = (detail.geometry.type === 'MultiPolygon' ? (detail.geometry.coordinates as Position[][][])[0]![0]! : (detail.geometry.coordinates as Position[][])[0]!).slice(0, -1);
    const centre: Position = [ring.reduce((sum, p) => sum + p[0], 0) / ring.length, ring.reduce((sum, p) => sum + p[1], 0) / ring.length];
    const onScreen = await page.evaluate(
      ({ lon, lat }) => {
        const element = document.querySelector('[data-testid="detection-map"]') as HTMLElement & { luyuMapProbe?: { project(lon: number, lat: number): { x: number; y: number } } };
        const box = element.getBoundingClientRect();
        const point = element.luyuMapProbe!.project(lon, lat);
        return { x: box.left + point.x, y: box.top + point.y };
      },
      { lon: centre[0], lat: centre[1] },
    );
    await page.mouse.click(onScreen.x, onScreen.y);
    await page.locator(`[data-testid="det-current"][data-id="${target}"]`).waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="detection-map"][data-map-idle="true"]').waitFor({ timeout: 15_000 });
    await shot(page, '04b_clicked_on_map');
    // Back to the queue's first (highest priority) detection for the reviews below.
    await list.locator(`.det-card[data-id="${shownId}"] button`).first().click();
    await page.locator(`[data-testid="det-current"][data-id="${shownId}"]`).waitFor();

    // Confirm the current (highest priority) detection with C, Enter.
    const firstId = Number(await current.getAttribute('data-id'));
    await page.locator('body').press('c');
    const confirm = page.getByTestId('det-confirm-dialog');
    await confirm.waitFor();
    expect(await confirm.locator('select[name="category"]').inputValue()).not.toBe('');
    // The category's attributes: areas come prefilled from the detection; fill what the imagery would tell.
    for (const input of await confirm.locator('.det-attributes input:not([type="checkbox"])').all()) {
      if ((await input.inputValue()) === '') await input.fill('2');
    }
    for (const select of await confirm.locator('.det-attributes select').all()) {
      if ((await select.inputValue()) === '') await select.selectOption({ index: 1 });
    }
    await shot(page, '05_confirm_dialog');
    await confirm.locator('select[name="category"]').press('Enter');
    await confirm.waitFor({ state: 'detached' });
    await list.locator(`.det-card[data-id="${firstId}"][data-status="confirmed"]`).waitFor({ timeout: 15_000 });
    // The queue moved on to the next pending one.
    await page.locator(`[data-testid="det-current"]:not([data-id="${firstId}"])`).waitFor();
    await shot(page, '06_confirmed');
    // The card turns "confirmed" optimistically; the case exists once the server has answered.
    await expect
      .poll(
        async () => {
          const created = await apiGet<{ features: { properties: { externalId: string | null; source: string } }[] }>(
            e2e.app.baseUrl,
            `/violations?source=satellite_lead&q=${encodeURIComponent(`detection:${firstId}`)}&limit=10`,
          );
          return created.features.find((feature) => feature.properties.externalId === `detection:${firstId}`)?.properties.source;
        },
        { timeout: 15_000, interval: 250 },
      )
      .toBe('satellite_lead');

    // Reject the next one with R, 2 (not a change), Enter.
    const secondId = Number(await current.getAttribute('data-id'));
    await page.locator('body').press('r');
    const reject = page.getByTestId('det-reject-dialog');
    await reject.waitFor();
    await page.keyboard.press('2');
    expect(await reject.locator('input[value="not_a_change"]').isChecked()).toBe(true);
    await shot(page, '07_reject_dialog');
    await page.keyboard.press('Enter');
    await reject.waitFor({ state: 'detached' });
    await list.locator(`.det-card[data-id="${secondId}"][data-status="rejected"]`).waitFor({ timeout: 15_000 });
    await shot(page, '08_rejected');

    // Statistics of the batch.
    await page.getByTestId('det-stats-button').click();
    await page.locator('[data-testid="det-stats"] .det-stats[data-loading="false"]').waitFor();
    // Fresh figures, not those from before the reviews: one confirmed of two reviewed in this batch.
    const batchPrecision = page.getByTestId('det-stats').locator('.det-stats-precision figure').first();
    await expect.poll(async () => batchPrecision.innerText(), { timeout: 10_000 }).toMatch(/50\s*%/);
    await shot(page, '09_stats');
    await page.keyboard.press('Escape');
    await page.getByTestId('det-stats').waitFor({ state: 'detached' });

    // The confirmed detection links to its case in the ledger.
    await list.locator(`.det-card[data-id="${firstId}"] button`).click();
    await page.getByTestId('det-violation-link').click();
    // The drawer opens at once and fills when the case has loaded: wait for the content.
    await page.getByTestId('violation-drawer').filter({ hasText: '卫星线索' }).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('violation-drawer').innerText()).toContain('卫星线索');
    await shot(page, '10_violation');

    expect(errors).toEqual([]);
    await context.close();
  });
});
