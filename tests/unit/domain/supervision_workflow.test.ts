import { describe, expect, it } from 'vitest';
import { ROLES } from '../../../server/domain/roles.ts';
import { scoreUnitMonth } from '../../../server/domain/scoring_formula.ts';
import { handledOnTime, isSupervisionOverdue, SUPERVISION_EVENTS, SUPERVISION_STATUSES, SUPERVISION_WORKFLOW } from '../../../server/domain/supervision_workflow.ts';

/**
 * Every (status, event, role) that is allowed, typed out by hand from the closed loop
 * 交办 → 承办 → 督办 → 办结 → 回访 (DOMAIN.md) — not derived from the table under test. Every other
 * combination of the 5 statuses × 5 events × 6 roles must be refused.
 */
const ALLOWED: readonly string[] = [
  'assigned accept officer → accepted',
  'assigned accept manager → accepted',
  'assigned urge manager → supervising',
  'accepted urge manager → supervising',
  'accepted report_done officer → done',
  'accepted report_done manager → done',
  'supervising urge manager → supervising',
  'supervising report_done officer → done',
  'supervising report_done manager → done',
  'done send_back manager → supervising',
  'done follow_up manager → followed_up',
];

/** (status, event) pairs that exist at all (for some role): other roles get ROLE_NOT_ALLOWED, not TRANSITION_NOT_ALLOWED. */
const PAIRS = new Set(ALLOWED.map((line) => line.split(' ').slice(0, 2).join(' ')));

describe('supervision workflow table', () => {
  const combinations = SUPERVISION_STATUSES.flatMap((status) => SUPERVISION_EVENTS.flatMap((event) => ROLES.map((role) => [status, event, role] as const)));

  it('covers 5 statuses × 5 events × 6 roles', () => {
    expect(combinations).toHaveLength(150);
  });

  it.each(combinations)('%s + %s by %s', (status, event, role) => {
    const step = SUPERVISION_WORKFLOW.nextTransition(status, event, role);
    const allowed = ALLOWED.find((line) => line.startsWith(`${status} ${event} ${role} → `));
    if (allowed) {
      expect(step).toMatchObject({ ok: true, to: allowed.split(' → ')[1] });
    } else {
      expect(step).toMatchObject({ ok: false, code: PAIRS.has(`${status} ${event}`) ? 'ROLE_NOT_ALLOWED' : 'TRANSITION_NOT_ALLOWED' });
    }
  });

  it('needs a note to urge, report done or send back, and the satisfaction to follow up', () => {
    const requires = (status: (typeof SUPERVISION_STATUSES)[number], event: (typeof SUPERVISION_EVENTS)[number]) => {
      const step = SUPERVISION_WORKFLOW.nextTransition(status, event, 'manager');
      return step.ok ? step.requires : null;
    };
    expect(requires('assigned', 'accept')).toEqual([]);
    expect(requires('accepted', 'urge')).toEqual(['note']);
    expect(requires('supervising', 'report_done')).toEqual(['note']);
    expect(requires('done', 'send_back')).toEqual(['note']);
    expect(requires('done', 'follow_up')).toEqual(['satisfaction']);
  });
});

describe('overdue and on time', () => {
  it('is overdue the day after the deadline while not done', () => {
    expect(isSupervisionOverdue('accepted', '2026-10-10', '2026-10-10')).toBe(false);
    expect(isSupervisionOverdue('accepted', '2026-10-10', '2026-10-11')).toBe(true);
    expect(isSupervisionOverdue('done', '2026-10-10', '2026-10-11')).toBe(false);
    expect(isSupervisionOverdue('followed_up', '2026-10-10', '2026-12-01')).toBe(false);
  });

  it('judges on time by the day reported done; an open item only once its deadline passed', () => {
    expect(handledOnTime('2026-10-10', '2026-10-10', '2026-11-01')).toBe(true);
    expect(handledOnTime('2026-10-10', '2026-10-11', '2026-11-01')).toBe(false);
    expect(handledOnTime('2026-10-10', null, '2026-10-10')).toBeNull();
    expect(handledOnTime('2026-10-10', null, '2026-10-11')).toBe(false);
  });
});

describe('scoring rule supervision_on_time', () => {
  const base = { reported: 0, openReported: 0, cleared: 0, clearedLate: 0, overdue: 0, reopened: 0, leadsLateByDays: {} };

  it('loses maxPoints × late ÷ judged (15 × 1 / 3 = 5) and nothing when nothing was due', () => {
    const rules = [{ rule: 'supervision_on_time' as const, maxPoints: 15 }];
    expect(scoreUnitMonth(rules, { ...base, supervisionsJudged: 3, supervisionsLate: 1 })).toEqual({ score: 95, lost: [{ rule: 'supervision_on_time', points: 5, count: 1 }] });
    expect(scoreUnitMonth(rules, { ...base, supervisionsJudged: 0, supervisionsLate: 0 })).toEqual({ score: 100, lost: [{ rule: 'supervision_on_time', points: 0, count: 0 }] });
    // 10 × 2 / 3 = 6.666… → 6.67 (two decimals, as a bulletin prints them)
    expect(scoreUnitMonth([{ rule: 'supervision_on_time', maxPoints: 10 }], { ...base, supervisionsJudged: 3, supervisionsLate: 2 }).lost[0]!.points).toBe(6.67);
  });
});
