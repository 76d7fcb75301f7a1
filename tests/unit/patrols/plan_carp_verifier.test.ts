/**
 * Verifies `npm run plan:carp` output on a sample of the shared CARPLIB instances with a checker
 * that shares nothing with the solver: its own parsing of the .dat file and its own checks —
 * every required edge served exactly once, each walk continuous from the depot back to it over
 * edges that exist, capacity respected, and the cost recomputed from the walk equal to the one
 * reported (and never below the instance's postman lower bound in reference.csv).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repositoryRoot = path.resolve(import.meta.dirname, '..', '..', '..');
// CI clones the repository beside `shared/`; a git worktree elsewhere can point at it explicitly.
const sharedDirectory = process.env.LUYU_SHARED_DIR ?? path.resolve(repositoryRoot, '..', 'shared');
const instanceDirectory = path.join(sharedDirectory, 'data', 'carp');
const SAMPLE = ['gdb1', 'gdb8', '4D', '10C'];

interface CheckedInstance {
  depot: number;
  capacity: number;
  /** key "a-b" with a < b → list of {cost, demand, required}. */
  edges: Map<string, { cost: number; demand: number; required: boolean }[]>;
  requiredCount: number;
}

function readInstance(text: string): CheckedInstance {
  const number = (key: string): number => {
    const match = new RegExp(`${key}\\s*:\\s*(\\d+)`).exec(text);
    if (!match) throw new Error(`missing ${key}`);
    return Number(match[1]);
  };
  const edges = new Map<string, { cost: number; demand: number; required: boolean }[]>();
  const optionalAt = text.indexOf('LISTA_ARISTAS_NOREQ');
  let requiredCount = 0;
  for (const match of text.matchAll(/\(\s*(\d+)\s*,\s*(\d+)\s*\)\s*coste\s+(\d+)(?:\s+demanda\s+(\d+))?/g)) {
    const a = Number(match[1]);
    const b = Number(match[2]);
    const required = optionalAt < 0 || (match.index ?? 0) < optionalAt;
    if (required) requiredCount += 1;
    const key = `${Math.min(a, b)}-${Math.max(a, b)}`;
    edges.set(key, [...(edges.get(key) ?? []), { cost: Number(match[3]), demand: Number(match[4] ?? 0), required }]);
  }
  expect(requiredCount).toBe(number('ARISTAS_REQ'));
  return { depot: number('DEPOSITO'), capacity: number('CAPACIDAD'), edges, requiredCount };
}

function postmanBound(name: string): number {
  const line = readFileSync(path.join(instanceDirectory, 'reference.csv'), 'utf8')
    .split('\n')
    .find((row) => row.startsWith(`${name},`));
  if (!line) throw new Error(`no reference line for ${name}`);
  return Number(line.split(',')[4]);
}

describe('plan:carp output checked by an independent verifier', () => {
  it('finds the shared CARPLIB instances (a missing ../shared is a failure, not a skip)', () => {
    expect(existsSync(instanceDirectory), `CARP instances expected at ${instanceDirectory} (set LUYU_SHARED_DIR)`).toBe(true);
  });

  it.each(SAMPLE)('%s: a valid plan whose reported cost is the walk cost', (name) => {
    const file = path.join(instanceDirectory, `${name}.dat`);
    expect(existsSync(file), `missing ${file}`).toBe(true);
    const instance = readInstance(readFileSync(file, 'utf8'));
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/plan_carp.ts', file, '--seconds', '1', '--seed', '3'], {
      cwd: repositoryRoot,
      encoding: 'utf8',
    });
    const plan = JSON.parse(output) as { instance: string; cost: number; seconds: number; routes: { from: number; to: number; serve: boolean }[][] };
    expect(typeof plan.instance).toBe('string');
    expect(plan.seconds).toBeGreaterThan(0);
    const served = new Map<string, number>();
    let walked = 0;
    for (const route of plan.routes) {
      expect(route.length).toBeGreaterThan(0);
      expect(route[0]!.from).toBe(instance.depot);
      expect(route[route.length - 1]!.to).toBe(instance.depot);
      let load = 0;
      route.forEach((step, index) => {
        if (index > 0) expect(step.from, `walk breaks at step ${index}`).toBe(route[index - 1]!.to);
        const key = `${Math.min(step.from, step.to)}-${Math.max(step.from, step.to)}`;
        const parallel = instance.edges.get(key);
        expect(parallel, `edge ${key} does not exist`).toBeDefined();
        if (step.serve) {
          // With parallel edges, serve them in file order; demand counts toward this route.
          const times = served.get(key) ?? 0;
          const requiredCopies = parallel!.filter((edge) => edge.required);
          expect(times, `edge ${key} served more often than it is required`).toBeLessThan(requiredCopies.length);
          served.set(key, times + 1);
          load += requiredCopies[times]!.demand;
          walked += requiredCopies[times]!.cost;
        } else {
          walked += Math.min(...parallel!.map((edge) => edge.cost));
        }
      });
      expect(load).toBeLessThanOrEqual(instance.capacity);
    }
    for (const [key, parallel] of instance.edges) {
      expect(served.get(key) ?? 0, `required edge ${key}`).toBe(parallel.filter((edge) => edge.required).length);
    }
    expect(plan.cost).toBe(walked);
    expect(plan.cost).toBeGreaterThanOrEqual(postmanBound(name));
  });
});
