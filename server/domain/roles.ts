/**
 * Roles and what each may do: the ONE permission table of the platform. The server checks route
 * access against it (server/http/route_definition.ts) and the client imports it (through the
 * `@domain` alias) to show only the navigation a role can use. Pure data: no Node, no database.
 *
 * Jurisdiction is a separate axis: a permission says what a role may do, the database's
 * row-level security says where (the user's jurisdiction and everything below it).
 */

export const ROLES = ['admin', 'manager', 'officer', 'dispatcher', 'patrol', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Labels for the UI, Simplified Chinese first. */
export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  manager: { zh: '领导/管理', en: 'Manager' },
  officer: { zh: '执法人员', en: 'Enforcement officer' },
  dispatcher: { zh: '调度', en: 'Dispatcher' },
  patrol: { zh: '巡查人员', en: 'Patrol' },
  viewer: { zh: '只读', en: 'Viewer' },
};

const ALL_ROLES: readonly Role[] = ROLES;

/**
 * permission → roles holding it. A route declares one permission; a role lacking it gets 403.
 * Permissions for workflows that have no routes yet are listed so the client and later issues
 * share one vocabulary.
 */
export const PERMISSIONS = {
  /** Own account: who am I, log out, change my password. */
  'account.self': ALL_ROLES,
  /** Read the road network, zones, linear referencing, basemap. */
  'network.read': ALL_ROLES,
  /** Search the audit trail. */
  'audit.read': ['admin'],
  /** Create and change user accounts (within the admin's jurisdiction). */
  'users.manage': ['admin'],
  /** Record findings on patrol, verify satellite leads on site, upload GPS tracks. */
  // Managers step in for officers (case_workflow.ts), so they record findings too.
  'findings.record': ['admin', 'manager', 'officer', 'patrol'],
  'leads.verify': ['admin', 'officer', 'patrol'],
  // Officers serve on crews too (patrol_rules.ts CREW_MEMBER_ROLES): the service asks membership.
  'tracks.upload': ['admin', 'officer', 'patrol'],
  /** Set the separation-of-duties rules of cases for the own jurisdiction and those below (duty_rules.ts). */
  'duties.configure': ['admin', 'manager'],
  /** Read the violations register, its cases, notices and ledger exports. */
  'violations.read': ALL_ROLES,
  /**
   * Send lifecycle events to a case. Coarse gate only: the transition table in case_workflow.ts
   * decides per status and event which of these roles may act.
   */
  'cases.transition': ['officer', 'manager', 'patrol'],
  /** Plan patrols and assign crews. */
  'patrols.plan': ['admin', 'dispatcher', 'manager'],
  /**
   * See patrol assignments: crew members (officer, patrol) only their own crews'
   * (patrol_rules.ts seesOwnCrewsOnly; server/patrol_plans/service.ts).
   */
  'assignments.read': ['admin', 'dispatcher', 'manager', 'officer', 'patrol'],
  /**
   * Send events to an assignment. Coarse gate only: patrol_assignment_workflow.ts decides per
   * status and event which role may act, and a crew member (officer or patrol) only on its own
   * crew's assignment.
   */
  'assignments.transition': ['dispatcher', 'manager', 'officer', 'patrol'],
  /** Set how often each road class is patrolled in a jurisdiction (DOMAIN.md "Patrols": practice, configurable). */
  'patrols.frequencies': ['admin', 'manager'],
  /** Dashboards, campaign progress, scores and rankings. */
  'reports.read': ['admin', 'manager', 'officer', 'dispatcher', 'viewer'],
  /** Start campaigns (专项行动) for the own unit and those below. */
  'campaigns.manage': ['manager'],
  /** Read supervision items (督办): the issuing unit, the responsible unit and those above. */
  'supervisions.read': ['admin', 'manager', 'officer', 'dispatcher', 'viewer'],
  /** Issue a supervision item for a case or a unit's backlog. */
  'supervisions.manage': ['manager'],
  /**
   * Move a supervision through its loop. Coarse gate: supervision_workflow.ts decides per status
   * and event, and the service lets an officer act only on items naming them.
   */
  'supervisions.transition': ['manager', 'officer'],
  /** Change the scoring formula of monthly rankings (a new version from a month on). */
  'scoring.manage': ['manager'],
  /** Upload satellite change-detection batches (docs/detections_api.md). */
  'detections.ingest': ['admin', 'manager', 'officer', 'dispatcher'],
  /** Read detection batches and the detections (leads) in the jurisdiction. */
  'detections.read': ALL_ROLES,
  /** Confirm, reject, merge or send a detection to the field. */
  'detections.review': ['officer', 'manager'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}

export function hasPermission(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Every permission of a role (the client sends nothing; it derives navigation from this). */
export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((permission) => hasPermission(role, permission));
}

/** Password rules shared by the server check and the client form. */
export const PASSWORD_MIN_LENGTH = 10;

export function passwordProblem(password: string, username: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) return 'password must not be the username';
  return null;
}
