/**
 * The enforcement lifecycle of a violation case (DOMAIN.md "Enforcement flow") as ONE transition
 * table. Statuses are stored as text; every transition appends an event row elsewhere. Pure: the
 * client uses the same table to show only the buttons a user may press.
 */
import { ROLES, type Role } from './roles.ts';
import { defineWorkflow, type WorkflowRefusal, type WorkflowStep, type WorkflowTransition } from './workflow.ts';
import type { ViolationSource } from './violation_attributes.ts';
import { VIOLATION_CATEGORY_RULES, type ViolationCategory } from './violation_categories.ts';

export const CASE_STATUSES = [
  'reported',
  'verified',
  'rejected',
  'notice_issued',
  'rectifying',
  'reminded',
  'forced_removal',
  'cleared',
  'reinspected',
  'closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_EVENTS = [
  'verify',
  'reject',
  'issue_notice',
  'start_rectification',
  'report_cleared',
  'send_reminder',
  'decide_forced_removal',
  'reinspect_pass',
  'reinspect_fail',
  'close',
  'reopen',
  'reissue_notice',
] as const;
export type CaseEvent = (typeof CASE_EVENTS)[number];

/** Case transitions name the platform's roles (server/domain/roles.ts). */
export const CASE_ROLES = ROLES;
export type CaseRole = Role;

/** What a transition needs on the case before it may happen; checked by {@link missingRequirements}. */
export const REQUIREMENTS = [
  'photo',
  'after_photo',
  'party',
  'deadline',
  'note',
  'reject_reason',
  'site_photo_for_satellite_lead',
] as const;
export type Requirement = (typeof REQUIREMENTS)[number];

export const REJECT_REASONS = ['not_violation', 'duplicate', 'other'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export type CaseTransition = WorkflowTransition<CaseStatus, CaseEvent, CaseRole, Requirement>;

// Officers carry out enforcement; managers may do everything officers do (they supervise and step
// in). admin is system administration only (users, configuration): enforcement acts need a
// certified officer, so an admin account must not be able to file or close a case. dispatcher
// plans patrols and viewer reads; neither acts on cases.
const ENFORCEMENT: readonly CaseRole[] = ['officer', 'manager'];
// Patrol crews may record that a site is cleared (with an after photo) from the field; filing and
// every decision needs officers (DOMAIN.md: at least two certified officers).
const ENFORCEMENT_AND_FIELD: readonly CaseRole[] = ['officer', 'manager', 'patrol'];
const MANAGER: readonly CaseRole[] = ['manager'];

/**
 * Every allowed transition; anything not listed is refused. (from, event) is unique.
 * `reissue_notice` re-prints the notice (lost, corrected details) and keeps the status.
 */
export const CASE_TRANSITIONS: readonly CaseTransition[] = [
  // Filing: a photo with time and place is the evidence; a satellite lead needs one taken on site.
  { from: 'reported', event: 'verify', to: 'verified', roles: ENFORCEMENT, requires: ['photo', 'site_photo_for_satellite_lead'] },
  { from: 'reported', event: 'reject', to: 'rejected', roles: ENFORCEMENT, requires: ['reject_reason'] },
  // A duplicate can surface after filing (two crews reported the same site).
  { from: 'verified', event: 'reject', to: 'rejected', roles: ENFORCEMENT, requires: ['reject_reason'] },
  // 限期整改通知书 names the party, the finding, the legal basis and the deadline.
  { from: 'verified', event: 'issue_notice', to: 'notice_issued', roles: ENFORCEMENT, requires: ['party', 'deadline'] },
  { from: 'notice_issued', event: 'reissue_notice', to: 'notice_issued', roles: ENFORCEMENT, requires: ['party', 'deadline'] },
  // Rectification is the party's act; staff record that it began.
  { from: 'notice_issued', event: 'start_rectification', to: 'rectifying', roles: ENFORCEMENT, requires: [] },
  // A party may clear the site without anyone seeing work in progress.
  { from: 'notice_issued', event: 'report_cleared', to: 'cleared', roles: ENFORCEMENT_AND_FIELD, requires: ['after_photo'] },
  // 催告 (行政强制法 35) is written and sets a new time limit for performance.
  { from: 'notice_issued', event: 'send_reminder', to: 'reminded', roles: ENFORCEMENT, requires: ['deadline'] },
  { from: 'rectifying', event: 'reissue_notice', to: 'rectifying', roles: ENFORCEMENT, requires: ['party', 'deadline'] },
  { from: 'rectifying', event: 'report_cleared', to: 'cleared', roles: ENFORCEMENT_AND_FIELD, requires: ['after_photo'] },
  { from: 'rectifying', event: 'send_reminder', to: 'reminded', roles: ENFORCEMENT, requires: ['deadline'] },
  { from: 'reminded', event: 'reissue_notice', to: 'reminded', roles: ENFORCEMENT, requires: ['party', 'deadline'] },
  { from: 'reminded', event: 'report_cleared', to: 'cleared', roles: ENFORCEMENT_AND_FIELD, requires: ['after_photo'] },
  // The enforcement decision (行政强制法 37, 44) is a written act: its grounds go in the note.
  { from: 'reminded', event: 'decide_forced_removal', to: 'forced_removal', roles: ENFORCEMENT, requires: ['note'] },
  { from: 'forced_removal', event: 'report_cleared', to: 'cleared', roles: ENFORCEMENT_AND_FIELD, requires: ['after_photo'] },
  // 复查: an officer confirms with their own after photo, or sends the case back with evidence why.
  { from: 'cleared', event: 'reinspect_pass', to: 'reinspected', roles: ENFORCEMENT, requires: ['after_photo'] },
  { from: 'cleared', event: 'reinspect_fail', to: 'rectifying', roles: ENFORCEMENT, requires: ['photo', 'note'] },
  { from: 'reinspected', event: 'close', to: 'closed', roles: ENFORCEMENT, requires: [] },
  // Recurrence at the same site keeps the case number and restarts from a verified finding.
  { from: 'closed', event: 'reopen', to: 'verified', roles: ENFORCEMENT, requires: ['photo', 'note'] },
  // Undoing a rejection second-guesses an officer's decision, so only a manager may, with a reason.
  { from: 'rejected', event: 'reopen', to: 'reported', roles: MANAGER, requires: ['note'] },
];

/** Statuses with work left to do. */
export const OPEN_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter((status) => status !== 'closed' && status !== 'rejected');
/** Statuses where the case rests; only `reopen` leaves them. */
export const TERMINAL_STATUSES: readonly CaseStatus[] = ['closed', 'rejected'];

export const CASE_STATUS_LABELS: Readonly<Record<CaseStatus, { zh: string; en: string }>> = {
  reported: { zh: '已上报', en: 'Reported' },
  verified: { zh: '已核实立案', en: 'Verified' },
  rejected: { zh: '不予立案', en: 'Rejected' },
  notice_issued: { zh: '已下达整改通知', en: 'Notice issued' },
  rectifying: { zh: '整改中', en: 'Rectifying' },
  reminded: { zh: '已催告', en: 'Reminder sent' },
  forced_removal: { zh: '强制拆除', en: 'Forced removal decided' },
  cleared: { zh: '已清除', en: 'Cleared' },
  reinspected: { zh: '已复查', en: 'Re-inspected' },
  closed: { zh: '已结案', en: 'Closed' },
};

export const CASE_EVENT_LABELS: Readonly<Record<CaseEvent, { zh: string; en: string }>> = {
  verify: { zh: '核实立案', en: 'Verify' },
  reject: { zh: '不予立案', en: 'Reject' },
  issue_notice: { zh: '下达限期整改通知书', en: 'Issue rectification notice' },
  start_rectification: { zh: '开始整改', en: 'Rectification started' },
  report_cleared: { zh: '报告已清除', en: 'Report cleared' },
  send_reminder: { zh: '催告', en: 'Send reminder' },
  decide_forced_removal: { zh: '作出强制拆除决定', en: 'Decide forced removal' },
  reinspect_pass: { zh: '复查合格', en: 'Re-inspection passed' },
  reinspect_fail: { zh: '复查不合格', en: 'Re-inspection failed' },
  close: { zh: '结案', en: 'Close' },
  reopen: { zh: '重新开启', en: 'Reopen' },
  reissue_notice: { zh: '补发整改通知书', en: 'Reissue notice' },
};

export const REQUIREMENT_LABELS: Readonly<Record<Requirement, { zh: string; en: string }>> = {
  photo: { zh: '至少一张现场照片', en: 'at least one photo' },
  after_photo: { zh: '一张整改后照片', en: 'a photo tagged "after"' },
  party: { zh: '当事人信息', en: 'the responsible party' },
  deadline: { zh: '整改期限', en: 'a deadline' },
  note: { zh: '说明', en: 'a note' },
  reject_reason: { zh: '不予立案理由（非违法/重复/其他）', en: 'a reject reason (not_violation, duplicate or other)' },
  site_photo_for_satellite_lead: {
    zh: '卫星线索须现场核实并拍照',
    en: 'an on-site photo: a satellite detection is a lead, not evidence',
  },
};

export type TransitionRefusal = WorkflowRefusal;

export type TransitionResult = WorkflowStep<CaseStatus, CaseEvent, CaseRole, Requirement>;

/** The case workflow as the kernel (server/workflow/) and the client read it. */
export const CASE_WORKFLOW = defineWorkflow({
  name: 'case',
  statuses: CASE_STATUSES,
  events: CASE_EVENTS,
  requirements: REQUIREMENTS,
  transitions: CASE_TRANSITIONS,
});

/** Events `role` may send to a case in `status`, in {@link CASE_EVENTS} order (stable for buttons). */
export function allowedEvents(status: CaseStatus, role: CaseRole): readonly CaseEvent[] {
  return CASE_WORKFLOW.allowedEvents(status, role);
}

/**
 * The table row for `event` on a case in `status` done by `role`, or a refusal whose message says
 * what that role may do from that status instead.
 */
export function nextTransition(status: CaseStatus, event: CaseEvent, role: CaseRole): TransitionResult {
  return CASE_WORKFLOW.nextTransition(status, event, role);
}

/** What is known about a case when a transition is attempted. */
export interface CaseEvidence {
  /** Photos with time and place attached to the case; satellite imagery chips are not photos. */
  readonly photoCount: number;
  /** Photos tagged "after" (the site once cleared). */
  readonly afterPhotoCount: number;
  readonly hasParty: boolean;
  readonly deadline: Date | null;
  readonly note: string | null;
  readonly rejectReason: RejectReason | null;
  readonly source: ViolationSource;
}

/**
 * Requirements of `row` that `evidence` does not meet, in the row's order. For a satellite lead
 * without photos only `site_photo_for_satellite_lead` is reported (the more specific message), and a
 * reject reason "other" needs a note saying what the other reason is.
 */
export function missingRequirements(row: Pick<CaseTransition, 'requires'>, evidence: CaseEvidence): Requirement[] {
  const hasNote = evidence.note !== null && evidence.note.trim().length > 0;
  const missing: Requirement[] = [];
  const add = (requirement: Requirement) => {
    if (!missing.includes(requirement)) missing.push(requirement);
  };
  for (const requirement of row.requires) {
    switch (requirement) {
      case 'photo':
        if (evidence.photoCount < 1 && !(row.requires.includes('site_photo_for_satellite_lead') && evidence.source === 'satellite_lead')) add('photo');
        break;
      case 'site_photo_for_satellite_lead':
        if (evidence.source === 'satellite_lead' && evidence.photoCount < 1) add('site_photo_for_satellite_lead');
        break;
      case 'after_photo':
        if (evidence.afterPhotoCount < 1) add('after_photo');
        break;
      case 'party':
        if (!evidence.hasParty) add('party');
        break;
      case 'deadline':
        if (evidence.deadline === null || Number.isNaN(evidence.deadline.getTime())) add('deadline');
        break;
      case 'note':
        if (!hasNote) add('note');
        break;
      case 'reject_reason':
        if (evidence.rejectReason === null || !(REJECT_REASONS as readonly string[]).includes(evidence.rejectReason)) add('reject_reason');
        else if (evidence.rejectReason === 'other' && !hasNote) add('note');
        break;
    }
  }
  return missing;
}

/** Days after a deadline within which the site is re-inspected (复查), practice default. */
export const REINSPECTION_WITHIN_DAYS = 3;

const DAY_MILLISECONDS = 86_400_000;

/**
 * Default rectification deadline: `fromDate` plus the category's days, in calendar days (not working
 * days; the practice defaults are calendar days). 行政强制法 forbids carrying out forced removal at
 * night or on holidays except in emergencies: that constrains scheduling the removal, not this
 * deadline. `deadlineDays` carries configured overrides.
 */
export function defaultDeadline(
  category: ViolationCategory,
  fromDate: Date,
  deadlineDays: Partial<Record<ViolationCategory, number>> = {},
): Date {
  const days = deadlineDays[category] ?? VIOLATION_CATEGORY_RULES[category].defaultDeadlineDays;
  if (!Number.isInteger(days) || days < 1) {
    throw new RangeError(`deadline for ${category} must be a whole number of days ≥ 1, got ${days}`);
  }
  // A deadline is an instant; China has no daylight saving, so whole days of milliseconds also keep
  // the local time of day there, whatever zone the browser runs in.
  return new Date(fromDate.getTime() + days * DAY_MILLISECONDS);
}
