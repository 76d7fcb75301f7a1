import { lineString, nearestPointOnLine } from '@turf/turf';
import type { Feature, LineString } from 'geojson';
import { firstItem, itemAt, lastItem } from './array_access.ts';
import { cumulativeLengthsMeters, distanceMeters } from './geodesy.ts';
import type { ChainPiece, MergeCarriagewaysResult } from './merge_carriageways.ts';
import { resolveChainageOverlaps, type ChainageConflict } from './resolve_chainage_overlaps.ts';
import { roundMeters, type LonLat } from './round_numbers.ts';

/** How a line got its chainage. */
export type ChainageSource =
  /** Geodesic length along the line (the longest + line, and + pieces beyond a gap). */
  | 'along'
  /** Each vertex projected onto the + lines already placed, so one stake is one cross-section. */
  | 'projected'
  /**
   * Chainage of its own, in a range no other line of the route uses: a − line with no + line
   * near it, or the part of any line whose chainage another line of its direction already uses.
   */
  | 'own';

/** A carriageway with a chainage (M) at every vertex. */
export interface ChainageLine {
  direction: 1 | -1;
  coordinates: LonLat[];
  /** Chainage at each vertex, 0.01 m; strictly increasing along + lines, strictly decreasing along − lines. */
  chainageMeters: number[];
  /** Geodesic length from the line's first vertex to each vertex. */
  alongMeters: number[];
  pieces: ChainPiece[];
  chainageSource: ChainageSource;
}

export interface AssignChainageOptions {
  /** A vertex farther than this from every + line is not projected (carriageways are metres apart, not hundreds). */
  maxProjectionMeters?: number | undefined;
  /** Prefix for warnings, usually the route code. */
  label?: string | undefined;
}

export interface AssignChainageResult {
  lines: ChainageLine[];
  warnings: string[];
  /** Parts of lines moved to a range of their own or left out so that no stake is used twice per direction. */
  conflicts: ChainageConflict[];
}

export const DEFAULT_MAX_PROJECTION_METERS = 150;
const STAKE_INTERVAL_METERS = 1000;
/** Smallest chainage step kept between vertices (the output resolution). */
const CHAINAGE_STEP_METERS = 0.01;
/** A projection onto a + line's end vertex from farther away than this means the vertex lies beyond that end. */
const CLAMP_TOLERANCE_METERS = 1;

/** A + line already given chainage, which later lines are projected onto. */
interface Reference {
  line: Feature<LineString>;
  coordinates: LonLat[];
  alongMeters: number[];
  rawChainage: number[];
}

interface Projection {
  chainageMeters: number;
  distanceMeters: number;
  clamped: boolean;
}

/** Chainage of the reference at `lineDistance` metres from its start (linear between vertices). */
function chainageAtDistance(reference: Reference, lineDistance: number): number {
  const { alongMeters, rawChainage } = reference;
  let low = 0;
  let high = alongMeters.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (itemAt(alongMeters, middle) <= lineDistance) low = middle;
    else high = middle;
  }
  const lowAlong = itemAt(alongMeters, low);
  const span = itemAt(alongMeters, high) - lowAlong;
  const fraction = span === 0 ? 0 : Math.min(1, Math.max(0, (lineDistance - lowAlong) / span));
  const lowChainage = itemAt(rawChainage, low);
  return lowChainage + (itemAt(rawChainage, high) - lowChainage) * fraction;
}

function projectOntoReferences(position: LonLat, references: Reference[]): Projection | null {
  let best: Projection | null = null;
  for (const reference of references) {
    const nearest = nearestPointOnLine(reference.line, position, { units: 'meters' });
    const { lineDistance, pointDistance } = nearest.properties;
    if (best !== null && pointDistance >= best.distanceMeters) continue;
    const lengthMeters = lastItem(reference.alongMeters);
    const atEnd = lineDistance <= CHAINAGE_STEP_METERS || lineDistance >= lengthMeters - CHAINAGE_STEP_METERS;
    best = {
      chainageMeters: chainageAtDistance(reference, lineDistance),
      distanceMeters: pointDistance,
      clamped: atEnd && pointDistance > CLAMP_TOLERANCE_METERS,
    };
  }
  return best;
}

/**
 * Indices of the longest run of anchors whose chainage strictly moves in `direction` (by at
 * least one output step). A vertex on the outside of a bend or at a junction can project a
 * little backwards; dropping the fewest such anchors keeps the rest exact.
 */
function longestMonotonicAnchors(indices: number[], values: number[], direction: 1 | -1): number[] {
  const anchorValues = indices.map((index) => itemAt(values, index));
  const lengths = indices.map(() => 1);
  const previous = indices.map(() => -1);
  for (let current = 0; current < indices.length; current += 1) {
    for (let earlier = 0; earlier < current; earlier += 1) {
      const step = (itemAt(anchorValues, current) - itemAt(anchorValues, earlier)) * direction;
      const candidateLength = itemAt(lengths, earlier) + 1;
      if (step >= CHAINAGE_STEP_METERS && candidateLength > itemAt(lengths, current)) {
        lengths[current] = candidateLength;
        previous[current] = earlier;
      }
    }
  }
  let bestEnd = 0;
  lengths.forEach((length, index) => {
    if (length > itemAt(lengths, bestEnd)) bestEnd = index;
  });
  const chosen: number[] = [];
  for (let cursor = indices.length === 0 ? -1 : bestEnd; cursor !== -1; cursor = itemAt(previous, cursor)) {
    chosen.push(itemAt(indices, cursor));
  }
  return chosen.reverse();
}

/**
 * Chainage for a line from its projections, or null when it cannot be projected (no vertex
 * near a reference, or the line runs the wrong way along it). Anchors keep their projected
 * value, vertices between anchors are interpolated by length, vertices beyond the first/last
 * anchor continue at one metre of chainage per metre driven.
 */
function projectedChainage(
  alongMeters: number[],
  projections: (Projection | null)[],
  maxProjectionMeters: number,
  direction: 1 | -1,
): number[] | null {
  const values = projections.map((projection) => projection?.chainageMeters ?? Number.NaN);
  const cleanIndices = projections.flatMap((projection, index) =>
    projection !== null && !projection.clamped && projection.distanceMeters <= maxProjectionMeters ? [index] : [],
  );
  if (cleanIndices.length === 0) return null;
  const trend = itemAt(values, lastItem(cleanIndices)) - itemAt(values, firstItem(cleanIndices));
  if (trend * direction < 0) return null;
  const anchors = longestMonotonicAnchors(cleanIndices, values, direction);
  const chainage: number[] = [];
  let anchorCursor = 0;
  for (let index = 0; index < alongMeters.length; index += 1) {
    while (anchorCursor < anchors.length - 1 && itemAt(anchors, anchorCursor + 1) <= index) anchorCursor += 1;
    const left = itemAt(anchors, anchorCursor);
    const right = anchors[anchorCursor + 1];
    const along = itemAt(alongMeters, index);
    const leftAlong = itemAt(alongMeters, left);
    const leftValue = itemAt(values, left);
    if (index === left) {
      chainage.push(leftValue);
    } else if (index < left || right === undefined) {
      // Beyond the first or last anchor: one metre of chainage per metre driven.
      chainage.push(leftValue + direction * (along - leftAlong));
    } else {
      const fraction = (along - leftAlong) / (itemAt(alongMeters, right) - leftAlong);
      chainage.push(leftValue + (itemAt(values, right) - leftValue) * fraction);
    }
  }
  return chainage;
}

/**
 * Chainage offset for a + piece that does not run alongside any placed line (a gap in the
 * data): it continues from the nearest placed end (or leads into the nearest placed start)
 * plus the straight distance across the gap, so stakes stay unique along the route.
 */
function offsetAcrossGap(coordinates: LonLat[], alongMeters: number[], references: Reference[]): number {
  const start = firstItem(coordinates);
  const end = lastItem(coordinates);
  const lengthMeters = lastItem(alongMeters);
  let best: { gapMeters: number; offsetMeters: number } | null = null;
  for (const reference of references) {
    const after = distanceMeters(lastItem(reference.coordinates), start);
    const before = distanceMeters(end, firstItem(reference.coordinates));
    if (best === null || after < best.gapMeters) {
      best = { gapMeters: after, offsetMeters: lastItem(reference.rawChainage) + after };
    }
    if (before < best.gapMeters) {
      best = { gapMeters: before, offsetMeters: firstItem(reference.rawChainage) - before - lengthMeters };
    }
  }
  return best === null ? 0 : best.offsetMeters;
}

/** Rounds and forces a strict step between neighbours so every cut segment has monotonic M. */
function roundStrictly(chainage: number[], direction: 1 | -1): number[] {
  const rounded: number[] = [];
  for (const value of chainage) {
    let next = roundMeters(value);
    const previous = rounded[rounded.length - 1];
    if (previous !== undefined && (next - previous) * direction < CHAINAGE_STEP_METERS / 2) {
      next = roundMeters(previous + direction * CHAINAGE_STEP_METERS);
    }
    rounded.push(next);
  }
  return rounded;
}

function describe(line: { direction: 1 | -1; pieces: ChainPiece[] }): string {
  return `${line.direction === 1 ? '+' : '−'} carriageway (${line.pieces.map((piece) => piece.way.osmId).join(', ')})`;
}

/**
 * Gives every carriageway a chainage.
 * + lines, longest first: the longest grows with geodesic length from its west/south end. A
 * later + line running alongside placed lines (a parallel main/side carriageway) is projected
 * onto them; one beyond a gap continues from the nearest placed end plus the straight gap.
 * − lines: every vertex is projected onto the nearest + line, so the same stake is the same
 * cross-section on both carriageways and the − line's M decreases in its driving direction.
 * A − line with no vertex within `maxProjectionMeters` of a + line (or running the wrong way
 * along it) gets chainage of its own, in a range starting at the next whole kilometre after
 * everything else on the route, and a warning. The route is shifted so that its smallest
 * chainage is 0 (a − carriageway often reaches a little beyond the + one's start). Finally,
 * so that a stake names one cross-section per direction, parts of lines reusing chainage of
 * a longer line of the same direction get a range of their own (or, under 200 m, are left out).
 */
export function assignChainage(merged: MergeCarriagewaysResult, options: AssignChainageOptions = {}): AssignChainageResult {
  const maxProjectionMeters = options.maxProjectionMeters ?? DEFAULT_MAX_PROJECTION_METERS;
  const label = options.label ?? 'route';
  const warnings: string[] = [];
  const references: Reference[] = [];
  const drafts: { line: Omit<ChainageLine, 'chainageMeters'>; rawChainage: number[]; mergeIndex: number }[] = [];

  /** Projected lines may run past the lines they were projected onto; say so when it is more than a junction. */
  const noteOverhang = (line: { direction: 1 | -1; pieces: ChainPiece[] }, rawChainage: number[]): void => {
    const placed = references.flatMap((reference) => [firstItem(reference.rawChainage), lastItem(reference.rawChainage)]);
    const overhangMeters =
      Math.max(0, Math.min(...placed) - Math.min(...rawChainage)) + Math.max(0, Math.max(...rawChainage) - Math.max(...placed));
    if (overhangMeters <= maxProjectionMeters) return;
    warnings.push(
      `${label}: ${describe(line)} reaches ${roundMeters(overhangMeters)} m beyond the + carriageway it is projected onto; ` +
        'stakes there are measured along the line itself',
    );
  };

  const measured = merged.carriageways.map((carriageway, mergeIndex) => ({
    carriageway,
    mergeIndex,
    alongMeters: cumulativeLengthsMeters(carriageway.coordinates),
  }));
  const plusLines = measured
    .filter((entry) => entry.carriageway.direction === 1)
    // Longest first; merge order (along the axis) breaks ties, so the result is stable.
    .sort((first, second) => lastItem(second.alongMeters) - lastItem(first.alongMeters) || first.mergeIndex - second.mergeIndex);

  for (const { carriageway, alongMeters, mergeIndex } of plusLines) {
    let rawChainage: number[] | null = null;
    let chainageSource: ChainageSource = 'along';
    if (references.length > 0) {
      const projections = carriageway.coordinates.map((position) => projectOntoReferences(position, references));
      const projected = projectedChainage(alongMeters, projections, maxProjectionMeters, 1);
      if (projected !== null) {
        noteOverhang(carriageway, projected);
        rawChainage = projected;
        chainageSource = 'projected';
      }
    }
    if (rawChainage === null) {
      const offsetMeters = references.length === 0 ? 0 : offsetAcrossGap(carriageway.coordinates, alongMeters, references);
      rawChainage = alongMeters.map((along) => offsetMeters + along);
    }
    references.push({ line: lineString(carriageway.coordinates), coordinates: carriageway.coordinates, alongMeters, rawChainage });
    drafts.push({ line: { ...carriageway, alongMeters, chainageSource }, rawChainage, mergeIndex });
  }

  const ownLines: Omit<ChainageLine, 'chainageMeters'>[] = [];
  for (const { carriageway, alongMeters, mergeIndex } of measured.filter((entry) => entry.carriageway.direction === -1)) {
    const projected =
      references.length === 0
        ? null
        : projectedChainage(
            alongMeters,
            carriageway.coordinates.map((position) => projectOntoReferences(position, references)),
            maxProjectionMeters,
            -1,
          );
    if (projected === null) {
      ownLines.push({ ...carriageway, alongMeters, chainageSource: 'own' });
      continue;
    }
    noteOverhang(carriageway, projected);
    drafts.push({ line: { ...carriageway, alongMeters, chainageSource: 'projected' }, rawChainage: projected, mergeIndex });
  }

  const shiftMeters = -Math.min(0, ...drafts.flatMap((draft) => draft.rawChainage));
  // Output in merge order (+ lines along the axis, then − lines), not in processing order.
  drafts.sort((first, second) => first.mergeIndex - second.mergeIndex);
  const lines: ChainageLine[] = drafts.map((draft) => ({
    ...draft.line,
    chainageMeters: roundStrictly(
      draft.rawChainage.map((value) => value + shiftMeters),
      draft.line.direction,
    ),
  }));

  let highestMeters = lines.length === 0 ? -1 : Math.max(...lines.flatMap((line) => line.chainageMeters));
  for (const own of ownLines) {
    const baseMeters = highestMeters < 0 ? 0 : (Math.floor(highestMeters / STAKE_INTERVAL_METERS) + 1) * STAKE_INTERVAL_METERS;
    const totalMeters = lastItem(own.alongMeters);
    // Against the axis, so its far end (west/south) gets the smallest chainage.
    const chainageMeters = roundStrictly(
      own.alongMeters.map((along) => baseMeters + totalMeters - along),
      -1,
    );
    lines.push({ ...own, chainageMeters });
    highestMeters = Math.max(highestMeters, ...chainageMeters);
    warnings.push(
      `${label}: ${describe(own)} is not within ${maxProjectionMeters} m of any + carriageway; ` +
        `it keeps its own chainage from K${Math.floor(baseMeters / 1000)}+000 instead of projected stakes`,
    );
  }
  const resolved = resolveChainageOverlaps(lines);
  for (const conflict of resolved.conflicts) {
    const what = `${conflict.direction === 1 ? '+' : '−'} carriageway part (${conflict.osmIds.join(', ')}, ${conflict.lengthMeters} m)`;
    const range = `${conflict.fromMeters}–${conflict.toMeters}`;
    warnings.push(
      conflict.ownFromMeters === null
        ? `${label}: ${what} would reuse chainage ${range} of another line of its direction; left out of the segments (short sliver)`
        : `${label}: ${what} would reuse chainage ${range} of another line of its direction; ` +
            `it keeps its own chainage from K${Math.floor(conflict.ownFromMeters / 1000)}+000`,
    );
  }
  return { lines: resolved.lines, warnings, conflicts: resolved.conflicts };
}
