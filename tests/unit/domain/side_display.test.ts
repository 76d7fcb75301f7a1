import { describe, expect, it } from 'vitest';
import { displayedSide } from '../../../server/domain/side_display.ts';

describe('displayedSide', () => {
  it('no side at distance 0 (rounded)', () => {
    expect(displayedSide('right', 0)).toBeNull();
    expect(displayedSide('left', 0.4)).toBeNull();
  });
  it('a side from 0.5 m on', () => {
    expect(displayedSide('right', 0.5)).toBe('right');
    expect(displayedSide('left', 25)).toBe('left');
  });
  it('keeps the side when the offset is unknown, and none without a side', () => {
    expect(displayedSide('left', null)).toBe('left');
    expect(displayedSide(null, 12)).toBeNull();
  });
});
