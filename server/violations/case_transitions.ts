/**
 * The case workflow bound to the kernel (server/workflow/): the violations table, its timeline
 * (case_events) and the case's own checks — evidence, deadline, photos, requirements — as hooks.
 * The kernel owns the version check, the conditional update, bulk locking and retries.
 */
import type { SessionUser } from '../auth/session_user.ts';
import type { Queryable } from '../db/database.ts';
import { formatCaseNumber } from '../domain/case_number.ts';
import {
  CASE_WORKFLOW,
  defaultDeadline,
  missingRequirements,
  REQUIREMENT_LABELS,
  type CaseEvent,
  type RejectReason,
  type Requirement,
} from '../domain/case_workflow.ts';
import type { ResponsibleParty, ViolationSource } from '../domain/violation_attributes.ts';
import { isViolationCategory } from '../domain/violation_categories.ts';
import { checkDuties } from '../duties/service.ts';
import { AppError } from '../http/errors.ts';
import { bindWorkflow, transitionMany, transitionOne, WORKFLOW_NOW, type WorkflowActor, type WorkflowPlan } from '../workflow/kernel.ts';
import {
  attachPhotos,
  insertCaseEvents,
  nextCaseSequence,
  selectCaseStates,
  selectPhotoStates,
  updateCaseNumber,
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
  /** The second officer on a notice (issue_notice, reissue_notice). */
  secondOfficerId?: number | null;
}

/** An officer as the notice prints them (event details of issue_notice / reissue_notice). */
export interface NoticeOfficer {
  userId: number;
  name: string;
  certificateNumber: string | null;
}

/** What the case's checks hand to its writes. */
interface CaseChecked {
  party: ResponsibleParty | null;
  deadline: Date | null;
  newPhotoIds: number[];
  /** Officers named on a notice, issuing officer first (empty for other events). */
  officers: NoticeOfficer[];
}

type CasePlan = WorkflowPlan<CaseStateRow, TransitionRequest, CaseChecked>;

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
 * The case's own checks once the table allowed the transition (throws the contract's AppError:
 * 409 NOT_A_VIOLATION / NO_JURISDICTION, 400 PHOTO_NOT_FOUND / DEADLINE_IN_PAST, 409
 * PHOTO_ATTACHED_ELSEWHERE, 422 REQUIREMENTS_MISSING); writes nothing.
 */
async function checkCase(db: Queryable, state: CaseStateRow, requires: readonly Requirement[], request: TransitionRequest, actor: WorkflowActor): Promise<CaseChecked> {
  const id = state.id;
  const status = state.status;
  if (!state.in_scope) {
    throw new AppError(403, 'OUTSIDE_JURISDICTION', `You referred this finding to ${state.jurisdiction_code}; only that district acts on it`, {
      id,
      jurisdictionCode: state.jurisdiction_code,
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
  const missing = missingRequirements({ requires }, {
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
  // Separation of duties last: the table and the evidence speak first, then who may do it.
  const officers = await checkDuties(db, {
    event: request.event,
    jurisdictionCode: state.jurisdiction_code,
    actorUserId: actor.id,
    clearanceReporterUserId: state.clearance_reporter_user_id,
    newAfterPhotoCount: newPhotos.filter((photo) => photo.tag === 'after').length,
    secondOfficerId: request.secondOfficerId ?? null,
  });
  return {
    party,
    deadline,
    newPhotoIds: newPhotos.map((photo) => photo.id),
    officers: officers.map((officer) => ({ userId: officer.id, name: officer.display_name ?? officer.username, certificateNumber: officer.enforcement_certificate_number })),
  };
}

/** Numbered once: a case rejected after filing and reopened keeps its number. Attaches new photos. */
async function afterCaseUpdate(db: Queryable, plan: CasePlan): Promise<Record<string, unknown>> {
  const { state, request } = plan;
  const details: Record<string, unknown> = {};
  if (request.event === 'verify' && state.case_number === null && state.jurisdiction_code !== null) {
    const { year, sequence } = await nextCaseSequence(db, state.jurisdiction_code);
    const caseNumber = formatCaseNumber({ jurisdictionCode: state.jurisdiction_code, year, sequence });
    await updateCaseNumber(db, state.id, caseNumber);
    details.caseNumber = caseNumber;
  }
  await attachPhotos(db, state.id, state.jurisdiction_code, plan.checked.newPhotoIds);
  return details;
}

export const CASE_WORKFLOW_BINDING = bindWorkflow<CaseStateRow, TransitionRequest, CaseChecked>({
  workflow: CASE_WORKFLOW,
  entityCode: 'CASE',
  entityPlural: 'cases',
  names: {
    table: 'violations',
    idColumn: 'id',
    statusColumn: 'status',
    versionColumn: 'version',
    updatableColumns: ['updated_at', 'party', 'deadline_at', 'closed_at'],
    eventTable: 'case_events',
    eventEntityColumn: 'violation_id',
  },
  selectStates: selectCaseStates,
  notFound: caseNotFound,
  hooks: {
    check: ({ db, state, transition, request, actor }) => checkCase(db, state, transition.requires as readonly Requirement[], request, actor),
    columns: (plan) => {
      const closed = plan.transition.to === 'closed' ? WORKFLOW_NOW : plan.request.event === 'reopen' ? null : undefined;
      return {
        updated_at: WORKFLOW_NOW,
        party: plan.checked.party === null ? null : JSON.stringify(plan.checked.party),
        deadline_at: plan.checked.deadline,
        ...(closed === undefined ? {} : { closed_at: closed }),
      };
    },
    afterUpdate: (db, plan) => afterCaseUpdate(db, plan),
    event: (plan, extra) => {
      const { state, request, checked } = plan;
      // Key order as the timeline has always shown it: reason, number, deadline, party.
      const details: Record<string, unknown> = {};
      if (request.rejectReason) details.rejectReason = request.rejectReason;
      if (extra.caseNumber) details.caseNumber = extra.caseNumber;
      if (checked.deadline && checked.deadline.getTime() !== state.deadline_at?.getTime()) details.deadline = checked.deadline.toISOString();
      if (request.party) details.party = request.party;
      if (checked.officers.length > 0) details.officers = checked.officers;
      return { note: request.note?.trim() || null, details };
    },
    insertEvents: (db, rows, plans) =>
      insertCaseEvents(
        db,
        rows.map((row, index) => {
          const request = plans[index]!.request;
          return {
            violation_id: row.entityId,
            event: row.event,
            from_status: row.fromStatus,
            to_status: row.toStatus,
            occurred_at: null,
            actor_user_id: row.actorUserId,
            actor_username: row.actorUsername,
            actor_role: row.actorRole,
            note: row.note,
            details: row.details,
            photo_ids: [...new Set(request.photoIds ?? [])],
            location: request.location ? JSON.stringify(request.location) : null,
          };
        }),
      ),
  },
});

/** One case: plan + apply through the kernel. */
export async function transitionCase(db: Queryable, id: number, request: TransitionRequest, actor: CaseActor): Promise<void> {
  await transitionOne(db, CASE_WORKFLOW_BINDING, id, request, actor as WorkflowActor);
}

/**
 * All-or-nothing over many cases: locked in id order, every case planned first; any refusal
 * throws with the list of failures before anything is written.
 */
export async function transitionCases(db: Queryable, ids: readonly number[], request: Omit<TransitionRequest, 'photoIds' | 'expectedVersion'>, actor: CaseActor): Promise<number[]> {
  return transitionMany(db, CASE_WORKFLOW_BINDING, ids, request, actor as WorkflowActor);
}
