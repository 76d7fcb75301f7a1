/**
 * Supervision (督办): issue an item with its unified number, list and read items, and move them
 * through the closed loop with the workflow kernel (server/workflow/). The table of transitions is
 * server/domain/supervision_workflow.ts; this module adds the record's own checks.
 */
import type { SessionUser } from '../auth/session_user.ts';
import { offsetPage } from '../paging/keyset.ts';
import type { Queryable } from '../db/database.ts';
import {
  handledOnTime,
  OPEN_SUPERVISION_STATUSES,
  RESPONSIBLE_PERSON_EVENTS,
  SUPERVISION_WORKFLOW,
  type Satisfaction,
  type SupervisionEvent,
  type SupervisionRequirement,
  type SupervisionStatus,
} from '../domain/supervision_workflow.ts';
import { formatSupervisionNumber } from '../domain/supervision_number.ts';
import { AppError } from '../http/errors.ts';
import { shanghaiToday } from '../management/periods.ts';
import { assertUnitInScope } from '../management/scope.ts';
import { bindWorkflow, transitionOne, WORKFLOW_NOW, type WorkflowActor, type WorkflowRequest } from '../workflow/kernel.ts';
import {
  countBacklog,
  insertSupervision,
  countSupervisions,
  insertSupervisionEvent,
  nextSupervisionSequence,
  selectResponsibleCandidates,
  selectSupervisedCase,
  selectSupervision,
  selectSupervisionEvents,
  selectSupervisions,
  selectSupervisionStates,
  selectUserByUsername,
  type SupervisionFilter,
  type SupervisionRow,
  type SupervisionStateRow,
} from './queries.ts';

export interface CreateSupervisionInput {
  subject: 'case' | 'backlog';
  violationId?: number;
  /** Backlog: the unit whose open cases are supervised (its own or one below the manager's). */
  jurisdiction?: string;
  backlog?: { overdue: boolean; category?: string | null };
  responsibleUsername: string;
  deadline: string;
  instructions: string;
}

const CLOSED_CASE_STATUSES = ['closed', 'rejected'];

export function supervisionNotFound(id: number): AppError {
  return new AppError(404, 'SUPERVISION_NOT_FOUND', `No supervision ${id} in your jurisdiction`, { id });
}

export async function createSupervision(db: Queryable, user: SessionUser, input: CreateSupervisionInput, now: Date = new Date()): Promise<number> {
  const today = shanghaiToday(now);
  if (input.deadline < today) throw new AppError(400, 'DEADLINE_IN_PAST', `The deadline ${input.deadline} has passed (today is ${today})`, { deadline: input.deadline, today });
  let responsibleUnit: string;
  let violationId: number | null = null;
  let backlog: { overdue: boolean; category: string | null; casesWhenIssued: number } | null = null;
  if (input.subject === 'case') {
    const found = input.violationId === undefined ? undefined : await selectSupervisedCase(db, input.violationId);
    if (!found) throw new AppError(404, 'VIOLATION_NOT_FOUND', `No violation with id ${input.violationId} in your jurisdiction`, { id: input.violationId });
    if (CLOSED_CASE_STATUSES.includes(found.status) || found.jurisdiction_code === null) {
      throw new AppError(409, 'SUPERVISION_CASE_NOT_OPEN', `Case ${found.case_number ?? found.id} is ${found.status}: there is nothing left to supervise`, { id: found.id, status: found.status });
    }
    responsibleUnit = found.jurisdiction_code;
    violationId = found.id;
  } else {
    responsibleUnit = assertUnitInScope(user, input.jurisdiction);
    const filter = { overdue: input.backlog?.overdue ?? true, category: input.backlog?.category ?? null };
    backlog = { ...filter, casesWhenIssued: await countBacklog(db, responsibleUnit, filter, today) };
  }
  const person = await selectUserByUsername(db, input.responsibleUsername);
  if (!person || !person.is_active || person.jurisdiction_code !== responsibleUnit || !['officer', 'manager'].includes(person.role)) {
    const candidates = await selectResponsibleCandidates(db, responsibleUnit);
    throw new AppError(
      400,
      'RESPONSIBLE_PERSON_INVALID',
      `The responsible person must be an active officer or manager of unit ${responsibleUnit}; choose one of: ${candidates.map((candidate) => candidate.username).join(', ') || '(none)'}`,
      { responsibleUsername: input.responsibleUsername, jurisdiction: responsibleUnit, candidates: candidates.map((candidate) => candidate.username) },
    );
  }
  const issuingUnit = user.jurisdiction.code;
  const { year, sequence } = await nextSupervisionSequence(db, issuingUnit);
  const id = await insertSupervision(db, {
    supervisionNumber: formatSupervisionNumber({ jurisdictionCode: issuingUnit, year, sequence }),
    issuingJurisdictionCode: issuingUnit,
    subject: input.subject,
    violationId,
    backlog,
    responsibleJurisdictionCode: responsibleUnit,
    responsibleUserId: person.id,
    deadline: input.deadline,
    instructions: input.instructions.trim(),
    createdBy: user.id,
  });
  // 交办: the first row of the timeline.
  await insertSupervisionEvent(db, {
    supervisionId: id,
    event: 'assign',
    fromStatus: null,
    toStatus: 'assigned',
    actorUserId: user.id,
    actorUsername: user.username,
    actorRole: user.role,
    note: input.instructions.trim(),
    details: { responsible: person.username, deadline: input.deadline },
  });
  return id;
}

function toSupervision(row: SupervisionRow, user: SessionUser, today: string) {
  const status = row.status as SupervisionStatus;
  const doneDay = row.done_at === null ? null : shanghaiToday(row.done_at);
  const mine = row.responsible_username === user.username;
  // What this user may press: the table's events for the role, less those reserved to the named person.
  const allowed = SUPERVISION_WORKFLOW.allowedEvents(status, user.role).filter(
    (event) => !(RESPONSIBLE_PERSON_EVENTS.includes(event) && user.role !== 'manager' && !mine),
  );
  return {
    id: row.id,
    supervisionNumber: row.supervision_number,
    subject: row.subject,
    case: row.violation_id === null ? null : { id: row.violation_id, caseNumber: row.case_number, status: row.case_status },
    backlog: row.backlog,
    issuingUnit: { code: row.issuing_code, name: row.issuing_name },
    responsibleUnit: { code: row.responsible_code, name: row.responsible_name },
    responsible: { username: row.responsible_username, name: row.responsible_display_name },
    deadline: row.deadline,
    instructions: row.instructions,
    status,
    version: row.version,
    urgeCount: row.urge_count,
    acceptedAt: row.accepted_at?.toISOString() ?? null,
    doneAt: row.done_at?.toISOString() ?? null,
    followedUpAt: row.followed_up_at?.toISOString() ?? null,
    satisfaction: row.satisfaction,
    createdBy: row.created_by_username,
    createdAt: row.created_at.toISOString(),
    overdue: row.overdue,
    /** Overdue items escalate one level up: the parent of the responsible unit. */
    escalatedTo: row.overdue && row.responsible_parent_code !== null ? { code: row.responsible_parent_code, name: row.responsible_parent_name } : null,
    handledOnTime: handledOnTime(row.deadline, doneDay, today),
    assignedToMe: mine,
    allowedEvents: allowed,
  };
}

export type Supervision = ReturnType<typeof toSupervision>;

export async function listSupervisions(db: Queryable, user: SessionUser, filter: SupervisionFilter & { mine?: boolean }, limit: number, offset: number, now: Date = new Date()) {
  const today = shanghaiToday(now);
  if (filter.unit) assertUnitInScope(user, filter.unit);
  const scoped = { ...filter, responsibleUserId: filter.mine ? user.id : undefined };
  const page = await offsetPage(await selectSupervisions(db, scoped, today, limit, offset), limit, offset, () => countSupervisions(db, scoped, today));
  const items = page.rows.map((row) => toSupervision(row, user, today));
  return { items, numberMatched: page.numberMatched, numberMatchedIsEstimate: page.numberMatchedIsEstimate, numberReturned: items.length, limit, offset };
}

export async function getSupervision(db: Queryable, user: SessionUser, id: number, now: Date = new Date()) {
  const today = shanghaiToday(now);
  const row = await selectSupervision(db, id, today);
  if (!row) throw supervisionNotFound(id);
  const events = await selectSupervisionEvents(db, id);
  return {
    ...toSupervision(row, user, today),
    events: events.map((event) => ({
      id: event.id,
      event: event.event,
      fromStatus: event.from_status,
      toStatus: event.to_status,
      occurredAt: event.occurred_at.toISOString(),
      actor: event.actor_username,
      actorRole: event.actor_role,
      note: event.note,
      details: event.details,
    })),
  };
}

export interface SupervisionTransitionRequest extends WorkflowRequest<SupervisionEvent> {
  satisfaction?: Satisfaction | null;
}

const REQUIREMENT_LABELS: Readonly<Record<SupervisionRequirement, string>> = {
  note: 'a note (what was done, or why)',
  satisfaction: 'the satisfaction recorded at the follow-up visit',
};

export const SUPERVISION_BINDING = bindWorkflow<SupervisionStateRow, SupervisionTransitionRequest, undefined>({
  workflow: SUPERVISION_WORKFLOW,
  entityCode: 'SUPERVISION',
  entityPlural: 'supervisions',
  names: {
    table: 'supervisions',
    idColumn: 'id',
    statusColumn: 'status',
    versionColumn: 'version',
    updatableColumns: ['updated_at', 'accepted_at', 'done_at', 'followed_up_at', 'satisfaction', 'urge_count'],
    eventTable: 'supervision_events',
    eventEntityColumn: 'supervision_id',
  },
  selectStates: selectSupervisionStates,
  notFound: supervisionNotFound,
  hooks: {
    check: ({ state, transition, request, actor }) => {
      // An officer accepts and reports only what names them; a manager may step in.
      if (RESPONSIBLE_PERSON_EVENTS.includes(request.event) && actor.role !== 'manager' && state.responsible_user_id !== actor.id) {
        throw new AppError(403, 'SUPERVISION_NOT_RESPONSIBLE', `Only the person named responsible (or a manager) may ${request.event} this supervision`, { id: state.id, event: request.event });
      }
      const missing = (transition.requires as readonly SupervisionRequirement[]).filter((requirement) =>
        requirement === 'note' ? !request.note?.trim() : !request.satisfaction,
      );
      if (missing.length > 0) {
        throw new AppError(422, 'REQUIREMENTS_MISSING', `"${request.event}" needs ${missing.map((requirement) => REQUIREMENT_LABELS[requirement]).join(', ')}`, { id: state.id, missing });
      }
      return undefined;
    },
    columns: ({ state, request }) => {
      const columns: Record<string, unknown> = { updated_at: WORKFLOW_NOW };
      if (request.event === 'accept') columns.accepted_at = WORKFLOW_NOW;
      if (request.event === 'report_done') columns.done_at = WORKFLOW_NOW;
      if (request.event === 'send_back') columns.done_at = null;
      if (request.event === 'urge') columns.urge_count = state.urge_count + 1;
      if (request.event === 'follow_up') {
        columns.followed_up_at = WORKFLOW_NOW;
        columns.satisfaction = request.satisfaction;
      }
      return columns;
    },
    event: ({ request }) => ({ note: request.note?.trim() || null, details: request.satisfaction ? { satisfaction: request.satisfaction } : {} }),
  },
});

export async function transitionSupervision(db: Queryable, user: SessionUser, id: number, request: SupervisionTransitionRequest): Promise<{ id: number; version: number }> {
  return transitionOne(db, SUPERVISION_BINDING, id, request, user as WorkflowActor);
}

export { OPEN_SUPERVISION_STATUSES };
