import { firstItem, itemAt, lastItem } from './array_access.ts';
import type { ChainageLine } from './assign_chainage.ts';
import type { ChainPiece } from './merge_carriageways.ts';
import { COORDINATE_DECIMALS, roundMeters, roundTo, type LonLat } from './round_numbers.ts';

/**
 * A part of a line overlapping chainage already used is moved to a range of its own from this
 * length on, and left out of the route's segments (it stays on the basemap) when shorter.
 */
export const MIN_OWN_RANGE_METERS = 200;
/** Overlaps up to this much chainage are rounding at a junction, not a second cross-section. */
const OVERLAP_TOLERANCE_METERS = 0.5;
const STAKE_INTERVAL_METERS = 1000;
const CHAINAGE_STEP_METERS = 0.01;

/** What was done to one part of a line whose chainage another line of the route and direction already used. */
export interface ChainageConflict {
  direction: 1 | -1;
  osmIds: string[];
  /** Chainage the part would have had. */
  fromMeters: number;
  toMeters: number;
  lengthMeters: number;
  /** 'own': new range from `ownFromMeters`; 'dropped': left out of the segments (shorter than MIN_OWN_RANGE_METERS). */
  resolution: 'own' | 'dropped';
  ownFromMeters: number | null;
}

interface Run {
  start: number;
  end: number;
  overlapping: boolean;
}

/** The line with an extra vertex wherever its chainage crosses one of `boundaries`. */
function withBoundaryVertices(line: ChainageLine, boundaries: number[]): { line: ChainageLine; newIndex: number[] } {
  const coordinates: LonLat[] = [];
  const chainageMeters: number[] = [];
  const alongMeters: number[] = [];
  const newIndex: number[] = [];
  for (let index = 0; index < line.coordinates.length; index += 1) {
    const from = itemAt(line.coordinates, index);
    const chainage = itemAt(line.chainageMeters, index);
    const along = itemAt(line.alongMeters, index);
    newIndex.push(coordinates.length);
    coordinates.push(from);
    chainageMeters.push(chainage);
    alongMeters.push(along);
    if (index === line.coordinates.length - 1) break;
    const to = itemAt(line.coordinates, index + 1);
    const nextChainage = itemAt(line.chainageMeters, index + 1);
    const nextAlong = itemAt(line.alongMeters, index + 1);
    const low = Math.min(chainage, nextChainage);
    const high = Math.max(chainage, nextChainage);
    const inside = boundaries
      .filter((boundary) => boundary - low >= CHAINAGE_STEP_METERS && high - boundary >= CHAINAGE_STEP_METERS)
      .sort((first, second) => (first - second) * line.direction);
    for (const boundary of inside) {
      const fraction = (boundary - chainage) / (nextChainage - chainage);
      coordinates.push([
        roundTo(from[0] + (to[0] - from[0]) * fraction, COORDINATE_DECIMALS),
        roundTo(from[1] + (to[1] - from[1]) * fraction, COORDINATE_DECIMALS),
      ]);
      chainageMeters.push(boundary);
      alongMeters.push(along + (nextAlong - along) * fraction);
    }
  }
  return { line: { ...line, coordinates, chainageMeters, alongMeters }, newIndex };
}

/** Vertices `start..end` of a line (with its pieces re-indexed), measured from its own first vertex. */
function subLine(line: ChainageLine, pieces: ChainPiece[], start: number, end: number): ChainageLine {
  const startAlong = itemAt(line.alongMeters, start);
  return {
    ...line,
    coordinates: line.coordinates.slice(start, end + 1),
    chainageMeters: line.chainageMeters.slice(start, end + 1),
    alongMeters: line.alongMeters.slice(start, end + 1).map((along) => along - startAlong),
    pieces: pieces
      .filter((piece) => piece.endVertex > start && piece.startVertex < end)
      .map((piece) => ({ ...piece, startVertex: Math.max(piece.startVertex, start) - start, endVertex: Math.min(piece.endVertex, end) - start })),
  };
}

/**
 * Makes every stake of a route name one cross-section per direction. Lines are taken longest
 * first per direction (merge order breaks ties); each part of a later line whose chainage an
 * earlier line of the same direction already uses is cut off and either given a range of its
 * own, starting at the next whole kilometre after everything the route uses (as an 'own' line,
 * measured along itself), or, when shorter than MIN_OWN_RANGE_METERS, left out of the segments.
 */
export function resolveChainageOverlaps(lines: ChainageLine[]): { lines: ChainageLine[]; conflicts: ChainageConflict[] } {
  const order = lines
    .map((line, index) => ({ line, index }))
    .sort((first, second) => lastItem(second.line.alongMeters) - lastItem(first.line.alongMeters) || first.index - second.index);
  const claimed = new Map<1 | -1, [number, number][]>([
    [1, []],
    [-1, []],
  ]);
  const kept = new Map<number, ChainageLine[]>();
  const overlapping: { line: ChainageLine; direction: 1 | -1 }[] = [];

  for (const { line, index } of order) {
    const ranges = claimed.get(line.direction) ?? [];
    const boundaries = ranges.flat();
    const { line: split, newIndex } = withBoundaryVertices(line, boundaries);
    const pieces = line.pieces.map((piece) => ({
      ...piece,
      startVertex: itemAt(newIndex, piece.startVertex),
      endVertex: itemAt(newIndex, piece.endVertex),
    }));
    // Each edge now lies wholly inside or outside every claimed range.
    const runs: Run[] = [];
    for (let edge = 0; edge < split.coordinates.length - 1; edge += 1) {
      const middle = (itemAt(split.chainageMeters, edge) + itemAt(split.chainageMeters, edge + 1)) / 2;
      const inside = ranges.some(([low, high]) => middle > low && middle < high);
      const previous = runs[runs.length - 1];
      if (previous !== undefined && previous.overlapping === inside) previous.end = edge + 1;
      else runs.push({ start: edge, end: edge + 1, overlapping: inside });
    }
    // A junction rounding overlap is no second cross-section: keep it with its neighbours.
    const merged: Run[] = [];
    for (const run of runs) {
      const extent = Math.abs(itemAt(split.chainageMeters, run.end) - itemAt(split.chainageMeters, run.start));
      const overlappingRun = run.overlapping && extent > OVERLAP_TOLERANCE_METERS;
      const previous = merged[merged.length - 1];
      if (previous !== undefined && previous.overlapping === overlappingRun) previous.end = run.end;
      else merged.push({ ...run, overlapping: overlappingRun });
    }
    const keptParts: ChainageLine[] = [];
    for (const run of merged) {
      const part = subLine(split, pieces, run.start, run.end);
      if (run.overlapping) {
        overlapping.push({ line: part, direction: line.direction });
        continue;
      }
      keptParts.push(part);
      const values = [firstItem(part.chainageMeters), lastItem(part.chainageMeters)];
      ranges.push([Math.min(...values), Math.max(...values)]);
    }
    kept.set(index, keptParts);
  }

  // Output: the kept parts in the input order, then the parts moved to ranges of their own.
  const result = lines.flatMap((_, index) => kept.get(index) ?? []);
  const conflicts: ChainageConflict[] = [];
  let highestMeters = Math.max(-1, ...result.flatMap((line) => line.chainageMeters));
  for (const { line, direction } of overlapping) {
    const lengthMeters = lastItem(line.alongMeters);
    const values = [firstItem(line.chainageMeters), lastItem(line.chainageMeters)];
    const conflict: ChainageConflict = {
      direction,
      osmIds: line.pieces.map((piece) => piece.way.osmId),
      fromMeters: roundMeters(Math.min(...values)),
      toMeters: roundMeters(Math.max(...values)),
      lengthMeters: roundMeters(lengthMeters),
      resolution: 'dropped',
      ownFromMeters: null,
    };
    conflicts.push(conflict);
    if (lengthMeters < MIN_OWN_RANGE_METERS) continue;
    const baseMeters = highestMeters < 0 ? 0 : (Math.floor(highestMeters / STAKE_INTERVAL_METERS) + 1) * STAKE_INTERVAL_METERS;
    // With the axis on + lines, against it on − lines (far end gets the smallest chainage).
    const raw = line.alongMeters.map((along) => (direction === 1 ? baseMeters + along : baseMeters + lengthMeters - along));
    const chainageMeters: number[] = [];
    for (const value of raw) {
      let next = roundMeters(value);
      const previous = chainageMeters[chainageMeters.length - 1];
      if (previous !== undefined && (next - previous) * direction < CHAINAGE_STEP_METERS / 2) next = roundMeters(previous + direction * CHAINAGE_STEP_METERS);
      chainageMeters.push(next);
    }
    result.push({ ...line, chainageMeters, chainageSource: 'own' });
    highestMeters = Math.max(highestMeters, ...chainageMeters);
    conflict.resolution = 'own';
    conflict.ownFromMeters = baseMeters;
  }
  return { lines: result, conflicts };
}
