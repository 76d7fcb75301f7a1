/**
 * The life of a crew's patrol assignment as ONE transition table (issue 11 item 5), in the shape
 * of case_workflow.ts so the workflow kernel (server/workflow, issue 9) can take it as data.
 * Pure: the client imports it to show only the actions a user may take.
 */
import type { Role } from './roles.ts';
import { defineWorkflow } from './workflow.ts';

export const ASSIGNMENT_STATUSES = ['draft', 'published', 'accepted', 'declined', 'in_progress', 'paused', 'completed', 'cancelled'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

export const ASSIGNMENT_EVENTS = ['publish', 'accept', 'decline', 'start', 'pause', 'resume', 'complete', 'cancel'] as const;
export type AssignmentEvent = (typeof ASSIGNMENT_EVENTS)[number];

export const ASSIGNMENT_REQUIREMENTS = ['reason'] as const;
export type AssignmentRequirement = (typeof ASSIGNMENT_REQUIREMENTS)[number];

export interface AssignmentTransition {
  readonly from: AssignmentStatus;
  readonly event: AssignmentEvent;
  readonly to: AssignmentStatus;
  readonly roles: readonly Role[];
  readonly requires: readonly AssignmentRequirement[];
}

// Dispatchers (and managers, who supervise them) publish and cancel; the crew (officers and patrol
// staff who are members of the assignment's crew — patrol_rules.ts CREW_MEMBER_ROLES; membership
// is checked by the service, not by role alone) accepts, declines with a reason, starts, pauses,
// resumes and completes. Managers may act for a crew.
const PLANNERS: readonly Role[] = ['dispatcher', 'manager'];
const CREW: readonly Role[] = ['officer', 'patrol', 'manager'];

/** Every allowed transition; anything not listed is refused. (from, event) is unique. */
export const ASSIGNMENT_TRANSITIONS: readonly AssignmentTransition[] = [
  { from: 'draft', event: 'publish', to: 'published', roles: PLANNERS, requires: [] },
  { from: 'published', event: 'accept', to: 'accepted', roles: CREW, requires: [] },
  { from: 'published', event: 'decline', to: 'declined', roles: CREW, requires: ['reason'] },
  { from: 'accepted', event: 'start', to: 'in_progress', roles: CREW, requires: [] },
  { from: 'in_progress', event: 'pause', to: 'paused', roles: CREW, requires: [] },
  { from: 'paused', event: 'resume', to: 'in_progress', roles: CREW, requires: [] },
  { from: 'in_progress', event: 'complete', to: 'completed', roles: CREW, requires: [] },
  { from: 'published', event: 'cancel', to: 'cancelled', roles: PLANNERS, requires: [] },
  { from: 'accepted', event: 'cancel', to: 'cancelled', roles: PLANNERS, requires: [] },
  { from: 'declined', event: 'cancel', to: 'cancelled', roles: PLANNERS, requires: [] },
  { from: 'in_progress', event: 'cancel', to: 'cancelled', roles: PLANNERS, requires: [] },
  { from: 'paused', event: 'cancel', to: 'cancelled', roles: PLANNERS, requires: [] },
];

export const ASSIGNMENT_STATUS_LABELS: Readonly<Record<AssignmentStatus, { zh: string; en: string }>> = {
  draft: { zh: '草稿', en: 'Draft' },
  published: { zh: '已下发', en: 'Published' },
  accepted: { zh: '已接收', en: 'Accepted' },
  declined: { zh: '已拒绝', en: 'Declined' },
  in_progress: { zh: '巡查中', en: 'In progress' },
  paused: { zh: '已暂停', en: 'Paused' },
  completed: { zh: '已完成', en: 'Completed' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

export const ASSIGNMENT_EVENT_LABELS: Readonly<Record<AssignmentEvent, { zh: string; en: string }>> = {
  publish: { zh: '下发', en: 'Publish' },
  accept: { zh: '接收', en: 'Accept' },
  decline: { zh: '拒绝', en: 'Decline' },
  start: { zh: '开始巡查', en: 'Start' },
  pause: { zh: '暂停', en: 'Pause' },
  resume: { zh: '继续', en: 'Resume' },
  complete: { zh: '完成', en: 'Complete' },
  cancel: { zh: '取消', en: 'Cancel' },
};

/** The table as the workflow kernel (server/workflow/) takes it; the client uses `allowedEvents`. */
export const ASSIGNMENT_WORKFLOW = defineWorkflow({
  name: 'patrol assignment',
  statuses: ASSIGNMENT_STATUSES,
  events: ASSIGNMENT_EVENTS,
  requirements: ASSIGNMENT_REQUIREMENTS,
  transitions: ASSIGNMENT_TRANSITIONS,
});

export function isAssignmentEvent(value: string): value is AssignmentEvent {
  return ASSIGNMENT_WORKFLOW.isEvent(value);
}

/** Events a role may send in a status (the client's buttons). */
export function allowedAssignmentEvents(status: AssignmentStatus, role: Role): readonly AssignmentEvent[] {
  return ASSIGNMENT_WORKFLOW.allowedEvents(status, role);
}

/** The table row for (status, event) done by `role`, or the kernel's refusal (the field app plans offline with it). */
export function nextAssignmentTransition(status: AssignmentStatus, event: AssignmentEvent, role: Role) {
  return ASSIGNMENT_WORKFLOW.nextTransition(status, event, role);
}
