/**
 * After the browser evicted the app's storage, the outbox is gone but the device cookie is not:
 * compare how many actions this phone queued with what the server holds from it
 * (GET /sync/applied) and tell the crew how many records are missing.
 */
import { fetchAppliedActions, type AppliedAction } from '../api/crew';
import { readMeta, writeMeta } from './crew_store';
import { deviceIdentity } from './device_identity';

export interface EvictionReport {
  evicted: boolean;
  queuedOnDevice: number;
  onServer: number;
  missing: number;
  lastOnServer: AppliedAction | null;
}

export async function checkEviction(): Promise<EvictionReport> {
  const identity = deviceIdentity();
  const marked = await readMeta<string>('deviceId');
  // A fresh database with a device that had queued actions = the storage was evicted.
  const evicted = marked === undefined && identity.queuedCount > 0;
  await writeMeta('deviceId', identity.deviceId);
  if (!evicted) return { evicted: false, queuedOnDevice: identity.queuedCount, onServer: 0, missing: 0, lastOnServer: null };
  const { actions } = await fetchAppliedActions(identity.deviceId);
  return { evicted, queuedOnDevice: identity.queuedCount, onServer: actions.length, missing: Math.max(0, identity.queuedCount - actions.length), lastOnServer: actions[0] ?? null };
}
