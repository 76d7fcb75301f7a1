/**
 * Supervision (督办, DOMAIN.md "Enforcement flow"): a manager supervises a case or a unit's
 * backlog; the item gets a unified number, one responsible unit and person, a deadline and
 * instructions, and goes through the closed loop 交办 → 承办 → 督办 → 办结 → 回访. Declared as data
 * for the workflow kernel (server/workflow/); pure, so the client shows the same buttons.
 *
 * Overdue supervision (deadline passed, not done) escalates one level up: the parent of the
 * responsible unit sees it as escalated on its dashboard ({@link isSupervisionOverdue}).
 */
import { defineWorkflow } from './workflow.ts';
import type { Role } from './roles.ts';

export const SUPERVISION_STATUSES = ['assigned', 'accepted', 'supervising', 'done', 'followed_up'] as const;
export type SupervisionStatus = (typeof SUPERVISION_STATUSES)[number];

export const SUPERVISION_EVENTS = ['accept', 'urge', 'report_done', 'send_back', 'follow_up'] as const;
export type SupervisionEvent = (typeof SUPERVISION_EVENTS)[number];

export const SUPERVISION_REQUIREMENTS = ['note', 'satisfaction'] as const;
export type SupervisionRequirement = (typeof SUPERVISION_REQUIREMENTS)[number];

/** 群众/回访满意度 recorded at the follow-up visit. */
export const SATISFACTION_LEVELS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTION_LEVELS)[number];

export const SUPERVISION_SUBJECTS = ['case', 'backlog'] as const;
export type SupervisionSubject = (typeof SUPERVISION_SUBJECTS)[number];

/** Not done yet: the deadline runs. */
export const OPEN_SUPERVISION_STATUSES: readonly SupervisionStatus[] = ['assigned', 'accepted', 'supervising'];

// The responsible person (an officer or a manager of the responsible unit) accepts and reports the
// work done; only managers urge, send back and visit afterwards. The service also checks that an
// officer acting is THE person named (a table of roles cannot say that).
const RESPONSIBLE: readonly Role[] = ['officer', 'manager'];
const MANAGER: readonly Role[] = ['manager'];

export const SUPERVISION_WORKFLOW = defineWorkflow({
  name: 'supervision',
  statuses: SUPERVISION_STATUSES,
  events: SUPERVISION_EVENTS,
  requirements: SUPERVISION_REQUIREMENTS,
  transitions: [
    // 承办: the responsible unit takes the item on.
    { from: 'assigned', event: 'accept', to: 'accepted', roles: RESPONSIBLE, requires: [] },
    // 督办: the supervisor presses (催办) — before acceptance too — and may press again.
    { from: 'assigned', event: 'urge', to: 'supervising', roles: MANAGER, requires: ['note'] },
    { from: 'accepted', event: 'urge', to: 'supervising', roles: MANAGER, requires: ['note'] },
    { from: 'supervising', event: 'urge', to: 'supervising', roles: MANAGER, requires: ['note'] },
    // 办结: the responsible person reports what was done.
    { from: 'accepted', event: 'report_done', to: 'done', roles: RESPONSIBLE, requires: ['note'] },
    { from: 'supervising', event: 'report_done', to: 'done', roles: RESPONSIBLE, requires: ['note'] },
    // Not accepted as done: back under supervision, with the reason.
    { from: 'done', event: 'send_back', to: 'supervising', roles: MANAGER, requires: ['note'] },
    // 回访: the follow-up visit records satisfaction and closes the loop.
    { from: 'done', event: 'follow_up', to: 'followed_up', roles: MANAGER, requires: ['satisfaction'] },
  ],
});

/** Events that only the named responsible person (or a manager) may send. */
export const RESPONSIBLE_PERSON_EVENTS: readonly SupervisionEvent[] = ['accept', 'report_done'];

export const SUPERVISION_STATUS_LABELS: Readonly<Record<SupervisionStatus, { zh: string; en: string }>> = {
  assigned: { zh: '交办', en: 'Assigned' },
  accepted: { zh: '承办', en: 'Accepted' },
  supervising: { zh: '督办中', en: 'Under supervision' },
  done: { zh: '办结', en: 'Done' },
  followed_up: { zh: '已回访', en: 'Followed up' },
};

export const SUPERVISION_EVENT_LABELS: Readonly<Record<SupervisionEvent, { zh: string; en: string }>> = {
  accept: { zh: '承办', en: 'Accept' },
  urge: { zh: '督办催办', en: 'Urge' },
  report_done: { zh: '报告办结', en: 'Report done' },
  send_back: { zh: '退回重办', en: 'Send back' },
  follow_up: { zh: '回访', en: 'Follow up' },
};

export const SATISFACTION_LABELS: Readonly<Record<Satisfaction, { zh: string; en: string }>> = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  basically_satisfied: { zh: '基本满意', en: 'Basically satisfied' },
  dissatisfied: { zh: '不满意', en: 'Dissatisfied' },
};

/** Overdue on `today` (Asia/Shanghai YYYY-MM-DD): the deadline day has passed and it is not done. */
export function isSupervisionOverdue(status: SupervisionStatus, deadline: string, today: string): boolean {
  return OPEN_SUPERVISION_STATUSES.includes(status) && deadline < today;
}

/**
 * Handled on time: reported done on or before the deadline day. `doneDay` null = not done yet; a
 * deadline still ahead is not judged (null).
 */
export function handledOnTime(deadline: string, doneDay: string | null, today: string): boolean | null {
  if (doneDay !== null) return doneDay <= deadline;
  return deadline < today ? false : null;
}
