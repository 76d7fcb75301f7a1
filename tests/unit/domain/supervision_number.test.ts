import { describe, expect, it } from 'vitest';
import { formatSupervisionNumber, SUPERVISION_NUMBER_PATTERN } from '../../../server/domain/supervision_number.ts';

describe('supervision numbers (督办统一编号)', () => {
  it('DB, the unit, the year and a six-digit sequence', () => {
    expect(formatSupervisionNumber({ jurisdictionCode: '410100', year: 2026, sequence: 12 })).toBe('DB-410100-2026-000012');
    expect(formatSupervisionNumber({ jurisdictionCode: '410104', year: 2027, sequence: 999_999 })).toBe('DB-410104-2027-999999');
  });
  it('the pattern takes exactly that shape', () => {
    for (const number of ['DB-410100-2026-000012', 'DB-110000-2030-999999']) expect(number).toMatch(SUPERVISION_NUMBER_PATTERN);
    for (const number of ['410100-2026-000012', 'XDB-410100-2026-000012', 'DB-410100-2026-0000123', 'DB-910100-2026-000012', 'DB-010100-2026-000012', 'DB-41010-2026-000012', 'DB-410100-226-000012', 'DB-410100-2026-00012', 'db-410100-2026-000012']) {
      expect(number).not.toMatch(SUPERVISION_NUMBER_PATTERN);
    }
  });
});
