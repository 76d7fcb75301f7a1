/**
 * Left or right of the road means nothing for a finding on the centreline (offset 0 m): the
 * locator still picks a side there, and "右侧 · 距中线 0 m" showed on almost every satellite lead
 * whose polygon crosses the road. Pure, shared by the client and the documents.
 */
export function displayedSide<Side extends 'left' | 'right'>(side: Side | null, offsetMeters: number | null): Side | null {
  if (side === null) return null;
  if (offsetMeters !== null && Math.round(offsetMeters) === 0) return null;
  return side;
}
