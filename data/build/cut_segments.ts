import { firstItem, itemAt, lastItem } from './array_access.ts';
import type { ChainageLine } from './assign_chainage.ts';
import { cumulativeLengthsMeters } from './geodesy.ts';
import type { ChainPiece } from './merge_carriageways.ts';
import { COORDINATE_DECIMALS, roundMeters, roundTo, type LonLat } from './round_numbers.ts';

/** One management segment: a piece of one carriageway between two stakes (≤ one stake interval). */
export interface RouteSegment {
  routeCode: string;
  direction: 1 | -1;
  /** Smaller chainage of the two ends, whatever the driving direction. */
  chainageFromMeters: number;
  /** Larger chainage of the two ends. */
  chainageToMeters: number;
  lanes: number | null;
  /** Not surveyed in the source; the platform defaults it from class and lanes. */
  roadLandHalfWidthMeters: null;
  osmIds: string[];
  /** True when every OSM way under the segment is one-way (a carriageway of a divided road). */
  sourceIsOneway: boolean;
  /** [lon, lat, chainageMeters] in driving direction. */
  coordinates: [number, number, number][];
  /** Geodesic length of the centreline (not written to the GeoJSON; used for checks and summaries). */
  lengthMeters: number;
}

export interface CutSegmentsOptions {
  stakeIntervalMeters?: number | undefined;
}

export const DEFAULT_STAKE_INTERVAL_METERS = 1000;

/** Overlaps shorter than this (half the output resolution) are rounding, not coverage. */
const MIN_OVERLAP_METERS = 0.005;

interface CutPoint {
  position: LonLat;
  chainageMeters: number;
  alongMeters: number;
}

/** Points of the line with an extra point wherever the chainage crosses a whole stake. */
function pointsWithStakes(line: ChainageLine, intervalMeters: number): CutPoint[] {
  const points: CutPoint[] = [];
  for (let index = 0; index < line.coordinates.length; index += 1) {
    const from = itemAt(line.coordinates, index);
    const chainage = itemAt(line.chainageMeters, index);
    const along = itemAt(line.alongMeters, index);
    points.push({ position: from, chainageMeters: chainage, alongMeters: along });
    if (index === line.coordinates.length - 1) break;
    const to = itemAt(line.coordinates, index + 1);
    const nextChainage = itemAt(line.chainageMeters, index + 1);
    const nextAlong = itemAt(line.alongMeters, index + 1);
    const step = nextChainage > chainage ? 1 : -1;
    const firstStake =
      step === 1
        ? (Math.floor(chainage / intervalMeters) + 1) * intervalMeters
        : (Math.ceil(chainage / intervalMeters) - 1) * intervalMeters;
    for (let stake = firstStake; (stake - nextChainage) * step < 0; stake += step * intervalMeters) {
      const fraction = (stake - chainage) / (nextChainage - chainage);
      // Linear in lon/lat: on edges of a few hundred metres the difference from the geodesic
      // is far below the 1 cm coordinate resolution.
      points.push({
        position: [
          roundTo(from[0] + (to[0] - from[0]) * fraction, COORDINATE_DECIMALS),
          roundTo(from[1] + (to[1] - from[1]) * fraction, COORDINATE_DECIMALS),
        ],
        chainageMeters: stake,
        alongMeters: along + (nextAlong - along) * fraction,
      });
    }
  }
  return points;
}

function isStake(chainageMeters: number, intervalMeters: number): boolean {
  return Math.abs(chainageMeters / intervalMeters - Math.round(chainageMeters / intervalMeters)) < 1e-9;
}

function pieceOverlapMeters(line: ChainageLine, piece: ChainPiece, fromAlong: number, toAlong: number): number {
  const start = itemAt(line.alongMeters, piece.startVertex);
  const end = itemAt(line.alongMeters, piece.endVertex);
  return Math.max(0, Math.min(end, toAlong) - Math.max(start, fromAlong));
}

/** Lane count covering most of the segment's length (untagged ways count as null). */
function dominantLanes(overlaps: { piece: ChainPiece; meters: number }[]): number | null {
  const totals = new Map<number | null, number>();
  for (const { piece, meters } of overlaps) totals.set(piece.way.lanes, (totals.get(piece.way.lanes) ?? 0) + meters);
  const ranked = [...totals.entries()].sort(
    ([firstLanes, firstMeters], [secondLanes, secondMeters]) =>
      secondMeters - firstMeters ||
      (firstLanes === null ? 1 : 0) - (secondLanes === null ? 1 : 0) ||
      (firstLanes ?? 0) - (secondLanes ?? 0),
  );
  return ranked[0]?.[0] ?? null;
}

/**
 * Cuts a chainage line into segments at whole stakes (K0+000, K1+000, …): every segment spans
 * at most one stake interval of chainage, the first and last may be partial. On a + line the
 * chainage is the geodesic length, so segments are ≤ 1000 m long (to the 1 cm coordinate
 * rounding); on a projected − line a segment between two stakes can be a few per cent longer
 * or shorter than 1000 m, because the same stakes mark the same cross-sections on both
 * carriageways and one of them runs on the outside of each bend.
 */
export function cutSegments(line: ChainageLine, routeCode: string, options: CutSegmentsOptions = {}): RouteSegment[] {
  const intervalMeters = options.stakeIntervalMeters ?? DEFAULT_STAKE_INTERVAL_METERS;
  const points = pointsWithStakes(line, intervalMeters);
  const groups: CutPoint[][] = [];
  let current: CutPoint[] = [];
  points.forEach((point, index) => {
    current.push(point);
    const isInnerStake = index > 0 && index < points.length - 1 && isStake(point.chainageMeters, intervalMeters);
    if (isInnerStake || index === points.length - 1) {
      groups.push(current);
      current = [point];
    }
  });
  return groups.map((group) => {
    const fromAlong = firstItem(group).alongMeters;
    const toAlong = lastItem(group).alongMeters;
    const overlaps = line.pieces
      .map((piece) => ({ piece, meters: pieceOverlapMeters(line, piece, fromAlong, toAlong) }))
      .filter((overlap) => overlap.meters > MIN_OVERLAP_METERS);
    const coordinates = group.map((point): [number, number, number] => [
      point.position[0],
      point.position[1],
      roundMeters(point.chainageMeters),
    ]);
    const lengths = cumulativeLengthsMeters(group.map((point) => point.position));
    const first = firstItem(coordinates)[2];
    const last = lastItem(coordinates)[2];
    return {
      routeCode,
      direction: line.direction,
      chainageFromMeters: Math.min(first, last),
      chainageToMeters: Math.max(first, last),
      lanes: dominantLanes(overlaps),
      roadLandHalfWidthMeters: null,
      osmIds: [...new Set(overlaps.map((overlap) => overlap.piece.way.osmId))],
      sourceIsOneway: overlaps.length > 0 && overlaps.every((overlap) => overlap.piece.isOneway),
      coordinates,
      lengthMeters: roundMeters(lastItem(lengths)),
    };
  });
}
