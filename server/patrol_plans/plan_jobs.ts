/**
 * Plan generation on the job queue (server/jobs/): POST /patrol-plans and a re-plan enqueue one
 * `patrol_plan.generate` job in the request's transaction (it runs once that commits); a worker
 * runs generatePlan with the job's context (progress, cancellation on shutdown). A crash mid-way
 * leaves the job's lease to expire and another attempt starts it over.
 */
import type { AppConfig } from '../config.ts';
import type { Queryable } from '../db/database.ts';
import { enqueueJob } from '../jobs/enqueue_job.ts';
import type { JobQueue } from '../jobs/job_queue.ts';
import { generatePlan, PLAN_JOB_KIND } from './generate_plan.ts';
import { setPlanJob } from './queries.ts';

interface PlanJobPayload {
  planId: number;
}

/** Solving can take the plan's whole budget (≤ 60 s) plus loading: the lease must outlast it. */
const PLAN_LEASE_SECONDS = 180;

export function registerPatrolPlanJobs(queue: JobQueue, config: Pick<AppConfig, 'LUYU_PATROL_SPEEDS_KMH'>): void {
  // One generation at a time per instance: each takes a core for its whole budget.
  queue.register<PlanJobPayload>(PLAN_JOB_KIND, (job) => generatePlan(job, job.payload.planId, config), { leaseSeconds: PLAN_LEASE_SECONDS, concurrency: 1 });
}

/** Queues the generation of plan `planId` in the caller's transaction and records the job on the plan. */
export async function enqueuePlanGeneration(db: Queryable, plan: { id: number; jurisdictionCode: string }, userId: number | null): Promise<number> {
  const job = await enqueueJob(db, PLAN_JOB_KIND, { planId: plan.id } satisfies PlanJobPayload, {
    jurisdictionCode: plan.jurisdictionCode,
    createdBy: userId,
    maxAttempts: 2,
    dedupeKey: `patrol_plan:${plan.id}`,
  });
  await setPlanJob(db, plan.id, job.id);
  return job.id;
}
