/**
 * Runs the solver in a worker thread so a 10-second plan never blocks the server's event loop
 * (requests, progress polling). Receives {problem, options}; posts progress and the plan.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { planPatrols } from '../patrols/planner/patrol_plan.ts';
import type { PatrolPlanOptions, PatrolProblem } from '../patrols/planner/patrol_types.ts';

const { problem, options } = workerData as { problem: PatrolProblem; options: Omit<PatrolPlanOptions, 'signal' | 'onProgress'> };
let lastReported = -1;
const plan = planPatrols(problem, {
  ...options,
  onProgress: (fraction) => {
    const percent = Math.floor(fraction * 100);
    if (percent === lastReported) return;
    lastReported = percent;
    parentPort!.postMessage({ type: 'progress', fraction });
  },
});
parentPort!.postMessage({ type: 'plan', plan });
