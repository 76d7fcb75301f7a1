/**
 * Patrol plans and assignments (issue 11 items 4–5): create (generation runs in the background),
 * read, edit (move segments/tasks between crews, lock, re-plan the rest), publish, and the
 * assignment workflow of server/domain/patrol_assignment_workflow.ts.
 */
import type { SessionUser } from '../auth/session_user.ts';
import type { AppConfig } from '../config.ts';
import type { Queryable } from '../db/database.ts';
import { formatStake } from '../domain/stake.ts';
import type { AssignmentEvent } from '../domain/patrol_assignment_workflow.ts';
import { seesOwnCrewsOnly } from '../domain/patrol_rules.ts';
import { AppError } from '../http/errors.ts';
import { assignmentNotFound, transitionAssignmentRow, transitionAssignmentRows } from './assignment_transitions.ts';
import { loadPlanInputs } from './generate_plan.ts';
import { buildPatrolProblem, planToAssignments, TASK_KIND_STORED, type PlanInputs, type UnassignedEntry } from './plan_problem.ts';
import {
  bumpPlanVersion,
  deleteUnlockedAssignments,
  insertAssignment,
  insertPlan,
  isCrewMember,
  markPlanPublished,
  selectAssignment,
  selectAssignments,
  selectAssignmentStates,
  selectDraftAssignmentIds,
  selectPlan,
  selectPlanAssignments,
  setAssignmentLocked,
  setPlanUnassigned,
  type AssignmentRow,
  type PlanRow,
} from './queries.ts';
import { solveInWorker } from './solve_in_worker.ts';

/**
 * Re-ordering one crew's route after a move: the solver on that crew alone, stopped after a fixed
 * number of improvement rounds so the same edit gives the same route on any machine; the seconds
 * only cap a pathological case.
 */
const RESEQUENCE_ROUNDS = 20;
const RESEQUENCE_MAX_SECONDS = 10;
/** A moved item stays with the crew the dispatcher chose even past its shift; the list shows the overrun. */
const UNLIMITED_SHIFT_MINUTES = 100 * 24 * 60;

function assignmentView(row: AssignmentRow) {
  return {
    id: Number(row.id),
    planId: Number(row.plan_id),
    crewId: Number(row.crew_id),
    crewName: row.crew_name,
    date: row.assignment_date,
    jurisdiction: row.jurisdiction_code,
    status: row.status,
    declineReason: row.decline_reason,
    locked: row.locked,
    version: row.version,
    segments: row.segments.map((segment) => ({
      segmentId: Number(segment.segmentId),
      order: segment.order,
      directionServed: segment.directionServed,
      route: segment.route,
      stakeFrom: formatStake(Math.min(segment.chainageFromMeters, segment.chainageToMeters)),
      stakeTo: formatStake(Math.max(segment.chainageFromMeters, segment.chainageToMeters)),
      lengthMeters: segment.lengthMeters,
    })),
    tasks: row.tasks.map((task) => ({ ...task, id: Number(task.id), detectionId: task.detectionId === null ? null : Number(task.detectionId), violationId: task.violationId === null ? null : Number(task.violationId) })),
    distanceMeters: row.distance_meters,
    serviceMeters: row.service_meters,
    durationMinutes: row.duration_minutes,
    shiftMinutes: row.shift_minutes,
    route: row.route,
    startedAt: row.started_at?.toISOString() ?? null,
    completedAt: row.completed_at?.toISOString() ?? null,
  };
}

export type AssignmentView = ReturnType<typeof assignmentView>;

async function requirePlan(db: Queryable, id: number, forUpdate = false): Promise<PlanRow> {
  const plan = await selectPlan(db, id, forUpdate);
  if (!plan) throw new AppError(404, 'PATROL_PLAN_NOT_FOUND', `No patrol plan ${id} in your jurisdiction`);
  return plan;
}

export async function getPlanView(db: Queryable, id: number) {
  const plan = await requirePlan(db, id);
  const assignments = (await selectPlanAssignments(db, id)).map(assignmentView);
  const distanceMeters = assignments.reduce((sum, assignment) => sum + assignment.distanceMeters, 0);
  const lowerBound = plan.lower_bound_meters;
  return {
    id: Number(plan.id),
    status: plan.status,
    date: plan.plan_date,
    jurisdiction: plan.jurisdiction_code,
    version: plan.version,
    seed: plan.seed,
    seconds: plan.seconds,
    roundsReached: plan.rounds_reached,
    maxRounds: plan.max_rounds,
    lowerBoundMeters: lowerBound,
    distanceMeters,
    ratioToLowerBound: lowerBound && lowerBound > 0 ? Math.round((distanceMeters / lowerBound) * 1000) / 1000 : null,
    progress: { done: plan.progress_done, total: plan.progress_total, message: plan.progress_message },
    error: plan.error,
    createdAt: plan.created_at.toISOString(),
    generatedAt: plan.generated_at?.toISOString() ?? null,
    publishedAt: plan.published_at?.toISOString() ?? null,
    assignments,
    unassigned: plan.unassigned,
  };
}

export type PlanView = Awaited<ReturnType<typeof getPlanView>>;

export async function createPlanRow(
  db: Queryable,
  input: { jurisdictionCode: string; date: string; crewIds: number[] | null; seconds: number; maxRounds?: number | null; seed: number; userId: number | null; isDemo?: boolean },
): Promise<PlanRow> {
  return insertPlan(db, {
    jurisdictionCode: input.jurisdictionCode,
    date: input.date,
    seed: input.seed,
    seconds: input.seconds,
    maxRounds: input.maxRounds ?? null,
    crewIds: input.crewIds,
    createdBy: input.userId,
    isDemo: input.isDemo ?? false,
  });
}

export interface PlanPatch {
  version: number;
  moves?: { segmentId?: number; taskId?: number; toCrewId: number }[];
  locks?: { crewId: number; locked: boolean }[];
  replan?: boolean;
}

/** What the plan knows of an item it holds, to name it if it can no longer be placed. */
interface HeldSegment {
  segmentId: number;
  route: string;
  stakeFrom: string;
  stakeTo: string;
}
interface HeldTask {
  key: string;
  kind: string;
  detectionId: number | null;
  violationId: number | null;
}

const STORED_TO_DUE_TASK_KIND = new Map(Object.entries(TASK_KIND_STORED).map(([due, stored]) => [stored, due]));

/**
 * Re-orders one crew's route over exactly the given items (the solver on that crew alone) and
 * returns what it could not place, each with its reason: nothing held by the crew is dropped.
 */
async function resequenceCrew(
  db: Queryable,
  plan: PlanRow,
  inputs: PlanInputs,
  crewId: number,
  segments: Map<number, HeldSegment>,
  tasks: Map<string, HeldTask>,
): Promise<UnassignedEntry[]> {
  const crew = inputs.crews.find((candidate) => candidate.id === crewId);
  if (!crew) throw new AppError(409, 'CREW_NOT_AVAILABLE', `Crew ${crewId} does not work on ${plan.plan_date}`);
  const dueSegments = inputs.dueSegments.filter((segment) => segments.has(segment.id));
  const dueTasks = inputs.tasks.filter((task) => tasks.has(`${task.sourceType}:${task.sourceId}`));
  const crewInputs: PlanInputs = {
    graph: inputs.graph,
    dueSegments,
    tasks: dueTasks,
    crews: [{ ...crew, shift: { ...crew.shift, shiftEndMinutes: crew.shift.shiftStartMinutes + UNLIMITED_SHIFT_MINUTES } }],
  };
  const built = buildPatrolProblem(crewInputs);
  const solved = await solveInWorker(built.problem, { seconds: RESEQUENCE_MAX_SECONDS, maxRounds: RESEQUENCE_ROUNDS, seed: plan.seed });
  const { assignments, unassigned } = planToAssignments(built, solved, { planId: Number(plan.id), date: plan.plan_date, jurisdictionCode: plan.jurisdiction_code });
  // Items that stopped being due since generation (patrolled meanwhile, a case moved on) are not
  // silently dropped: they are listed with that reason.
  const dueSegmentIds = new Set(dueSegments.map((segment) => segment.id));
  for (const held of segments.values()) {
    if (!dueSegmentIds.has(held.segmentId)) unassigned.push({ kind: 'segment', reason: 'no_longer_due', segmentId: held.segmentId, route: held.route, stakeFrom: held.stakeFrom, stakeTo: held.stakeTo });
  }
  const dueTaskKeys = new Set(dueTasks.map((task) => `${task.sourceType}:${task.sourceId}`));
  for (const held of tasks.values()) {
    if (dueTaskKeys.has(held.key)) continue;
    const [sourceType, sourceId] = held.key.split(':');
    unassigned.push({ kind: 'task', reason: 'no_longer_due', taskId: `${STORED_TO_DUE_TASK_KIND.get(held.kind) ?? held.kind}:${sourceType}:${sourceId}`, taskKind: STORED_TO_DUE_TASK_KIND.get(held.kind) ?? held.kind, route: null, stake: null });
  }
  const write = assignments[0]!;
  write.shiftMinutes = crew.shift.shiftEndMinutes - crew.shift.shiftStartMinutes;
  await deleteUnlockedAssignments(db, Number(plan.id), [crewId]);
  await insertAssignment(db, write);
  return unassigned;
}

const taskKeyOf = (task: { detectionId: number | null; violationId: number | null }) =>
  task.detectionId !== null ? `detection:${Number(task.detectionId)}` : `violation:${Number(task.violationId)}`;

/** `field_verification:detection:12` → `detection:12`. */
const taskKeyOfUnassigned = (taskId: string) => taskId.split(':').slice(1).join(':');

function heldSegment(segment: AssignmentRow['segments'][number]): HeldSegment {
  return {
    segmentId: Number(segment.segmentId),
    route: segment.route,
    stakeFrom: formatStake(Math.min(segment.chainageFromMeters, segment.chainageToMeters)),
    stakeTo: formatStake(Math.max(segment.chainageFromMeters, segment.chainageToMeters)),
  };
}

/**
 * Moves and locks on a draft plan, with the version the client saw (stale → 409). Returns whether
 * the rest must be re-planned in the background (the caller starts it after commit).
 */
export async function patchPlan(db: Queryable, id: number, patch: PlanPatch, config: Pick<AppConfig, 'LUYU_PATROL_SPEEDS_KMH'>): Promise<{ replan: boolean; version: number }> {
  const plan = await requirePlan(db, id, true);
  if (plan.status !== 'ready') throw new AppError(409, 'PATROL_PLAN_NOT_EDITABLE', `Plan ${id} is ${plan.status}: only a generated draft can be edited`, { status: plan.status });
  if (!(await bumpPlanVersion(db, id, patch.version))) {
    throw new AppError(409, 'PATROL_PLAN_CHANGED', `Plan ${id} changed since you loaded it (version ${plan.version}, you sent ${patch.version}); reload it`, { currentVersion: plan.version });
  }
  for (const lock of patch.locks ?? []) {
    if (!(await setAssignmentLocked(db, id, lock.crewId, lock.locked))) throw new AppError(404, 'ASSIGNMENT_NOT_FOUND', `Crew ${lock.crewId} has no assignment in plan ${id}`);
  }
  const moves = patch.moves ?? [];
  if (moves.length > 0) {
    const assignments = await selectPlanAssignments(db, id);
    const byCrew = new Map(assignments.map((assignment) => [Number(assignment.crew_id), assignment]));
    const segmentsOf = new Map(assignments.map((assignment) => [Number(assignment.crew_id), new Map(assignment.segments.map((segment) => [Number(segment.segmentId), heldSegment(segment)]))]));
    const tasksOf = new Map(
      assignments.map((assignment) => [Number(assignment.crew_id), new Map(assignment.tasks.map((task) => [taskKeyOf(task), { key: taskKeyOf(task), kind: task.kind, detectionId: task.detectionId, violationId: task.violationId }]))]),
    );
    const taskKeyById = new Map(assignments.flatMap((assignment) => assignment.tasks.map((task) => [Number(task.id), taskKeyOf(task)] as const)));
    const touched = new Set<number>();
    const movedSegments = new Map<number, number>();
    const movedTasks = new Map<string, number>();
    for (const move of moves) {
      const target = byCrew.get(move.toCrewId);
      if (!target) throw new AppError(404, 'ASSIGNMENT_NOT_FOUND', `Crew ${move.toCrewId} has no assignment in plan ${id}`);
      const isSegment = move.segmentId !== undefined;
      const key = isSegment ? move.segmentId! : taskKeyById.get(move.taskId!);
      if (key === undefined) throw new AppError(404, 'PLAN_ITEM_NOT_FOUND', `Task ${move.taskId} is in no assignment of plan ${id}`);
      const sets = (isSegment ? segmentsOf : tasksOf) as Map<number, Map<number | string, HeldSegment | HeldTask>>;
      const from = [...sets.entries()].find(([, items]) => items.has(key))?.[0];
      if (from === undefined) throw new AppError(404, 'PLAN_ITEM_NOT_FOUND', `Segment ${move.segmentId} is in no assignment of plan ${id}`);
      if (from === move.toCrewId) continue;
      for (const crewId of [from, move.toCrewId]) {
        if (byCrew.get(crewId)!.locked) throw new AppError(409, 'ASSIGNMENT_LOCKED', `The route of crew ${byCrew.get(crewId)!.crew_name} is locked; unlock it first`, { crewId });
      }
      const held = sets.get(from)!.get(key)!;
      sets.get(from)!.delete(key);
      sets.get(move.toCrewId)!.set(key, held);
      if (isSegment) movedSegments.set(key as number, move.toCrewId);
      else movedTasks.set(key as string, move.toCrewId);
      touched.add(from).add(move.toCrewId);
    }
    if (touched.size > 0) {
      const inputs = await loadPlanInputs(db, { jurisdiction_code: plan.jurisdiction_code, plan_date: plan.plan_date, crew_ids: [...touched] }, config);
      const leftOver: UnassignedEntry[] = [];
      for (const crewId of [...touched].sort((a, b) => a - b)) leftOver.push(...(await resequenceCrew(db, plan, inputs, crewId, segmentsOf.get(crewId)!, tasksOf.get(crewId)!)));
      // A move onto a crew that cannot drive to the item (or a piece of it that was served) and
      // back is the dispatcher's mistake: refused, nothing changes.
      const alreadyPartial = new Set((plan.unassigned as UnassignedEntry[]).flatMap((entry) => (entry.partial && entry.segmentId !== undefined ? [entry.segmentId] : [])));
      for (const entry of leftOver) {
        if (entry.reason !== 'unreachable_from_base' || (entry.segmentId !== undefined && alreadyPartial.has(entry.segmentId))) continue;
        const toCrewId = entry.segmentId !== undefined ? movedSegments.get(entry.segmentId) : movedTasks.get(taskKeyOfUnassigned(entry.taskId ?? ''));
        if (toCrewId === undefined) continue;
        const what = entry.segmentId !== undefined ? `${entry.route} ${entry.stakeFrom}–${entry.stakeTo}` : `task ${entry.taskId}`;
        throw new AppError(422, 'PLAN_MOVE_UNREACHABLE', `Crew ${byCrew.get(toCrewId)!.crew_name} cannot drive to ${what} and back from its base`, {
          toCrewId,
          ...(entry.segmentId !== undefined ? { segmentId: entry.segmentId } : { taskId: entry.taskId }),
        });
      }
      // The plan's unassigned list: the touched crews' items are re-judged, the rest kept.
      const rejudgedSegments = new Set([...touched].flatMap((crewId) => [...segmentsOf.get(crewId)!.keys()]));
      const rejudgedTasks = new Set([...touched].flatMap((crewId) => [...tasksOf.get(crewId)!.keys()]));
      const kept = (plan.unassigned as UnassignedEntry[]).filter((entry) =>
        entry.segmentId !== undefined ? !rejudgedSegments.has(entry.segmentId) : !(entry.taskId !== undefined && rejudgedTasks.has(taskKeyOfUnassigned(entry.taskId))),
      );
      await setPlanUnassigned(db, id, [...kept, ...leftOver]);
    }
  }
  if (patch.replan) await db.query(`UPDATE patrol_plans SET status = 'generating', progress_done = 0, progress_message = 'queued', version = version + 1 WHERE id = $1`, [id]);
  const after = await requirePlan(db, id);
  return { replan: patch.replan === true, version: after.version };
}

export async function publishPlan(db: Queryable, id: number, expectedVersion: number, user: SessionUser): Promise<{ before: string; published: number }> {
  const plan = await requirePlan(db, id, true);
  if (plan.status !== 'ready') throw new AppError(409, 'PATROL_PLAN_NOT_EDITABLE', `Plan ${id} is ${plan.status}: only a generated draft can be published`, { status: plan.status });
  if (!(await bumpPlanVersion(db, id, expectedVersion))) {
    throw new AppError(409, 'PATROL_PLAN_CHANGED', `Plan ${id} changed since you loaded it; reload it`, { currentVersion: plan.version });
  }
  const drafts = await selectDraftAssignmentIds(db, id);
  // All drafts at once through the workflow kernel: locked in id order, one event each, all or nothing.
  if (drafts.length > 0) await transitionAssignmentRows(db, drafts.map((draft) => Number(draft.id)), { event: 'publish' }, user);
  await markPlanPublished(db, id, user.id);
  return { before: plan.status, published: drafts.length };
}

/** Assignments a user may see: a crew member (officer, patrol) only its own crews'; planners any crew in scope. */
export async function listAssignments(db: Queryable, filter: { date: string | null; crewId: number | null }, user: SessionUser): Promise<AssignmentView[]> {
  const memberUserId = seesOwnCrewsOnly(user.role) ? user.id : null;
  return (await selectAssignments(db, { ...filter, memberUserId })).map(assignmentView);
}

/** One assignment as the API shows it, or null (outside the caller's jurisdiction: RLS). */
export async function getAssignmentView(db: Queryable, id: number): Promise<AssignmentView | null> {
  const row = await selectAssignment(db, id);
  return row ? assignmentView(row) : null;
}

export async function transitionAssignment(
  db: Queryable,
  id: number,
  input: { event: AssignmentEvent; expectedVersion: number; reason?: string | undefined },
  user: SessionUser,
): Promise<{ before: AssignmentView; after: AssignmentView }> {
  const [state] = await selectAssignmentStates(db, [id]);
  // A crew member of another crew (or before publication) learns nothing about the assignment.
  if (!state || (seesOwnCrewsOnly(user.role) && (state.status === 'draft' || !(await isCrewMember(db, state.crew_id, user.id))))) throw assignmentNotFound(id);
  const before = assignmentView((await selectAssignment(db, id))!);
  await transitionAssignmentRow(db, id, { event: input.event, expectedVersion: input.expectedVersion, note: input.reason ?? null }, user);
  return { before, after: assignmentView((await selectAssignment(db, id))!) };
}
