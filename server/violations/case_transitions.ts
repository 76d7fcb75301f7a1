/**
 * One lifecycle step of a case, in two halves so a bulk request can check every case before it
 * writes any: `planTransition` reads and checks (nothing written), `applyTransition` writes the
 * optimistic status update, the case number, attached photos and the timeline row.
 */
import type { SessionUser } from '../auth/session_user.ts';
import type { Queryable } from '../db/database.ts';
import { formatCaseNumber } from '../domain/case_number.ts';
import {
  allowedEvents,
  CASE_STATUSES,
  defaultDeadline,
  missingRequirements,
  nextTransition,
  REQUIREMENT_LABELS,
  type CaseEvent,
  type CaseStatus,
  type CaseTransition,
  type RejectReason,
} from '../domain/case_workflow.ts';
import type { ResponsibleParty, ViolationSource } from '../domain/violation_attributes.ts';
import { isViolationCategory } from '../domain/violation_categories.ts';
import { AppError } from '../http/errors.ts';
import {
  attachPhotos,
  insertCaseEvents,
  nextCaseSequence,
  selectCaseStates,
  selectPhotoStates,
  updateCaseNumber,
  updateCaseStatus,
  type CaseStateRow,
} from './queries.ts';

export type CaseActor = Pick<SessionUser, 'id' | 'username' | 'role'>;

export interface TransitionRequest {
  event: CaseEvent;
  expectedVersion?: number;
  note?: string | null;
  deadline?: Date | null;
  party?: ResponsibleParty | null;
  photoIds?: number[];
  rejectReason?: RejectReason | null;
  location?: GeoJSON.Point | null;
}

export interface TransitionPlan {
  state: CaseStateRow;
  row: CaseTransition;
  request: TransitionRequest;
  party: ResponsibleParty | null;
  deadline: Date | null;
  newPhotoIds: number[];
}

/** Events that set the rectification deadline (the others keep it). */
const DEADLINE_SETTING_EVENTS: readonly CaseEvent[] = ['issue_notice', 'reissue_notice', 'send_reminder'];
/** A deadline a little in the past is clock skew between a phone and the server, not an error. */
const DEADLINE_SKEW_MILLISECONDS = 5 * 60_000;

function caseNotFound(id: number): AppError {
  return new AppError(404, 'VIOLATION_NOT_FOUND', `No violation with id ${id} in your jurisdiction`, { id });
}

function deadlineFor(state: CaseStateRow, request: TransitionRequest, now: Date): Date | null {
  if (!DEADLINE_SETTING_EVENTS.includes(request.event)) return state.deadline_at;
  if (request.deadline) return request.deadline;
  // The notice gets the category's practice default; a reminder (催告) must name its own new limit.
  if (request.event === 'issue_notice' && isViolationCategory(state.category)) return defaultDeadline(state.category, now);
  if (request.event === 'reissue_notice') return state.deadline_at;
  return null;
}

/**
 * Checks a transition of one case against the workflow table, the case's evidence and the
 * request; throws the contract's AppError (404, 409, 403, 422, 400) and writes nothing.
 */
export async function planTransition(db: Queryable, id: number, request: TransitionRequest, actor: CaseActor, known?: CaseStateRow): Promise<TransitionPlan> {
  const state = known ?? (await selectCaseStates(db, [id]))[0];
  if (!state) throw caseNotFound(id);
  const status = state.status as CaseStatus;
  if (!(CASE_STATUSES as readonly string[]).includes(status)) {
    throw new AppError(409, 'TRANSITION_NOT_ALLOWED', `The case is in an unknown status "${state.status}"`, { id, status: state.status });
  }
  if (request.expectedVersion !== undefined && request.expectedVersion !== state.version) {
    throw new AppError(409, 'CASE_CHANGED', `The case changed meanwhile (version ${state.version}, you saw ${request.expectedVersion}); reload it`, {
      id,
      currentVersion: state.version,
      status,
    });
  }
  const result = nextTransition(status, request.event, actor.role);
  if (!result.ok) {
    throw new AppError(result.code === 'ROLE_NOT_ALLOWED' ? 403 : 409, result.code, result.message, {
      id,
      status,
      event: request.event,
      allowedEvents: allowedEvents(status, actor.role),
    });
  }
  if (request.event === 'verify' && !state.is_violation) {
    throw new AppError(
      409,
      'NOT_A_VIOLATION',
      'This finding is outside every zone where its category is prohibited (outside road law): it is kept on record but no case is opened; reject it instead',
      { id, status },
    );
  }
  if (request.event === 'verify' && state.case_number === null && state.jurisdiction_code === null) {
    throw new AppError(409, 'NO_JURISDICTION', 'The finding lies in no district, so it cannot get a case number', { id });
  }

  const requestedPhotoIds = [...new Set(request.photoIds ?? [])];
  const photos = await selectPhotoStates(db, requestedPhotoIds);
  const invisible = requestedPhotoIds.filter((photoId) => !photos.some((photo) => photo.id === photoId));
  if (invisible.length > 0) {
    throw new AppError(400, 'PHOTO_NOT_FOUND', `No photo ${invisible.join(', ')} that you can see; upload it first (POST /api/v1/photos)`, { photoIds: invisible });
  }
  const elsewhere = photos.filter((photo) => photo.violation_id !== null && photo.violation_id !== id);
  if (elsewhere.length > 0) {
    throw new AppError(409, 'PHOTO_ATTACHED_ELSEWHERE', `Photo ${elsewhere.map((photo) => photo.id).join(', ')} belongs to another case`, {
      photoIds: elsewhere.map((photo) => photo.id),
    });
  }
  const newPhotos = photos.filter((photo) => photo.violation_id === null);

  const now = new Date();
  const deadline = deadlineFor(state, request, now);
  if (request.deadline && DEADLINE_SETTING_EVENTS.includes(request.event) && request.deadline.getTime() < now.getTime() - DEADLINE_SKEW_MILLISECONDS) {
    throw new AppError(400, 'DEADLINE_IN_PAST', 'The deadline must be in the future', { deadline: request.deadline.toISOString() });
  }
  const party = (request.party ?? state.party) as ResponsibleParty | null;
  const missing = missingRequirements(result, {
    photoCount: state.photo_count + newPhotos.length,
    afterPhotoCount: state.after_photo_count + newPhotos.filter((photo) => photo.tag === 'after').length,
    hasParty: party !== null && typeof party.name === 'string' && party.name.trim() !== '',
    deadline,
    note: request.note ?? null,
    rejectReason: request.rejectReason ?? null,
    source: state.source as ViolationSource,
  });
  if (missing.length > 0) {
    throw new AppError(422, 'REQUIREMENTS_MISSING', `"${request.event}" needs ${missing.map((requirement) => REQUIREMENT_LABELS[requirement].en).join(', ')}`, {
      id,
      missing,
      labels: missing.map((requirement) => ({ requirement, ...REQUIREMENT_LABELS[requirement] })),
    });
  }
  return { state, row: result, request, party, deadline, newPhotoIds: newPhotos.map((photo) => photo.id) };
}

/**
 * Writes a planned transition. The status update names the status and version the plan saw, so a
 * concurrent change makes it match nothing → 409 CASE_CHANGED (the caller's transaction rolls back,
 * returning any case number it drew).
 */
export async function applyTransition(db: Queryable, plan: TransitionPlan, actor: CaseActor): Promise<{ caseNumber: string | null }> {
  const { state, row, request } = plan;
  const updated = await updateCaseStatus(db, {
    id: state.id,
    fromStatus: state.status,
    expectedVersion: state.version,
    toStatus: row.to,
    party: plan.party,
    deadlineAt: plan.deadline,
    closed: row.to === 'closed' ? 'set' : request.event === 'reopen' ? 'clear' : 'keep',
  });
  if (!updated) {
    throw new AppError(409, 'CASE_CHANGED', 'Someone changed the case meanwhile; reload it and try again', { id: state.id });
  }
  let caseNumber = state.case_number;
  let assignedCaseNumber: string | null = null;
  // Numbered once: a case rejected after filing and reopened keeps its number.
  if (request.event === 'verify' && caseNumber === null && state.jurisdiction_code !== null) {
    const { year, sequence } = await nextCaseSequence(db, state.jurisdiction_code);
    caseNumber = formatCaseNumber({ jurisdictionCode: state.jurisdiction_code, year, sequence });
    assignedCaseNumber = caseNumber;
    await updateCaseNumber(db, state.id, caseNumber);
  }
  await attachPhotos(db, state.id, state.jurisdiction_code, plan.newPhotoIds);
  const details: Record<string, unknown> = {};
  if (request.rejectReason) details.rejectReason = request.rejectReason;
  if (assignedCaseNumber) details.caseNumber = assignedCaseNumber;
  if (plan.deadline && plan.deadline?.getTime() !== state.deadline_at?.getTime()) details.deadline = plan.deadline.toISOString();
  if (request.party) details.party = request.party;
  await insertCaseEvents(db, [
    {
      violation_id: state.id,
      event: request.event,
      from_status: state.status,
      to_status: row.to,
      occurred_at: null,
      actor_user_id: actor.id,
      actor_username: actor.username,
      actor_role: actor.role,
      note: request.note?.trim() || null,
      details,
      photo_ids: [...new Set(request.photoIds ?? [])],
      location: request.location ? JSON.stringify(request.location) : null,
    },
  ]);
  return { caseNumber };
}

/** Plan + apply for one case. */
export async function transitionCase(db: Queryable, id: number, request: TransitionRequest, actor: CaseActor): Promise<void> {
  const plan = await planTransition(db, id, request, actor);
  await applyTransition(db, plan, actor);
}

export interface BulkFailure {
  id: number;
  code: string;
  message: string;
}

/**
 * All-or-nothing over many cases: every case is planned first; any refusal throws with the list
 * of failures before anything is written.
 */
export async function transitionCases(db: Queryable, ids: readonly number[], request: Omit<TransitionRequest, 'photoIds' | 'expectedVersion'>, actor: CaseActor): Promise<number[]> {
  const unique = [...new Set(ids)];
  const states = new Map((await selectCaseStates(db, unique)).map((state) => [state.id, state]));
  const plans: TransitionPlan[] = [];
  const failures: BulkFailure[] = [];
  for (const id of unique) {
    try {
      const state = states.get(id);
      if (!state) throw caseNotFound(id);
      plans.push(await planTransition(db, id, request, actor, state));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      failures.push({ id, code: error.code, message: error.message });
    }
  }
  if (failures.length > 0) {
    const onlyRequirements = failures.every((failure) => failure.code === 'REQUIREMENTS_MISSING');
    throw new AppError(
      onlyRequirements ? 422 : 409,
      onlyRequirements ? 'REQUIREMENTS_MISSING' : 'BULK_TRANSITION_FAILED',
      `${failures.length} of ${unique.length} cases cannot take "${request.event}"; nothing was changed`,
      { failures },
    );
  }
  for (const plan of plans) await applyTransition(db, plan, actor);
  return unique;
}
