import { readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLIENT_DIST_DIR = path.join(REPO_ROOT, 'client', 'dist');

/** What goes into the bundle: the client and the isomorphic domain rules it imports. */
const BUILD_INPUTS = [
  path.join(REPO_ROOT, 'client', 'src'),
  path.join(REPO_ROOT, 'client', 'index.html'),
  path.join(REPO_ROOT, 'client', 'vite.config.ts'),
  path.join(REPO_ROOT, 'server', 'domain'),
];

/**
 * Builds client/dist with Vite's JS API when it is missing or older than any source file, so
 * the browser test always runs the code in the working tree. Returns the dist directory. In CI the
 * build made up front (LUYU_E2E_CLIENT_DIST) is used and client/dist is never looked at.
 */
export async function ensureClientBuilt(): Promise<string> {
  // CI builds the client once, up front, into a fresh directory of its own: use exactly that build.
  const prebuilt = process.env.LUYU_E2E_CLIENT_DIST;
  if (prebuilt) {
    if (!existsSync(path.join(prebuilt, 'index.html'))) throw new Error(`LUYU_E2E_CLIENT_DIST=${prebuilt} has no index.html: build the client first`);
    return prebuilt;
  }
  if (process.env.CI) throw new Error('CI must build the client once up front and name it in LUYU_E2E_CLIENT_DIST (see .ci/run), not reuse client/dist');
  const indexHtml = path.join(CLIENT_DIST_DIR, 'index.html');
  const builtAt = existsSync(indexHtml) ? statSync(indexHtml).mtimeMs : 0;
  const newestInput = Math.max(...BUILD_INPUTS.map(newestMtime));
  if (builtAt > newestInput) return CLIENT_DIST_DIR;

  const { build } = await import('vite');
  const startedAt = performance.now();
  await build({ configFile: path.join(REPO_ROOT, 'client', 'vite.config.ts'), logLevel: 'warn' });
  console.log(`[e2e] client built into client/dist in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  return CLIENT_DIST_DIR;
}

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}
