import { describe, expect, it } from 'vitest';
import { allowedAssignmentEvents, ASSIGNMENT_STATUSES, nextAssignmentTransition } from '../../../server/domain/patrol_assignment_workflow.ts';
import { ROLES } from '../../../server/domain/roles.ts';

/**
 * Who may send which event of a patrol assignment in which status, typed out from DOMAIN.md
 * "Patrols" and the roles' intent — not read from the workflow table. Planners (dispatcher,
 * manager) publish and cancel; the crew (officers and patrol staff on it — membership is the
 * service's check) and managers stepping in accept, decline, start, pause, resume and complete.
 * Admin and viewer take no part.
 */
const EXPECTED: Record<string, Record<string, string[]>> = {
  draft: { dispatcher: ['publish'], manager: ['publish'] },
  published: { dispatcher: ['cancel'], manager: ['accept', 'decline', 'cancel'], officer: ['accept', 'decline'], patrol: ['accept', 'decline'] },
  accepted: { dispatcher: ['cancel'], manager: ['start', 'cancel'], officer: ['start'], patrol: ['start'] },
  declined: { dispatcher: ['cancel'], manager: ['cancel'] },
  in_progress: { dispatcher: ['cancel'], manager: ['pause', 'complete', 'cancel'], officer: ['pause', 'complete'], patrol: ['pause', 'complete'] },
  paused: { dispatcher: ['cancel'], manager: ['resume', 'cancel'], officer: ['resume'], patrol: ['resume'] },
  completed: {},
  cancelled: {},
};

describe('patrol assignment workflow: status × role → events', () => {
  it.each(ASSIGNMENT_STATUSES.flatMap((status) => ROLES.map((role) => [status, role] as const)))('%s, %s', (status, role) => {
    expect([...allowedAssignmentEvents(status, role)].sort()).toEqual([...(EXPECTED[status]![role] ?? [])].sort());
  });

  it('an officer moves a started assignment like patrol staff, a viewer is refused', () => {
    expect(nextAssignmentTransition('in_progress', 'pause', 'officer')).toMatchObject({ ok: true, to: 'paused' });
    expect(nextAssignmentTransition('in_progress', 'pause', 'viewer').ok).toBe(false);
  });
});
