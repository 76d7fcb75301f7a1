import { describe, expect, it } from 'vitest';
import { formatCaseNumber, parseCaseNumber } from '../../../../server/domain/case_number.ts';

describe('case numbers', () => {
  it('formats with a zero-padded sequence', () => {
    expect(formatCaseNumber({ jurisdictionCode: '410104', year: 2026, sequence: 123 })).toBe('410104-2026-000123');
  });
  it('parses what it formats', () => {
    expect(parseCaseNumber('410104-2026-000123')).toEqual({ ok: true, jurisdictionCode: '410104', year: 2026, sequence: 123 });
  });
  it('round-trips the largest sequence', () => {
    const text = formatCaseNumber({ jurisdictionCode: '411300', year: 2030, sequence: 999_999 });
    expect(parseCaseNumber(text)).toMatchObject({ ok: true, sequence: 999_999 });
  });
  it('tolerates surrounding whitespace', () => {
    expect(parseCaseNumber(' 410104-2026-000001 ').ok).toBe(true);
  });
  it.each(['410104-2026-123', '41010-2026-000123', '410104-26-000123', '410104 2026 000123', '410104-2026-000123x', '010104-2026-000123', ''])(
    'refuses "%s" naming the valid form',
    (text) => {
      const result = parseCaseNumber(text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain('410104-2026-000123');
    },
  );
  it('refuses sequence 000000', () => {
    const result = parseCaseNumber('410104-2026-000000');
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.message).toContain('sequence starts at 000001');
  });
  it('refuses an implausible year', () => {
    expect(parseCaseNumber('410104-1999-000001').ok).toBe(false);
  });
  it('refuses to format invalid parts', () => {
    expect(() => formatCaseNumber({ jurisdictionCode: '4101', year: 2026, sequence: 1 })).toThrow(/6-digit division code/);
    expect(() => formatCaseNumber({ jurisdictionCode: '410104', year: 2026, sequence: 0 })).toThrow(/from 1 to 999999/);
    expect(() => formatCaseNumber({ jurisdictionCode: '410104', year: 2026, sequence: 1_000_000 })).toThrow(/sequence/);
  });
});
