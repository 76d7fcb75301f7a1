import type { Feature, LineString } from 'geojson';
import type { RouteSegment } from './cut_segments.ts';
import type { RouteStructure } from './extract_structures.ts';

/** Properties of a feature in data/demo/segments.geojson, in file order. */
export interface SegmentProperties {
  routeCode: string;
  direction: 1 | -1;
  chainageFromMeters: number;
  chainageToMeters: number;
  lanes: number | null;
  roadLandHalfWidthMeters: null;
  osmIds: string[];
  sourceIsOneway: boolean;
}

/** Properties of a feature in data/demo/structures.geojson, in file order. */
export interface StructureProperties {
  kind: RouteStructure['kind'];
  sizeClass: RouteStructure['sizeClass'];
  lengthMeters: number;
  routeCode: string;
  direction: 1 | -1;
  name: string | null;
  osmIds: string[];
}

/** Segment as a LineString whose third ordinate is chainage (M) in metres. */
export function segmentFeature(segment: RouteSegment): Feature<LineString, SegmentProperties> {
  return {
    type: 'Feature',
    properties: {
      routeCode: segment.routeCode,
      direction: segment.direction,
      chainageFromMeters: segment.chainageFromMeters,
      chainageToMeters: segment.chainageToMeters,
      lanes: segment.lanes,
      roadLandHalfWidthMeters: segment.roadLandHalfWidthMeters,
      osmIds: segment.osmIds,
      sourceIsOneway: segment.sourceIsOneway,
    },
    geometry: { type: 'LineString', coordinates: segment.coordinates },
  };
}

export function structureFeature(structure: RouteStructure): Feature<LineString, StructureProperties> {
  return {
    type: 'Feature',
    properties: {
      kind: structure.kind,
      sizeClass: structure.sizeClass,
      lengthMeters: structure.lengthMeters,
      routeCode: structure.routeCode,
      direction: structure.direction,
      name: structure.name,
      osmIds: structure.osmIds,
    },
    geometry: { type: 'LineString', coordinates: structure.coordinates },
  };
}
