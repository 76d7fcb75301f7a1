import { z } from 'zod';
import type { AppConfig } from '../config.ts';
import { CREW_MEMBER_ROLES, shanghaiDate } from '../domain/patrol_rules.ts';
import { calendarDateSchema, idParamsSchema } from '../http/common_schemas.ts';
import { defineRoute, requireUser } from '../http/route_definition.ts';
import { dueQuerySchema, scopedJurisdiction } from '../patrols/routes.ts';
import { listDueSegments } from '../patrols/service.ts';
import { findUnreachableSegments } from '../routing/graph_analysis.ts';
import { loadRoutingGraph } from '../routing/load_routing_graph.ts';
import { pointSchema } from '../violations/routes.ts';
import { getLiveCrews, trackSettings } from '../tracks/service.ts';
import { selectMemberChoices } from './queries.ts';
import { createCrew, crewShiftOn, listCrews, patchCrew, requireCrew } from './service.ts';

const minutes = (name: string, max: number) =>
  z.number(`${name} must be a number of minutes after midnight`).int(`${name} must be whole minutes`).min(0, `${name} must be 0 or more`).max(max, `${name} must be at most ${max}`);
const optionalText = (name: string, max: number) =>
  z.string().trim().max(max, `${name} must be at most ${max} characters`).nullish().transform((text) => (text ? text : null));

const availabilityEntry = z.object({
  date: calendarDateSchema('availability date'),
  available: z.boolean('available must be true or false'),
  shiftStartMinutes: minutes('shiftStartMinutes', 1439).nullish().transform((value) => value ?? null),
  shiftEndMinutes: minutes('shiftEndMinutes', 2160).nullish().transform((value) => value ?? null),
  note: optionalText('note', 200),
}).refine((entry) => (entry.shiftStartMinutes === null) === (entry.shiftEndMinutes === null), 'give both shiftStartMinutes and shiftEndMinutes of a day, or neither');

const crewFields = {
  name: z.string().trim().min(1, 'name is required').max(100, 'name must be at most 100 characters'),
  memberIds: z
    .array(z.number().int().positive('member ids are user ids'), 'memberIds must be a list of user ids')
    .max(20, 'a crew has at most 20 members')
    .refine((ids) => new Set(ids).size === ids.length, 'memberIds must not repeat a user'),
  vehicle: z
    .object({ plate: optionalText('vehicle plate', 20), description: optionalText('vehicle description', 200) })
    .nullish()
    .transform((vehicle) => vehicle ?? { plate: null, description: null }),
  base: pointSchema,
  baseName: optionalText('baseName', 200),
  shiftStartMinutes: minutes('shiftStartMinutes', 1439),
  shiftEndMinutes: minutes('shiftEndMinutes', 2160),
  jointUnit: optionalText('jointUnit', 200),
  isActive: z.boolean().default(true),
  availability: z.array(availabilityEntry).max(400, 'at most 400 availability entries').default([])
    .refine((entries) => new Set(entries.map((entry) => entry.date)).size === entries.length, 'availability lists each date once'),
};

const createBody = z.object({ ...crewFields, jurisdiction: z.string().regex(/^\d{6}$/, 'jurisdiction must be a 6-digit division code').optional() });
const patchBody = z.object({
  version: z.number('version (the one you saw) is required').int().positive(),
  name: crewFields.name.optional(),
  memberIds: crewFields.memberIds.optional(),
  vehicle: crewFields.vehicle.optional(),
  base: pointSchema.optional(),
  baseName: optionalText('baseName', 200).optional(),
  shiftStartMinutes: crewFields.shiftStartMinutes.optional(),
  shiftEndMinutes: crewFields.shiftEndMinutes.optional(),
  jointUnit: optionalText('jointUnit', 200).optional(),
  isActive: z.boolean().optional(),
  availability: z.array(availabilityEntry).max(400).optional(),
});

/** Patrol crews (docs/patrol_planning_data.md). */
export function crewRoutes(config: AppConfig) {
  const settings = trackSettings(config);
  return [
    defineRoute({
      method: 'get',
      path: '/crews',
      tag: 'crews',
      summary: 'Patrol crews of a jurisdiction (and below); with date, whether each works that day and its hours',
      access: { permission: 'patrols.plan' },
      query: dueQuerySchema,
      handler: async ({ query, db, ...input }) => {
        const crews = await listCrews(db, scopedJurisdiction(requireUser(input), query.jurisdiction));
        const date = query.date;
        return { items: date ? crews.map((crew) => ({ ...crew, onDate: { date, ...crewShiftOn(crew, date) } })) : crews };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/crews',
      tag: 'crews',
      summary: 'Create a patrol crew (at least two officer/patrol members of its jurisdiction)',
      access: { permission: 'patrols.plan' },
      body: createBody,
      successStatus: 201,
      handler: async ({ body, db, audit, ...input }) => {
        const user = requireUser(input);
        const crew = await createCrew(db, { ...body, jurisdiction: body.jurisdiction ?? user.jurisdiction.code }, user);
        await audit({ action: 'crew.create', entityType: 'crew', entityId: crew.id, after: crew });
        return crew;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/crews/member-choices',
      tag: 'crews',
      summary: 'Users of a jurisdiction who may join a crew (enabled officers and patrol staff)',
      access: { permission: 'patrols.plan' },
      query: z.object({ jurisdiction: dueQuerySchema.shape.jurisdiction }),
      handler: async ({ query, db, ...input }) => {
        const rows = await selectMemberChoices(db, scopedJurisdiction(requireUser(input), query.jurisdiction), CREW_MEMBER_ROLES);
        return { items: rows.map((row) => ({ id: row.id, username: row.username, displayName: row.display_name, role: row.role })) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/crews/live',
      tag: 'crews',
      summary: "Today's crews under way (Asia/Shanghai): latest GPS fix, its age, progress = covered ÷ assigned length",
      // The dispatcher's map: whoever plans patrols. Declared before /crews/:id, which would take 'live' as an id.
      access: { permission: 'patrols.plan' },
      query: z.object({ jurisdiction: dueQuerySchema.shape.jurisdiction }),
      handler: ({ query, db, ...input }) => getLiveCrews(db, { date: shanghaiDate(), jurisdictionCode: scopedJurisdiction(requireUser(input), query.jurisdiction) }, settings),
    }),
    defineRoute({
      method: 'get',
      path: '/crews/:id',
      tag: 'crews',
      summary: 'One patrol crew',
      access: { permission: 'patrols.plan' },
      params: idParamsSchema,
      handler: async ({ params, db }) => requireCrew(db, params.id),
    }),
    defineRoute({
      method: 'patch',
      path: '/crews/:id',
      tag: 'crews',
      summary: 'Change a patrol crew at the version you saw (stale → 409 CREW_CHANGED)',
      access: { permission: 'patrols.plan' },
      params: idParamsSchema,
      body: patchBody,
      handler: async ({ params, body, db, audit, ...input }) => {
        const user = requireUser(input);
        const { before, after } = await patchCrew(db, params.id, body, user);
        await audit({ action: 'crew.update', entityType: 'crew', entityId: params.id, before, after });
        return after;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/crews/:id/unreachable',
      tag: 'crews',
      summary: "Due segments of the crew's jurisdiction the crew cannot drive to and back from its base",
      access: { permission: 'patrols.plan' },
      params: idParamsSchema,
      query: z.object({ date: dueQuerySchema.shape.date }),
      handler: async ({ params, query, db }) => {
        const crew = await requireCrew(db, params.id);
        const date = query.date ?? shanghaiDate();
        const due = await listDueSegments(db, { date, jurisdictionCode: crew.jurisdiction });
        const graph = await loadRoutingGraph(db, [crew.jurisdiction], config.LUYU_PATROL_SPEEDS_KMH);
        const dueIds = due.features.map((feature) => feature.properties.id);
        const unreachable = new Set(crew.baseNode ? findUnreachableSegments(graph, crew.baseNode.id, dueIds) : dueIds);
        return {
          crewId: crew.id,
          date,
          baseNode: crew.baseNode,
          dueCount: dueIds.length,
          unreachable: due.features
            .filter((feature) => unreachable.has(feature.properties.id))
            .map(({ properties }) => ({ id: properties.id, route: properties.route, direction: properties.direction, stakeFrom: properties.stakeFrom, stakeTo: properties.stakeTo })),
        };
      },
    }),
  ];
}
