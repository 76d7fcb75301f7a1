/**
 * The imagery basemap is switchable on every map (issue 14), not only on 卫星线索: the review map
 * (巡查/地图, in its legend), the patrol plan map (巡查计划, over the map) and the crew's field map
 * (今日巡查 /crew, on a phone, over the map) show the same switch,
 * and switching it on fetches imagery tiles. The deployment gives a WMTS KVP template in
 * Tianditu's form ({TileMatrix}/{TileRow}/{TileCol}); the tiles asked for must be the XYZ tiles
 * under the view.
 */
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { DEMO_USER, hasChromium, logInOnFreshPage, SCREENSHOT_DIR, useBrowserTest, warnIfSkipped } from './helpers/browser_test.ts';
import { publishCrewAssignment } from './helpers/crew_assignment.ts';
import { solidPng } from './helpers/solid_png.ts';
import { tileOf, type Tile } from '../helpers/slippy_tiles.ts';

warnIfSkipped('imagery basemap');

/** Login, map load and tile fetches on the shared 2-core machine. */
const BROWSER_FLOW_TIMEOUT_MS = 180_000;

// A host the page may load from (CSP), answered by the test itself, in Tianditu's WMTS KVP form.
const IMAGERY_ORIGIN = 'https://imagery.luyu-test.cn';
process.env.LUYU_IMAGERY_ORIGINS = IMAGERY_ORIGIN;
process.env.LUYU_IMAGERY_TEMPLATE = `${IMAGERY_ORIGIN}/img_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=img&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={TileMatrix}&TILEROW={TileRow}&TILECOL={TileCol}&tk=KEY`;
process.env.LUYU_IMAGERY_ATTRIBUTION = '测试影像';

describe.skipIf(!hasChromium)('imagery basemap on the review, patrol plan and crew field maps', () => {
  const e2e = useBrowserTest();

  /** A fresh browser context (no remembered switch) signed in as `user`, imagery answered by the test. */
  async function signedIn(user: string, at: { path: string; context: BrowserContextOptions } = { path: '/', context: { viewport: { width: 1440, height: 900 } } }): Promise<{ page: Page; tiles: Tile[]; errors: string[] }> {
    const tiles: Tile[] = [];
    const { page, errors } = await logInOnFreshPage(e2e.browser, `${e2e.app.baseUrl}${at.path}`, {
      username: user,
      context: at.context,
      beforeGoto: (fresh) =>
        fresh.route(`${IMAGERY_ORIGIN}/**`, async (route) => {
          const url = new URL(route.request().url());
          // Every placeholder was filled with a number: the WMTS form reached the browser as XYZ.
          const [z, y, x] = ['TILEMATRIX', 'TILEROW', 'TILECOL'].map((name) => url.searchParams.get(name) ?? '');
          if ([z, y, x].every((value) => value !== undefined && /^\d+$/.test(value))) tiles.push({ z: Number(z), x: Number(x), y: Number(y) });
          await route.fulfill({ status: 200, contentType: 'image/png', body: solidPng([34, 102, 51]) });
        }),
    });
    return { page, tiles, errors };
  }

  it('the review map: the legend switches the imagery on, tiles under the view are fetched, the choice is remembered', { timeout: BROWSER_FLOW_TIMEOUT_MS }, async () => {
    const { page, tiles, errors } = await signedIn(DEMO_USER);
    const map = page.getByTestId('map');
    await page.locator('[data-testid="map"][data-map-idle="true"]').waitFor({ timeout: 45_000 });
    await switchImageryOn(page, 'map', tiles, map);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'imagery_01_review_map.png') });

    // The view's centre lies in one of the tiles asked for (slippy-map tile numbering, row from the top).
    const [, lat, lon] = (await page.evaluate(() => location.hash)).match(/^#map=[\d.]+\/([\d.-]+)\/([\d.-]+)/)!.map(Number) as [number, number, number];
    expect(tiles.some((tile) => sameTile(tile, tileOf(lon, lat, tile.z)))).toBe(true);

    await page.reload();
    await page.locator('[data-testid="map"][data-map-ready="true"]').waitFor({ timeout: 45_000 });
    expect(await page.getByTestId('imagery-toggle').isChecked()).toBe(true);
    await page.getByTestId('imagery-toggle').uncheck();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the patrol plan map (巡查计划) has the same switch over the map', { timeout: BROWSER_FLOW_TIMEOUT_MS }, async () => {
    const { page, tiles, errors } = await signedIn('dispatcher');
    await page.getByRole('link', { name: '巡查计划' }).click();
    await page.getByTestId('patrol-planning').waitFor({ timeout: 30_000 });
    const map = page.getByTestId('patrol-map');
    await page.locator('[data-testid="patrol-map"][data-map-idle="true"]').waitFor({ timeout: 45_000 });
    const toggle = page.getByTestId('imagery-toggle');
    expect(await toggle.isChecked()).toBe(false);
    expect(tiles).toEqual([]);

    await toggle.check();
    await expect.poll(() => tiles.length, { timeout: 15_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    await page.locator('[data-testid="patrol-map"][data-map-idle="true"]').waitFor({ timeout: 20_000 });
    expect(await map.innerText()).toContain('测试影像');
    // The switch sits on the map and nothing covers it.
    await expectInside(toggle, map);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'imagery_02_patrol_plan_map.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  describe('the crew field map (今日巡查 on a phone)', () => {
    // A patrol user of the test's own on a crew of its own with today's assignment: the crew map
    // shows only with an assignment, and another browser test may publish the demo crews' plan.
    const crewUser = `e2e_imagery_${Date.now().toString(36)}`;
    let pool: pg.Pool;
    let line: GeoJSON.LineString;

    beforeAll(async () => {
      pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
      ({ line } = await publishCrewAssignment(pool, { username: crewUser, displayName: '影像测试员', role: 'patrol', crewName: 'e2e影像巡查组', vehiclePlate: '豫A·E2E03', segment: 'first' }));
    });

    afterAll(async () => {
      await pool?.end();
    });

    it('switches the imagery on over the map and fetches the tiles under its view', { timeout: BROWSER_FLOW_TIMEOUT_MS }, async () => {
      const { page, tiles, errors } = await signedIn(crewUser, { path: '/crew', context: { viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true } });
      await page.waitForURL(/\/crew$/);
      const map = page.getByTestId('crew-map');
      await page.locator('[data-testid="crew-map"][data-map-ready="true"]').waitFor({ timeout: 45_000 });
      await switchImageryOn(page, 'crew-map', tiles, page.locator('.crew-map-frame'));
      // The map is fitted to the assignment (no GPS fix here): the tile under its segment's start is among those asked for.
      const [startLon, startLat] = line.coordinates[0] as [number, number];
      expect(tiles.some((tile) => sameTile(tile, tileOf(startLon, startLat, tile.z)))).toBe(true);
      // The switch sits on the map, inside it on a 390 px phone.
      await expectInside(page.getByTestId('imagery-toggle'), map);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'imagery_03_crew_map.png') });
      expect(errors).toEqual([]);
      await page.context().close();
    });
  });
});

/**
 * Switches the imagery on with the map's switch: off and no tile fetched before; tiles fetched, the
 * map redrawn (its picture changes) and the imagery's attribution in `attribution` after.
 */
async function switchImageryOn(page: Page, mapTestId: string, tiles: Tile[], attribution: Locator): Promise<void> {
  const map = page.getByTestId(mapTestId);
  const toggle = page.getByTestId('imagery-toggle');
  expect(await toggle.isChecked()).toBe(false);
  expect(tiles).toEqual([]);
  const before = await map.screenshot();

  await toggle.check();
  await expect.poll(() => tiles.length, { timeout: 15_000 }).toBeGreaterThan(0);
  await page.waitForTimeout(300);
  await page.locator(`[data-testid="${mapTestId}"][data-map-idle="true"]`).waitFor({ timeout: 20_000 });
  expect((await map.screenshot()).equals(before)).toBe(false);
  expect(await attribution.innerText()).toContain('测试影像');
}

/** `inner` lies within `outer`'s left, right and top edges. */
async function expectInside(inner: Locator, outer: Locator): Promise<void> {
  const box = (await inner.boundingBox())!;
  const outerBox = (await outer.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(outerBox.x);
  expect(box.x + box.width).toBeLessThanOrEqual(outerBox.x + outerBox.width);
  expect(box.y).toBeGreaterThanOrEqual(outerBox.y);
}

function sameTile(a: Tile, b: Tile): boolean {
  return a.z === b.z && a.x === b.x && a.y === b.y;
}
