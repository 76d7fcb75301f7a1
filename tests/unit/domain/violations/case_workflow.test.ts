import { describe, expect, it } from 'vitest';
import {
  allowedEvents,
  CASE_EVENTS,
  CASE_ROLES,
  CASE_STATUSES,
  CASE_TRANSITIONS,
  defaultDeadline,
  missingRequirements,
  nextTransition,
  OPEN_STATUSES,
  REINSPECTION_WITHIN_DAYS,
  TERMINAL_STATUSES,
  type CaseEvent,
  type CaseEvidence,
  type CaseRole,
  type CaseStatus,
} from '../../../../server/domain/case_workflow.ts';
import { VIOLATION_CATEGORIES } from '../../../../server/domain/violation_categories.ts';

/**
 * The expected table, written out independently of the implementation: `from event to roles requires`.
 * Roles: O = officer, M = manager, P = patrol. Requires: comma list or "-". Every other
 * status × event × role combination must be refused.
 */
const EXPECTED_TABLE = `
reported       verify                verified        OM   photo,site_photo_for_satellite_lead
reported       reject                rejected        OM   reject_reason
verified       reject                rejected        OM   reject_reason
verified       issue_notice          notice_issued   OM   party,deadline
notice_issued  reissue_notice        notice_issued   OM   party,deadline
notice_issued  start_rectification   rectifying      OM   -
notice_issued  report_cleared        cleared         OMP  after_photo
notice_issued  send_reminder         reminded        OM   deadline
rectifying     reissue_notice        rectifying      OM   party,deadline
rectifying     report_cleared        cleared         OMP  after_photo
rectifying     send_reminder         reminded        OM   deadline
reminded       reissue_notice        reminded        OM   party,deadline
reminded       report_cleared        cleared         OMP  after_photo
reminded       decide_forced_removal forced_removal  OM   note
forced_removal report_cleared        cleared         OMP  after_photo
cleared        reinspect_pass        reinspected     OM   after_photo
cleared        reinspect_fail        rectifying      OM   photo,note
reinspected    close                 closed          OM   -
closed         reopen                verified        OM   photo,note
rejected       reopen                reported        M    note
`;

const ROLE_LETTERS: Record<string, CaseRole> = { O: 'officer', M: 'manager', P: 'patrol' };

type ExpectedRow = { to: string; roles: CaseRole[]; requires: string[] };
const expected = new Map<string, ExpectedRow>();
for (const line of EXPECTED_TABLE.trim().split('\n')) {
  const [from, event, to, letters, requires] = line.trim().split(/\s+/) as [string, string, string, string, string];
  expected.set(`${from} ${event}`, {
    to,
    roles: [...letters].map((letter) => ROLE_LETTERS[letter]!),
    requires: requires === '-' ? [] : requires.split(','),
  });
}

function expectedAllowed(status: CaseStatus, role: CaseRole): CaseEvent[] {
  return CASE_EVENTS.filter((event) => expected.get(`${status} ${event}`)?.roles.includes(role));
}

describe('CASE_TRANSITIONS, exhaustively', () => {
  const cases = CASE_STATUSES.flatMap((status) =>
    CASE_EVENTS.flatMap((event) => CASE_ROLES.map((role) => [status, event, role] as const)),
  );

  it('covers the full cross product of statuses × events × roles', () => {
    expect(cases).toHaveLength(10 * 12 * 6);
  });

  it.each(cases)('%s + %s by %s', (status, event, role) => {
    const result = nextTransition(status, event, role);
    const row = expected.get(`${status} ${event}`);
    if (row && row.roles.includes(role)) {
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.to).toBe(row.to);
      expect(CASE_STATUSES).toContain(result.to);
      expect([...result.requires]).toEqual(row.requires);
      expect([...result.roles].sort()).toEqual([...row.roles].sort());
      return;
    }
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe(row ? 'ROLE_NOT_ALLOWED' : 'TRANSITION_NOT_ALLOWED');
    expect(result.message).toContain(`"${event}"`);
    expect(result.message).toContain(`"${status}"`);
    const allowed = expectedAllowed(status, role);
    const instead =
      allowed.length === 0
        ? `nothing is allowed for ${role} from "${status}"`
        : `allowed for ${role} from "${status}": ${allowed.map((allowedEvent) => `"${allowedEvent}"`).join(', ')}`;
    expect(result.message.endsWith(instead)).toBe(true);
  });

  it('has exactly the expected rows and no duplicate (from, event)', () => {
    expect(CASE_TRANSITIONS).toHaveLength(expected.size);
    const keys = new Set(CASE_TRANSITIONS.map((row) => `${row.from} ${row.event}`));
    expect(keys.size).toBe(CASE_TRANSITIONS.length);
  });
});

describe('roles', () => {
  it('admin, dispatcher and viewer can do nothing in any status', () => {
    for (const role of ['admin', 'dispatcher', 'viewer'] as const) {
      for (const status of CASE_STATUSES) expect(allowedEvents(status, role)).toEqual([]);
    }
  });
  it('a manager may do everything an officer may', () => {
    for (const status of CASE_STATUSES) {
      const manager = allowedEvents(status, 'manager');
      for (const event of allowedEvents(status, 'officer')) expect(manager).toContain(event);
    }
  });
  it('patrol may only report a site cleared', () => {
    const events = new Set(CASE_STATUSES.flatMap((status) => allowedEvents(status, 'patrol')));
    expect([...events]).toEqual(['report_cleared']);
  });
  it('refusal names what the role may do instead', () => {
    const result = nextTransition('reported', 'close', 'officer');
    expect(result).toMatchObject({ ok: false, code: 'TRANSITION_NOT_ALLOWED' });
    if (!result.ok) expect(result.message).toBe('"close" is not possible from "reported"; allowed for officer from "reported": "verify", "reject"');
  });
});

describe('status sets', () => {
  it('open statuses are all but closed and rejected', () => {
    expect([...OPEN_STATUSES].sort()).toEqual(CASE_STATUSES.filter((s) => s !== 'closed' && s !== 'rejected').sort());
  });
  it('terminal statuses are left only by reopen', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['closed', 'rejected']);
    for (const status of TERMINAL_STATUSES) {
      for (const row of CASE_TRANSITIONS.filter((r) => r.from === status)) expect(row.event).toBe('reopen');
    }
  });
  it('every open status has a way forward for an officer or manager', () => {
    for (const status of OPEN_STATUSES) expect(allowedEvents(status, 'manager').length).toBeGreaterThan(0);
  });
});

describe('missingRequirements', () => {
  const complete: CaseEvidence = {
    photoCount: 2,
    afterPhotoCount: 1,
    hasParty: true,
    deadline: new Date('2026-03-01T00:00:00Z'),
    note: 'checked on site',
    rejectReason: 'duplicate',
    source: 'patrol',
  };
  const row = (status: CaseStatus, event: CaseEvent) => CASE_TRANSITIONS.find((r) => r.from === status && r.event === event)!;

  it('nothing is missing when all evidence is present', () => {
    for (const transition of CASE_TRANSITIONS) expect(missingRequirements(transition, complete)).toEqual([]);
  });
  it('verify without a photo needs a photo', () => {
    expect(missingRequirements(row('reported', 'verify'), { ...complete, photoCount: 0 })).toEqual(['photo']);
  });
  it('verify of a satellite lead without an on-site photo names the satellite rule', () => {
    expect(missingRequirements(row('reported', 'verify'), { ...complete, photoCount: 0, source: 'satellite_lead' })).toEqual([
      'site_photo_for_satellite_lead',
    ]);
  });
  it('verify of a satellite lead with an on-site photo passes', () => {
    expect(missingRequirements(row('reported', 'verify'), { ...complete, source: 'satellite_lead' })).toEqual([]);
  });
  it('a notice needs party and deadline', () => {
    expect(missingRequirements(row('verified', 'issue_notice'), { ...complete, hasParty: false, deadline: null })).toEqual([
      'party',
      'deadline',
    ]);
  });
  it('an invalid date is no deadline', () => {
    expect(missingRequirements(row('verified', 'issue_notice'), { ...complete, deadline: new Date('nope') })).toEqual(['deadline']);
  });
  it('report_cleared needs an after photo', () => {
    expect(missingRequirements(row('rectifying', 'report_cleared'), { ...complete, afterPhotoCount: 0 })).toEqual(['after_photo']);
  });
  it('reject needs a reason', () => {
    expect(missingRequirements(row('reported', 'reject'), { ...complete, rejectReason: null })).toEqual(['reject_reason']);
  });
  it('reject reason "other" needs a note', () => {
    expect(missingRequirements(row('reported', 'reject'), { ...complete, rejectReason: 'other', note: '  ' })).toEqual(['note']);
  });
  it('a blank note is no note', () => {
    expect(missingRequirements(row('reminded', 'decide_forced_removal'), { ...complete, note: ' ' })).toEqual(['note']);
  });
});

describe('deadlines', () => {
  const from = new Date('2026-03-10T08:00:00+08:00');
  const days = (date: Date) => (date.getTime() - from.getTime()) / 86_400_000;

  it.each([
    ['piling', 3],
    ['trading', 3],
    ['billboard', 7],
    ['structure', 15],
    ['excavation', 15],
    ['level_crossing', 15],
    ['crops', 7],
  ] as const)('%s: %i calendar days', (category, expectedDays) => {
    expect(days(defaultDeadline(category, from))).toBe(expectedDays);
  });
  it('every category has a default', () => {
    for (const category of VIOLATION_CATEGORIES) expect(days(defaultDeadline(category, from))).toBeGreaterThan(0);
  });
  it('configuration overrides a category', () => {
    expect(days(defaultDeadline('billboard', from, { billboard: 10 }))).toBe(10);
  });
  it('an override below one day is refused', () => {
    expect(() => defaultDeadline('billboard', from, { billboard: 0 })).toThrow(/whole number of days ≥ 1/);
  });
  it('crosses month ends in calendar days', () => {
    expect(defaultDeadline('structure', new Date('2026-02-20T00:00:00Z')).toISOString()).toBe('2026-03-07T00:00:00.000Z');
  });
  it('re-inspection within 3 days', () => {
    expect(REINSPECTION_WITHIN_DAYS).toBe(3);
  });
});
