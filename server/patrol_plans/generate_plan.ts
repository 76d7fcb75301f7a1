/**
 * Generating a plan: the body of the `patrol_plan.generate` job. Loads the routing graph, what is
 * due and the crews on the plan's date, solves off the event loop, and stores one assignment per
 * crew in one transaction. The job queue (server/jobs) runs it: plan_jobs.ts registers the kind.
 */
import type pg from 'pg';
import type { Queryable } from '../db/database.ts';
import type { AppConfig } from '../config.ts';
import { listAvailableCrews } from '../crews/service.ts';
import { withTransaction } from '../db/transaction.ts';
import type { PatrolPlan } from '../patrols/planner/patrol_types.ts';
import { listDueSegments, listPointTasks } from '../patrols/service.ts';
import { loadRoutingGraph } from '../routing/load_routing_graph.ts';
import { buildPatrolProblem, planToAssignments, type BuiltProblem, type PlanInputs } from './plan_problem.ts';
import { deleteUnlockedAssignments, failPlan, finishPlan, insertAssignment, selectPlan, selectPlanAssignments, updatePlanProgress, type PlanRow } from './queries.ts';
import { solveInWorker } from './solve_in_worker.ts';

export interface PlanJobContext {
  pool: pg.Pool;
  signal: AbortSignal;
  progress(done: number, total?: number | null, message?: string): Promise<void>;
}

export const PLAN_JOB_KIND = 'patrol_plan.generate';

/** Everything the solver needs for a plan's date and jurisdiction, read with the pool (the job has no request scope; every query names the jurisdiction). */
export async function loadPlanInputs(db: Queryable, plan: Pick<PlanRow, 'jurisdiction_code' | 'plan_date' | 'crew_ids'>, config: Pick<AppConfig, 'LUYU_PATROL_SPEEDS_KMH'>): Promise<PlanInputs> {
  const query = { date: plan.plan_date, jurisdictionCode: plan.jurisdiction_code };
  const graph = await loadRoutingGraph(db, [plan.jurisdiction_code], config.LUYU_PATROL_SPEEDS_KMH);
  const dueSegments = (await listDueSegments(db, query)).features.map((feature) => feature.properties);
  const tasks = (await listPointTasks(db, query)).features.map((feature) => ({ ...feature.properties, lon: feature.geometry.coordinates[0]!, lat: feature.geometry.coordinates[1]! }));
  const wanted = plan.crew_ids ? new Set(plan.crew_ids.map(Number)) : null;
  const crews = (await listAvailableCrews(db, plan.jurisdiction_code, plan.plan_date)).filter((crew) => !wanted || wanted.has(crew.id));
  return { graph, dueSegments, tasks, crews };
}

/**
 * Leaves the locked assignments of the plan as they are: their crews and the items they serve
 * are taken out of the problem (a re-plan of "the rest").
 */
async function withoutLocked(pool: pg.Pool, planId: number, inputs: PlanInputs): Promise<PlanInputs> {
  const locked = (await selectPlanAssignments(pool, planId)).filter((assignment) => assignment.locked);
  if (locked.length === 0) return inputs;
  const lockedCrews = new Set(locked.map((assignment) => Number(assignment.crew_id)));
  const lockedSegments = new Set(locked.flatMap((assignment) => assignment.segments.map((segment) => Number(segment.segmentId))));
  const lockedTasks = new Set(locked.flatMap((assignment) => assignment.tasks.map((task) => `${task.detectionId ?? ''}:${task.violationId ?? ''}`)));
  return {
    ...inputs,
    crews: inputs.crews.filter((crew) => !lockedCrews.has(crew.id)),
    dueSegments: inputs.dueSegments.filter((segment) => !lockedSegments.has(segment.id)),
    tasks: inputs.tasks.filter((task) => !lockedTasks.has(task.sourceType === 'detection' ? `${task.sourceId}:` : `:${task.sourceId}`)),
  };
}

export async function storePlan(client: pg.PoolClient, planId: number, plan: PlanRow, built: BuiltProblem, solved: PatrolPlan): Promise<void> {
  const { assignments, unassigned } = planToAssignments(built, solved, { planId, date: plan.plan_date, jurisdictionCode: plan.jurisdiction_code });
  await deleteUnlockedAssignments(client, planId, null);
  for (const assignment of assignments) await insertAssignment(client, assignment);
  await finishPlan(client, planId, { lowerBoundMeters: Math.round(solved.lowerBoundMeters), roundsReached: solved.rounds, unassigned });
}

/** The job body: generate (or re-plan the unlocked part of) plan `planId`. */
export async function generatePlan(job: PlanJobContext, planId: number, config: Pick<AppConfig, 'LUYU_PATROL_SPEEDS_KMH'>): Promise<{ planId: number; assignments: number }> {
  const plan = await selectPlan(job.pool, planId);
  if (!plan) throw new Error(`patrol plan ${planId} does not exist`);
  try {
    await job.progress(0, 100, 'loading');
    await updatePlanProgress(job.pool, planId, 0, 100, 'loading');
    const inputs = await withoutLocked(job.pool, planId, await loadPlanInputs(job.pool, plan, config));
    const built = buildPatrolProblem(inputs);
    let lastWrite = Promise.resolve();
    const solved = await solveInWorker(
      built.problem,
      { seconds: plan.seconds, seed: plan.seed, ...(plan.max_rounds ? { maxRounds: plan.max_rounds } : {}) },
      {
        signal: job.signal,
        onProgress: (fraction) => {
          const done = Math.min(95, 5 + Math.floor(fraction * 90));
          lastWrite = lastWrite.then(() => Promise.all([job.progress(done, 100, 'solving'), updatePlanProgress(job.pool, planId, done, 100, 'solving')]).then(() => undefined)).catch(() => undefined);
        },
      },
    );
    await lastWrite;
    await withTransaction(job.pool, (client) => storePlan(client, planId, plan, built, solved));
    await job.progress(100, 100, 'done');
    return { planId, assignments: solved.routes.length };
  } catch (error) {
    await failPlan(job.pool, planId, { code: 'PLAN_GENERATION_FAILED', message: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}
