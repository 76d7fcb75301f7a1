import { describe, expect, it } from 'vitest';
import { formulaProblem, NEUTRAL_RULES, rankByScore, roundPoints, SCORING_RULE_LABELS, SCORING_RULES, scoreUnitMonth, type ScoringRule, type UnitMonthMeasures } from '../../../server/domain/scoring_formula.ts';
import { expectBilingualLabels } from './label_tables.ts';

// Points worked out by hand from the rules in the module's header: a unit starts at 100.
const FORMULA: ScoringRule[] = [
  { rule: 'closure_rate', maxPoints: 20 },
  { rule: 'on_time_rate', maxPoints: 10 },
  { rule: 'overdue_cases', maxPoints: 15, pointsEach: 2 },
  { rule: 'recurrence', maxPoints: 10, pointsEach: 5 },
  { rule: 'leads_review', maxPoints: 10, pointsEach: 1, withinDays: 3 },
  { rule: 'patrol_coverage', maxPoints: 5 },
  { rule: 'supervision_on_time', maxPoints: 10 },
];
const NOTHING: UnitMonthMeasures = { reported: 0, openReported: 0, cleared: 0, clearedLate: 0, overdue: 0, reopened: 0, leadsLateByDays: {}, supervisionsJudged: 0, supervisionsLate: 0 };

describe('roundPoints: two decimals, half away from zero', () => {
  it('rounds halves up in size, also where binary floating point falls just short', () => {
    expect(roundPoints(2.345)).toBe(2.35);
    expect(roundPoints(-2.345)).toBe(-2.35);
    expect(roundPoints(1.005)).toBe(1.01);
    expect(roundPoints(1 / 3)).toBe(0.33);
    expect(roundPoints(2 / 3)).toBe(0.67);
    expect(roundPoints(-2 / 3)).toBe(-0.67);
    expect(roundPoints(0)).toBe(0);
    expect(roundPoints(7)).toBe(7);
  });
});

describe('scoreUnitMonth', () => {
  it('loses points per rule, in formula order', () => {
    const measures: UnitMonthMeasures = {
      reported: 8,
      openReported: 2,
      cleared: 6,
      clearedLate: 1,
      overdue: 9,
      reopened: 1,
      leadsLateByDays: { 3: 4, 7: 1 },
      supervisionsJudged: 4,
      supervisionsLate: 1,
    };
    expect(scoreUnitMonth(FORMULA, measures)).toEqual({
      // 100 − (5 + 1.67 + 15 + 5 + 4 + 0 + 2.5)
      score: 66.83,
      lost: [
        { rule: 'closure_rate', points: 5, count: 2 }, // 20 × 2 / 8
        { rule: 'on_time_rate', points: 1.67, count: 1 }, // 10 × 1 / 6
        { rule: 'overdue_cases', points: 15, count: 9 }, // 2 × 9 = 18, capped at 15
        { rule: 'recurrence', points: 5, count: 1 },
        { rule: 'leads_review', points: 4, count: 4 }, // the leads late by 3 days' rule
        { rule: 'patrol_coverage', points: 0, count: 0 }, // neutral until patrols measure it
        { rule: 'supervision_on_time', points: 2.5, count: 1 }, // 10 × 1 / 4
      ],
    });
  });
  it('rates are maxPoints × late ÷ all, also with several late', () => {
    // 10 × 2 / 6 = 3.33; 20 × 3 / 4 = 15
    expect(scoreUnitMonth(FORMULA.slice(0, 2), { ...NOTHING, reported: 4, openReported: 3, cleared: 6, clearedLate: 2 }).lost).toEqual([
      { rule: 'closure_rate', points: 15, count: 3 },
      { rule: 'on_time_rate', points: 3.33, count: 2 },
    ]);
  });
  it('a neutral rule (no measure yet) loses nothing whatever happened; patrol coverage is one', () => {
    expect(NEUTRAL_RULES).toContain('patrol_coverage');
    const busy: UnitMonthMeasures = { reported: 9, openReported: 9, cleared: 9, clearedLate: 9, overdue: 9, reopened: 9, leadsLateByDays: { 0: 9 }, supervisionsJudged: 9, supervisionsLate: 9 };
    for (const rule of NEUTRAL_RULES) expect(scoreUnitMonth([{ rule, maxPoints: 30, pointsEach: 5, withinDays: 0 }], busy)).toEqual({ score: 100, lost: [{ rule, points: 0, count: 0 }] });
  });
  it('nothing happened: nothing lost, no division by zero', () => {
    const result = scoreUnitMonth(FORMULA, NOTHING);
    expect(result.score).toBe(100);
    expect(result.lost.every((item) => item.points === 0 && item.count === 0)).toBe(true);
  });
  it('rates with a count but nothing to divide by lose nothing', () => {
    const result = scoreUnitMonth(FORMULA.slice(0, 2), { ...NOTHING, openReported: 3, clearedLate: 2 });
    expect(result).toEqual({ score: 100, lost: [{ rule: 'closure_rate', points: 0, count: 3 }, { rule: 'on_time_rate', points: 0, count: 2 }] });
  });
  it('a count rule without pointsEach loses nothing; leads without withinDays are the same-day ones', () => {
    expect(scoreUnitMonth([{ rule: 'recurrence', maxPoints: 10 }], { ...NOTHING, reopened: 3 }).lost).toEqual([{ rule: 'recurrence', points: 0, count: 3 }]);
    expect(scoreUnitMonth([{ rule: 'leads_review', maxPoints: 10, pointsEach: 2 }], { ...NOTHING, leadsLateByDays: { 0: 3, 3: 1 } }).lost).toEqual([{ rule: 'leads_review', points: 6, count: 3 }]);
    expect(scoreUnitMonth([{ rule: 'leads_review', maxPoints: 10, pointsEach: 2, withinDays: 5 }], { ...NOTHING, leadsLateByDays: { 3: 1 } }).lost).toEqual([{ rule: 'leads_review', points: 0, count: 0 }]);
  });
  it('the score keeps two decimals', () => {
    // each rule loses 10 × 1/3 = 3.33 (rounded per rule), so 100 − 6.66 = 93.34
    expect(scoreUnitMonth([{ rule: 'closure_rate', maxPoints: 10 }, { rule: 'on_time_rate', maxPoints: 10 }], { ...NOTHING, reported: 3, openReported: 1, cleared: 3, clearedLate: 1 }).score).toBe(93.34);
  });
});

describe('rankByScore: standard competition ranking', () => {
  it('1, 2, 2, 4 by score, ties in input order', () => {
    const ranked = rankByScore([
      { code: 'a', score: 90 },
      { code: 'b', score: 95 },
      { code: 'c', score: 90 },
      { code: 'd', score: 80.5 },
    ]);
    expect(ranked).toEqual([
      { code: 'b', score: 95, rank: 1 },
      { code: 'a', score: 90, rank: 2 },
      { code: 'c', score: 90, rank: 2 },
      { code: 'd', score: 80.5, rank: 4 },
    ]);
  });
  it('a unit without a score (NaN) still gets its place', () => {
    expect(rankByScore([{ score: Number.NaN }]).map((unit) => unit.rank)).toEqual([1]);
  });
});

describe('formulaProblem', () => {
  it('accepts the example formula and a 100-point total', () => {
    expect(formulaProblem(FORMULA)).toBeNull();
    expect(formulaProblem([{ rule: 'closure_rate', maxPoints: 60 }, { rule: 'on_time_rate', maxPoints: 40 }])).toBeNull();
    expect(formulaProblem([{ rule: 'leads_review', maxPoints: 10, pointsEach: 0.5, withinDays: 0 }])).toBeNull();
  });
  it('refuses an empty formula, a rule twice, and more than 100 points', () => {
    expect(formulaProblem([])).toBe('a formula needs at least one rule');
    expect(formulaProblem([{ rule: 'closure_rate', maxPoints: 10 }, { rule: 'closure_rate', maxPoints: 5 }])).toBe('rule closure_rate appears twice');
    expect(formulaProblem([{ rule: 'closure_rate', maxPoints: 60 }, { rule: 'on_time_rate', maxPoints: 41 }])).toBe('the rules can take off 101 points; at most 100');
  });
  it('count rules need pointsEach > 0', () => {
    for (const rule of ['overdue_cases', 'recurrence', 'leads_review'] as const) {
      expect(formulaProblem([{ rule, maxPoints: 10, withinDays: 1 }])).toBe(`rule ${rule} needs pointsEach > 0`);
      expect(formulaProblem([{ rule, maxPoints: 10, pointsEach: 0, withinDays: 1 }])).toBe(`rule ${rule} needs pointsEach > 0`);
      expect(formulaProblem([{ rule, maxPoints: 10, pointsEach: 1, withinDays: 1 }])).toBeNull();
    }
    // rate rules need no pointsEach
    expect(formulaProblem([{ rule: 'supervision_on_time', maxPoints: 10 }])).toBeNull();
  });
  it('leads_review needs whole days ≥ 0', () => {
    for (const withinDays of [undefined, -1, 1.5]) {
      expect(formulaProblem([{ rule: 'leads_review', maxPoints: 10, pointsEach: 1, withinDays }])).toBe('rule leads_review needs withinDays (whole days ≥ 0)');
    }
  });
  it('checks every rule, not just the first', () => {
    expect(formulaProblem([{ rule: 'closure_rate', maxPoints: 10 }, { rule: 'recurrence', maxPoints: 10 }])).toBe('rule recurrence needs pointsEach > 0');
  });
});

describe('labels', () => {
  it('every rule has a label in both languages', () => {
    expectBilingualLabels(SCORING_RULES, SCORING_RULE_LABELS);
  });
});
