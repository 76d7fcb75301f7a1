/**
 * The place the user works on stays in sight (issue 14): the searched stake's pin survives
 * 上报违法 and zooming with + (button or key); on a phone the sheets never cover the 上报违法
 * button, and the create form's sheet never covers the point just picked.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiGet, hasChromium, logInOnFreshPage, SCREENSHOT_DIR, useBrowserTest, warnIfSkipped } from './helpers/browser_test.ts';

warnIfSkipped('review map focus');

/** Login, map load and several camera animations on the shared 2-core machine. */
const BROWSER_FLOW_TIMEOUT_MS = 180_000;

interface RouteSummary {
  code: string;
  chainageFromMeters: number;
  chainageToMeters: number;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

describe.skipIf(!hasChromium)('review map: the stake pin and the picked point stay in sight', () => {
  const e2e = useBrowserTest();

  async function openMap(viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
    const { page, errors } = await logInOnFreshPage(e2e.browser, `${e2e.app.baseUrl}/`, { context: { viewport } });
    await page.locator('[data-map-ready="true"]').waitFor({ timeout: 45_000 });
    return { page, errors };
  }

  /** Searches the stake and waits until the fly-to has ended (the URL's zoom is the search's 15). */
  async function searchStake(page: Page, stake: { route: string; stake: string }): Promise<void> {
    const search = page.getByRole('textbox', { name: '桩号定位' });
    await search.fill(`${stake.route} ${stake.stake}`);
    await search.press('Enter');
    await page.getByTestId('stake-result').waitFor();
    await page.waitForFunction(() => location.hash.startsWith('#map=15/'), undefined, { timeout: 15_000 });
    await waitForMapIdle(page);
  }

  it('keeps the stake pin while reporting and zooms around it with the + button and the + key', { timeout: BROWSER_FLOW_TIMEOUT_MS }, async () => {
    const stake = await stakeOnG310(e2e.app.baseUrl);
    const { page, errors } = await openMap({ width: 1280, height: 800 });
    await searchStake(page, stake);
    const pin = page.locator('.map-marker');
    expect(await pin.count()).toBe(1);

    await page.getByTestId('report-button').click();
    const createPanel = page.getByTestId('create-panel');
    await createPanel.waitFor();
    // The pin stays while reporting: it is usually where the finding is.
    expect(await pin.count()).toBe(1);
    expect(await pin.isVisible()).toBe(true);

    // The stake lands left of the centre (the side panel covers the right): zooming twice around
    // the centre would carry it 4× as far from the centre, off the map.
    const zoomIn = page.locator('.maplibregl-ctrl-zoom-in');
    for (const zoom of [16, 17]) {
      await zoomIn.click();
      await page.waitForFunction((expected) => location.hash.startsWith(`#map=${expected}/`), zoom, { timeout: 15_000 });
      await waitForMapIdle(page);
    }
    await expectPinInView(page, createPanel);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'focus_01_zoomed_buttons.png') });

    // The keyboard's + (on the focused map) does the same.
    await page.locator('canvas.maplibregl-canvas').focus();
    for (const zoom of [18, 19]) {
      await page.keyboard.press('+');
      await page.waitForFunction((expected) => location.hash.startsWith(`#map=${expected}/`), zoom, { timeout: 15_000 });
      await waitForMapIdle(page);
    }
    await expectPinInView(page, createPanel);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'focus_02_zoomed_keys.png') });

    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('on a phone keeps 上报违法 above the stake sheet and the picked point above the form sheet', { timeout: BROWSER_FLOW_TIMEOUT_MS }, async () => {
    const stake = await stakeOnG310(e2e.app.baseUrl);
    const { page, errors } = await openMap({ width: 390, height: 844 });
    await searchStake(page, stake);
    const sheet = page.getByTestId('side-panel');
    const sheetBox = (await sheet.boundingBox())!;
    // The stake's sheet is open (taller than the collapsed one the button used to clear).
    expect(sheetBox.height).toBeGreaterThan(150);

    const report = page.getByTestId('report-button');
    const button = (await report.boundingBox())!;
    expect(button.x).toBeGreaterThanOrEqual(0);
    expect(button.y).toBeGreaterThanOrEqual(0);
    expect(button.x + button.width).toBeLessThanOrEqual(390);
    expect(button.y + button.height).toBeLessThanOrEqual(sheetBox.y);
    // Nothing is painted over it: the topmost element at its centre is the button (or its icon/text).
    const onTop = await page.evaluate(({ x, y }) => {
      const hit = document.elementFromPoint(x, y);
      return Boolean(hit?.closest('[data-testid="report-button"]'));
    }, { x: button.x + button.width / 2, y: button.y + button.height / 2 });
    expect(onTop).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'focus_03_phone_stake_sheet.png') });

    await report.click();
    const createPanel = page.getByTestId('create-panel');
    await createPanel.waitFor();
    await waitForMapIdle(page);
    // Pick a point just above the create sheet (the only map the user sees there); the form that
    // follows makes the sheet much taller.
    const pickSheet = (await createPanel.boundingBox())!;
    const map = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(map.x + map.width / 2, pickSheet.y - 24);
    await createPanel.getByTestId('create-form').waitFor();
    const chosen = await createPanel.getByTestId('place-chosen').innerText();
    const [lon, lat] = chosen.match(/(\d+\.\d{6}), (\d+\.\d{6})/)!.slice(1).map(Number) as [number, number];
    expect((await createPanel.boundingBox())!.height).toBeGreaterThan(pickSheet.height);

    // The camera is padded by the sheet and the point eases above it.
    await expect
      .poll(async () => (await createPanel.boundingBox())!.y - (await pointOnScreen(page, lon, lat)).y, { timeout: 10_000, interval: 250 })
      .toBeGreaterThan(0);
    await waitForMapIdle(page);
    const point = await pointOnScreen(page, lon, lat);
    const formSheet = (await createPanel.boundingBox())!;
    expect(point.y).toBeGreaterThan(map.y);
    expect(point.y).toBeLessThan(formSheet.y);
    expect(point.x).toBeGreaterThan(0);
    expect(point.x).toBeLessThan(390);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'focus_04_phone_form_sheet.png') });

    expect(errors).toEqual([]);
    await page.context().close();
  });
});

/** The pin's tip (its bottom centre) lies inside the map and left of the create panel. */
async function expectPinInView(page: Page, createPanel: ReturnType<Page['getByTestId']>): Promise<void> {
  const map = (await page.getByTestId('map').boundingBox())!;
  const pin = (await page.locator('.map-marker').boundingBox()) as Box;
  const panel = (await createPanel.boundingBox())!;
  const tipX = pin.x + pin.width / 2;
  const tipY = pin.y + pin.height;
  expect(tipX).toBeGreaterThan(map.x);
  expect(tipX).toBeLessThan(Math.min(map.x + map.width, panel.x));
  expect(tipY).toBeGreaterThan(map.y);
  expect(tipY).toBeLessThan(map.y + map.height);
}

/** Where a lon/lat is on the page, by the map's own projection (the probe on its container). */
async function pointOnScreen(page: Page, lon: number, lat: number): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ({ lon, lat }) => {
      const element = document.querySelector('[data-testid="map"]') as HTMLElement & { luyuMapProbe?: { project(lon: number, lat: number): { x: number; y: number } } };
      const box = element.getBoundingClientRect();
      const point = element.luyuMapProbe!.project(lon, lat);
      return { x: box.left + point.x, y: box.top + point.y };
    },
    { lon, lat },
  );
}

/** K12+300 on G310 (the issue's example) when the data reaches it, else G310's middle stake. */
async function stakeOnG310(baseUrl: string): Promise<{ route: string; stake: string }> {
  const { routes } = await apiGet<{ routes: RouteSummary[] }>(baseUrl, '/routes');
  const g310 = routes.find((route) => route.code === 'G310')!;
  const meters = g310.chainageFromMeters <= 12_300 && 12_300 <= g310.chainageToMeters ? 12_300 : Math.floor((g310.chainageFromMeters + g310.chainageToMeters) / 2);
  return { route: 'G310', stake: `K${Math.floor(meters / 1000)}+${String(meters % 1000).padStart(3, '0')}` };
}

/** Waits until the map has stopped moving and drawn everything. */
async function waitForMapIdle(page: Page): Promise<void> {
  await page.locator('[data-map-idle="true"]').waitFor({ timeout: 15_000 });
}
