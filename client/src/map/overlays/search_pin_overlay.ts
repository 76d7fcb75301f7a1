import type { LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { Marker } from 'maplibre-gl';
import { EMPTY_COLLECTION, type MapSelection, type Overlay } from '../overlay';
import { MARKER_COLOR } from '../palette';

const SOURCE = 'luyu-selection';

export const SEARCH_PIN_LAYER_IDS = { line: 'luyu-selection-line', snapped: 'luyu-selection-snapped' } as const;

export function searchPinLayers(): LayerSpecification[] {
  return [
    {
      id: SEARCH_PIN_LAYER_IDS.line,
      type: 'line',
      source: SOURCE,
      filter: ['==', ['geometry-type'], 'LineString'],
      paint: { 'line-color': MARKER_COLOR, 'line-width': 2, 'line-dasharray': [2, 1.5] },
    },
    {
      id: SEARCH_PIN_LAYER_IDS.snapped,
      type: 'circle',
      source: SOURCE,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 5, 'circle-color': '#ffffff', 'circle-stroke-color': MARKER_COLOR, 'circle-stroke-width': 2.5 },
    },
  ];
}

/** A dashed line from the pin to its point on the centreline, and that point; empty without both. */
export function snapGuide(selection: Pick<MapSelection, 'point' | 'snappedPoint'>): FeatureCollection {
  const { point, snappedPoint } = selection;
  if (!point || !snappedPoint) return EMPTY_COLLECTION;
  const features: Feature<Geometry>[] = [
    { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [point, snappedPoint] } },
    { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: snappedPoint } },
  ];
  return { type: 'FeatureCollection', features };
}

/**
 * The pin where the user clicked or a stake search landed (`selection.point`), with a guide to
 * where it was snapped onto the centreline (`selection.snappedPoint`).
 */
export function createSearchPinOverlay(): Overlay<Record<string, never>> {
  let marker: Marker | null = null;
  return {
    add(context) {
      context.addSource(SOURCE, { type: 'geojson', data: EMPTY_COLLECTION });
      for (const layer of searchPinLayers()) context.addLayer(layer, 'guides');
    },
    select(context, selection) {
      context.setSourceData(SOURCE, snapGuide(selection));
      if (selection.point) {
        marker ??= context.createMarker({ element: createPinElement(), anchor: 'bottom' });
        marker.setLngLat(selection.point).addTo(context.map);
      } else {
        marker?.remove();
      }
    },
    remove() {
      marker?.remove();
      marker = null;
    },
  };
}

function createPinElement(): HTMLElement {
  const element = document.createElement('div');
  element.className = 'map-marker';
  element.setAttribute('aria-hidden', 'true');
  element.innerHTML =
    '<svg width="30" height="40" viewBox="0 0 30 40" xmlns="http://www.w3.org/2000/svg">' +
    '<path d="M15 39C15 39 28 23.5 28 14.5C28 7.04 22.18 1 15 1C7.82 1 2 7.04 2 14.5C2 23.5 15 39 15 39Z" ' +
    `fill="${MARKER_COLOR}" stroke="#ffffff" stroke-width="2"/>` +
    '<circle cx="15" cy="14.5" r="5" fill="#ffffff"/></svg>';
  return element;
}
