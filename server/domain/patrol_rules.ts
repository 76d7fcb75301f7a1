/**
 * Patrol planning rules shared by server and client (DOMAIN.md "Patrols"). Pure data and
 * functions: no Node, no database.
 */
import type { AdminClass } from './admin_class.ts';
import type { Role } from './roles.ts';

/**
 * Practice defaults (DOMAIN.md, configurable per jurisdiction by managers): a segment is due when
 * this many days have passed since its last patrol. "Twice a week" is every 3 days, which never
 * falls below two patrols in any week.
 */
export const DEFAULT_PATROL_INTERVAL_DAYS: Readonly<Record<AdminClass, number>> = {
  expressway: 1,
  national: 1,
  provincial: 1,
  county: 3,
  township: 7,
  village: 7,
};

/** Driving speed per class when routing (km/h); overridable by LUYU_PATROL_SPEEDS_KMH. */
export const DEFAULT_PATROL_SPEEDS_KMH: Readonly<Record<AdminClass | 'connector', number>> = {
  expressway: 80,
  national: 50,
  provincial: 50,
  county: 40,
  township: 30,
  village: 25,
  /** Ramps and unnamed roads between routes. */
  connector: 30,
};
export type SpeedTable = Readonly<Record<AdminClass | 'connector', number>>;

/** DOMAIN.md: a patrol needs at least two officers. */
export const MIN_CREW_MEMBERS = 2;
/** Roles a crew member may have (certified officers and patrol staff). */
export const CREW_MEMBER_ROLES = ['officer', 'patrol'] as const;

/**
 * Whether a role sees patrol assignments only of the crews the user is a member of. The crew
 * member roles work their own crews' assignments (an officer on a crew exactly like patrol staff);
 * planners (dispatcher, manager, admin) see every crew in their jurisdiction.
 */
export function seesOwnCrewsOnly(role: Role): boolean {
  return (CREW_MEMBER_ROLES as readonly Role[]).includes(role);
}

/** Why a segment is due. */
export const SEGMENT_DUE_REASONS = ['never_patrolled', 'interval_elapsed', 'overdue', 'field_verification', 'reinspection', 'notice_deadline'] as const;
export type SegmentDueReason = (typeof SEGMENT_DUE_REASONS)[number];

/** Point tasks a patrol carries out on site. */
export const PATROL_TASK_KINDS = ['field_verification', 'reinspection', 'notice_deadline'] as const;
export type PatrolTaskKind = (typeof PATROL_TASK_KINDS)[number];

export const SEGMENT_DUE_REASON_LABELS: Readonly<Record<SegmentDueReason, { zh: string; en: string }>> = {
  never_patrolled: { zh: '从未巡查', en: 'Never patrolled' },
  interval_elapsed: { zh: '已到巡查周期', en: 'Patrol interval reached' },
  overdue: { zh: '超期未巡', en: 'Overdue' },
  field_verification: { zh: '线索待现场核查', en: 'Lead to verify on site' },
  reinspection: { zh: '待复查', en: 'Re-inspection due' },
  notice_deadline: { zh: '整改期限已到', en: 'Notice deadline passed' },
};

export const PATROL_TASK_KIND_LABELS: Readonly<Record<PatrolTaskKind, { zh: string; en: string }>> = {
  field_verification: { zh: '现场核查卫星线索', en: 'Verify satellite lead on site' },
  reinspection: { zh: '复查', en: 'Re-inspect' },
  notice_deadline: { zh: '检查整改情况', en: 'Check rectification' },
};

/**
 * Reasons of a segment by frequency: never patrolled, interval reached today, or overdue (the
 * interval ended before `date`). Days are whole Asia/Shanghai calendar days.
 */
export function frequencyReasons(daysSinceLastPatrol: number | null, intervalDays: number): SegmentDueReason[] {
  if (daysSinceLastPatrol === null) return ['never_patrolled'];
  if (daysSinceLastPatrol > intervalDays) return ['overdue'];
  if (daysSinceLastPatrol === intervalDays) return ['interval_elapsed'];
  return [];
}

/** Days overdue: 0 when due today or not due; never-patrolled segments count from nothing. */
export function overdueDays(daysSinceLastPatrol: number | null, intervalDays: number): number {
  return daysSinceLastPatrol === null ? 0 : Math.max(0, daysSinceLastPatrol - intervalDays);
}

export function isPatrolIntervalDays(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 365;
}

/** Minutes after midnight as `HH:MM` (a shift may end past midnight: 25:30). */
export function formatShiftMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Case statuses where a rectification deadline is running (case_workflow.ts): past it, check on site. */
export const NOTICE_PENDING_STATUSES = ['notice_issued', 'rectifying', 'reminded'] as const;
/** Case status waiting for its re-inspection (复查). */
export const REINSPECTION_PENDING_STATUS = 'cleared';
/** Detection review status of a lead sent to the field (detection_rules.ts). */
export const FIELD_VERIFICATION_STATUS = 'field';

/** Today's calendar date in Asia/Shanghai (UTC+8, no daylight saving) as YYYY-MM-DD. */
export function shanghaiDate(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
