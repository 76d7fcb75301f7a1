import { describe, expect, it } from 'vitest';
import { coveredBottomPx } from '../../../client/src/components/use_sheet_cover';

/** Only the box matters to coveredBottomPx. */
function boxed(left: number, top: number, width: number, height: number): HTMLElement {
  return { getBoundingClientRect: () => ({ left, top, right: left + width, bottom: top + height, width, height }) } as unknown as HTMLElement;
}

describe('coveredBottomPx: how much of the map a bottom sheet hides', () => {
  // A 390 × 844 phone: header down to y = 184, the map below it.
  const map = boxed(0, 184, 390, 660);

  it('is the map height below the top of a full-width sheet', () => {
    expect(coveredBottomPx(boxed(0, 380, 390, 464), map)).toBe(844 - 380);
  });

  it('counts only the part of a sheet that overlaps the map', () => {
    expect(coveredBottomPx(boxed(0, 100, 390, 744), map)).toBe(660);
  });

  it('is 0 for a panel beside the map (desktop) and without a map', () => {
    expect(coveredBottomPx(boxed(868, 68, 400, 300), boxed(0, 56, 1280, 744))).toBe(0);
    expect(coveredBottomPx(boxed(0, 380, 390, 464), null)).toBe(0);
  });
});
