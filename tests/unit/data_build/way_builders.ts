import { destination } from '@turf/turf';
import type { Feature, LineString } from 'geojson';
import { roundCoordinate, type LonLat } from '../../../data/build/round_numbers.ts';
import { readSourceWays, type SourceWay } from '../../../data/build/source_ways.ts';

const ORIGIN: LonLat = [113.75, 34.7];

/** The point `eastMeters` east and `northMeters` north of a fixed origin in Zhengzhou. */
export function offsetPoint(eastMeters: number, northMeters = 0): LonLat {
  const east = destination(ORIGIN, Math.abs(eastMeters) / 1000, eastMeters >= 0 ? 90 : -90).geometry.coordinates;
  const moved = destination(east, Math.abs(northMeters) / 1000, northMeters >= 0 ? 0 : 180).geometry.coordinates;
  return roundCoordinate(moved);
}

/** An OSM-like way from tags, parsed exactly as the builder parses data/source. */
export function makeWay(osmId: string, coordinates: LonLat[], tags: Record<string, string> = {}): SourceWay {
  const feature: Feature<LineString> = {
    type: 'Feature',
    properties: { osm_id: osmId, highway: 'primary', ...tags },
    geometry: { type: 'LineString', coordinates },
  };
  const [way] = readSourceWays({ type: 'FeatureCollection', features: [feature] });
  if (way === undefined) throw new Error(`way ${osmId} has no usable geometry`);
  return way;
}

/** An east–west way from `fromMeters` to `toMeters` east of the origin, at `northMeters`. */
export function eastWestWay(osmId: string, fromMeters: number, toMeters: number, tags: Record<string, string> = {}, northMeters = 0): SourceWay {
  const middle = (fromMeters + toMeters) / 2;
  return makeWay(osmId, [offsetPoint(fromMeters, northMeters), offsetPoint(middle, northMeters), offsetPoint(toMeters, northMeters)], tags);
}
