/**
 * bench:client — the review map at province scale in headless Chromium (issue 15's client targets:
 * first rendered map ≤ 2 s after login on loopback, pan frame time p95 ≤ 50 ms).
 *
 *   npm run build   # the client this serves
 *   DATABASE_URL=postgres://…/postgres npm run bench:client -- [--segments 50000] [--runs 3] [--pans 8]
 *
 * - Uses the synthetic province of bench:tiles (`<database>_bench_tiles`, loaded by it when absent
 *   or of another size: scripts/province_network.ts) and a province-level officer (410000) there.
 * - Per run: a new browser context, login, time from pressing Enter on the password to the map's
 *   first complete render (`data-map-ready`, set by the map adapter after style, data and first
 *   frame) and to rest (`data-map-idle`); then `--pans` mouse drags of 320 px in 24 steps over
 *   the map while a requestAnimationFrame loop in the page records frame intervals.
 * - Software rendering: Chromium runs with --disable-gpu (SwiftShader), as in the browser tests;
 *   frame times are the CPU's, on a machine whose load is printed beside them.
 * Also prints the side-by-side floor: the same first-view tiles fetched directly over HTTP (no
 * browser), so the browser's own share of the start is visible.
 * - `--compare-dist DIR`: another build of the client (e.g. the previous commit's, built into DIR)
 *   served by a second app on the same database; runs alternate between the two builds and the
 *   medians are printed side by side with their ratio (the machine's load hits both alike).
 * - `--screenshots DIR`: the first run's map of each build when ready (client_province_0.png is this build).
 * - `--trace`: for the first run of each build, when each request of the start began and ended
 *   (ms after pressing Enter; tiles summarised), to see what the first map waits for.
 */
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { createApp, DEFAULT_CLIENT_DIST_DIR } from '../server/app.ts';
import { createUser } from '../server/auth/service.ts';
import { openProvinceBenchDatabase } from './province_bench_database.ts';

const { values } = parseArgs({
  options: {
    segments: { type: 'string', default: '50000' },
    runs: { type: 'string', default: '3' },
    pans: { type: 'string', default: '8' },
    'compare-dist': { type: 'string' },
    trace: { type: 'boolean', default: false },
    screenshots: { type: 'string' },
  },
});
const SEGMENTS = Number(values.segments);
const RUNS = Number(values.runs);
const PANS = Number(values.pans);
/** Login page, form, drags: generous for a loaded 2-core machine, short enough to notice a stuck build. */
const STEP_TIMEOUT_MS = 30_000;
/** From Enter to the first complete render (and to rest): a build that misses this is broken here. */
const READY_TIMEOUT_MS = 60_000;
const USERNAME = 'bench_client';
const PASSWORD = 'bench-password-1';

const builds = [{ label: 'this build', dir: DEFAULT_CLIENT_DIST_DIR }];
if (values['compare-dist']) builds.push({ label: `compare (${values['compare-dist']})`, dir: path.resolve(values['compare-dist']) });
for (const build of builds) {
  if (!existsSync(path.join(build.dir, 'index.html'))) {
    console.error(`bench:client serves a built client: run npm run build first (${build.dir} has no index.html)`);
    process.exit(2);
  }
}
const { db, config, databaseName } = await openProvinceBenchDatabase('bench:client', SEGMENTS);
const fmt = (value: number, digits = 1) => value.toLocaleString('en-US', { maximumFractionDigits: digits });
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
await createUser(db.pool, { username: USERNAME, role: 'officer', jurisdictionCode: '410000', password: PASSWORD, skipPasswordRules: true } as never).catch(() => undefined);
const counts = await db.pool.query<{ segments: number; zones: number; violations: number }>(
  'SELECT (SELECT count(*) FROM segments)::integer AS segments, (SELECT count(*) FROM protection_zones)::integer AS zones, (SELECT count(*) FROM violations)::integer AS violations',
);

interface BuildRun {
  label: string;
  baseUrl: string;
  server: ReturnType<ReturnType<typeof createApp>['listen']>;
  readyTimes: number[];
  idleTimes: number[];
  frames: number[];
}
const variants: BuildRun[] = [];
for (const build of builds) {
  const server = createApp({ db, config, clientDistDir: build.dir }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  variants.push({ label: build.label, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, readyTimes: [], idleTimes: [], frames: [] });
}
const baseUrl = variants[0]!.baseUrl;
console.log(
  `Luyu client benchmark: ${fmt(counts.rows[0]!.segments)} segments, ${fmt(counts.rows[0]!.zones)} zones, ${fmt(counts.rows[0]!.violations)} violations; ` +
    `database ${databaseName}; province officer (410000); Chromium --headless --disable-gpu (software rendering); load ${load()}`,
);

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const browser = await chromium.launch({
  executablePath: process.env.LUYU_E2E_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const tileUrls = new Set<string>();
try {
  for (let run = 0; run < RUNS; run += 1) {
    // Alternating which build goes first, so neither always meets the warmer (or busier) machine.
    for (const variant of run % 2 === 0 ? variants : [...variants].reverse()) {
      const { readyTimes, idleTimes, frames } = variant;
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      const trace: { url: string; startMs: number; endMs?: number }[] = [];
      let started = Number.POSITIVE_INFINITY;
      page.on('request', (request) => {
        if (run === 0 && variant === variants[0] && request.url().includes('/api/v1/tiles/') && request.url().endsWith('.mvt')) tileUrls.add(request.url());
        if (values.trace && run === 0 && Date.now() >= started) trace.push({ url: request.url(), startMs: Date.now() - started });
      });
      page.on('requestfinished', (request) => {
        const entry = trace.find((candidate) => candidate.url === request.url() && candidate.endMs === undefined);
        if (entry) entry.endMs = Date.now() - started;
      });
      // Every wait is bounded and says which step of which build it was: a build that never gets
      // its map ready (an older client on this data) fails the run with a message, never hangs.
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      const step = async <T>(name: string, action: () => Promise<T>): Promise<T> => {
        try {
          return await action();
        } catch (error) {
          throw new Error(`bench:client: ${variant.label}, run ${run + 1}: ${name} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        }
      };
      await step('opening the login page', () => page.goto(`${variant.baseUrl}/login?next=%2F`));
      await step('filling the login form', async () => {
        await page.locator('input[name="username"]').fill(USERNAME);
        await page.locator('input[name="password"]').fill(PASSWORD);
      });
      // A person types for seconds: the login page's service worker has precached the app's chunks
      // by the time they press Enter. Without this wait the precache (3 MB) races the start and the
      // figure depends on how fast the bench types. A build without a service worker goes on at once.
      await step('waiting for the service worker', () =>
        page.evaluate(`(async () => {
          if (!('serviceWorker' in navigator)) return;
          // Registered on the load event: give it a moment to appear before deciding there is none.
          let registration;
          for (let waited = 0; !registration && waited < 2000; waited += 100) {
            registration = await navigator.serviceWorker.getRegistration();
            if (!registration) await new Promise((resolve) => setTimeout(resolve, 100));
          }
          if (!registration) return;
          await Promise.race([navigator.serviceWorker.ready, new Promise((resolve) => setTimeout(resolve, 10000))]);
        })()`),
      );
      started = Date.now();
      await page.locator('input[name="password"]').press('Enter');
      await step('waiting for data-map-ready', () => page.locator('[data-map-ready="true"]').waitFor({ timeout: READY_TIMEOUT_MS }));
      readyTimes.push(Date.now() - started);
      await step('waiting for data-map-idle', () => page.locator('[data-map-idle="true"]').waitFor({ timeout: READY_TIMEOUT_MS }));
      idleTimes.push(Date.now() - started);
      console.log(`  run ${run + 1}/${RUNS}, ${variant.label}: map ready ${fmt(readyTimes.at(-1)!, 0)} ms, at rest ${fmt(idleTimes.at(-1)!, 0)} ms after login; load ${load()}`);
      if (values.trace && run === 0) printTrace(variant.label, trace, readyTimes.at(-1)!);
      // To look at what was measured: the first map of each build as it stood when ready.
      if (values.screenshots && run === 0) await page.screenshot({ path: path.join(values.screenshots, `client_province_${variants.indexOf(variant)}.png`) });

      const box = (await page.locator('[data-map-ready="true"]').boundingBox())!;
      // A string, not a function: tsx's keepNames would wrap a function's inner names in __name(),
      // which the page does not have.
      await page.evaluate(`(() => {
        const state = { last: performance.now(), intervals: [], on: true };
        window.__luyuFrames = state;
        const tick = (now) => {
          state.intervals.push(now - state.last);
          state.last = now;
          if (state.on) requestAnimationFrame(tick);
        };
        requestAnimationFrame((now) => { state.last = now; requestAnimationFrame(tick); });
      })()`);
      const centreX = box.x + box.width / 2;
      const centreY = box.y + box.height / 2;
      for (let pan = 0; pan < PANS; pan += 1) {
        const direction = pan % 2 === 0 ? 1 : -1;
        await page.mouse.move(centreX - 160 * direction, centreY);
        await page.mouse.down();
        await page.mouse.move(centreX + 160 * direction, centreY + 40 * direction, { steps: 24 });
        await page.mouse.up();
      }
      const intervals = await page.evaluate(() => {
        const state = (window as unknown as { __luyuFrames: { intervals: number[]; on: boolean } }).__luyuFrames;
        state.on = false;
        return state.intervals;
      });
      frames.push(...intervals);
      await context.close();
    }
  }
} finally {
  await browser.close();
}

// The floor: the first view's tiles over plain HTTP with the same session (no browser work).
const login = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: USERNAME, password: PASSWORD }) });
const cookie = (login.headers.getSetCookie?.() ?? []).map((entry) => entry.split(';')[0]).join('; ');
const floorStarted = performance.now();
await Promise.all([...tileUrls].map(async (tile) => (await fetch(tile, { headers: { cookie, 'accept-encoding': 'gzip' } })).arrayBuffer()));
const floorMs = performance.now() - floorStarted;

for (const { label, readyTimes, idleTimes, frames } of variants) {
  readyTimes.sort((a, b) => a - b);
  idleTimes.sort((a, b) => a - b);
  frames.sort((a, b) => a - b);
  if (variants.length > 1) console.log(`— ${label}`);
  console.log(`first rendered map after login (data-map-ready), ${RUNS} runs: median ${fmt(quantile(readyTimes, 0.5), 0)} ms; all ${readyTimes.map((v) => fmt(v, 0)).join(' / ')} ms (target ≤ 2,000)`);
  console.log(`map at rest after login (data-map-idle): median ${fmt(quantile(idleTimes, 0.5), 0)} ms; all ${idleTimes.map((v) => fmt(v, 0)).join(' / ')} ms`);
  console.log(
    `pan frame time over ${fmt(frames.length, 0)} frames (${PANS} drags × ${RUNS} runs): p50 ${fmt(quantile(frames, 0.5))} ms, p95 ${fmt(quantile(frames, 0.95))} ms, p99 ${fmt(quantile(frames, 0.99))} ms (target p95 ≤ 50)`,
  );
}
if (variants.length > 1) {
  const [mine, other] = variants as [BuildRun, BuildRun];
  const ratio = (a: number[], b: number[]) => fmt(quantile(a, 0.5) / quantile(b, 0.5), 2);
  console.log(`side by side (median this build / median compare): first rendered map ${ratio(mine.readyTimes, other.readyTimes)}, at rest ${ratio(mine.idleTimes, other.idleTimes)}, pan frame p50 ${ratio(mine.frames, other.frames)}`);
}
console.log(`floor: the first view's ${tileUrls.size} tiles fetched at once over HTTP without a browser: ${fmt(floorMs, 0)} ms; load ${load()}`);
for (const variant of variants) variant.server.close();
await db.close();

/** The start's requests in the order they began (tiles as one line per layer: count, first start, last end). */
function printTrace(label: string, trace: { url: string; startMs: number; endMs?: number }[], readyMs: number): void {
  console.log(`trace of the first run (${label}), ms after Enter; map ready at ${fmt(readyMs, 0)}:`);
  const tiles = new Map<string, { count: number; firstStart: number; lastEnd: number }>();
  for (const entry of trace) {
    const url = new URL(entry.url);
    const tile = /^\/api\/v1\/tiles\/([a-z_]+)\/\d+/.exec(url.pathname);
    if (tile) {
      const summary = tiles.get(tile[1]!) ?? { count: 0, firstStart: entry.startMs, lastEnd: 0 };
      summary.count += 1;
      summary.lastEnd = Math.max(summary.lastEnd, entry.endMs ?? Number.NaN);
      tiles.set(tile[1]!, summary);
      continue;
    }
    console.log(`  ${String(entry.startMs).padStart(6)} → ${String(entry.endMs ?? '…').padStart(6)}  ${url.pathname}${url.search.length > 60 ? `${url.search.slice(0, 60)}…` : url.search}`);
  }
  for (const [layer, summary] of tiles) console.log(`  ${String(summary.firstStart).padStart(6)} → ${String(summary.lastEnd).padStart(6)}  ${summary.count} ${layer} tiles`);
}
