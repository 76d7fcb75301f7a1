import { describe, expect, it } from 'vitest';
import { ADMIN_CLASSES } from '../../../server/domain/admin_class.ts';
import {
  CREW_MEMBER_ROLES,
  DEFAULT_PATROL_INTERVAL_DAYS,
  DEFAULT_PATROL_SPEEDS_KMH,
  formatShiftMinutes,
  frequencyReasons,
  isPatrolIntervalDays,
  MIN_CREW_MEMBERS,
  overdueDays,
  PATROL_TASK_KIND_LABELS,
  PATROL_TASK_KINDS,
  SEGMENT_DUE_REASON_LABELS,
  SEGMENT_DUE_REASONS,
  seesOwnCrewsOnly,
  shanghaiDate,
} from '../../../server/domain/patrol_rules.ts';
import { ROLES } from '../../../server/domain/roles.ts';
import { expectBilingualLabels } from './label_tables.ts';

describe('patrol practice defaults (DOMAIN.md "Patrols")', () => {
  it('expressway, national and provincial daily; county twice a week; township and village weekly', () => {
    expect(DEFAULT_PATROL_INTERVAL_DAYS).toEqual({ expressway: 1, national: 1, provincial: 1, county: 3, township: 7, village: 7 });
    // "twice a week" must hold in every week: an interval of 3 days puts ≥ 2 patrols in any 7 days
    expect(Math.floor(7 / DEFAULT_PATROL_INTERVAL_DAYS.county)).toBeGreaterThanOrEqual(2);
  });
  it('a patrol needs at least two officers', () => {
    expect(MIN_CREW_MEMBERS).toBe(2);
  });
  it('has a positive routing speed for every class and for connectors, faster on bigger roads', () => {
    for (const adminClass of [...ADMIN_CLASSES, 'connector' as const]) expect(DEFAULT_PATROL_SPEEDS_KMH[adminClass]).toBeGreaterThan(0);
    expect(DEFAULT_PATROL_SPEEDS_KMH.expressway).toBeGreaterThan(DEFAULT_PATROL_SPEEDS_KMH.national);
    expect(DEFAULT_PATROL_SPEEDS_KMH.national).toBeGreaterThanOrEqual(DEFAULT_PATROL_SPEEDS_KMH.provincial);
    expect(DEFAULT_PATROL_SPEEDS_KMH.provincial).toBeGreaterThan(DEFAULT_PATROL_SPEEDS_KMH.county);
    expect(DEFAULT_PATROL_SPEEDS_KMH.county).toBeGreaterThan(DEFAULT_PATROL_SPEEDS_KMH.township);
    expect(DEFAULT_PATROL_SPEEDS_KMH.township).toBeGreaterThan(DEFAULT_PATROL_SPEEDS_KMH.village);
    expect(Object.keys(DEFAULT_PATROL_SPEEDS_KMH).sort()).toEqual([...ADMIN_CLASSES, 'connector'].sort());
  });
});

describe('who sees which assignments', () => {
  it('officers and patrol staff see their own crews; planners see every crew', () => {
    expect(CREW_MEMBER_ROLES).toEqual(['officer', 'patrol']);
    const own = ROLES.filter((role) => seesOwnCrewsOnly(role));
    expect(own.sort()).toEqual(['officer', 'patrol']);
    for (const planner of ['dispatcher', 'manager', 'admin'] as const) expect(seesOwnCrewsOnly(planner)).toBe(false);
  });
});

describe('when a segment is due', () => {
  it('never patrolled, interval reached today, overdue, or not yet', () => {
    expect(frequencyReasons(null, 3)).toEqual(['never_patrolled']);
    expect(frequencyReasons(3, 3)).toEqual(['interval_elapsed']);
    expect(frequencyReasons(4, 3)).toEqual(['overdue']);
    expect(frequencyReasons(2, 3)).toEqual([]);
    expect(frequencyReasons(0, 1)).toEqual([]);
    expect(frequencyReasons(1, 1)).toEqual(['interval_elapsed']);
  });
  it('days overdue count past the interval only', () => {
    expect(overdueDays(10, 7)).toBe(3);
    expect(overdueDays(7, 7)).toBe(0);
    expect(overdueDays(2, 7)).toBe(0);
    expect(overdueDays(null, 7)).toBe(0);
  });
  it('an interval is a whole number of days from 1 to 365', () => {
    for (const days of [1, 3, 7, 365]) expect(isPatrolIntervalDays(days)).toBe(true);
    for (const days of [0, -1, 366, 1.5, Number.NaN]) expect(isPatrolIntervalDays(days)).toBe(false);
  });
});

describe('labels', () => {
  it('every due reason and task kind has a label in both languages', () => {
    expectBilingualLabels(SEGMENT_DUE_REASONS, SEGMENT_DUE_REASON_LABELS);
    expectBilingualLabels(PATROL_TASK_KINDS, PATROL_TASK_KIND_LABELS);
    // the point tasks are also due reasons (a segment is due because of its task)
    for (const kind of PATROL_TASK_KINDS) expect(SEGMENT_DUE_REASONS).toContain(kind);
  });
});

describe('time of day and calendar day', () => {
  it('formats minutes after midnight as HH:MM, past midnight too', () => {
    expect(formatShiftMinutes(0)).toBe('00:00');
    expect(formatShiftMinutes(8 * 60 + 5)).toBe('08:05');
    expect(formatShiftMinutes(17 * 60 + 30)).toBe('17:30');
    expect(formatShiftMinutes(25 * 60 + 30)).toBe('25:30');
  });
  it("today's date in Asia/Shanghai changes at 16:00 UTC", () => {
    expect(shanghaiDate(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11-30');
    expect(shanghaiDate(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12-01');
    expect(shanghaiDate(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
    expect(shanghaiDate()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
