import { z } from 'zod';

/** Kinds of action a device may queue offline (docs/field_app.md). */
export const SYNC_ACTION_TYPES = ['finding.create', 'lead.verify', 'case.reinspect', 'assignment.transition', 'track.append'] as const;
export type SyncActionType = (typeof SYNC_ACTION_TYPES)[number];

export const SYNC_STATUSES = ['applied', 'duplicate', 'conflict', 'rejected'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/** At most this many actions per request: a phone coming out of a tunnel sends its queue in pages. */
export const SYNC_MAXIMUM_ACTIONS = 200;

export const syncActionSchema = z.object({
  id: z.uuid('id must be a UUID chosen by the device'),
  // Checked per action (an unknown type rejects that action, not the batch).
  type: z.string().min(1).max(50),
  at: z.iso.datetime({ offset: true, message: 'at must be an ISO date-time with offset' }).optional(),
  payload: z.unknown(),
  baseVersion: z.number().int().positive('baseVersion must be a positive integer').optional(),
});
export type SyncAction = z.infer<typeof syncActionSchema>;

export const syncBodySchema = z.object({
  deviceId: z.string().trim().min(1, 'deviceId is required').max(100, 'deviceId must be at most 100 characters'),
  actions: z.array(syncActionSchema).max(SYNC_MAXIMUM_ACTIONS, `at most ${SYNC_MAXIMUM_ACTIONS} actions per request`),
});

export interface SyncError {
  code: string;
  message: string;
  details: unknown;
}

export interface SyncResult {
  id: string;
  status: SyncStatus;
  entityId?: number;
  error?: SyncError;
  /** applied/duplicate: what was recorded; conflict: the server's current version of the entity. */
  server?: unknown;
}

/** photoUploadIds: ids of resumable uploads (POST /uploads), chosen by the device while offline. */
export const photoUploadIdsSchema = z.array(z.uuid('photoUploadIds must be upload UUIDs')).max(20, 'at most 20 photos per action');
