import { describe, expect, it } from 'vitest';
import { formatStake, parseStake } from '../../../server/domain/stake.ts';

describe('formatStake', () => {
  it.each([
    [0, 'K0+000'],
    [3200, 'K3+200'],
    [12300, 'K12+300'],
    [999.6, 'K1+000'],
    [123456, 'K123+456'],
    [45, 'K0+045'],
  ])('formats %d m as %s', (meters, expected) => {
    expect(formatStake(meters)).toBe(expected);
  });

  it('keeps decimals when asked', () => {
    expect(formatStake(3200.456, 2)).toBe('K3+200.46');
  });

  it('refuses negative or non-finite chainage', () => {
    expect(() => formatStake(-1)).toThrow(RangeError);
    expect(() => formatStake(Number.NaN)).toThrow(RangeError);
  });
});

describe('parseStake', () => {
  it.each([
    ['K3+200', 3200],
    ['K0+000', 0],
    ['k12+345', 12345],
    [' K3+200 ', 3200],
    ['K3+200.5', 3200.5],
  ])('parses %s', (text, meters) => {
    expect(parseStake(text)).toEqual({ ok: true, chainageMeters: meters });
  });

  it.each(['K3+1200', 'K-1+000', '3+200x', 'K3+20', 'K3200', '', 'G107 K3+200', 'K3+200m'])('rejects %j with the valid form', (text) => {
    const result = parseStake(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('K3+200');
  });

  it('round-trips whole metres', () => {
    for (const meters of [0, 1, 999, 1000, 54321, 280000]) {
      const parsed = parseStake(formatStake(meters));
      expect(parsed).toEqual({ ok: true, chainageMeters: meters });
    }
  });
});
