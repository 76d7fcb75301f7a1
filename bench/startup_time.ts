/**
 * `npm run bench:startup`: seconds from `node server/index.ts` to a usable map (the page and a
 * segments query answer), on a fresh embedded database, then again on the persisted one (warm).
 * Pass --cold-client to also delete client/dist first, as on a fresh clone.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../server/config.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function usable(baseUrl: string): Promise<boolean> {
  try {
    const [page, segments] = await Promise.all([fetch(baseUrl), fetch(`${baseUrl}/api/v1/segments?limit=1`)]);
    return page.ok && (segments.ok || segments.status === 401);
  } catch {
    return false;
  }
}

async function timeStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const startedAt = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LUYU_DATA_DIR: dataDir, LUYU_LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    while (!(await usable(`http://127.0.0.1:${port}`))) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      if (performance.now() - startedAt > 300_000) throw new Error('not usable after 300 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return (performance.now() - startedAt) / 1000;
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

if (process.argv.includes('--cold-client')) rmSync(path.join(REPO_ROOT, 'client', 'dist'), { recursive: true, force: true });
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'luyu-bench-startup-'));
try {
  const coldSeconds = await timeStart(dataDir);
  const warmSeconds = await timeStart(dataDir);
  console.log(`first start to a usable map: ${coldSeconds.toFixed(1)} s (fresh embedded database${process.argv.includes('--cold-client') ? ', client built too' : ''})`);
  console.log(`warm restart:                ${warmSeconds.toFixed(1)} s (persisted database)`);
  console.log(`ratio warm/cold:             ${(warmSeconds / coldSeconds).toFixed(2)}`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
