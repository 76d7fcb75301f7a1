import { z } from 'zod';
import { SATISFACTION_LEVELS, SUPERVISION_EVENTS, SUPERVISION_STATUSES } from '../domain/supervision_workflow.ts';
import { VIOLATION_CATEGORIES } from '../domain/violation_categories.ts';
import { calendarDateSchema, idParamsSchema, pagingSchema } from '../http/common_schemas.ts';
import { defineRoute, requireUser } from '../http/route_definition.ts';
import { createSupervision, getSupervision, listSupervisions, transitionSupervision } from './service.ts';

const jurisdictionCode = z.string().regex(/^\d{6}$/, 'jurisdiction must be a 6-digit division code');
const flag = (name: string) => z.enum(['true', 'false'], `${name} must be true or false`).transform((value) => value === 'true').optional();
const statusList = z
  .string()
  .transform((text) => text.split(',').filter(Boolean))
  .pipe(z.array(z.enum(SUPERVISION_STATUSES, `status must be among ${SUPERVISION_STATUSES.join(', ')}`)).max(SUPERVISION_STATUSES.length))
  .optional();

const createBody = z
  .object({
    subject: z.enum(['case', 'backlog'], 'subject must be case or backlog'),
    violationId: z.number().int().positive().optional(),
    jurisdiction: jurisdictionCode.optional(),
    backlog: z.object({ overdue: z.boolean(), category: z.enum(VIOLATION_CATEGORIES).nullish() }).strict().optional(),
    responsibleUsername: z.string().trim().min(1, 'responsibleUsername is required').max(64),
    deadline: calendarDateSchema('deadline'),
    instructions: z.string().trim().min(1, 'instructions are required').max(4000, 'instructions must be at most 4000 characters'),
  })
  .strict()
  .refine((body) => body.subject !== 'case' || body.violationId !== undefined, { message: 'a case supervision needs violationId', path: ['violationId'] })
  .refine((body) => body.subject !== 'backlog' || body.jurisdiction !== undefined, { message: 'a backlog supervision needs jurisdiction (the unit)', path: ['jurisdiction'] });

const transitionBody = z
  .object({
    event: z.enum(SUPERVISION_EVENTS, `event must be one of ${SUPERVISION_EVENTS.join(', ')}`),
    expectedVersion: z.number().int().positive().optional(),
    note: z.string().max(4000, 'note must be at most 4000 characters').nullish(),
    satisfaction: z.enum(SATISFACTION_LEVELS, `satisfaction must be one of ${SATISFACTION_LEVELS.join(', ')}`).nullish(),
  })
  .strict();

export function supervisionRoutes() {
  return [
    defineRoute({
      method: 'get',
      path: '/supervisions',
      tag: 'supervision',
      summary: 'Supervision items (督办) seen from the jurisdiction: overdue first; filters status, overdue, unit, mine, case, deadline, late',
      access: { permission: 'supervisions.read' },
      query: z.object({
        ...pagingSchema(50),
        status: statusList,
        overdue: flag('overdue'),
        unit: jurisdictionCode.optional(),
        escalatedWithin: jurisdictionCode.optional(),
        mine: flag('mine'),
        violationId: z.coerce.number().int().positive().optional(),
        deadlineFrom: calendarDateSchema('deadlineFrom').optional(),
        deadlineTo: calendarDateSchema('deadlineTo').optional(),
        late: flag('late'),
      }),
      handler: ({ db, query, ...input }) => {
        const { limit, offset, ...filter } = query;
        return listSupervisions(db, requireUser(input), filter, limit, offset);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/supervisions',
      tag: 'supervision',
      summary: 'Issue a supervision item (交办) for a case or a unit’s backlog: unified number, responsible unit and person, deadline, instructions',
      access: { permission: 'supervisions.manage' },
      body: createBody,
      successStatus: 201,
      handler: async ({ db, body, audit, ...input }) => {
        const user = requireUser(input);
        const id = await createSupervision(db, user, body);
        const created = await getSupervision(db, user, id);
        await audit({ action: 'supervisions.create', entityType: 'supervision', entityId: id, after: { ...body, supervisionNumber: created.supervisionNumber } });
        return created;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/supervisions/:id',
      tag: 'supervision',
      summary: 'One supervision item with its timeline and the events the caller may send',
      access: { permission: 'supervisions.read' },
      params: idParamsSchema,
      handler: ({ db, params, ...input }) => getSupervision(db, requireUser(input), params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/supervisions/:id/transitions',
      tag: 'supervision',
      summary: 'Accept (承办), urge (督办), report done (办结), send back, follow up (回访, with satisfaction); expectedVersion → 409 on a stale copy',
      access: { permission: 'supervisions.transition' },
      params: idParamsSchema,
      body: transitionBody,
      handler: async ({ db, params, body, audit, ...input }) => {
        const user = requireUser(input);
        const before = await getSupervision(db, user, params.id);
        await transitionSupervision(db, user, params.id, body);
        const after = await getSupervision(db, user, params.id);
        await audit({
          action: `supervisions.${body.event}`,
          entityType: 'supervision',
          entityId: params.id,
          before: { status: before.status, version: before.version },
          after: { status: after.status, version: after.version, note: body.note ?? null, satisfaction: body.satisfaction ?? null },
        });
        return after;
      },
    }),
  ];
}
