import { z } from 'zod';
import type { AppConfig } from '../config.ts';
import { ADMIN_CLASSES } from '../domain/admin_class.ts';
import { shanghaiDate } from '../domain/patrol_rules.ts';
import { AppError } from '../http/errors.ts';
import { defineRoute, requireUser } from '../http/route_definition.ts';
import { stronglyConnectedComponents } from '../routing/graph_analysis.ts';
import { loadRoutingGraph } from '../routing/load_routing_graph.ts';
import { selectRoutingGraphState } from '../routing/queries.ts';
import { listDueSegments, listFrequencies, listPointTasks, setFrequency } from './service.ts';

const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD (Asia/Shanghai)')
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), 'date is not a calendar date');
const jurisdictionSchema = z.string().regex(/^\d{6}$/, 'jurisdiction must be a 6-digit division code');

export const dueQuerySchema = z.object({ date: dateSchema.optional(), jurisdiction: jurisdictionSchema.optional() });

/** The jurisdiction asked for, checked against the user's scope (default: the user's own). */
export function scopedJurisdiction(user: { jurisdiction: { code: string }; scopeCodes: string[] }, requested: string | undefined): string {
  const code = requested ?? user.jurisdiction.code;
  if (!user.scopeCodes.includes(code)) throw new AppError(404, 'JURISDICTION_NOT_FOUND', `Jurisdiction ${code} is not within yours (${user.jurisdiction.code})`);
  return code;
}

const frequencyBody = z.object({
  jurisdiction: jurisdictionSchema.optional(),
  adminClass: z.enum(ADMIN_CLASSES, `adminClass must be one of ${ADMIN_CLASSES.join(', ')}`),
  intervalDays: z.number().int('intervalDays must be a whole number of days').min(1, 'intervalDays must be 1 to 365').max(365, 'intervalDays must be 1 to 365'),
  /** The version shown (null when the default applied). */
  version: z.number().int().positive().nullable(),
});

/** What is due for patrol, the frequencies behind it, and the routing graph's health. */
export function patrolRoutes(config: AppConfig) {
  return [
    defineRoute({
      method: 'get',
      path: '/segments/due',
      tag: 'patrols',
      summary: 'Segments due for patrol on a date (default today, Asia/Shanghai), with why (reasons[])',
      access: { permission: 'patrols.plan' },
      query: dueQuerySchema,
      handler: async ({ query, db, ...input }) => {
        const user = requireUser(input);
        return listDueSegments(db, { date: query.date ?? shanghaiDate(), jurisdictionCode: scopedJurisdiction(user, query.jurisdiction) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/patrol-tasks/due',
      tag: 'patrols',
      summary: 'Point tasks for patrols on a date: leads to verify on site, re-inspections, passed rectification deadlines',
      access: { permission: 'patrols.plan' },
      query: dueQuerySchema,
      handler: async ({ query, db, ...input }) => {
        const user = requireUser(input);
        return listPointTasks(db, { date: query.date ?? shanghaiDate(), jurisdictionCode: scopedJurisdiction(user, query.jurisdiction) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/patrol-frequencies',
      tag: 'patrols',
      summary: 'Patrol interval (days) per road class in a jurisdiction: its own setting or the default',
      access: { permission: 'patrols.plan' },
      query: z.object({ jurisdiction: jurisdictionSchema.optional() }),
      handler: async ({ query, db, ...input }) => listFrequencies(db, scopedJurisdiction(requireUser(input), query.jurisdiction)),
    }),
    defineRoute({
      method: 'put',
      path: '/patrol-frequencies',
      tag: 'patrols',
      summary: 'Set the patrol interval of one road class in a jurisdiction (version of what was shown; stale → 409)',
      access: { permission: 'patrols.frequencies' },
      body: frequencyBody,
      handler: async ({ body, db, audit, ...input }) => {
        const user = requireUser(input);
        const jurisdictionCode = scopedJurisdiction(user, body.jurisdiction);
        const change = await setFrequency(db, { jurisdictionCode, adminClass: body.adminClass, intervalDays: body.intervalDays, expectedVersion: body.version, userId: user.id });
        await audit({ action: 'patrol_frequency.set', entityType: 'patrol_frequency', entityId: `${jurisdictionCode}:${body.adminClass}`, before: change.before, after: change.after });
        return change.after;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/routing-graph',
      tag: 'patrols',
      summary: 'The routing graph of a jurisdiction: size and strongly connected components (largest first)',
      access: { permission: 'patrols.plan' },
      query: z.object({ jurisdiction: jurisdictionSchema.optional() }),
      handler: async ({ query, db, ...input }) => {
        const jurisdictionCode = scopedJurisdiction(requireUser(input), query.jurisdiction);
        const graph = await loadRoutingGraph(db, [jurisdictionCode], config.LUYU_PATROL_SPEEDS_KMH);
        const state = await selectRoutingGraphState(db);
        // A node no arc loops back through (the far end of a one-way exit) is no component worth listing.
        const components = stronglyConnectedComponents(graph).filter((component) => component.arcCount > 0);
        return {
          jurisdiction: jurisdictionCode,
          rebuiltAt: state.rebuilt_at?.toISOString() ?? null,
          nodeCount: graph.nodes.length,
          arcCount: graph.arcs.length,
          lengthMeters: Math.round(graph.arcs.reduce((sum, arc) => sum + arc.lengthMeters, 0)),
          componentCount: components.length,
          components: components.map((component) => ({
            rank: component.rank,
            nodeCount: component.nodeIds.length,
            arcCount: component.arcCount,
            lengthMeters: Math.round(component.lengthMeters),
            segmentIds: component.segmentIds,
          })),
        };
      },
    }),
  ];
}
