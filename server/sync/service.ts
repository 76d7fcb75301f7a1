/**
 * Applies a device's batch of offline actions in the request's transaction, each in its own
 * savepoint: a bad action is rejected (and undone) without undoing the others; a conflicting one is
 * reported with the server's version; an id already in the log is a duplicate answered with the
 * original result. Nothing is overwritten and nothing is applied twice.
 */
import type { SessionUser } from '../auth/session_user.ts';
import type { Queryable } from '../db/database.ts';
import { AppError } from '../http/errors.ts';
import { SyncConflict } from './action_errors.ts';
import { actionKind, type ActionDependencies } from './action_handlers.ts';
import {
  claimSyncAction,
  openActionSavepoint,
  recordSyncResult,
  releaseActionSavepoint,
  rollbackActionSavepoint,
  selectSyncAction,
  selectSyncActionsOfDevice,
} from './queries.ts';
import { SYNC_ACTION_TYPES, type SyncAction, type SyncResult } from './types.ts';

function errorOf(error: AppError) {
  return { code: error.code, message: error.message, details: error.details };
}

async function applyOne(db: Queryable, deviceId: string, action: SyncAction, user: SessionUser, deps: ActionDependencies, onUnexpected: (error: unknown) => void): Promise<SyncResult> {
  const kind = (SYNC_ACTION_TYPES as readonly string[]).includes(action.type) ? actionKind(action.type) : undefined;
  if (!kind) {
    return {
      id: action.id,
      status: 'rejected',
      error: { code: 'ACTION_TYPE_UNKNOWN', message: `type must be one of ${SYNC_ACTION_TYPES.join(', ')} (available now: the ones this server registered)`, details: { type: action.type } },
    };
  }
  const jurisdictionCode = user.jurisdiction.code;
  await openActionSavepoint(db);
  try {
    const claimed = await claimSyncAction(db, { jurisdictionCode, actionId: action.id, actionType: action.type, deviceId, userId: user.id, clientAt: action.at ?? null });
    if (!claimed) {
      const existing = await selectSyncAction(db, jurisdictionCode, action.id);
      await releaseActionSavepoint(db);
      return { id: action.id, status: 'duplicate', ...(existing?.entity_id != null ? { entityId: existing.entity_id } : {}), server: existing?.result ?? null };
    }
    const outcome = await kind.apply(db, action, user, deps);
    await recordSyncResult(db, jurisdictionCode, action.id, outcome.entityId, outcome.result);
    await releaseActionSavepoint(db);
    return { id: action.id, status: 'applied', ...(outcome.entityId !== null ? { entityId: outcome.entityId } : {}), server: outcome.result };
  } catch (error) {
    // Undo this action only (its log row included, so the same id may be sent again once fixed).
    await rollbackActionSavepoint(db);
    await releaseActionSavepoint(db);
    if (error instanceof SyncConflict) {
      const server = error.server ?? (kind.current ? await kind.current(db, action) : null);
      return { id: action.id, status: 'conflict', error: errorOf(error.error), server };
    }
    if (error instanceof AppError) {
      if (error.status === 409) return { id: action.id, status: 'conflict', error: errorOf(error), server: error.details };
      return { id: action.id, status: 'rejected', error: errorOf(error) };
    }
    onUnexpected(error);
    return { id: action.id, status: 'rejected', error: { code: 'ACTION_FAILED', message: 'The server could not apply this action; it was not saved. Send it again later.', details: null } };
  }
}

export async function applySyncBatch(
  db: Queryable,
  input: { deviceId: string; actions: SyncAction[] },
  user: SessionUser,
  deps: ActionDependencies & { onUnexpected: (error: unknown) => void },
): Promise<{ results: SyncResult[] }> {
  const results: SyncResult[] = [];
  // In order: a device queues "record finding" before "attach its re-inspection", and so on.
  for (const action of input.actions) results.push(await applyOne(db, input.deviceId, action, user, deps, deps.onUnexpected));
  return { results };
}

/** What the server holds from this user's device: the app compares it with its outbox after an eviction. */
export async function listAppliedActions(db: Queryable, user: SessionUser, deviceId: string | null, limit: number) {
  const rows = await selectSyncActionsOfDevice(db, user.id, deviceId, limit);
  return rows.map((row) => ({ id: row.action_id, type: row.action_type, entityId: row.entity_id, appliedAt: row.applied_at.toISOString(), deviceId: row.device_id }));
}
