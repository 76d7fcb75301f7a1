/**
 * npm run test:mutation, part 1: StrykerJS over server/domain ONE MODULE AT A TIME. Each module is
 * mutated alone and only the unit tests that import it (vitest `related`) take part, with its own
 * incremental file and report in reports/mutation/domain/, so a re-run re-tests only the mutants of
 * changed code, one module can be re-run alone, and a stopped run keeps every finished module.
 * Usage: node --import tsx scripts/mutation_run.ts [stake zones …] [--force] [--concurrency=2]
 * (no names: every server/domain/*.ts; options starting with -- go to `stryker run`). Then
 * `node --import tsx scripts/mutation_summary.ts` prints the per-module table.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const DOMAIN_DIR = 'server/domain';
const REPORT_DIR = 'reports/mutation/domain';

const args = process.argv.slice(2);
const strykerOptions = args.filter((arg) => arg.startsWith('--'));
const names = args.filter((arg) => !arg.startsWith('--')).map((arg) => path.basename(arg, '.ts'));
const modules = names.length > 0 ? names : readdirSync(DOMAIN_DIR).filter((file) => file.endsWith('.ts')).map((file) => path.basename(file, '.ts')).sort();

const base = JSON.parse(readFileSync('stryker.config.json', 'utf8')) as Record<string, unknown>;
mkdirSync(REPORT_DIR, { recursive: true });
// The per-module configuration lives outside the repository: Stryker copies the working tree into
// its sandbox and a config file inside it would count as a changed file.
const configDir = mkdtempSync(path.join(tmpdir(), 'luyu-stryker-'));
const timings: string[] = [];
let failed = false;
try {
  for (const name of modules) {
    const config = {
      ...base,
      mutate: [`${DOMAIN_DIR}/${name}.ts`],
      incrementalFile: `${REPORT_DIR}/${name}.incremental.json`,
      jsonReporter: { fileName: `${REPORT_DIR}/${name}.json` },
      reporters: ['clear-text', 'json'],
    };
    const configFile = path.join(configDir, `${name}.json`);
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const startedMs = Date.now();
    const run = spawnSync('npx', ['stryker', 'run', configFile, ...strykerOptions], { stdio: 'inherit' });
    const seconds = Math.round((Date.now() - startedMs) / 1000);
    timings.push(`${name}: ${seconds} s${run.status === 0 ? '' : ` (exit ${run.status})`}`);
    if (run.status !== 0) failed = true;
  }
} finally {
  rmSync(configDir, { recursive: true, force: true });
}
console.log(`\nWall-clock per module:\n${timings.join('\n')}`);
process.exit(failed ? 1 : 0);
