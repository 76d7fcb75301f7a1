/**
 * `npm run plan:carp -- FILE.dat [--seconds 10] [--seed 1]`: solves one CARPLIB instance and
 * prints {"instance","cost","seconds","routes":[[{"from","to","serve"},…],…]} — each route the
 * explicit walk over the instance's edges from the depot back to it.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseCarpInstance } from '../server/patrols/planner/carp_instance.ts';
import { solveCarp } from '../server/patrols/planner/carp_solve.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seconds: { type: 'string', default: '10' }, seed: { type: 'string', default: '1' } },
});
const file = positionals[0];
const seconds = Number(values.seconds);
const seed = Number(values.seed);
if (!file || !(seconds >= 0) || !Number.isInteger(seed)) {
  process.stderr.write('usage: npm run plan:carp -- FILE.dat [--seconds 10] [--seed 1]\n');
  process.exit(2);
}
const solution = solveCarp(parseCarpInstance(readFileSync(file, 'utf8')), { seconds, seed });
process.stdout.write(
  `${JSON.stringify({ instance: solution.instance, cost: solution.cost, seconds: Number(solution.seconds.toFixed(3)), routes: solution.routes })}\n`,
);
