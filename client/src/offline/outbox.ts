/**
 * The outbox: every action the crew takes is written here first (with a client uuid), then sent
 * through POST /sync when the phone is online. Each item keeps its state — waiting, sending,
 * applied, duplicate, conflict, rejected — and is never dropped silently: a conflict waits for the
 * crew's choice (keep mine = resend with the server's version; take the server's = discarded, kept
 * in the list); a rejection stays visible with the server's reason.
 *
 * Photos go first, each through its own resumable upload; an action is sent only when all its
 * photos are uploaded, and one failing photo holds back only its own action.
 */
import { useSyncExternalStore } from 'react';
import { ApiError } from '../api/api_error';
import { postSync, type SyncActionBody, type SyncResult } from '../api/crew';
import { allPhotos, getPhoto, outboxItems, putOutboxItem, putPhoto, type OutboxItem, type PendingPhoto } from './crew_store';
import { countQueuedAction, deviceIdentity } from './device_identity';
import { sha256Hex, uploadPhoto } from './photo_upload';

/** Server answers that mean "send again later", not "refused". */
const RETRY_LATER = new Set(['ACTION_FAILED', 'PHOTO_NOT_UPLOADED']);
const PAGE_SIZE = 50;

export interface OutboxSnapshot {
  items: OutboxItem[];
  photos: Map<string, PendingPhoto>;
  syncing: boolean;
  lastError: string | null;
}

let snapshot: OutboxSnapshot = { items: [], photos: new Map(), syncing: false, lastError: null };
const listeners = new Set<() => void>();
const resultListeners = new Set<(item: OutboxItem) => void>();

async function refresh(changes: Partial<OutboxSnapshot> = {}): Promise<void> {
  const [items, photos] = await Promise.all([outboxItems(), allPhotos()]);
  snapshot = { ...snapshot, ...changes, items, photos: new Map(photos.map((photo) => [photo.uploadId, photo])) };
  for (const listener of listeners) listener();
}

export function useOutbox(): OutboxSnapshot {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => snapshot,
  );
}

/** Called with each item the server answered for (the page updates its local copies). */
export function onOutboxResult(listener: (item: OutboxItem) => void): () => void {
  resultListeners.add(listener);
  return () => resultListeners.delete(listener);
}

export async function loadOutbox(): Promise<void> {
  await refresh();
}

export interface NewPhoto {
  blob: Blob;
  tag: 'before' | 'after' | 'other';
}

/** Queues one action (and its photos) on the device; sends at once when online. */
export async function enqueueAction(input: { type: SyncActionBody['type']; payload: Record<string, unknown>; baseVersion?: number; summary: string; photos?: NewPhoto[] }): Promise<OutboxItem> {
  const photoUploadIds: string[] = [];
  for (const photo of input.photos ?? []) {
    const uploadId = crypto.randomUUID();
    await putPhoto({ uploadId, blob: photo.blob, tag: photo.tag, sha256: await sha256Hex(photo.blob), offsetBytes: 0, state: 'waiting', error: null });
    photoUploadIds.push(uploadId);
  }
  countQueuedAction();
  const id = crypto.randomUUID();
  const payload = photoUploadIds.length > 0 ? { ...input.payload, photoUploadIds } : input.payload;
  const item: OutboxItem = {
    id,
    action: { id, type: input.type, at: new Date().toISOString(), payload, ...(input.baseVersion !== undefined ? { baseVersion: input.baseVersion } : {}) },
    state: 'waiting',
    summary: input.summary,
    photoUploadIds,
    createdAt: new Date().toISOString(),
    attempts: 0,
    lastResult: null,
    serverVersion: null,
  };
  await putOutboxItem(item);
  await refresh();
  void flushOutbox();
  return item;
}

function stateOf(result: SyncResult): OutboxItem['state'] {
  if (result.status === 'rejected' && result.error && RETRY_LATER.has(result.error.code)) return 'waiting';
  return result.status;
}

let flushing: Promise<void> | null = null;
let flushAgain = false;

/**
 * Sends what is waiting (photos first). Safe to call any time; one run at a time. A call during a
 * run asks for one more run after it: the running one picked its items before the new action was
 * queued, and the action must not wait for the next 20 s tick (a crew's "start" right after
 * "accept" did).
 */
export function flushOutbox(): Promise<void> {
  if (flushing) {
    flushAgain = true;
    return flushing;
  }
  flushing = (async () => {
    do {
      flushAgain = false;
      await runFlush();
    } while (flushAgain);
  })().finally(() => {
    flushing = null;
  });
  return flushing;
}

async function runFlush(): Promise<void> {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return;
  await refresh({ syncing: true, lastError: null });
  try {
    // "sending" left over from a page closed mid-request is sent again: the server answers duplicate if it arrived.
    const pending = snapshot.items.filter((item) => item.state === 'waiting' || item.state === 'sending');
    const ready: OutboxItem[] = [];
    for (const item of pending) {
      let photosReady = true;
      for (const uploadId of item.photoUploadIds) {
        const photo = await getPhoto(uploadId);
        if (!photo || !(await uploadPhoto(photo))) photosReady = false;
      }
      await refresh();
      if (photosReady) ready.push(item);
    }
    for (let start = 0; start < ready.length; start += PAGE_SIZE) {
      const page = ready.slice(start, start + PAGE_SIZE);
      for (const item of page) await putOutboxItem({ ...item, state: 'sending', attempts: item.attempts + 1 });
      await refresh();
      let results: SyncResult[];
      try {
        results = (await postSync(deviceIdentity().deviceId, page.map((item) => item.action))).results;
      } catch (error) {
        for (const item of page) await putOutboxItem({ ...item, state: 'waiting', attempts: item.attempts + 1 });
        throw error;
      }
      for (const [index, item] of page.entries()) {
        const result = results[index];
        if (!result) continue;
        const next: OutboxItem = { ...item, attempts: item.attempts + 1, state: stateOf(result), lastResult: result, serverVersion: result.status === 'conflict' ? (result.server ?? null) : item.serverVersion };
        await putOutboxItem(next);
        for (const listener of resultListeners) listener(next);
      }
    }
    await refresh({ syncing: false });
  } catch (error) {
    const offline = error instanceof ApiError && error.code === 'NETWORK_ERROR';
    await refresh({ syncing: false, lastError: offline ? null : error instanceof Error ? error.message : String(error) });
  }
}

/** The server's version number out of what a conflict carried (an assignment or a case Feature). */
export function serverVersionOf(server: unknown): number | null {
  if (!server || typeof server !== 'object') return null;
  const record = server as { version?: unknown; properties?: { version?: unknown } };
  const version = typeof record.version === 'number' ? record.version : record.properties?.version;
  return typeof version === 'number' ? version : null;
}

/** Keep mine: the same action id again, on top of the server's version. */
export async function keepMine(item: OutboxItem): Promise<void> {
  const version = serverVersionOf(item.serverVersion);
  if (version === null) return;
  await putOutboxItem({ ...item, state: 'waiting', action: { ...item.action, baseVersion: version } });
  await refresh();
  void flushOutbox();
}

/** Take the server's: the crew's action is set aside (still listed as discarded, never deleted). */
export async function takeServers(item: OutboxItem): Promise<void> {
  await putOutboxItem({ ...item, state: 'discarded' });
  await refresh();
}

/** A rejected action the crew has read and let go (kept in the list as discarded). */
export const dismissRejected = takeServers;
