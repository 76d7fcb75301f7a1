import { firstItem, itemAt, lastItem } from './array_access.ts';
import type { ChainageLine } from './assign_chainage.ts';
import { cumulativeLengthsMeters } from './geodesy.ts';
import type { ChainPiece } from './merge_carriageways.ts';
import { roundMeters } from './round_numbers.ts';
import { bridgeSizeClass, tunnelSizeClass, type BridgeSizeClass, type TunnelSizeClass } from './structure_size_class.ts';

export type StructureKind = 'bridge' | 'tunnel';

/** One bridge or tunnel on one carriageway of a route. */
export interface RouteStructure {
  kind: StructureKind;
  sizeClass: BridgeSizeClass | TunnelSizeClass;
  lengthMeters: number;
  routeCode: string;
  direction: 1 | -1;
  /** `bridge:name` / `tunnel:name` when OSM has one; the road's own name is not a bridge name. */
  name: string | null;
  osmIds: string[];
  coordinates: [number, number][];
}

function structureKind(piece: ChainPiece): StructureKind | null {
  if (piece.way.bridge !== null) return 'bridge';
  if (piece.way.tunnel !== null) return 'tunnel';
  return null;
}

/**
 * Bridges and tunnels along one carriageway. OSM splits a viaduct wherever a tag changes
 * (layer, lanes, a junction node), so consecutive pieces of the same kind along the merged
 * line are one structure; its length is the merged line's geodesic length.
 */
export function extractStructures(line: ChainageLine, routeCode: string): RouteStructure[] {
  const structures: RouteStructure[] = [];
  let runStart = 0;
  while (runStart < line.pieces.length) {
    const kind = structureKind(itemAt(line.pieces, runStart));
    let runEnd = runStart;
    while (runEnd + 1 < line.pieces.length && structureKind(itemAt(line.pieces, runEnd + 1)) === kind) runEnd += 1;
    if (kind !== null) {
      const run = line.pieces.slice(runStart, runEnd + 1);
      const coordinates = line.coordinates
        .slice(firstItem(run).startVertex, lastItem(run).endVertex + 1)
        .map((position): [number, number] => [position[0], position[1]]);
      const lengthMeters = roundMeters(lastItem(cumulativeLengthsMeters(coordinates)));
      structures.push({
        kind,
        sizeClass: kind === 'bridge' ? bridgeSizeClass(lengthMeters) : tunnelSizeClass(lengthMeters),
        lengthMeters,
        routeCode,
        direction: line.direction,
        name: run.find((piece) => piece.way.structureName !== null)?.way.structureName ?? null,
        osmIds: [...new Set(run.map((piece) => piece.way.osmId))],
        coordinates,
      });
    }
    runStart = runEnd + 1;
  }
  return structures;
}
