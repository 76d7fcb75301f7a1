/**
 * The patrol assignment workflow bound to the kernel (server/workflow/): the patrol_assignments
 * table, its timeline (patrol_assignment_events, with its own column names) and the assignment's
 * own writes — the decline reason, start and completion times, and "last patrolled" on completion.
 * The kernel owns the version check, the conditional update, bulk locking and retries.
 */
import type { Queryable } from '../db/database.ts';
import { ASSIGNMENT_WORKFLOW, type AssignmentEvent } from '../domain/patrol_assignment_workflow.ts';
import { AppError } from '../http/errors.ts';
import { insertSegmentPatrols } from '../patrols/queries.ts';
import { bindWorkflow, transitionMany, transitionOne, WORKFLOW_NOW, type WorkflowActor } from '../workflow/kernel.ts';
import { insertAssignmentEvents, selectAssignmentSegmentIds, selectAssignmentStates, type AssignmentStateRow } from './queries.ts';

export interface AssignmentTransitionRequest {
  event: AssignmentEvent;
  expectedVersion?: number;
  /** The decline reason (required by the table's `reason` requirement), kept as the event's note. */
  note?: string | null;
}

export function assignmentNotFound(id: number): AppError {
  return new AppError(404, 'ASSIGNMENT_NOT_FOUND', `No assignment ${id} for you`, { id });
}

const ASSIGNMENT_BINDING = bindWorkflow<AssignmentStateRow, AssignmentTransitionRequest, { reason: string | null }>({
  workflow: ASSIGNMENT_WORKFLOW,
  entityCode: 'ASSIGNMENT',
  entityPlural: 'assignments',
  names: {
    table: 'patrol_assignments',
    idColumn: 'id',
    statusColumn: 'status',
    versionColumn: 'version',
    updatableColumns: ['decline_reason', 'started_at', 'completed_at', 'updated_at'],
    eventTable: 'patrol_assignment_events',
    eventEntityColumn: 'assignment_id',
  },
  selectStates: selectAssignmentStates,
  notFound: assignmentNotFound,
  hooks: {
    check({ transition, request }) {
      const reason = request.note?.trim() || null;
      if ((transition.requires as readonly string[]).includes('reason') && !reason) {
        throw new AppError(422, 'ASSIGNMENT_REASON_REQUIRED', `Give a reason to ${request.event} the assignment`);
      }
      return { reason };
    },
    columns({ state, transition, checked }) {
      return {
        updated_at: WORKFLOW_NOW,
        ...(transition.to === 'declined' ? { decline_reason: checked.reason } : {}),
        ...(transition.to === 'in_progress' && state.started_at === null ? { started_at: WORKFLOW_NOW } : {}),
        ...(transition.to === 'completed' ? { completed_at: WORKFLOW_NOW } : {}),
      };
    },
    async afterUpdate(db, plan) {
      if (plan.transition.to !== 'completed') return;
      // "Last patrolled" moves: every segment of the assignment counts as patrolled now.
      const segmentIds = await selectAssignmentSegmentIds(db, plan.state.id);
      await insertSegmentPatrols(
        db,
        segmentIds.map((segmentId) => ({ segmentId: Number(segmentId), patrolledAt: new Date(), source: 'assignment' as const, assignmentId: plan.state.id, crewId: plan.state.crew_id })),
      );
    },
    async insertEvents(db, rows) {
      await insertAssignmentEvents(
        db,
        rows.map((row) => ({ assignmentId: row.entityId, event: row.event, fromStatus: row.fromStatus, toStatus: row.toStatus, actor: row.actorUserId, actorUsername: row.actorUsername, note: row.note })),
      );
    },
  },
});

/** One assignment through the table (the caller has checked the user may see it). */
export function transitionAssignmentRow(db: Queryable, id: number, request: AssignmentTransitionRequest, actor: WorkflowActor) {
  return transitionOne(db, ASSIGNMENT_BINDING, id, request, actor);
}

/** Many at once, all or nothing (publishing a plan's drafts). */
export function transitionAssignmentRows(db: Queryable, ids: readonly number[], request: AssignmentTransitionRequest, actor: WorkflowActor) {
  return transitionMany(db, ASSIGNMENT_BINDING, ids, request, actor);
}
