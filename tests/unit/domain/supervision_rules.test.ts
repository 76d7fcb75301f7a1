import { describe, expect, it } from 'vitest';
import { isSupervisionOverdue, RESPONSIBLE_PERSON_EVENTS, SUPERVISION_STATUSES, SUPERVISION_WORKFLOW } from '../../../server/domain/supervision_workflow.ts';

// 交办 → 承办 → 督办 → 办结 → 回访 (DOMAIN.md "Supervision"): what each step must carry.
describe('supervision steps', () => {
  it('urging, reporting done and sending back carry a note; the follow-up records satisfaction; accepting needs nothing', () => {
    const requires = Object.fromEntries(SUPERVISION_WORKFLOW.transitions.map((row) => [`${row.from} ${row.event}`, row.requires]));
    expect(requires).toEqual({
      'assigned accept': [],
      'assigned urge': ['note'],
      'accepted urge': ['note'],
      'supervising urge': ['note'],
      'accepted report_done': ['note'],
      'supervising report_done': ['note'],
      'done send_back': ['note'],
      'done follow_up': ['satisfaction'],
    });
  });
  it('the named responsible person accepts and reports done; the rest is for managers', () => {
    expect([...RESPONSIBLE_PERSON_EVENTS].sort()).toEqual(['accept', 'report_done']);
  });
  it('overdue: every status before done, once the deadline day has passed', () => {
    const overdue = SUPERVISION_STATUSES.filter((status) => isSupervisionOverdue(status, '2026-11-01', '2026-11-02'));
    expect(overdue).toEqual(['assigned', 'accepted', 'supervising']);
    expect(SUPERVISION_STATUSES.filter((status) => isSupervisionOverdue(status, '2026-11-02', '2026-11-02'))).toEqual([]);
  });
});
