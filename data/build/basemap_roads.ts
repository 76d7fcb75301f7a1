import type { Feature, LineString } from 'geojson';
import { compareOsmIds, type SourceWay } from './source_ways.ts';

export interface BasemapRoadProperties {
  osmId: string;
  highway: string;
  name: string | null;
  ref: string | null;
}

/** Every source way, ramps and unnamed roads included, with only what a basemap draws and labels. */
export function buildBasemapRoads(ways: SourceWay[]): Feature<LineString, BasemapRoadProperties>[] {
  return [...ways]
    .sort((first, second) => compareOsmIds(first.osmId, second.osmId))
    .map((way) => ({
      type: 'Feature',
      properties: { osmId: way.osmId, highway: way.highway, name: way.name, ref: way.ref },
      // Digitised order, not driving order: oneway=-1 stays as OSM has it, like the tags.
      geometry: { type: 'LineString', coordinates: way.coordinates.map((position) => [position[0], position[1]]) },
    }));
}
