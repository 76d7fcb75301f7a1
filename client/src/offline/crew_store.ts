/**
 * The crew app's IndexedDB (via idb): the day's assignment, the cases and leads it touches, the
 * corridor's map data, the photos waiting to upload and the OUTBOX of actions. Everything the crew
 * did offline lives here until the server has answered for it; nothing is deleted by the app
 * except what the crew chose to discard.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Assignment, SyncActionBody, SyncResult } from '../api/crew';

/** waiting → sending → applied | duplicate | conflict | rejected; `discarded` = the crew took the server's version. */
export const OUTBOX_STATES = ['waiting', 'sending', 'applied', 'duplicate', 'conflict', 'rejected', 'discarded'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export interface OutboxItem {
  id: string;
  action: SyncActionBody;
  state: OutboxState;
  /** What the crew sees in the list: "发现 违法建筑 K3+200", "轨迹 12 点" … */
  summary: string;
  photoUploadIds: string[];
  createdAt: string;
  attempts: number;
  lastResult: SyncResult | null;
  /** The server's version on a conflict (shown beside the crew's own). */
  serverVersion: unknown;
}

export type PhotoState = 'waiting' | 'uploading' | 'uploaded' | 'failed';

export interface PendingPhoto {
  uploadId: string;
  blob: Blob;
  tag: 'before' | 'after' | 'other';
  sha256: string;
  offsetBytes: number;
  state: PhotoState;
  error: string | null;
}

export interface CorridorData {
  assignmentId: number;
  bbox: [number, number, number, number];
  segments: unknown;
  zones: unknown;
  roads: unknown;
  sizeBytes: number;
  savedAt: string;
}

interface CrewSchema extends DBSchema {
  meta: { key: string; value: unknown };
  assignments: { key: number; value: Assignment & { savedAt: string } };
  records: { key: string; value: { key: string; value: unknown } };
  corridor: { key: number; value: CorridorData };
  outbox: { key: string; value: OutboxItem; indexes: { byCreated: string } };
  photos: { key: string; value: PendingPhoto };
}

const DB_NAME = 'luyu-crew';
let opened: Promise<IDBPDatabase<CrewSchema>> | null = null;

export function crewDb(): Promise<IDBPDatabase<CrewSchema>> {
  opened ??= openDB<CrewSchema>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('meta');
      db.createObjectStore('assignments', { keyPath: 'id' });
      db.createObjectStore('records', { keyPath: 'key' });
      db.createObjectStore('corridor', { keyPath: 'assignmentId' });
      db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('byCreated', 'createdAt');
      db.createObjectStore('photos', { keyPath: 'uploadId' });
    },
  });
  return opened;
}

export async function readMeta<T>(key: string): Promise<T | undefined> {
  return (await (await crewDb()).get('meta', key)) as T | undefined;
}

export async function writeMeta(key: string, value: unknown): Promise<void> {
  await (await crewDb()).put('meta', value, key);
}

export async function saveAssignments(assignments: Assignment[]): Promise<void> {
  const db = await crewDb();
  const savedAt = new Date().toISOString();
  const tx = db.transaction('assignments', 'readwrite');
  await tx.store.clear();
  for (const assignment of assignments) await tx.store.put({ ...assignment, savedAt });
  await tx.done;
}

export async function loadAssignments(): Promise<Assignment[]> {
  return (await crewDb()).getAll('assignments');
}

/** Cases and leads the assignment touches, keyed `violation:<id>` / `detection:<id>`. */
export async function saveRecord(key: string, value: unknown): Promise<void> {
  await (await crewDb()).put('records', { key, value });
}

export async function loadRecord<T>(key: string): Promise<T | undefined> {
  return (await (await crewDb()).get('records', key))?.value as T | undefined;
}

export async function saveCorridor(data: CorridorData): Promise<void> {
  await (await crewDb()).put('corridor', data);
}

export async function loadCorridor(assignmentId: number): Promise<CorridorData | undefined> {
  return (await crewDb()).get('corridor', assignmentId);
}

export async function putOutboxItem(item: OutboxItem): Promise<void> {
  await (await crewDb()).put('outbox', item);
}

export async function outboxItems(): Promise<OutboxItem[]> {
  return (await crewDb()).getAllFromIndex('outbox', 'byCreated');
}

export async function putPhoto(photo: PendingPhoto): Promise<void> {
  await (await crewDb()).put('photos', photo);
}

export async function getPhoto(uploadId: string): Promise<PendingPhoto | undefined> {
  return (await crewDb()).get('photos', uploadId);
}

export async function allPhotos(): Promise<PendingPhoto[]> {
  return (await crewDb()).getAll('photos');
}
