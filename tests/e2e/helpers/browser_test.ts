/**
 * What every browser test starts from: Debian's Chromium (or a clear line saying why the test is
 * not run), the app on the test database with the client built, and an officer's API token for
 * the test's own API reads.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
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

/** An API token of `username` (demo password), for the test's own API calls. */
export async function logInToApi(baseUrl: string, username: string = DEMO_USER): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  return ((await response.json()) as { token: string }).token;
}

/** GET below /api/v1 as the demo officer. */
export async function apiGet<T>(baseUrl: string, apiPath: string): Promise<T> {
  const response = await fetch(`${baseUrl}/api/v1${apiPath}`, { headers: { Authorization: `Bearer ${apiToken}` } });
  if (!response.ok) throw new Error(`${apiPath}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** `chromiumArgs`: extra switches, e.g. `--host-resolver-rules=MAP luyu.test 127.0.0.1` for a LAN-like origin. */
async function startBrowserTest(options: { chromiumArgs?: string[] } = {}): Promise<{ app: RunningApp; browser: Browser }> {
  const clientDistDir = await ensureClientBuilt();
  const app = await startApp({ clientDistDir });
  apiToken = await logInToApi(app.baseUrl);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', ...(options.chromiumArgs ?? [])],
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return { app, browser };
}

/** The app and browser of a browser test file, there once its beforeAll has run. */
export interface BrowserTest {
  readonly app: RunningApp;
  readonly browser: Browser;
}

/**
 * Starts the app and the browser in a beforeAll of the calling describe block and closes them in
 * an afterAll. Call it where the block's own hooks go: Vitest runs beforeAll hooks in the order
 * they were declared and afterAll hooks in reverse, so hooks declared after this call see a
 * running app and close what they opened before the browser goes.
 */
export function useBrowserTest(options: { chromiumArgs?: string[] } = {}): BrowserTest {
  let started: { app: RunningApp; browser: Browser } | undefined;
  beforeAll(async () => {
    started = await startBrowserTest(options);
  });
  afterAll(async () => {
    await started?.browser.close();
    await started?.app.close();
  });
  const running = () => {
    if (!started) throw new Error('useBrowserTest: the app and browser start in beforeAll; read them inside hooks and tests');
    return started;
  };
  return {
    get app() {
      return running().app;
    },
    get browser() {
      return running().browser;
    },
  };
}

/** On the login page: types `username` and the demo password, runs `beforeEnter` on the filled form, submits with Enter. */
export async function submitLogin(page: Page, username: string = DEMO_USER, beforeEnter?: (page: Page) => Promise<unknown>): Promise<void> {
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await beforeEnter?.(page);
  await page.locator('input[name="password"]').press('Enter');
}

export interface FreshPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors, collected from the start. */
  errors: string[];
}

/**
 * A new browser context (nothing remembered) and page that opens `url` logged out, is sent to the
 * login page with the url as `next`, and logs in as `username`. Returns once the login is
 * submitted: the caller waits for what its page shows. `beforeGoto` sets up routes or listeners;
 * `beforeSubmit` runs on the filled login form.
 */
export async function logInOnFreshPage(
  browser: Browser,
  url: string,
  options: { username?: string; context?: BrowserContextOptions; beforeGoto?: (page: Page) => Promise<unknown> | void; beforeSubmit?: (page: Page) => Promise<unknown> } = {},
): Promise<FreshPage> {
  const context = await browser.newContext(options.context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await options.beforeGoto?.(page);
  await page.goto(url);
  await page.waitForURL(/\/login\?next=/);
  await submitLogin(page, options.username, options.beforeSubmit);
  return { context, page, errors };
}
