import { z } from 'zod';
import type { Logger } from 'pino';
import type { AppConfig } from '../config.ts';
import { defineRoute, requireUser } from '../http/route_definition.ts';
import { violationSettings } from '../violations/types.ts';
import { applySyncBatch, listAppliedActions } from './service.ts';
import { syncBodySchema } from './types.ts';

const appliedQuery = z.object({
  deviceId: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

/** The one sync endpoint of the field app (docs/field_app.md). */
export function syncRoutes(config: AppConfig, logger?: Logger) {
  const settings = violationSettings(config);
  return [
    defineRoute({
      method: 'post',
      path: '/sync',
      tag: 'sync',
      summary: 'Apply a device\'s offline actions: each applied, duplicate (same id again), conflict (with the server\'s version) or rejected',
      access: { permission: 'findings.record' },
      body: syncBodySchema,
      bodyLimit: '2mb',
      handler: async ({ db, body, audit, ...input }) => {
        const user = requireUser(input);
        const outcome = await applySyncBatch(db, body, user, {
          violationSettings: settings,
          onUnexpected: (error) => logger?.error({ err: error }, 'sync action failed'),
        });
        const counts = Object.fromEntries(['applied', 'duplicate', 'conflict', 'rejected'].map((status) => [status, outcome.results.filter((result) => result.status === status).length]));
        await audit({
          action: 'sync.batch',
          entityType: 'device',
          entityId: body.deviceId,
          after: { counts, actions: outcome.results.map((result, index) => ({ id: result.id, type: body.actions[index]!.type, status: result.status, entityId: result.entityId ?? null })) },
        });
        return outcome;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/sync/applied',
      tag: 'sync',
      summary: 'Actions the server has applied from this user (optionally one device): what an evicted device compares its outbox with',
      access: { permission: 'findings.record' },
      query: appliedQuery,
      handler: async ({ db, query, ...input }) => ({ actions: await listAppliedActions(db, requireUser(input), query.deviceId ?? null, query.limit) }),
    }),
  ];
}
