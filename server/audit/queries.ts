import type { Queryable } from '../db/database.ts';
import { boundedCount, type MatchedCount } from '../paging/queries.ts';

export interface AuditEntryInput {
  actorUserId: number | null;
  actorUsername: string | null;
  actorRole: string | null;
  jurisdictionCode: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  clientIp: string | null;
}

/** No RETURNING: a request role may append rows it is not allowed to read back. */
export async function insertAuditEntry(db: Queryable, entry: AuditEntryInput): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (actor_user_id, actor_username, actor_role, jurisdiction_code, action, entity_type, entity_id,
                            before, after, request_id, client_ip)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11)`,
    [
      entry.actorUserId,
      entry.actorUsername,
      entry.actorRole,
      entry.jurisdictionCode,
      entry.action,
      entry.entityType,
      entry.entityId,
      entry.before === undefined || entry.before === null ? null : JSON.stringify(entry.before),
      entry.after === undefined || entry.after === null ? null : JSON.stringify(entry.after),
      entry.requestId,
      entry.clientIp,
    ],
  );
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  entity?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

export interface AuditRow {
  id: number;
  occurred_at: Date;
  actor_user_id: number | null;
  actor_username: string | null;
  actor_role: string | null;
  jurisdiction_code: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  client_ip: string | null;
}

/** The search's WHERE and its bind values ($1…$6); `entity` matches the entity type, or `type:id` for one record. */
function auditWhere(filter: Omit<AuditFilter, 'limit' | 'offset'>): { where: string; values: unknown[] } {
  const [entityType, entityId] = filter.entity ? filter.entity.split(':', 2) : [undefined, undefined];
  return {
    where: `WHERE ($1::text IS NULL OR lower(actor_username) = lower($1))
       AND ($2::text IS NULL OR action = $2 OR action LIKE $2 || '.%')
       AND ($3::text IS NULL OR entity_type = $3)
       AND ($4::text IS NULL OR entity_id = $4)
       AND ($5::timestamptz IS NULL OR occurred_at >= $5)
       AND ($6::timestamptz IS NULL OR occurred_at < $6)`,
    values: [filter.actor ?? null, filter.action ?? null, entityType ?? null, entityId ?? null, filter.from ?? null, filter.to ?? null],
  };
}

/** Newest first: `filter.limit` rows and one more (server/paging offsetPage tells from it whether to count). */
export async function selectAuditEntries(db: Queryable, filter: AuditFilter): Promise<AuditRow[]> {
  const { where, values } = auditWhere(filter);
  const result = await db.query<AuditRow>(
    `SELECT id, occurred_at, actor_user_id, actor_username, actor_role, jurisdiction_code, action, entity_type, entity_id,
            before, after, request_id, client_ip
     FROM audit_log
     ${where}
     ORDER BY occurred_at DESC, id DESC
     LIMIT $7 OFFSET $8`,
    [...values, filter.limit + 1, filter.offset],
  );
  return result.rows;
}

/** How many entries match (exact up to EXACT_COUNT_LIMIT, then estimated). */
export async function countAuditEntries(db: Queryable, filter: Omit<AuditFilter, 'limit' | 'offset'>): Promise<MatchedCount> {
  const { where, values } = auditWhere(filter);
  return boundedCount(db, `FROM audit_log ${where}`, values);
}
