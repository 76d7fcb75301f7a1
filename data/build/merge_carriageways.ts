import { firstItem, itemAt, lastItem } from './array_access.ts';
import { angleBetweenDegrees, distanceMeters, endHeading, localOffsetMeters, startHeading } from './geodesy.ts';
import type { LonLat } from './round_numbers.ts';
import { compareOsmIds, MIN_VERTEX_SPACING_METERS, type SourceWay } from './source_ways.ts';

/** The compass direction chainage grows in: west→east or south→north. */
export type RouteAxis = 'east' | 'north';

/** The stretch of a merged line that came from one OSM way (vertex indices inclusive). */
export interface ChainPiece {
  way: SourceWay;
  isOneway: boolean;
  startVertex: number;
  endVertex: number;
}

/** One continuous carriageway (or two-way road) in driving direction. */
export interface Carriageway {
  /** +1 runs with the route axis (chainage grows along it), −1 against it. */
  direction: 1 | -1;
  coordinates: LonLat[];
  pieces: ChainPiece[];
  /** Gaps bridged by a straight edge between two ways, in metres, in order along the line. */
  joinedGapsMeters: number[];
}

export interface MergeCarriagewaysOptions {
  /** Ends closer than this are joined with a straight edge (data gaps, not missing roads). */
  maxGapMeters?: number | undefined;
}

export interface MergeCarriagewaysResult {
  axis: RouteAxis;
  carriageways: Carriageway[];
}

export const DEFAULT_MAX_GAP_METERS = 30;

/** Ends within this distance share a junction node; only the turn angle decides the join. */
const NODE_JOIN_METERS = 1;
/** At a shared node, anything sharper than this is the opposite carriageway, not the road ahead. */
const MAX_NODE_TURN_DEGREES = 120;
/** Across a gap the road must carry straight on: no turning and no sideways hop (a U-turn
 * between carriageways 20 m apart at the edge of the extract is the case this rejects). */
const MAX_GAP_TURN_DEGREES = 60;
const MAX_GAP_OFFSET_DEGREES = 45;
/** Below this share of the main axis a line counts as running across it; use the other axis. */
const AXIS_DOMINANCE = 0.1;

interface ChainUnit {
  key: string;
  coordinates: LonLat[];
  pieces: ChainPiece[];
  joinedGapsMeters: number[];
  reversible: boolean;
}

function reverseUnit(unit: ChainUnit): ChainUnit {
  const lastIndex = unit.coordinates.length - 1;
  return {
    key: unit.key,
    coordinates: [...unit.coordinates].reverse(),
    pieces: unit.pieces
      .map((piece) => ({ ...piece, startVertex: lastIndex - piece.endVertex, endVertex: lastIndex - piece.startVertex }))
      .reverse(),
    joinedGapsMeters: [...unit.joinedGapsMeters].reverse(),
    reversible: unit.reversible,
  };
}

function concatenateUnits(parts: ChainUnit[], reversible: boolean): ChainUnit {
  const coordinates: LonLat[] = [];
  const pieces: ChainPiece[] = [];
  const joinedGapsMeters: number[] = [];
  for (const part of parts) {
    let offset = coordinates.length;
    let partCoordinates = part.coordinates;
    if (coordinates.length > 0) {
      const gapMeters = distanceMeters(lastItem(coordinates), firstItem(part.coordinates));
      if (gapMeters < MIN_VERTEX_SPACING_METERS) {
        // Shared junction node: keep one copy of it.
        offset -= 1;
        partCoordinates = part.coordinates.slice(1);
      } else {
        joinedGapsMeters.push(gapMeters);
      }
    }
    coordinates.push(...partCoordinates);
    joinedGapsMeters.push(...part.joinedGapsMeters);
    for (const piece of part.pieces) {
      pieces.push({ ...piece, startVertex: piece.startVertex + offset, endVertex: piece.endVertex + offset });
    }
  }
  const key = firstItem(parts.map((part) => part.key).sort(compareOsmIds));
  return { key, coordinates, pieces, joinedGapsMeters, reversible };
}

/**
 * Ranks joining `after` onto the end of `before`; null when they are not one road.
 * Lower ranks are better: node joins before gap joins, then the straighter, then the closer.
 */
function joinRank(before: LonLat[], after: LonLat[], maxGapMeters: number): number[] | null {
  const end = lastItem(before);
  const start = firstItem(after);
  const gapMeters = distanceMeters(end, start);
  if (gapMeters > maxGapMeters) return null;
  const arriving = endHeading(before);
  const leaving = startHeading(after);
  const turnDegrees = angleBetweenDegrees(arriving, leaving);
  if (gapMeters <= NODE_JOIN_METERS) {
    return turnDegrees <= MAX_NODE_TURN_DEGREES ? [0, turnDegrees, gapMeters] : null;
  }
  const hop = localOffsetMeters(end, start);
  if (
    turnDegrees > MAX_GAP_TURN_DEGREES ||
    angleBetweenDegrees(arriving, hop) > MAX_GAP_OFFSET_DEGREES ||
    angleBetweenDegrees(hop, leaving) > MAX_GAP_OFFSET_DEGREES
  ) {
    return null;
  }
  return [1, turnDegrees, gapMeters];
}

function compareRanks(first: number[], second: number[]): number {
  for (let index = 0; index < first.length; index += 1) {
    const difference = itemAt(first, index) - itemAt(second, index);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * Greedy chaining: each unused unit (in key order) seeds a chain that grows forwards from its
 * tail and backwards from its head, always taking the best-ranked join. At a fork the
 * straighter branch continues the chain and the other starts its own.
 */
function chainUnits(units: ChainUnit[], maxGapMeters: number, reversible: boolean): ChainUnit[] {
  const ordered = [...units].sort((first, second) => compareOsmIds(first.key, second.key));
  const orientations = ordered.map((unit) => (unit.reversible ? [unit, reverseUnit(unit)] : [unit]));
  const used = ordered.map(() => false);
  const chains: ChainUnit[] = [];

  const findBest = (rankOf: (candidate: ChainUnit) => number[] | null): { index: number; unit: ChainUnit } | null => {
    let best: { index: number; unit: ChainUnit; rank: number[] } | null = null;
    for (let index = 0; index < orientations.length; index += 1) {
      if (used[index] === true) continue;
      for (const candidate of itemAt(orientations, index)) {
        const rank = rankOf(candidate);
        if (rank !== null && (best === null || compareRanks(rank, best.rank) < 0)) best = { index, unit: candidate, rank };
      }
    }
    return best;
  };

  ordered.forEach((seed, seedIndex) => {
    if (used[seedIndex] === true) return;
    used[seedIndex] = true;
    const parts: ChainUnit[] = [seed];
    for (;;) {
      const tail = concatenateUnits(parts, false).coordinates;
      const next = findBest((candidate) => joinRank(tail, candidate.coordinates, maxGapMeters));
      if (next === null) break;
      used[next.index] = true;
      parts.push(next.unit);
    }
    for (;;) {
      const head = concatenateUnits(parts, false).coordinates;
      const previous = findBest((candidate) => joinRank(candidate.coordinates, head, maxGapMeters));
      if (previous === null) break;
      used[previous.index] = true;
      parts.unshift(previous.unit);
    }
    chains.push(concatenateUnits(parts, reversible));
  });
  return chains;
}

/**
 * Axis of a route: east when its extent west–east is at least its extent south–north.
 * Chainage then grows west→east (or south→north), whatever the route's real origin is.
 */
export function routeAxis(ways: SourceWay[]): RouteAxis {
  const positions = ways.flatMap((way) => way.coordinates);
  const longitudes = positions.map((position) => position[0]);
  const latitudes = positions.map((position) => position[1]);
  const west = Math.min(...longitudes);
  const east = Math.max(...longitudes);
  const south = Math.min(...latitudes);
  const north = Math.max(...latitudes);
  const middleLatitude = (south + north) / 2;
  const middleLongitude = (west + east) / 2;
  const widthMeters = distanceMeters([west, middleLatitude], [east, middleLatitude]);
  const heightMeters = distanceMeters([middleLongitude, south], [middleLongitude, north]);
  return widthMeters >= heightMeters ? 'east' : 'north';
}

/** Position of a point along the axis (longitude or latitude), for ordering. */
export function axisPosition(position: LonLat, axis: RouteAxis): number {
  return axis === 'east' ? position[0] : position[1];
}

/** +1 when a line, start to end, runs with the axis; a line running across it uses the other axis. */
export function directionAlongAxis(coordinates: LonLat[], axis: RouteAxis): 1 | -1 {
  const offset = localOffsetMeters(firstItem(coordinates), lastItem(coordinates));
  const lengthMeters = Math.hypot(offset.eastMeters, offset.northMeters);
  const primary = axis === 'east' ? offset.eastMeters : offset.northMeters;
  const secondary = axis === 'east' ? offset.northMeters : offset.eastMeters;
  const deciding = Math.abs(primary) >= AXIS_DOMINANCE * lengthMeters ? primary : secondary;
  return deciding < 0 ? -1 : 1;
}

function wayUnit(way: SourceWay): ChainUnit {
  const coordinates = way.oneway === 'backward' ? [...way.coordinates].reverse() : way.coordinates;
  return {
    key: way.osmId,
    coordinates,
    pieces: [{ way, isOneway: way.oneway !== 'both', startVertex: 0, endVertex: coordinates.length - 1 }],
    joinedGapsMeters: [],
    reversible: way.oneway === 'both',
  };
}

/**
 * Merges one route's ways into continuous carriageways.
 * One-way ways (oneway=-1 reversed first) are chained end to start; each chain is a + or −
 * carriageway by whether it runs with the route axis. Two-way ways are chained among
 * themselves, oriented along the axis and joined onto the + carriageways: a two-way road has
 * only a + line. Gaps up to `maxGapMeters` are bridged; larger gaps leave separate lines.
 * Output: + lines ordered along the axis, then − lines ordered by their west/south end.
 */
export function mergeCarriageways(ways: SourceWay[], options: MergeCarriagewaysOptions = {}): MergeCarriagewaysResult {
  const maxGapMeters = options.maxGapMeters ?? DEFAULT_MAX_GAP_METERS;
  if (ways.length === 0) throw new Error('mergeCarriageways needs at least one way');
  const axis = routeAxis(ways);
  const onewayUnits = ways.filter((way) => way.oneway !== 'both').map(wayUnit);
  const twoWayUnits = ways.filter((way) => way.oneway === 'both').map(wayUnit);

  const onewayChains = chainUnits(onewayUnits, maxGapMeters, false);
  const twoWayChains = chainUnits(twoWayUnits, maxGapMeters, true).map((chain) =>
    directionAlongAxis(chain.coordinates, axis) === 1 ? chain : reverseUnit(chain),
  );
  const plusOneway = onewayChains.filter((chain) => directionAlongAxis(chain.coordinates, axis) === 1);
  const minusOneway = onewayChains.filter((chain) => directionAlongAxis(chain.coordinates, axis) === -1);
  const plusChains = chainUnits([...plusOneway, ...twoWayChains], maxGapMeters, false);

  const byAxis = (pick: (chain: ChainUnit) => LonLat) => (first: ChainUnit, second: ChainUnit) =>
    axisPosition(pick(first), axis) - axisPosition(pick(second), axis) || compareOsmIds(first.key, second.key);
  plusChains.sort(byAxis((chain) => firstItem(chain.coordinates)));
  // − lines run against the axis, so their west/south end is their last vertex.
  minusOneway.sort(byAxis((chain) => lastItem(chain.coordinates)));

  const toCarriageway = (chain: ChainUnit, direction: 1 | -1): Carriageway => ({
    direction,
    coordinates: chain.coordinates,
    pieces: chain.pieces,
    joinedGapsMeters: chain.joinedGapsMeters,
  });
  return {
    axis,
    carriageways: [...plusChains.map((chain) => toCarriageway(chain, 1)), ...minusOneway.map((chain) => toCarriageway(chain, -1))],
  };
}
