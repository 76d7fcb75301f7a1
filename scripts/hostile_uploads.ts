/**
 * `npm run bench:hostile [-- --repo <checkout>] [-- --label <name>]`: starts the server of a
 * checkout (default: this one) as a child process on a throwaway database of DATABASE_URL, uploads
 * each hostile file of issue 9 and prints, per file, the child's peak RSS, the slowest /health
 * answer while the upload was handled (asked every 100 ms, 5 s timeout each) and how it ended.
 * A server that stops answering for the case's budget (or dies) is killed and restarted.
 * Run it on an old checkout and on this one to compare (docs/operations.md shows a result).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { corruptPng, flatGeobufMagicAndZeros, manyRowXlsx, nullGeometryGeoJson, truncatedMultipart, zipBombShapefile } from './hostile_files.ts';

const argument = (name: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
};
const repo = path.resolve(argument('repo') ?? process.cwd());
const label = argument('label') ?? path.basename(repo);
const CASE_BUDGET_MILLISECONDS = Number(argument('budget-seconds') ?? 120) * 1000;
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error('Set DATABASE_URL to a PostgreSQL server with PostGIS (a throwaway database is created on it)');

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

const rssMegabytes = (pid: number): number | null => {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
};

interface Running {
  child: ChildProcess;
  baseUrl: string;
  token: string;
}

async function startServer(databaseUrl: string): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: repo,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LUYU_LOG_LEVEL: 'warn', NODE_ENV: 'development' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`the server of ${repo} exited with ${child.exitCode}`);
    const health = await fetch(`${baseUrl}/api/v1/health`).catch(() => null);
    if (health?.ok) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'officer', password: 'luyu-demo' }) });
  const { token } = (await login.json()) as { token: string };
  return { child, baseUrl, token };
}

interface Case {
  name: string;
  build: () => Buffer;
  send: (running: Running, bytes: Buffer) => Promise<string>;
}

function detectionForm(bytes: Buffer, fileName: string): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries({ source: 'GF-2', beforeDate: '2026-02-01', afterDate: '2026-03-01', crs: 'WGS84', sensor: randomBytes(4).toString('hex') })) form.append(key, value);
  form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
  return form;
}

async function uploadDetections(running: Running, bytes: Buffer, fileName: string): Promise<string> {
  const response = await fetch(`${running.baseUrl}/api/v1/detection-batches`, { method: 'POST', headers: { authorization: `Bearer ${running.token}` }, body: detectionForm(bytes, fileName) });
  const body = (await response.json()) as { id?: number; error?: { code: string } };
  if (response.status !== 202 || body.id === undefined) return `${response.status} ${body.error?.code ?? ''}`;
  for (;;) {
    const batch = await fetch(`${running.baseUrl}/api/v1/detection-batches/${body.id}`, { headers: { authorization: `Bearer ${running.token}` } });
    const report = (await batch.json()) as { status: string; failureReason: string | null };
    if (report.status === 'done' || report.status === 'failed') return `batch ${report.status}: ${(report.failureReason ?? '').slice(0, 60)}`;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function postForm(running: Running, route: string, form: FormData): Promise<string> {
  const response = await fetch(`${running.baseUrl}/api/v1${route}`, { method: 'POST', headers: { authorization: `Bearer ${running.token}` }, body: form });
  const body = (await response.json().catch(() => ({}))) as { error?: { code: string } };
  return `${response.status} ${body.error?.code ?? ''}`.trim();
}

const CASES: Case[] = [
  { name: 'fgb magic + 100 zero bytes (104 B)', build: flatGeobufMagicAndZeros, send: (running, bytes) => uploadDetections(running, bytes, 'zeros.fgb') },
  { name: 'zip: .shp inflating to 1 GiB, no .dbf (1 MB)', build: () => zipBombShapefile(1024), send: (running, bytes) => uploadDetections(running, bytes, 'bomb.zip') },
  { name: 'GeoJSON of null geometries (190 MB)', build: () => nullGeometryGeoJson(190), send: (running, bytes) => uploadDetections(running, bytes, 'nulls.geojson') },
  {
    name: 'xlsx of 2,000,000 rows (16 MB)',
    build: () => manyRowXlsx(2_000_000),
    send: (running, bytes) => {
      const form = new FormData();
      form.append('datum', 'WGS84');
      form.append('file', new Blob([new Uint8Array(bytes)]), 'rows.xlsx');
      return postForm(running, '/violation-imports', form);
    },
  },
  {
    name: 'malformed multipart',
    build: () => truncatedMultipart().body,
    send: async (running, bytes) => {
      const response = await fetch(`${running.baseUrl}/api/v1/detection-batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${running.token}`, 'content-type': truncatedMultipart().contentType },
        body: new Uint8Array(bytes),
      });
      const body = (await response.json().catch(() => ({}))) as { error?: { code: string } };
      return `${response.status} ${body.error?.code ?? ''}`.trim();
    },
  },
  {
    name: 'corrupt PNG photo',
    build: corruptPng,
    send: (running, bytes) => {
      const form = new FormData();
      form.append('tag', 'before');
      form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'corrupt.png');
      return postForm(running, '/photos', form);
    },
  },
];

interface Row {
  name: string;
  peakRssMegabytes: number;
  slowestHealthMilliseconds: number;
  healthTimeouts: number;
  outcome: string;
  alive: boolean;
}

/**
 * The /health prober runs in its own process: the bench process builds and sends files of up to
 * 190 MB, and its own garbage collection must not count as the server's latency.
 */
const PROBER = `
let slowest = 0, timeouts = 0, stop = false;
process.on('message', () => { stop = true; });
(async () => {
  while (!stop) {
    const started = performance.now();
    const answered = await fetch(process.argv[1] + '/api/v1/health', { signal: AbortSignal.timeout(5000) }).then((r) => r.arrayBuffer()).then(() => true, () => false);
    slowest = Math.max(slowest, performance.now() - started);
    if (!answered) timeouts += 1;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.send({ slowest, timeouts }, () => process.exit(0));
})();`;

async function measure(running: Running, testCase: Case, bytes: Buffer): Promise<Row> {
  const pid = running.child.pid!;
  let peak = rssMegabytes(pid) ?? 0;
  const rssTimer = setInterval(() => {
    peak = Math.max(peak, rssMegabytes(pid) ?? 0);
  }, 100);
  const prober = spawn(process.execPath, ['-e', PROBER, running.baseUrl], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const probed = new Promise<{ slowest: number; timeouts: number }>((resolve) => prober.once('message', (message) => resolve(message as { slowest: number; timeouts: number })));
  // A keep-alive socket the server closed while the file was being built fails the first write
  // (EPIPE) before the server sees anything: that try is repeated once.
  const send = () =>
    testCase.send(running, bytes).catch((error: unknown) => {
      const cause = String((error as { cause?: { code?: string } }).cause?.code ?? '');
      if (cause === 'EPIPE' || cause === 'ECONNRESET' || cause === 'UND_ERR_SOCKET') return testCase.send(running, bytes);
      throw error;
    });
  const outcome = await Promise.race([
    send().catch((error: unknown) => `request failed: ${(error as Error).message.slice(0, 30)} ${String((error as { cause?: { code?: string } }).cause?.code ?? '')}`),
    new Promise<string>((resolve) => setTimeout(() => resolve(`no outcome within ${CASE_BUDGET_MILLISECONDS / 1000} s`), CASE_BUDGET_MILLISECONDS)),
    new Promise<string>((resolve) => running.child.once('exit', (code, signal) => resolve(`server died (${signal ?? code})`))),
  ]);
  prober.send('stop');
  const { slowest, timeouts } = await probed;
  clearInterval(rssTimer);
  const alive = running.child.exitCode === null && running.child.signalCode === null && (await fetch(`${running.baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(5000) }).then((response) => response.ok, () => false));
  return { name: testCase.name, peakRssMegabytes: peak, slowestHealthMilliseconds: slowest, healthTimeouts: timeouts, outcome, alive };
}

const databaseName = `luyu_hostile_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${databaseName}`);
const url = new URL(serverUrl);
url.pathname = `/${databaseName}`;
if (!existsSync(path.join(repo, 'client', 'dist', 'index.html'))) console.warn(`${repo}/client/dist is missing: the server builds the client first (slow)`);

const rows: Row[] = [];
let running = await startServer(url.toString());
try {
  for (const testCase of CASES) {
    const bytes = testCase.build();
    process.stderr.write(`${label}: ${testCase.name} …\n`);
    const row = await measure(running, testCase, bytes);
    rows.push(row);
    if (!row.alive) {
      running.child.kill('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 500));
      running = await startServer(url.toString());
    }
  }
} finally {
  running.child.kill('SIGKILL');
  await new Promise((resolve) => setTimeout(resolve, 500));
  await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin.end();
}

console.log(`\n${label} (${repo})\n`);
console.log('| hostile upload | peak RSS MB | slowest /health ms | /health timeouts (5 s) | outcome | alive after |');
console.log('|---|---:|---:|---:|---|---|');
for (const row of rows) {
  console.log(`| ${row.name} | ${row.peakRssMegabytes.toFixed(0)} | ${row.slowestHealthMilliseconds.toFixed(0)} | ${row.healthTimeouts} | ${row.outcome.replace(/\|/g, '/')} | ${row.alive ? 'yes' : 'NO (restarted)'} |`);
}
