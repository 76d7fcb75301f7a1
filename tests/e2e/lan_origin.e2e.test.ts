import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasChromium, SCREENSHOT_DIR, submitLogin, useBrowserTest, warnIfSkipped } from './helpers/browser_test.ts';

warnIfSkipped('LAN origin');

/**
 * The app as a LAN user meets it: plain HTTP on a host name that is not localhost. Chromium treats
 * http://localhost and 127.0.0.1 as secure contexts and never upgrades them, so a test over
 * 127.0.0.1 cannot see a page that only breaks elsewhere (`upgrade-insecure-requests`, APIs that
 * need a secure context). `--host-resolver-rules` maps luyu.test to the loopback: the browser sees
 * an ordinary insecure origin while every byte stays on this machine.
 */
const LAN_HOST = 'luyu.test';

describe.skipIf(!hasChromium)('the app over plain HTTP on a non-localhost origin', () => {
  const e2e = useBrowserTest({ chromiumArgs: [`--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`] });

  it('logs in and shows the map with no request upgraded to https', async () => {
    const port = new URL(e2e.app.baseUrl).port;
    const origin = `http://${LAN_HOST}:${port}`;
    const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    const upgraded: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => {
      if (request.url().startsWith(`https://${LAN_HOST}`)) upgraded.push(request.url());
    });
    // A tile the map no longer needs (it moved on from the start view) is cancelled by MapLibre:
    // net::ERR_ABORTED is the browser's own cancel, not a request the origin refused or upgraded.
    page.on('requestfailed', (request) => {
      if (request.failure()?.errorText !== 'net::ERR_ABORTED') errors.push(`${request.url()}: ${request.failure()?.errorText}`);
    });
    const first = await page.goto(`${origin}/`);
    expect(first?.status()).toBe(200);
    expect(first?.headers()['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    await page.waitForURL(/\/login\?next=/);
    await submitLogin(page);
    await page.locator('[data-map-ready="true"]').waitFor({ timeout: 45_000 });
    expect(await page.getByTestId('user-badge').innerText()).toContain('管城回族区');
    // The map painted the network: MapLibre has rendered features of the segments layer.
    const drawn = await page.evaluate(() => document.querySelectorAll('canvas.maplibregl-canvas').length);
    expect(drawn).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'lan_origin_map.png') });
    expect(new URL(page.url()).origin).toBe(origin);
    expect(upgraded).toEqual([]);
    expect(errors).toEqual([]);
  });
});
