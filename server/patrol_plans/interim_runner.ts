/**
 * INTERIM until the job queue of server/jobs (issue 9, g9-infra) is on main: runs a plan's
 * generation in this process right after the request commits, with the same PlanJobContext a
 * queued job gets. The solving itself runs on a worker thread (solve_in_worker.ts). Replacing
 * this file is the whole switch: enqueueJob(db, PLAN_JOB_KIND, {planId}) in the route and
 * queue.register(PLAN_JOB_KIND, (job) => generatePlan(job, job.payload.planId, config)).
 * What this lacks against the queue: a restart loses a running generation (the plan stays
 * 'generating'), no retries.
 */
import type pg from 'pg';
import type { AppConfig } from '../config.ts';
import { generatePlan } from './generate_plan.ts';

const running = new Set<Promise<unknown>>();
const controllers = new Set<AbortController>();

export function startPlanGeneration(pool: pg.Pool, planId: number, config: Pick<AppConfig, 'LUYU_PATROL_SPEEDS_KMH'>, logger?: { error: (object: unknown, message: string) => void }): void {
  const controller = new AbortController();
  controllers.add(controller);
  const work = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => generatePlan({ pool, signal: controller.signal, progress: async () => undefined }, planId, config))
    .catch((error: unknown) => logger?.error({ err: error, planId }, 'patrol plan generation failed'))
    .finally(() => {
      controllers.delete(controller);
      running.delete(work);
    });
  running.add(work);
}

/** Waits until no generation is running (tests, shutdown). */
export async function plansIdle(): Promise<void> {
  while (running.size > 0) await Promise.all([...running]);
}

/** Stops running generations (server shutdown). */
export async function stopPlanGenerations(): Promise<void> {
  for (const controller of controllers) controller.abort();
  await plansIdle();
}
