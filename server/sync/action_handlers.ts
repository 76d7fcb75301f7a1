/**
 * What each synced action does. Every handler calls the SAME service the office's route uses
 * (createViolation, reviewDetection, transitionViolation), so a finding from the field is located,
 * assessed and checked exactly like one typed in at a desk.
 */
import { z } from 'zod';
import type { SessionUser } from '../auth/session_user.ts';
import type { Queryable } from '../db/database.ts';
import { hasPermission, type Permission } from '../domain/roles.ts';
import { DETECTION_REJECT_REASONS } from '../domain/detection_rules.ts';
import { VIOLATION_CATEGORIES } from '../domain/violation_categories.ts';
import { requireDetection, reviewDetection, toDetectionFeature } from '../detections/service.ts';
import { AppError, validationDetails } from '../http/errors.ts';
import { attachPhotos } from '../violations/queries.ts';
import { createViolationBody, pointSchema } from '../violations/routes.ts';
import { createViolation, requireViolation, toFeature, transitionViolation } from '../violations/service.ts';
import type { ViolationSettings } from '../violations/types.ts';
import { SyncConflict } from './action_errors.ts';
import { selectUploadedPhotoIds } from './queries.ts';
import { photoUploadIdsSchema, type SyncAction } from './types.ts';

export interface ActionOutcome {
  entityId: number | null;
  /** Stored in the log and returned as `server` (again on every duplicate). */
  result: unknown;
}

export interface ActionDependencies {
  violationSettings: ViolationSettings;
}

export type ActionHandler = (db: Queryable, action: SyncAction, user: SessionUser, deps: ActionDependencies) => Promise<ActionOutcome>;

export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown): T {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const details = validationDetails(parsed.error);
  const first = details[0];
  throw new AppError(400, 'VALIDATION_FAILED', `payload${first?.path ? ` "${first.path}"` : ''} is not valid: ${first?.message ?? 'invalid'}`, details);
}

export function requirePermission(user: SessionUser, permission: Permission): void {
  if (!hasPermission(user.role, permission)) {
    throw new AppError(403, 'FORBIDDEN', `Role ${user.role} may not do this (needs permission ${permission})`, { permission, role: user.role });
  }
}

/** Photo ids of the action's uploads; every upload must be finished (else the action waits: 422). */
async function photoIdsOf(db: Queryable, uploadIds: readonly string[]): Promise<number[]> {
  const rows = await selectUploadedPhotoIds(db, uploadIds);
  const byId = new Map(rows.map((row) => [row.id, row.photo_id]));
  const missing = uploadIds.filter((id) => !byId.get(id));
  if (missing.length > 0) {
    throw new AppError(422, 'PHOTO_NOT_UPLOADED', `${missing.length} photo(s) of this action are not uploaded yet; finish their upload and send the action again`, {
      photoUploadIds: missing,
    });
  }
  return uploadIds.map((id) => byId.get(id)!);
}

const findingPayload = createViolationBody.extend({ photoUploadIds: photoUploadIdsSchema.optional() });

const createFinding: ActionHandler = async (db, action, user, deps) => {
  const payload = parsePayload(findingPayload, action.payload);
  const photoIds = await photoIdsOf(db, payload.photoUploadIds ?? []);
  // The action id doubles as the record's externalId: even a log lost with a restored database
  // backup cannot make the same action a second violation.
  const externalId = payload.properties.externalId ?? `sync:${action.id}`;
  const { feature } = await createViolation(db, { ...payload.properties, externalId, geometry: payload.geometry }, user, deps.violationSettings);
  if (photoIds.length > 0) await attachPhotos(db, feature.id, feature.properties.jurisdiction?.code ?? null, photoIds);
  return { entityId: feature.id, result: toFeature(await requireViolation(db, feature.id)) };
};

const leadPayload = z
  .object({
    detectionId: z.number().int().positive('detectionId must be a positive id'),
    decision: z.enum(['confirm', 'reject'], 'decision must be confirm or reject'),
    category: z.enum(VIOLATION_CATEGORIES, 'category is not a violation category').optional(),
    attributes: z.record(z.string(), z.unknown()).optional(),
    rejectReason: z.enum(DETECTION_REJECT_REASONS, `rejectReason must be one of ${DETECTION_REJECT_REASONS.join(', ')}`).optional(),
    note: z.string().trim().max(2000).optional(),
    // A lead is verified ON SITE: the photo is the evidence (DOMAIN.md, enforcement flow 1).
    photoUploadIds: photoUploadIdsSchema.min(1, 'an on-site photo is required to verify a lead'),
  })
  .superRefine((body, context) => {
    if (body.decision === 'reject' && !body.rejectReason) context.addIssue({ code: 'custom', path: ['rejectReason'], message: 'rejectReason is required to reject' });
  });

const verifyLead: ActionHandler = async (db, action, user) => {
  requirePermission(user, 'leads.verify');
  const payload = parsePayload(leadPayload, action.payload);
  const photoIds = await photoIdsOf(db, payload.photoUploadIds);
  try {
    const result = await reviewDetection(
      db,
      payload.detectionId,
      { action: payload.decision, category: payload.category, attributes: payload.attributes, rejectReason: payload.rejectReason, note: payload.note },
      user,
    );
    const violationId = result.after.violationId;
    if (violationId !== null) {
      const violation = await requireViolation(db, violationId);
      await attachPhotos(db, violationId, violation.jurisdiction_code, photoIds);
    }
    return { entityId: payload.detectionId, result: { detection: result.feature, violationId, photoIds } };
  } catch (error) {
    if (error instanceof AppError && error.status === 409) throw new SyncConflict(error, null);
    throw error;
  }
};

/** The detection as the server has it now (after the failed action's savepoint was rolled back). */
async function currentDetection(db: Queryable, action: SyncAction): Promise<unknown> {
  const id = (action.payload as { detectionId?: unknown } | null)?.detectionId;
  if (typeof id !== 'number') return null;
  const row = await requireDetection(db, id).catch(() => null);
  return row ? toDetectionFeature(row) : null;
}

const reinspectPayload = z.object({
  violationId: z.number().int().positive('violationId must be a positive id'),
  outcome: z.enum(['pass', 'fail'], 'outcome must be pass or fail'),
  note: z.string().max(4000).nullish(),
  photoUploadIds: photoUploadIdsSchema.min(1, 'a re-inspection needs its own photo'),
  location: pointSchema.nullish(),
});

const reinspectCase: ActionHandler = async (db, action, user) => {
  requirePermission(user, 'cases.transition');
  const payload = parsePayload(reinspectPayload, action.payload);
  const photoIds = await photoIdsOf(db, payload.photoUploadIds);
  try {
    const feature = await transitionViolation(
      db,
      payload.violationId,
      {
        event: payload.outcome === 'pass' ? 'reinspect_pass' : 'reinspect_fail',
        expectedVersion: action.baseVersion,
        note: payload.note ?? null,
        photoIds,
        location: payload.location ?? null,
      },
      user,
    );
    return { entityId: feature.id, result: feature };
  } catch (error) {
    if (error instanceof AppError && error.status === 409) throw new SyncConflict(error, null);
    throw error;
  }
};

async function currentViolation(db: Queryable, action: SyncAction): Promise<unknown> {
  const id = (action.payload as { violationId?: unknown } | null)?.violationId;
  if (typeof id !== 'number') return null;
  const row = await requireViolation(db, id).catch(() => null);
  return row ? toFeature(row) : null;
}

export interface ActionKind {
  apply: ActionHandler;
  /** The entity as the server has it, for a conflict (read after the savepoint's rollback). */
  current?: (db: Queryable, action: SyncAction) => Promise<unknown>;
}

/** Registry of action kinds; track.append is added by server/tracks (registerActionKind). */
const ACTION_KINDS: Partial<Record<string, ActionKind>> = {
  'finding.create': { apply: createFinding },
  'lead.verify': { apply: verifyLead, current: currentDetection },
  'case.reinspect': { apply: reinspectCase, current: currentViolation },
};

export function actionKind(type: string): ActionKind | undefined {
  return Object.hasOwn(ACTION_KINDS, type) ? ACTION_KINDS[type] : undefined;
}

/** Lets a domain that lives elsewhere (tracks, assignments) add its action kind at start-up. */
export function registerActionKind(type: string, kind: ActionKind): void {
  ACTION_KINDS[type] = kind;
}
