import type { Feature, FeatureCollection, Geometry, MultiPolygon, Position } from 'geojson';
import { roundTo } from './round_numbers.ts';

export interface JurisdictionProperties {
  code: string;
  name: string;
  level: 'district';
  parentCode: string;
}

/** Boundary vertices at 6 decimals (about 0.1 m): the GCJ-02 → WGS84 conversion of the source
 * is only good to a few metres, more digits would be false precision. */
const BOUNDARY_DECIMALS = 6;
const PARENT_CITY_CODE = '410100';

function roundRing(ring: Position[]): Position[] | null {
  const rounded: [number, number][] = [];
  for (const position of ring) {
    const [longitude, latitude] = position;
    if (longitude === undefined || latitude === undefined) throw new Error('a boundary position needs a longitude and a latitude');
    const next: [number, number] = [roundTo(longitude, BOUNDARY_DECIMALS), roundTo(latitude, BOUNDARY_DECIMALS)];
    const previous = rounded[rounded.length - 1];
    if (previous !== undefined && previous[0] === next[0] && previous[1] === next[1]) continue;
    rounded.push(next);
  }
  const first = rounded[0];
  const last = rounded[rounded.length - 1];
  if (first !== undefined && last !== undefined && (first[0] !== last[0] || first[1] !== last[1])) rounded.push([first[0], first[1]]);
  // A closed ring needs four positions; fewer means rounding collapsed a sliver.
  return rounded.length >= 4 ? rounded : null;
}

function toMultiPolygon(geometry: Geometry): MultiPolygon {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : null;
  if (polygons === null) throw new Error(`district geometry must be a Polygon or MultiPolygon, got ${geometry.type}`);
  const rounded = polygons
    .map((polygon) => {
      const rings = polygon.map(roundRing);
      // Without its outer ring a polygon is nothing; lost holes are only dropped.
      return rings[0] === null ? null : rings.filter((ring): ring is Position[] => ring !== null);
    })
    .filter((polygon): polygon is Position[][] => polygon !== null);
  return { type: 'MultiPolygon', coordinates: rounded };
}

/** The Zhengzhou districts as jurisdictions (the loader adds the city and province above them). */
export function buildJurisdictions(collection: FeatureCollection<Geometry | null>): Feature<MultiPolygon, JurisdictionProperties>[] {
  return collection.features
    .flatMap((feature): Feature<MultiPolygon, JurisdictionProperties>[] => {
      const properties = (feature.properties ?? {}) as Record<string, unknown>;
      if (feature.geometry === null || properties.adcode === undefined || typeof properties.name !== 'string') return [];
      return [
        {
          type: 'Feature',
          properties: { code: String(properties.adcode), name: properties.name, level: 'district', parentCode: PARENT_CITY_CODE },
          geometry: toMultiPolygon(feature.geometry),
        },
      ];
    })
    .sort((first, second) => (first.properties.code < second.properties.code ? -1 : first.properties.code > second.properties.code ? 1 : 0));
}
