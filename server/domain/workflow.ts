/**
 * A workflow declared as data (ARCHITECTURE.md "Workflows"): statuses, events, requirements and
 * ONE transition table of (from, event, to, roles, requires). Pure, so the client imports the same
 * table to show only the actions a user may take; the server's kernel (server/workflow/) applies it.
 */

export interface WorkflowTransition<Status extends string, Event extends string, Role extends string, Requirement extends string> {
  readonly from: Status;
  readonly event: Event;
  readonly to: Status;
  readonly roles: readonly Role[];
  readonly requires: readonly Requirement[];
}

export interface WorkflowSpec<Status extends string, Event extends string, Role extends string, Requirement extends string> {
  /** Lower-case name, e.g. `case`, `patrol_assignment`; messages and error codes derive from it. */
  readonly name: string;
  readonly statuses: readonly Status[];
  readonly events: readonly Event[];
  readonly requirements: readonly Requirement[];
  /** Every allowed transition; anything not listed is refused. (from, event) must be unique. */
  readonly transitions: readonly WorkflowTransition<Status, Event, Role, Requirement>[];
}

export type WorkflowRefusal = {
  readonly ok: false;
  readonly code: 'TRANSITION_NOT_ALLOWED' | 'ROLE_NOT_ALLOWED';
  readonly message: string;
};

export type WorkflowStep<Status extends string, Event extends string, Role extends string, Requirement extends string> =
  | ({ readonly ok: true } & WorkflowTransition<Status, Event, Role, Requirement>)
  | WorkflowRefusal;

export interface Workflow<Status extends string, Event extends string, Role extends string, Requirement extends string>
  extends WorkflowSpec<Status, Event, Role, Requirement> {
  isStatus(value: string): value is Status;
  isEvent(value: string): value is Event;
  /** Events `role` may send from `status`, in `events` order (stable for buttons). */
  allowedEvents(status: Status, role: Role): readonly Event[];
  /** The table row for (status, event) done by `role`, or a refusal saying what that role may do instead. */
  nextTransition(status: Status, event: Event, role: Role): WorkflowStep<Status, Event, Role, Requirement>;
}

/**
 * Checks the table once (unknown statuses/events/requirements and duplicate (from, event) pairs are
 * programming errors, thrown at import) and returns it with its lookups.
 */
export function defineWorkflow<Status extends string, Event extends string, Role extends string, Requirement extends string>(
  spec: WorkflowSpec<Status, Event, Role, Requirement>,
): Workflow<Status, Event, Role, Requirement> {
  const seen = new Set<string>();
  for (const row of spec.transitions) {
    const key = `${row.from} ${row.event}`;
    if (seen.has(key)) throw new Error(`workflow ${spec.name}: (${row.from}, ${row.event}) appears twice`);
    seen.add(key);
    if (!spec.statuses.includes(row.from) || !spec.statuses.includes(row.to)) throw new Error(`workflow ${spec.name}: unknown status in ${key} → ${row.to}`);
    if (!spec.events.includes(row.event)) throw new Error(`workflow ${spec.name}: unknown event ${row.event}`);
    for (const requirement of row.requires) {
      if (!spec.requirements.includes(requirement)) throw new Error(`workflow ${spec.name}: unknown requirement ${requirement} on ${key}`);
    }
  }
  const allowedEvents = (status: Status, role: Role): readonly Event[] =>
    spec.events.filter((event) => spec.transitions.some((row) => row.from === status && row.event === event && row.roles.includes(role)));
  const whatIsAllowed = (status: Status, role: Role): string => {
    const events = allowedEvents(status, role);
    return events.length === 0
      ? `nothing is allowed for ${role} from "${status}"`
      : `allowed for ${role} from "${status}": ${events.map((event) => `"${event}"`).join(', ')}`;
  };
  return {
    ...spec,
    isStatus: (value: string): value is Status => (spec.statuses as readonly string[]).includes(value),
    isEvent: (value: string): value is Event => (spec.events as readonly string[]).includes(value),
    allowedEvents,
    nextTransition(status, event, role) {
      const row = spec.transitions.find((candidate) => candidate.from === status && candidate.event === event);
      if (row === undefined) {
        return { ok: false, code: 'TRANSITION_NOT_ALLOWED', message: `"${event}" is not possible from "${status}"; ${whatIsAllowed(status, role)}` };
      }
      if (!row.roles.includes(role)) {
        return {
          ok: false,
          code: 'ROLE_NOT_ALLOWED',
          message: `"${event}" from "${status}" is for ${row.roles.join(' or ')}, not ${role}; ${whatIsAllowed(status, role)}`,
        };
      }
      return { ok: true, ...row };
    },
  };
}
