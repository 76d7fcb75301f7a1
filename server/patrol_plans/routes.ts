import { z } from 'zod';
import type { AppConfig } from '../config.ts';
import { ASSIGNMENT_EVENTS } from '../domain/patrol_assignment_workflow.ts';
import { shanghaiDate } from '../domain/patrol_rules.ts';
import { idParamsSchema } from '../http/common_schemas.ts';
import { defineRoute, requireUser } from '../http/route_definition.ts';
import { dueQuerySchema, scopedJurisdiction } from '../patrols/routes.ts';
import { parsePayload, registerActionKind } from '../sync/action_handlers.ts';
import { SyncConflict } from '../sync/action_errors.ts';
import { AppError } from '../http/errors.ts';
import { enqueuePlanGeneration } from './plan_jobs.ts';
import { selectLatestPlan } from './queries.ts';
import { createPlanRow, getAssignmentView, getPlanView, listAssignments, patchPlan, publishPlan, transitionAssignment } from './service.ts';

const dateSchema = dueQuerySchema.shape.date.unwrap();
const idSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const createBody = z.object({
  date: dateSchema.optional(),
  jurisdiction: dueQuerySchema.shape.jurisdiction,
  crewIds: z.array(idSchema).min(1, 'crewIds, when given, names at least one crew').max(200).optional(),
  seconds: z.number().min(0.5, 'seconds must be 0.5 to 60').max(60, 'seconds must be 0.5 to 60').optional(),
  seed: z.number().int().min(1).max(2_147_483_647).optional(),
  /** Stop after this many improvement rounds (with the seed: the same plan on any machine); `seconds` still caps it. */
  rounds: z.number().int().min(1, 'rounds must be 1 to 100000').max(100_000, 'rounds must be 1 to 100000').optional(),
});

const patchBody = z
  .object({
    version: z.number().int().positive(),
    moves: z
      .array(
        z.object({ segmentId: idSchema.optional(), taskId: idSchema.optional(), toCrewId: idSchema }).refine((move) => (move.segmentId === undefined) !== (move.taskId === undefined), 'a move names either segmentId or taskId'),
      )
      .max(200)
      .optional(),
    locks: z.array(z.object({ crewId: idSchema, locked: z.boolean() })).max(200).optional(),
    replan: z.boolean().optional(),
  })
  .refine((patch) => (patch.moves?.length ?? 0) + (patch.locks?.length ?? 0) > 0 || patch.replan === true, 'send moves, locks or replan: true');

const transitionBody = z.object({
  event: z.enum(ASSIGNMENT_EVENTS, `event must be one of ${ASSIGNMENT_EVENTS.join(', ')}`),
  expectedVersion: z.number().int().positive(),
  reason: z.string().max(1000).optional(),
});

const transitionActionPayload = z.object({
  assignmentId: idSchema,
  event: transitionBody.shape.event,
  reason: transitionBody.shape.reason,
});

/**
 * The sync action `assignment.transition` (docs/field_app.md): the same service as
 * POST /assignments/:id/transitions; the device's `baseVersion` is the expectedVersion, so a crew
 * that accepted offline while the dispatcher cancelled gets a conflict with the server's version.
 */
function registerAssignmentTransitionAction(): void {
  registerActionKind('assignment.transition', {
    apply: async (db, action, user) => {
      const payload = parsePayload(transitionActionPayload, action.payload);
      if (action.baseVersion === undefined) {
        throw new AppError(400, 'VALIDATION_FAILED', 'baseVersion is required: the assignment version the device saw', [{ path: 'baseVersion', message: 'required' }]);
      }
      try {
        const { after } = await transitionAssignment(db, payload.assignmentId, { event: payload.event, expectedVersion: action.baseVersion, reason: payload.reason }, user);
        return { entityId: after.id, result: after };
      } catch (error) {
        if (error instanceof AppError && error.status === 409) throw new SyncConflict(error, null);
        throw error;
      }
    },
    // Read after the action's savepoint rolled back: the assignment as the office left it.
    current: async (db, action) => {
      const id = (action.payload as { assignmentId?: unknown } | null)?.assignmentId;
      return typeof id === 'number' ? getAssignmentView(db, id) : null;
    },
  });
}

/** Patrol plans (generate, read, edit, publish) and the crews' assignments (issue 11). */
export function patrolPlanRoutes(config: AppConfig) {
  registerAssignmentTransitionAction();
  return [
    defineRoute({
      method: 'post',
      path: '/patrol-plans',
      tag: 'patrols',
      summary: 'Generate a patrol plan for a date and jurisdiction in the background → 202 {id, status}; poll GET /patrol-plans/:id',
      access: { permission: 'patrols.plan' },
      body: createBody,
      successStatus: 202,
      handler: async ({ body, db, audit, ...input }) => {
        const user = requireUser(input);
        const jurisdictionCode = scopedJurisdiction(user, body.jurisdiction);
        const plan = await createPlanRow(db, {
          jurisdictionCode,
          date: body.date ?? shanghaiDate(),
          crewIds: body.crewIds ?? null,
          seconds: body.seconds ?? 10,
          maxRounds: body.rounds ?? null,
          seed: body.seed ?? 1,
          userId: user.id,
        });
        await audit({ action: 'patrol_plan.create', entityType: 'patrol_plan', entityId: plan.id, after: { date: plan.plan_date, jurisdiction: jurisdictionCode, seed: plan.seed, seconds: plan.seconds } });
        const jobId = await enqueuePlanGeneration(db, { id: Number(plan.id), jurisdictionCode }, user.id);
        return { id: Number(plan.id), status: plan.status, jobId };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/patrol-plans/latest',
      tag: 'patrols',
      summary: 'The newest plan of a date and jurisdiction (null when there is none)',
      access: { permission: 'patrols.plan' },
      query: dueQuerySchema,
      handler: async ({ query, db, ...input }) => {
        const user = requireUser(input);
        const plan = await selectLatestPlan(db, scopedJurisdiction(user, query.jurisdiction), query.date ?? shanghaiDate());
        return plan ? getPlanView(db, Number(plan.id)) : null;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/patrol-plans/:id',
      tag: 'patrols',
      summary: 'A patrol plan: status and progress, lower bound, assignments (ordered segments, tasks, route line), unassigned with reasons',
      access: { permission: 'patrols.plan' },
      params: idParamsSchema,
      handler: async ({ params, db }) => getPlanView(db, params.id),
    }),
    defineRoute({
      method: 'patch',
      path: '/patrol-plans/:id',
      tag: 'patrols',
      summary: 'Edit a draft plan: move segments or tasks to another crew (both routes re-ordered), lock routes, re-plan the unlocked rest (version → 409 when stale)',
      access: { permission: 'patrols.plan' },
      params: idParamsSchema,
      body: patchBody,
      handler: async ({ params, body, db, audit, ...input }) => {
        const result = await patchPlan(db, params.id, body, config);
        await audit({ action: 'patrol_plan.edit', entityType: 'patrol_plan', entityId: params.id, after: body });
        if (result.replan) {
          const plan = await getPlanView(db, params.id);
          await enqueuePlanGeneration(db, { id: params.id, jurisdictionCode: plan.jurisdiction }, requireUser(input).id);
        }
        return getPlanView(db, params.id);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/patrol-plans/:id/publish',
      tag: 'patrols',
      summary: 'Publish a draft plan: its assignments go to the crews (draft → published)',
      access: { permission: 'patrols.plan' },
      params: idParamsSchema,
      body: z.object({ version: z.number().int().positive() }),
      handler: async ({ params, body, db, audit, ...input }) => {
        const result = await publishPlan(db, params.id, body.version, requireUser(input));
        await audit({ action: 'patrol_plan.publish', entityType: 'patrol_plan', entityId: params.id, before: { status: result.before }, after: { status: 'published', assignments: result.published } });
        return getPlanView(db, params.id);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/assignments',
      tag: 'patrols',
      summary: 'Published patrol assignments by date and crew (a patrol user sees its own crews\u2019 only)',
      access: { permission: 'assignments.read' },
      query: z.object({ date: dateSchema.optional(), crew: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional() }),
      handler: async ({ query, db, ...input }) => ({ assignments: await listAssignments(db, { date: query.date ?? null, crewId: query.crew ?? null }, requireUser(input)) }),
    }),
    defineRoute({
      method: 'post',
      path: '/assignments/:id/transitions',
      tag: 'patrols',
      summary: 'Move an assignment through its workflow (accept, decline with reason, start, pause, resume, complete, cancel)',
      access: { permission: 'assignments.transition' },
      params: idParamsSchema,
      body: transitionBody,
      handler: async ({ params, body, db, audit, ...input }) => {
        const { before, after } = await transitionAssignment(db, params.id, body, requireUser(input));
        await audit({ action: `assignment.${body.event}`, entityType: 'patrol_assignment', entityId: params.id, before: { status: before.status, version: before.version }, after: { status: after.status, version: after.version, reason: body.reason ?? null } });
        return after;
      },
    }),
  ];
}
