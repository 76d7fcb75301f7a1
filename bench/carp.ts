/**
 * `npm run bench:carp [-- --seconds 10 --seed 1]`: solves every CARPLIB instance in ../shared/data/carp
 * (the repository's sibling folder) and prints per instance the cost, the HGS-CARP reference from
 * reference.csv, the ratio, and the geometric mean of the ratios per set (gdb, val, any other).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseCarpInstance } from '../server/patrols/planner/carp_instance.ts';
import { solveCarp } from '../server/patrols/planner/carp_solve.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, seed: { type: 'string', default: '1' }, dir: { type: 'string' } } });
const seconds = Number(values.seconds);
const seed = Number(values.seed);
// CI clones the repository beside `shared/`; a git worktree elsewhere can point at it with LUYU_SHARED_DIR.
const directory = values.dir ?? path.join(process.env.LUYU_SHARED_DIR ?? path.resolve(import.meta.dirname, '..', '..', 'shared'), 'data', 'carp');
const reference = new Map<string, number>();
for (const line of readFileSync(path.join(directory, 'reference.csv'), 'utf8').trim().split('\n').slice(1)) {
  const cells = line.split(',');
  reference.set(cells[0]!, Number(cells[cells.length - 1]));
}
const setOf = (name: string): string => (name.startsWith('gdb') ? 'gdb' : /^\d+[A-D]$/.test(name) ? 'val' : 'other');
const files = readdirSync(directory)
  .filter((file) => file.endsWith('.dat'))
  .sort((a, b) => setOf(a).localeCompare(setOf(b)) || a.localeCompare(b, 'en', { numeric: true }));
const ratios = new Map<string, number[]>();
let worst = { name: '', ratio: 0 };
console.log(`bench:carp — ${files.length} instances, ${seconds} s each, seed ${seed}`);
console.log('instance   cost     HGS-CARP  ratio   seconds');
for (const file of files) {
  const name = file.replace(/\.dat$/, '');
  const solution = solveCarp(parseCarpInstance(readFileSync(path.join(directory, file), 'utf8')), { seconds, seed });
  const peer = reference.get(name);
  const ratio = peer ? solution.cost / peer : Number.NaN;
  if (Number.isFinite(ratio)) {
    const set = setOf(name);
    ratios.set(set, [...(ratios.get(set) ?? []), ratio]);
    if (ratio > worst.ratio) worst = { name, ratio };
  }
  console.log(`${name.padEnd(10)} ${String(solution.cost).padStart(6)}  ${String(peer ?? '-').padStart(8)}  ${Number.isFinite(ratio) ? ratio.toFixed(4) : '   -  '}  ${solution.seconds.toFixed(1).padStart(6)}`);
}
console.log('');
for (const [set, list] of ratios) {
  const geometricMean = Math.exp(list.reduce((sum, ratio) => sum + Math.log(ratio), 0) / list.length);
  const atReference = list.filter((ratio) => ratio <= 1 + 1e-9).length;
  console.log(`${set.padEnd(6)} geometric mean ratio ${geometricMean.toFixed(4)} over ${list.length} instances (${atReference} at or below the reference, max ${Math.max(...list).toFixed(4)})`);
}
console.log(`worst instance ${worst.name} ratio ${worst.ratio.toFixed(4)}`);
