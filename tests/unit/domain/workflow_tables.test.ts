import { describe, expect, it } from 'vitest';
import { CASE_WORKFLOW } from '../../../server/domain/case_workflow.ts';
import { STATUS_AFTER_ACTION, REVIEWABLE_STATUSES } from '../../../server/domain/detection_rules.ts';
import { ASSIGNMENT_TRANSITIONS, ASSIGNMENT_WORKFLOW, isAssignmentEvent, nextAssignmentTransition } from '../../../server/domain/patrol_assignment_workflow.ts';
import { FIELD_VERIFICATION_STATUS, NOTICE_PENDING_STATUSES, REINSPECTION_PENDING_STATUS } from '../../../server/domain/patrol_rules.ts';
import { SUPERVISION_WORKFLOW } from '../../../server/domain/supervision_workflow.ts';

describe('workflow names (the kernel says "The case changed meanwhile")', () => {
  it('name the thing a user acts on', () => {
    expect(CASE_WORKFLOW.name).toBe('case');
    expect(ASSIGNMENT_WORKFLOW.name).toBe('patrol assignment');
    expect(SUPERVISION_WORKFLOW.name).toBe('supervision');
  });
});

describe('patrol assignments', () => {
  it('declining needs a reason; nothing else does', () => {
    expect(nextAssignmentTransition('published', 'decline', 'patrol')).toMatchObject({ ok: true, to: 'declined', requires: ['reason'] });
    for (const row of ASSIGNMENT_TRANSITIONS.filter((candidate) => candidate.event !== 'decline')) expect(row.requires).toEqual([]);
  });
  it('knows its events', () => {
    expect(isAssignmentEvent('accept')).toBe(true);
    expect(isAssignmentEvent('reopen')).toBe(false);
  });
});

describe('the statuses patrol planning looks for exist in their workflows', () => {
  it('a case waiting for its re-inspection is one an officer can re-inspect', () => {
    expect(CASE_WORKFLOW.allowedEvents(REINSPECTION_PENDING_STATUS, 'officer')).toEqual(expect.arrayContaining(['reinspect_pass', 'reinspect_fail']));
  });
  it('a case with a running rectification deadline can be reported cleared from there', () => {
    expect(NOTICE_PENDING_STATUSES.length).toBeGreaterThan(0);
    for (const status of NOTICE_PENDING_STATUSES) expect(CASE_WORKFLOW.allowedEvents(status, 'patrol')).toContain('report_cleared');
  });
  it('a lead sent to the field is the status the "field" review action sets, and still reviewable', () => {
    expect(FIELD_VERIFICATION_STATUS).toBe(STATUS_AFTER_ACTION.field);
    expect(REVIEWABLE_STATUSES).toContain(FIELD_VERIFICATION_STATUS);
  });
});
