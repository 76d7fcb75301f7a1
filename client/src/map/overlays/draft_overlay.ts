import type { LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { Feature, FeatureCollection, Geometry, Point, Polygon } from 'geojson';
import { changed, EMPTY_COLLECTION, type Overlay } from '../overlay';
import { DRAW_COLOR } from '../violation_layers';

export interface DraftData {
  /** The finished place of a finding being reported; null shows nothing. */
  geometry?: Point | Polygon | null;
}

const SOURCE = 'luyu-draft';

/** Dashed purple fill and outline with white vertex dots: the look of anything being drawn. */
export function draftLayers(): LayerSpecification[] {
  const source = SOURCE;
  const idPrefix = 'luyu-draft';
  return [
    { id: `${idPrefix}-fill`, type: 'fill', source, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': DRAW_COLOR, 'fill-opacity': 0.18 } },
    {
      id: `${idPrefix}-line`,
      type: 'line',
      source,
      filter: ['any', ['==', ['geometry-type'], 'LineString'], ['==', ['geometry-type'], 'Polygon']],
      paint: { 'line-color': DRAW_COLOR, 'line-width': 2.5, 'line-dasharray': [3, 1.5] },
    },
    {
      id: `${idPrefix}-vertices`,
      type: 'circle',
      source,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 6, 'circle-color': '#ffffff', 'circle-stroke-color': DRAW_COLOR, 'circle-stroke-width': 3 },
    },
  ];
}

/** The geometry, plus a dot on each vertex of a polygon (the ring's closing vertex once). */
export function draftFeatures(geometry: Point | Polygon | null | undefined): FeatureCollection {
  if (!geometry) return EMPTY_COLLECTION;
  const features: Feature<Geometry>[] = [{ type: 'Feature', properties: {}, geometry }];
  if (geometry.type === 'Polygon') {
    for (const coordinates of geometry.coordinates[0]!.slice(0, -1)) features.push({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates } });
  }
  return { type: 'FeatureCollection', features };
}

/**
 * What is being drawn: a draw mode's sketch while the user draws, then the drawn place waiting to
 * be saved (the point or area of a new finding), which the page passes as data. Pages pass null
 * while a draw mode is on.
 */
export function createDraftOverlay(): Overlay<DraftData> {
  return {
    add(context) {
      context.addSource(SOURCE, { type: 'geojson', data: EMPTY_COLLECTION });
      for (const layer of draftLayers()) context.addLayer(layer, 'draft');
    },
    update(context, data, previous) {
      if (changed(data, previous, 'geometry')) context.setSourceData(SOURCE, draftFeatures(data.geometry));
    },
    sketch(context, features) {
      context.setSourceData(SOURCE, features);
    },
  };
}
