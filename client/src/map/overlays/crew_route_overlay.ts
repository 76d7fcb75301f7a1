import type { LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { FeatureCollection, LineString } from 'geojson';
import { changed, EMPTY_COLLECTION, type FontStacks, type Overlay } from '../overlay';

/** One assigned segment with how much of it the track has covered. */
export interface CrewRouteSegment {
  segmentId: number;
  line: LineString;
  covered: boolean;
}

export interface CrewStop {
  coordinates: [number, number];
  /** The stop's number in the ordered list. */
  label: string;
}

export interface CrewRouteData {
  /** The planned route line, in driving order (base → base). */
  route?: LineString | null;
  segments?: readonly CrewRouteSegment[];
  stops?: readonly CrewStop[];
  /** The phone's latest GPS fix. */
  position?: [number, number] | null;
}

const ROUTE_SOURCE = 'luyu-crew-route';
const SEGMENT_SOURCE = 'luyu-crew-route-segments';
const STOP_SOURCE = 'luyu-crew-route-stops';
const POSITION_SOURCE = 'luyu-crew-route-position';
export const CREW_ROUTE_ARROW_IMAGE = 'luyu-crew-route-arrow';

export const CREW_ROUTE_LAYER_IDS = {
  segments: 'luyu-crew-route-segments-line',
  route: 'luyu-crew-route-line',
  arrows: 'luyu-crew-route-arrows',
  stops: 'luyu-crew-route-stops-dots',
  stopLabels: 'luyu-crew-route-stops-labels',
  position: 'luyu-crew-route-position-dot',
} as const;

/** High contrast for sunlight: dark route, orange = still due, green = covered. */
export const CREW_ROUTE_COLOURS = { route: '#0b2e6b', due: '#e35d00', covered: '#0a7d32', stop: '#111111', position: '#0057ff' } as const;

export function crewSegmentFeatures(segments: readonly CrewRouteSegment[]): FeatureCollection {
  return { type: 'FeatureCollection', features: segments.map((segment) => ({ type: 'Feature', properties: { segmentId: segment.segmentId, covered: segment.covered }, geometry: segment.line })) };
}

export function crewStopFeatures(stops: readonly CrewStop[]): FeatureCollection {
  return { type: 'FeatureCollection', features: stops.map((stop) => ({ type: 'Feature', properties: { label: stop.label }, geometry: { type: 'Point', coordinates: stop.coordinates } })) };
}

export function crewRouteLayers(fonts: FontStacks): LayerSpecification[] {
  return [
    {
      id: CREW_ROUTE_LAYER_IDS.segments,
      type: 'line',
      source: SEGMENT_SOURCE,
      layout: { 'line-cap': 'round' },
      paint: { 'line-color': ['case', ['==', ['get', 'covered'], true], CREW_ROUTE_COLOURS.covered, CREW_ROUTE_COLOURS.due], 'line-width': 9, 'line-opacity': 0.85 },
    },
    { id: CREW_ROUTE_LAYER_IDS.route, type: 'line', source: ROUTE_SOURCE, layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': CREW_ROUTE_COLOURS.route, 'line-width': 3 } },
    {
      // Direction of travel: an arrow every 80 px along the route.
      id: CREW_ROUTE_LAYER_IDS.arrows,
      type: 'symbol',
      source: ROUTE_SOURCE,
      layout: { 'symbol-placement': 'line', 'symbol-spacing': 80, 'icon-image': CREW_ROUTE_ARROW_IMAGE, 'icon-allow-overlap': true, 'icon-rotation-alignment': 'map' },
    },
    { id: CREW_ROUTE_LAYER_IDS.stops, type: 'circle', source: STOP_SOURCE, paint: { 'circle-radius': 11, 'circle-color': '#ffffff', 'circle-stroke-color': CREW_ROUTE_COLOURS.stop, 'circle-stroke-width': 3 } },
    {
      id: CREW_ROUTE_LAYER_IDS.stopLabels,
      type: 'symbol',
      source: STOP_SOURCE,
      layout: { 'text-field': ['get', 'label'], 'text-font': fonts.semibold, 'text-size': 13, 'text-allow-overlap': true },
      paint: { 'text-color': CREW_ROUTE_COLOURS.stop },
    },
    { id: CREW_ROUTE_LAYER_IDS.position, type: 'circle', source: POSITION_SOURCE, paint: { 'circle-radius': 9, 'circle-color': CREW_ROUTE_COLOURS.position, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3 } },
  ];
}

/** A 16×16 arrow pointing right (along the line), drawn into pixels: no sprite sheet, works offline. */
export function arrowPixels(sizePixels = 16): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(sizePixels * sizePixels * 4);
  const middle = (sizePixels - 1) / 2;
  for (let y = 0; y < sizePixels; y += 1) {
    for (let x = 0; x < sizePixels; x += 1) {
      // Inside the triangle (2,2)–(2,size-3)–(size-3,middle).
      const spread = ((x - 2) / (sizePixels - 5)) * (middle - 2);
      const inside = x >= 2 && x <= sizePixels - 3 && Math.abs(y - middle) <= middle - 2 - spread;
      if (!inside) continue;
      data.set([255, 255, 255, 255], (y * sizePixels + x) * 4);
    }
  }
  return { width: sizePixels, height: sizePixels, data };
}

/** The crew's day on its phone: route with direction arrows, due/covered segments, numbered stops, own position. */
export function createCrewRouteOverlay(): Overlay<CrewRouteData> {
  return {
    add(context) {
      if (!context.map.hasImage(CREW_ROUTE_ARROW_IMAGE)) context.map.addImage(CREW_ROUTE_ARROW_IMAGE, arrowPixels());
      for (const source of [SEGMENT_SOURCE, ROUTE_SOURCE, STOP_SOURCE, POSITION_SOURCE]) context.addSource(source, { type: 'geojson', data: EMPTY_COLLECTION });
      for (const layer of crewRouteLayers(context.fonts)) context.addLayer(layer, 'lines');
    },
    update(context, data, previous) {
      if (changed(data, previous, 'route')) {
        context.setSourceData(ROUTE_SOURCE, data.route ? { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: data.route }] } : EMPTY_COLLECTION);
      }
      if (changed(data, previous, 'segments')) context.setSourceData(SEGMENT_SOURCE, crewSegmentFeatures(data.segments ?? []));
      if (changed(data, previous, 'stops')) context.setSourceData(STOP_SOURCE, crewStopFeatures(data.stops ?? []));
      if (changed(data, previous, 'position')) {
        context.setSourceData(POSITION_SOURCE, data.position ? { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: data.position } }] } : EMPTY_COLLECTION);
      }
    },
  };
}
