import type { ExpressionSpecification, FilterSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { FeatureCollection } from 'geojson';
import { changed, EMPTY_COLLECTION, type Overlay } from '../overlay';
import { DETECTION_COLORS } from '../palette';

export interface DetectionsData {
  /** Outlines with a numeric `id` and a `reviewStatus` property. */
  detections?: FeatureCollection;
}

export interface DetectionsOverlayOptions {
  onClick?: (id: number) => void;
}

const SOURCE = 'luyu-detections';

export const DETECTION_LAYER_IDS = {
  fill: 'luyu-detection-fill',
  line: 'luyu-detection-line',
  currentHalo: 'luyu-detection-current-halo',
  current: 'luyu-detection-current',
} as const;

/** Colour by review status; merged counts as confirmed. */
export function detectionStatusColor(): ExpressionSpecification {
  return [
    'match',
    ['get', 'reviewStatus'],
    'pending',
    DETECTION_COLORS.pending,
    'field',
    DETECTION_COLORS.field,
    'confirmed',
    DETECTION_COLORS.confirmed,
    'merged',
    DETECTION_COLORS.confirmed,
    'rejected',
    DETECTION_COLORS.rejected,
    DETECTION_COLORS.other,
  ];
}

/** Only the detection under review (-1 matches none). */
export function currentDetectionFilter(id: number | null | undefined): FilterSpecification {
  return ['==', ['get', 'id'], id ?? -1];
}

export function detectionLayers(): LayerSpecification[] {
  const color = detectionStatusColor();
  return [
    { id: DETECTION_LAYER_IDS.fill, type: 'fill', source: SOURCE, paint: { 'fill-color': color, 'fill-opacity': 0.22 } },
    { id: DETECTION_LAYER_IDS.line, type: 'line', source: SOURCE, paint: { 'line-color': color, 'line-width': 1.5, 'line-dasharray': [3, 1.5] } },
    {
      id: DETECTION_LAYER_IDS.currentHalo,
      type: 'line',
      source: SOURCE,
      filter: currentDetectionFilter(null),
      layout: { 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': 7, 'line-opacity': 0.95 },
    },
    {
      id: DETECTION_LAYER_IDS.current,
      type: 'line',
      source: SOURCE,
      filter: currentDetectionFilter(null),
      layout: { 'line-join': 'round' },
      paint: { 'line-color': DETECTION_COLORS.current, 'line-width': 3.5 },
    },
  ];
}

/**
 * Satellite change detections (review queue): outlines with a light fill by review status; the
 * selected one (`selection.detectionId`) outlined thickly on top. A click on one calls onClick.
 */
export function createDetectionsOverlay(options: DetectionsOverlayOptions = {}): Overlay<DetectionsData> {
  return {
    add(context) {
      context.addSource(SOURCE, { type: 'geojson', data: EMPTY_COLLECTION });
      for (const layer of detectionLayers()) context.addLayer(layer, 'focus');
    },
    update(context, data, previous) {
      if (changed(data, previous, 'detections')) context.setSourceData(SOURCE, data.detections ?? EMPTY_COLLECTION);
    },
    select(context, selection) {
      for (const id of [DETECTION_LAYER_IDS.current, DETECTION_LAYER_IDS.currentHalo]) context.map.setFilter(id, currentDetectionFilter(selection.detectionId));
    },
    click(context, event) {
      if (!options.onClick) return false;
      const id = context.map.queryRenderedFeatures(event.point, { layers: [DETECTION_LAYER_IDS.fill] })[0]?.properties.id;
      if (typeof id !== 'number') return false;
      options.onClick(id);
      return true;
    },
    interactiveLayerIds: () => [DETECTION_LAYER_IDS.fill],
  };
}
