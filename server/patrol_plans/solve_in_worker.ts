import { Worker } from 'node:worker_threads';
import type { PatrolPlan, PatrolPlanOptions, PatrolProblem } from '../patrols/planner/patrol_types.ts';

/**
 * planPatrols on a worker thread. The worker loads the TypeScript sources through tsx (as
 * `npm start` does); aborting `signal` terminates it.
 */
export function solveInWorker(
  problem: PatrolProblem,
  options: Omit<PatrolPlanOptions, 'signal' | 'onProgress'>,
  control: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
): Promise<PatrolPlan> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./plan_worker_entry.mjs', import.meta.url), { workerData: { problem, options } });
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      control.signal?.removeEventListener('abort', onAbort);
      action();
    };
    const onAbort = () => finish(() => {
      void worker.terminate();
      reject(new Error('plan generation aborted'));
    });
    control.signal?.addEventListener('abort', onAbort);
    worker.on('message', (message: { type: 'progress'; fraction: number } | { type: 'plan'; plan: PatrolPlan }) => {
      if (message.type === 'progress') control.onProgress?.(message.fraction);
      else finish(() => resolve(message.plan));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`plan worker exited with code ${code}`))));
  });
}
