/**
 * What every browser test starts from: Debian's Chromium (or a clear line saying why the test is
 * not run), the app on the test database with the client built, and an officer's API token for
 * the test's own API reads.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { ensureClientBuilt } from './ensure_client_built.ts';
import { startApp, type RunningApp } from './start_app.ts';

/** Debian's Chromium; LUYU_E2E_CHROMIUM points elsewhere (CI uses it to prove a missing browser fails the run). */
export const CHROMIUM_PATH = process.env.LUYU_E2E_CHROMIUM || '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);
/** Screenshots: test-results/e2e (git-ignored), or LUYU_SCREENSHOT_DIR (CI: a temporary directory). */
export const SCREENSHOT_DIR = process.env.LUYU_SCREENSHOT_DIR || path.resolve('test-results', 'e2e');
// An officer of 管城回族区 (410104): may report, review and ingest; the demo places used lie there.
export const DEMO_USER = 'officer';
export const DEMO_PASSWORD = 'luyu-demo';

let apiToken = '';

/**
 * Says why a browser test is not run. In CI (CI set) a missing browser is an error, never a skip:
 * a green run must have run the browser tests.
 */
export function warnIfSkipped(suite: string): void {
  if (hasChromium) return;
  if (process.env.CI) throw new Error(`[e2e] ${suite}: ${CHROMIUM_PATH} not found, and CI=${process.env.CI} does not allow skipping browser tests`);
  console.warn(
    `[e2e] ${suite} browser test SKIPPED: ${CHROMIUM_PATH} not found. ` + 'Install it with `apt-get install -y chromium fonts-wqy-microhei` to run it.',
  );
}

/** GET below /api/v1 as the demo officer. */
export async function apiGet<T>(baseUrl: string, apiPath: string): Promise<T> {
  const response = await fetch(`${baseUrl}/api/v1${apiPath}`, { headers: { Authorization: `Bearer ${apiToken}` } });
  if (!response.ok) throw new Error(`${apiPath}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** `chromiumArgs`: extra switches, e.g. `--host-resolver-rules=MAP luyu.test 127.0.0.1` for a LAN-like origin. */
export async function startBrowserTest(options: { chromiumArgs?: string[] } = {}): Promise<{ app: RunningApp; browser: Browser }> {
  const clientDistDir = await ensureClientBuilt();
  const app = await startApp({ clientDistDir });
  const login = await fetch(`${app.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: DEMO_USER, password: DEMO_PASSWORD }),
  });
  apiToken = ((await login.json()) as { token: string }).token;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', ...(options.chromiumArgs ?? [])],
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return { app, browser };
}
