import { firstItem } from './array_access.ts';
import { assignChainage, type ChainageLine } from './assign_chainage.ts';
import { cutSegments, type RouteSegment } from './cut_segments.ts';
import { extractStructures, type RouteStructure } from './extract_structures.ts';
import { mergeCarriageways, type RouteAxis } from './merge_carriageways.ts';
import type { ChainageConflict } from './resolve_chainage_overlaps.ts';
import type { SourceWay } from './source_ways.ts';

export interface RouteNetworkOptions {
  maxGapMeters?: number;
  maxProjectionMeters?: number;
  stakeIntervalMeters?: number;
}

/** Everything the demo set holds for one route. */
export interface RouteNetwork {
  axis: RouteAxis;
  lines: ChainageLine[];
  segments: RouteSegment[];
  structures: RouteStructure[];
  warnings: string[];
  /** Parts of lines given a chainage range of their own or left out (see assign_chainage.ts). */
  chainageConflicts: ChainageConflict[];
}

function compareSegments(first: RouteSegment, second: RouteSegment): number {
  return (
    second.direction - first.direction ||
    first.chainageFromMeters - second.chainageFromMeters ||
    first.chainageToMeters - second.chainageToMeters ||
    firstItem(first.coordinates)[0] - firstItem(second.coordinates)[0] ||
    firstItem(first.coordinates)[1] - firstItem(second.coordinates)[1]
  );
}

/** One route's ways → merged carriageways → chainage → segments and structures. */
export function buildRouteNetwork(routeCode: string, ways: SourceWay[], options: RouteNetworkOptions = {}): RouteNetwork {
  const merged = mergeCarriageways(ways, { maxGapMeters: options.maxGapMeters });
  const { lines, warnings, conflicts } = assignChainage(merged, { maxProjectionMeters: options.maxProjectionMeters, label: routeCode });
  const segments = lines
    .flatMap((line) => cutSegments(line, routeCode, { stakeIntervalMeters: options.stakeIntervalMeters }))
    .sort(compareSegments);
  const structures = lines.flatMap((line) => extractStructures(line, routeCode));
  return { axis: merged.axis, lines, segments, structures, warnings, chainageConflicts: conflicts };
}
