import type { Queryable } from '../db/database.ts';

/**
 * Savepoints let one action of a batch fail without undoing the others in the request's
 * transaction. The name is fixed: actions run one after another, never nested.
 */
export async function openActionSavepoint(db: Queryable): Promise<void> {
  await db.query('SAVEPOINT sync_action');
}
export async function rollbackActionSavepoint(db: Queryable): Promise<void> {
  await db.query('ROLLBACK TO SAVEPOINT sync_action');
}
export async function releaseActionSavepoint(db: Queryable): Promise<void> {
  await db.query('RELEASE SAVEPOINT sync_action');
}

export interface SyncActionRow {
  action_id: string;
  action_type: string;
  entity_id: number | null;
  result: Record<string, unknown>;
}

/**
 * Claims an action id for this jurisdiction. Returns false when it is already in the log (a retry):
 * a concurrent request with the same id waits on the unique key and then sees it as taken.
 */
export async function claimSyncAction(
  db: Queryable,
  row: { jurisdictionCode: string; actionId: string; actionType: string; deviceId: string; userId: number; clientAt: string | null },
): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO sync_actions (jurisdiction_code, action_id, action_type, device_id, user_id, client_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (jurisdiction_code, action_id) DO NOTHING
     RETURNING action_id`,
    [row.jurisdictionCode, row.actionId, row.actionType, row.deviceId, row.userId, row.clientAt],
  );
  return (result.rowCount ?? 0) > 0;
}

export async function recordSyncResult(db: Queryable, jurisdictionCode: string, actionId: string, entityId: number | null, result: unknown): Promise<void> {
  await db.query(`UPDATE sync_actions SET entity_id = $3, result = $4 WHERE jurisdiction_code = $1 AND action_id = $2`, [
    jurisdictionCode,
    actionId,
    entityId,
    JSON.stringify(result),
  ]);
}

export async function selectSyncAction(db: Queryable, jurisdictionCode: string, actionId: string): Promise<SyncActionRow | null> {
  const result = await db.query<SyncActionRow>(
    `SELECT action_id::text, action_type, entity_id::integer AS entity_id, result FROM sync_actions WHERE jurisdiction_code = $1 AND action_id = $2`,
    [jurisdictionCode, actionId],
  );
  return result.rows[0] ?? null;
}

/** Applied actions of a device, newest first: lets an evicted device learn what the server has. */
export async function selectSyncActionsOfDevice(db: Queryable, userId: number, deviceId: string | null, limit: number) {
  const result = await db.query<{ action_id: string; action_type: string; entity_id: number | null; applied_at: Date; device_id: string }>(
    `SELECT action_id::text, action_type, entity_id::integer AS entity_id, applied_at, device_id
     FROM sync_actions WHERE user_id = $1 AND ($2::text IS NULL OR device_id = $2)
     ORDER BY applied_at DESC LIMIT $3`,
    [userId, deviceId, limit],
  );
  return result.rows;
}

/** Photo ids of finished uploads (photo_uploads.id chosen by the client, offline). */
export async function selectUploadedPhotoIds(db: Queryable, uploadIds: readonly string[]) {
  if (uploadIds.length === 0) return [];
  const result = await db.query<{ id: string; photo_id: number | null }>(
    `SELECT id::text, photo_id::integer AS photo_id FROM photo_uploads WHERE id = ANY($1::uuid[])`,
    [uploadIds],
  );
  return result.rows;
}
