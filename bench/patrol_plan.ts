/**
 * `npm run bench:plan [-- --seconds 10 --seed 1 --day 0]`: plans today's due roads of a generated
 * county (bench/county_network.ts) for 20 crews and prints, from one run: planning time, driven km
 * ÷ required km, the ratio to the lower bound, and longest ÷ shortest shift. Asserts nothing.
 */
import { parseArgs } from 'node:util';
import { planPatrols } from '../server/patrols/planner/patrol_plan.ts';
import { generateCountyNetwork } from './county_network.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, seed: { type: 'string', default: '1' }, day: { type: 'string', default: '0' } } });
const county = generateCountyNetwork(1, Number(values.day));
const { problem } = county;
const arcItems = problem.required.filter((item) => item.kind === 'arc').length;
console.log(`bench:plan — generated county: ${(county.roadMeters / 1000).toFixed(0)} km of road (${Object.entries(county.metersByClass).map(([name, meters]) => `${name} ${(meters / 1000).toFixed(0)}`).join(', ')} km), ${problem.network.nodeCount} nodes, ${problem.network.arcs.length} arcs`);
console.log(`due today (day ${values.day}): ${arcItems} road arcs, ${(county.requiredMeters / 1000).toFixed(1)} km, ${problem.required.length - arcItems} point tasks; ${problem.crews.length} crews, 8 h shifts`);
const started = performance.now();
const plan = planPatrols(problem, { seconds: Number(values.seconds), seed: Number(values.seed) });
const seconds = (performance.now() - started) / 1000;
const durations = plan.routes.map((route) => route.durationSeconds);
const used = durations.filter((duration) => duration > 0);
const served = plan.routes.reduce((sum, route) => sum + route.serviceMeters, 0);
console.log(`planning time ${seconds.toFixed(2)} s (search budget ${values.seconds} s)`);
console.log(`driven ${(plan.drivingMeters / 1000).toFixed(1)} km ÷ required ${(served / 1000).toFixed(1)} km = ${(plan.drivingMeters / served).toFixed(3)}`);
console.log(`lower bound ${(plan.lowerBoundMeters / 1000).toFixed(1)} km; driven ÷ lower bound = ${plan.ratioToLowerBound.toFixed(3)}`);
console.log(`shifts: longest ${(Math.max(...durations) / 3600).toFixed(2)} h, shortest ${(Math.min(...used) / 3600).toFixed(2)} h over ${used.length} crews with work; longest ÷ shortest = ${(Math.max(...durations) / Math.min(...used)).toFixed(3)}`);
console.log(`unassigned: ${plan.unassigned.length}${plan.unassigned.length ? ` (${[...new Set(plan.unassigned.map((item) => item.reason))].join(', ')})` : ''}`);
