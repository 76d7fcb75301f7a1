/**
 * `npm run measure:map-start`: what the review map's start downloads, from the browser's network
 * events (wire = encoded body + headers as Chromium reports them through Playwright; tiles are
 * fetched by MapLibre's workers, whose resource-timing entries the page's performance API does
 * not list, so the network events are the complete count; decoded = body after decompression), in
 * a headless Chromium logged in as the demo officer, until the map is ready and idle.
 * Needs a built client (npm run build) and DATABASE_URL with the demo loaded (npm run db:reset).
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { createApp, DEFAULT_CLIENT_DIST_DIR } from '../server/app.ts';
import { readConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';

const config = readConfig();
if (!config.DATABASE_URL) throw new Error('Set DATABASE_URL to a database with the demo loaded');
const db = await openDatabase(config.DATABASE_URL, config.DATABASE_READ_URL);
const app = createApp({ db, config: { ...config, NODE_ENV: 'test' }, clientDistDir: DEFAULT_CLIENT_DIST_DIR });
const server = app.listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath: process.env.LUYU_E2E_CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const finished: Promise<{ name: string; transfer: number; decoded: number }>[] = [];
  page.on('requestfinished', (request) => {
    finished.push(
      (async () => {
        const sizes = await request.sizes();
        const body = await (await request.response())?.body().catch(() => Buffer.alloc(0));
        return { name: request.url(), transfer: sizes.responseBodySize + sizes.responseHeadersSize, decoded: body?.length ?? 0 };
      })(),
    );
  });
  await page.goto(`${baseUrl}/`);
  await page.waitForURL(/\/login\?next=/);
  await page.locator('input[name="username"]').fill('officer');
  await page.locator('input[name="password"]').fill('luyu-demo');
  const started = Date.now();
  await page.locator('input[name="password"]').press('Enter');
  await page.locator('[data-map-ready="true"]').waitFor({ timeout: 90_000 });
  const readyMs = Date.now() - started;
  await page.locator('[data-map-idle="true"]').waitFor({ timeout: 90_000 });
  const zoom = await page.evaluate(() => new URL(window.location.href).searchParams.get('z') ?? new URL(window.location.href).hash);
  const entries = (await Promise.all(finished)).filter((entry) => !entry.name.startsWith('data:') && !entry.name.startsWith('blob:'));
  const groups = new Map<string, { count: number; transfer: number; decoded: number }>();
  for (const entry of entries) {
    const url = new URL(entry.name);
    const key = url.pathname.startsWith('/api/v1/tiles/') ? url.pathname.split('/').slice(0, 5).join('/') : url.pathname.startsWith('/api/') ? url.pathname : path.extname(url.pathname) || url.pathname;
    const group = groups.get(key) ?? { count: 0, transfer: 0, decoded: 0 };
    group.count += 1;
    group.transfer += entry.transfer;
    group.decoded += entry.decoded;
    groups.set(key, group);
  }
  const rows = [...groups.entries()].sort((a, b) => b[1].transfer - a[1].transfer);
  for (const [key, group] of rows) console.log(`${key.padEnd(40)} ${String(group.count).padStart(4)} requests ${String(group.transfer).padStart(10)} B wire ${String(group.decoded).padStart(10)} B decoded`);
  const total = rows.reduce((sum, [, group]) => ({ transfer: sum.transfer + group.transfer, decoded: sum.decoded + group.decoded }), { transfer: 0, decoded: 0 });
  const api = rows.filter(([key]) => key.startsWith('/api/')).reduce((sum, [, group]) => ({ transfer: sum.transfer + group.transfer, decoded: sum.decoded + group.decoded }), { transfer: 0, decoded: 0 });
  console.log(`total: ${total.transfer} B on the wire, ${total.decoded} B decoded; API: ${api.transfer} B wire, ${api.decoded} B decoded; map ready ${readyMs} ms after login, view ${zoom} (load average ${(await import('node:os')).loadavg().map((n) => n.toFixed(2)).join(' ')})`);
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
  await db.close();
}
