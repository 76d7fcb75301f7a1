import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiGet, hasChromium, logInOnFreshPage, SCREENSHOT_DIR, useBrowserTest, warnIfSkipped } from './helpers/browser_test.ts';

warnIfSkipped('review map tiles');

interface ViolationListItem {
  geometry: { type: string; coordinates: [number, number] };
  properties: { id: number; jurisdiction: { code: string } | null; caseNumber: string | null };
}

/**
 * The review map at province scale: its start asks the server for tiles of the network and the
 * violations (only those in view), never for the whole network or a violation list, and a
 * violation drawn from the tiles is still a click target; a new violation shows at once.
 */
describe.skipIf(!hasChromium)('review map from vector tiles', () => {
  const e2e = useBrowserTest();

  /** Logs in on a fresh page at `url`, recording every request (MapLibre's workers' tiles included). */
  async function openPage(url: string): Promise<{ page: Page; requests: URL[]; errors: string[] }> {
    const requests: URL[] = [];
    const { page, errors } = await logInOnFreshPage(e2e.browser, url, {
      context: { viewport: { width: 1280, height: 800 } },
      beforeGoto: (fresh) => void fresh.on('request', (request) => requests.push(new URL(request.url()))),
    });
    await page.locator('[data-map-ready="true"]').waitFor({ timeout: 45_000 });
    await page.locator('[data-map-idle="true"]').waitFor({ timeout: 20_000 });
    return { page, requests, errors };
  }

  const api = (requests: URL[], pathname: string): URL[] => requests.filter((url) => url.pathname === `/api/v1${pathname}`);
  const tiles = (requests: URL[], layer: string): URL[] => requests.filter((url) => url.pathname.startsWith(`/api/v1/tiles/${layer}/`));

  it('starts with segment and violation tiles, no segment or violation list, fitted to the network’s extent', async () => {
    const { page, requests, errors } = await openPage(`${e2e.app.baseUrl}/`);
    expect(tiles(requests, 'segments').length).toBeGreaterThan(0);
    expect(api(requests, '/segments'), 'a segment list call').toEqual([]);
    expect(api(requests, '/violations'), 'a violation list call').toEqual([]);
    // Fitted: the view's centre lies inside the extent of the officer's segments (TileJSON bounds).
    const { bounds } = await apiGet<{ bounds: [number, number, number, number] }>(e2e.app.baseUrl, '/tiles/segments.json');
    const view = /#map=([\d.]+)\/([\d.]+)\/([\d.]+)/.exec(await page.evaluate(() => location.hash));
    expect(view, 'the view in the URL').not.toBeNull();
    const [zoom, lat, lon] = view!.slice(1).map(Number) as [number, number, number];
    // The cases as single-case tiles from z10, counted clusters below (other test files may have
    // widened the officer's network, and so lowered the fitted zoom, on a shared database).
    expect(tiles(requests, zoom >= 10 ? 'violations' : 'violation_clusters').length, `violation tiles at z${zoom}`).toBeGreaterThan(0);
    expect(lon).toBeGreaterThan(bounds[0]);
    expect(lon).toBeLessThan(bounds[2]);
    expect(lat).toBeGreaterThan(bounds[1]);
    expect(lat).toBeLessThan(bounds[3]);
    // Fitted, not a default zoom: at most the zoom at which the bounds just fill the map (512-px
    // Web Mercator tiles, worked out here from the bounds and the map's size), and not much less
    // (the fit leaves padding). Other test files may have added segments to the officer's district,
    // so the bounds are read, not assumed.
    const mapBox = (await page.locator('[data-map-ready="true"]').boundingBox())!;
    const mercatorY = (latitude: number) => Math.log(Math.tan(Math.PI / 4 + (latitude * Math.PI) / 360)) / (2 * Math.PI);
    const fitZoom = Math.min(
      Math.log2(mapBox.width / (512 * ((bounds[2] - bounds[0]) / 360))),
      Math.log2(mapBox.height / (512 * (mercatorY(bounds[3]) - mercatorY(bounds[1])))),
    );
    expect(zoom).toBeLessThanOrEqual(fitZoom + 0.05);
    expect(zoom).toBeGreaterThanOrEqual(fitZoom - 1.5);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'review_map_tiles_01_start.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows counted clusters from the violation_clusters tiles below z10, dots from z10', async () => {
    const { page, requests, errors } = await openPage(`${e2e.app.baseUrl}/#map=9/34.72/113.72`);
    const clusterTiles = tiles(requests, 'violation_clusters');
    expect(clusterTiles.length, 'cluster tiles at z9').toBeGreaterThan(0);
    for (const url of clusterTiles) expect(url.pathname).toMatch(/\/violation_clusters\/[6-9]\//);
    // The single-case tiles are not fetched below z10 (no layer of theirs is visible there).
    expect(tiles(requests, 'violations'), 'single-case violation tiles at z9').toEqual([]);
    expect(api(requests, '/violations'), 'a violation list call').toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'review_map_tiles_04_clusters_z9.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('selects a violation drawn from the tiles when its dot is clicked', async () => {
    // Oldest first: a demo case, not another file's newest, which it may close or move meanwhile (PostgreSQL runs files in parallel).
    const list = await apiGet<{ features: ViolationListItem[] }>(e2e.app.baseUrl, '/violations?limit=500&sort=reportedAt&order=asc');
    const target = list.features.find((feature) => feature.geometry.type === 'Point' && feature.properties.jurisdiction?.code === '410104' && feature.properties.caseNumber);
    expect(target, 'a point violation with a case number in 410104').toBeDefined();
    const [lon, lat] = target!.geometry.coordinates;
    const { page, requests, errors } = await openPage(`${e2e.app.baseUrl}/#map=18/${lat.toFixed(6)}/${lon.toFixed(6)}`);
    expect(api(requests, '/violations')).toEqual([]);
    await page.locator('[data-testid="map"][data-violation-icons="true"]').waitFor({ timeout: 15_000 });
    const map = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(map.x + map.width / 2, map.y + map.height / 2);
    const drawer = page.getByTestId('violation-drawer');
    await drawer.getByTestId('case-number').waitFor({ timeout: 15_000 });
    expect((await drawer.getByTestId('case-number').innerText()).trim()).toBe(target!.properties.caseNumber);
    expect(await page.evaluate(() => location.hash)).toContain(`v=${target!.properties.id}`);
    await page.locator('[data-map-idle="true"]').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'review_map_tiles_02_selected.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows a violation reported on the map at once (new tiles), and it is a click target', async () => {
    // A place with no violation within 150 m: the middle of a 410104 segment far from every case.
    const segments = await apiGet<{ features: { geometry: { coordinates: [number, number][] }; properties: { jurisdictionCode: string | null } }[] }>(e2e.app.baseUrl, '/segments?limit=500');
    const violations = await apiGet<{ features: ViolationListItem[] }>(e2e.app.baseUrl, '/violations?limit=2000');
    const casePoints = violations.features.map((feature) => feature.geometry.type === 'Point' ? feature.geometry.coordinates : null).filter((point): point is [number, number] => point !== null);
    const metres = (a: [number, number], b: [number, number]) => Math.hypot((a[0] - b[0]) * 91_000, (a[1] - b[1]) * 111_000);
    const spot = segments.features
      .filter((feature) => feature.properties.jurisdictionCode === '410104')
      .map((feature) => feature.geometry.coordinates[Math.floor(feature.geometry.coordinates.length / 2)]!)
      .find((point) => casePoints.every((other) => metres(point, other) > 150));
    expect(spot, 'a quiet spot on a 410104 segment').toBeDefined();
    const [lon, lat] = spot!;
    const { page, requests, errors } = await openPage(`${e2e.app.baseUrl}/#map=17/${lat.toFixed(6)}/${lon.toFixed(6)}`);
    const map = (await page.getByTestId('map').boundingBox())!;
    const centre = { x: map.x + map.width / 2, y: map.y + map.height / 2 };

    await page.getByTestId('report-button').click();
    const panel = page.getByTestId('create-panel');
    await panel.waitFor();
    await page.mouse.click(centre.x, centre.y);
    const form = panel.getByTestId('create-form');
    await form.waitFor();
    await form.locator('select[name="structureType"]').selectOption('tower');
    await form.locator('input[name="faceAreaSquareMeters"]').fill('12');
    await form.locator('input[name="heightMeters"]').fill('5');
    await form.locator('textarea[name="description"]').fill('瓦片刷新测试：新上报的广告牌');
    await form.locator('button[type="submit"]').click();
    const drawer = page.getByTestId('violation-drawer');
    const duplicates = form.getByTestId('duplicates');
    await Promise.race([drawer.waitFor({ timeout: 15_000 }), duplicates.waitFor({ timeout: 15_000 })]);
    if (await duplicates.isVisible().catch(() => false)) await duplicates.getByRole('button', { name: '仍然上报' }).click();
    await drawer.locator('[data-testid="case-view"][data-status="reported"]').waitFor({ timeout: 15_000 });
    const created = Number(/v=(\d+)/.exec(await page.evaluate(() => location.hash))?.[1]);
    expect(created).toBeGreaterThan(0);

    // Closed: nothing selected; the map fetched its violation tiles anew after the report.
    await drawer.getByRole('button', { name: '关闭' }).click();
    await drawer.waitFor({ state: 'detached' });
    await expect.poll(() => tiles(requests, 'violations').some((url) => url.searchParams.has('v')), { timeout: 15_000 }).toBe(true);
    await page.locator('[data-map-idle="true"]').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'review_map_tiles_03_reported.png') });
    // The new dot is where it was reported (a click that lands before its tile is drawn locates instead).
    await expect
      .poll(
        async () => {
          await page.mouse.click(centre.x, centre.y);
          await page.waitForTimeout(300);
          return page.evaluate(() => location.hash);
        },
        { timeout: 15_000, interval: 500 },
      )
      .toContain(`v=${created}`);
    await drawer.locator('[data-testid="case-view"][data-status="reported"]').waitFor({ timeout: 15_000 });
    expect(api(requests, '/violations').filter((url) => url.searchParams.has('bbox'))).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
