import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import { distanceMeters } from './geodesy.ts';
import { roundCoordinate, type LonLat } from './round_numbers.ts';

/** How a way may be driven, relative to its digitised order. */
export type OnewayKind = 'forward' | 'backward' | 'both';

/** One OSM way with the tags the builder uses, coordinates rounded to 7 decimals. */
export interface SourceWay {
  osmId: string;
  highway: string;
  /** Raw `ref` tag (may hold several refs separated by ";"). */
  ref: string | null;
  name: string | null;
  nameEn: string | null;
  lanes: number | null;
  oneway: OnewayKind;
  /** `bridge=*` value unless absent or "no". */
  bridge: string | null;
  /** `tunnel=*` value unless absent or "no". */
  tunnel: string | null;
  /** `bridge:name` / `tunnel:name` when the way carries one. */
  structureName: string | null;
  /** Digitised order (not driving order), rounded, no vertices closer than 2 cm. */
  coordinates: LonLat[];
}

/**
 * Vertices closer than this are merged. Two cm guarantees that chainage rounded to 0.01 m
 * still strictly increases from vertex to vertex.
 */
export const MIN_VERTEX_SPACING_METERS = 0.02;

function tagText(properties: Record<string, unknown>, key: string): string | null {
  const value = properties[key];
  if (value === undefined || value === null) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

function parseOneway(onewayTag: string | null, highway: string): OnewayKind {
  if (onewayTag === 'yes' || onewayTag === 'true' || onewayTag === '1') return 'forward';
  if (onewayTag === '-1' || onewayTag === 'reverse') return 'backward';
  if (onewayTag === null && highway === 'motorway') return 'forward'; // OSM default: motorways are one-way
  return 'both';
}

function parseLanes(lanesTag: string | null): number | null {
  // "2;3" or "2.5" happen in OSM; anything but a plain count is not a lane count we can use.
  if (lanesTag === null || !/^\d+$/.test(lanesTag)) return null;
  return Number(lanesTag);
}

function structureTag(value: string | null): string | null {
  return value === null || value === 'no' ? null : value;
}

/** Rounds and drops vertices that would collapse to the same chainage. Endpoints are kept exact
 * because they are the junction nodes other ways connect to. */
export function cleanCoordinates(coordinates: readonly Position[]): LonLat[] {
  const rounded = coordinates.map(roundCoordinate);
  const cleaned: LonLat[] = [];
  for (const position of rounded) {
    const previous = cleaned[cleaned.length - 1];
    if (previous !== undefined && distanceMeters(previous, position) < MIN_VERTEX_SPACING_METERS) continue;
    cleaned.push(position);
  }
  const last = rounded[rounded.length - 1];
  if (last !== undefined && cleaned[cleaned.length - 1] !== last) {
    // The last vertex was dropped as too close to its predecessor: keep the end node instead.
    cleaned[cleaned.length - 1] = last;
  }
  return cleaned;
}

/** Reads OSM LineString features (properties as in data/source) into SourceWays. */
export function readSourceWays(collection: FeatureCollection<Geometry | null>): SourceWay[] {
  const ways: SourceWay[] = [];
  for (const feature of collection.features as Feature<Geometry | null>[]) {
    if (feature.geometry === null || feature.geometry.type !== 'LineString') continue;
    const properties = (feature.properties ?? {}) as Record<string, unknown>;
    const osmId = tagText(properties, 'osm_id') ?? (feature.id === undefined ? null : String(feature.id));
    if (osmId === null) throw new Error('every source way needs an osm_id property or a feature id');
    const highway = tagText(properties, 'highway') ?? 'road';
    const coordinates = cleanCoordinates(feature.geometry.coordinates);
    if (coordinates.length < 2) continue; // a way shorter than 2 cm carries no road
    ways.push({
      osmId,
      highway,
      ref: tagText(properties, 'ref'),
      name: tagText(properties, 'name'),
      nameEn: tagText(properties, 'name:en'),
      lanes: parseLanes(tagText(properties, 'lanes')),
      oneway: parseOneway(tagText(properties, 'oneway'), highway),
      bridge: structureTag(tagText(properties, 'bridge')),
      tunnel: structureTag(tagText(properties, 'tunnel')),
      structureName: tagText(properties, 'bridge:name') ?? tagText(properties, 'tunnel:name'),
      coordinates,
    });
  }
  return ways;
}

/** Numeric part of "way/123" for ordering; ids without digits sort last. */
export function osmIdSortKey(osmId: string): number {
  const digits = /(\d+)$/.exec(osmId)?.[1];
  return digits === undefined ? Number.MAX_SAFE_INTEGER : Number(digits);
}

/** Stable order of OSM ids: by number, then text. */
export function compareOsmIds(first: string, second: string): number {
  const difference = osmIdSortKey(first) - osmIdSortKey(second);
  if (difference !== 0) return difference;
  return first < second ? -1 : first > second ? 1 : 0;
}
