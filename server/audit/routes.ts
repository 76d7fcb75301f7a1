import { z } from 'zod';
import { pagingSchema } from '../http/common_schemas.ts';
import { defineRoute } from '../http/route_definition.ts';
import { offsetPage } from '../paging/keyset.ts';
import { countAuditEntries, selectAuditEntries } from './queries.ts';

const timestampSchema = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-01-31T08:00:00+08:00' })
  .or(z.iso.date({ message: 'must be an ISO date (2026-01-31) or date-time' }))
  .transform((text) => new Date(text));

const auditQuery = z.object({
  actor: z.string().trim().min(1).max(64).optional(),
  action: z.string().trim().regex(/^[a-z_.]{1,64}$/, 'action is lower-case words joined by . or _, e.g. auth.login').optional(),
  entity: z.string().trim().regex(/^[a-z_]{1,64}(:[A-Za-z0-9_.-]{1,64})?$/, 'entity is a type (user) or type:id (user:12)').optional(),
  from: timestampSchema.optional(),
  to: timestampSchema.optional(),
  ...pagingSchema(50),
});

/** The audit trail, newest first, limited by row-level security to the admin's jurisdiction. */
export function auditRoutes() {
  return [
    defineRoute({
      method: 'get',
      path: '/audit',
      tag: 'audit',
      summary: 'Search the audit trail (admin): actor, action (prefix), entity (type or type:id), from/to, paged',
      access: { permission: 'audit.read' },
      query: auditQuery,
      handler: async ({ db, query }) => {
        const { rows, numberMatched, numberMatchedIsEstimate } = await offsetPage(await selectAuditEntries(db, query), query.limit, query.offset, () => countAuditEntries(db, query));
        return {
          entries: rows.map((row) => ({
            id: row.id,
            occurredAt: row.occurred_at,
            actor: row.actor_username === null ? null : { userId: row.actor_user_id, username: row.actor_username, role: row.actor_role },
            jurisdictionCode: row.jurisdiction_code,
            action: row.action,
            entityType: row.entity_type,
            entityId: row.entity_id,
            before: row.before,
            after: row.after,
            requestId: row.request_id,
            clientIp: row.client_ip,
          })),
          numberMatched,
          numberMatchedIsEstimate,
          numberReturned: rows.length,
          limit: query.limit,
          offset: query.offset,
        };
      },
    }),
  ];
}
