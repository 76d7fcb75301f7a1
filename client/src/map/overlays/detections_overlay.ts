import type { ExpressionSpecification, FilterSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { VectorTileSource } from 'maplibre-gl';
import type { Feature } from 'geojson';
import { EMPTY_COLLECTION, type Overlay } from '../overlay';
import { DETECTION_COLORS } from '../palette';
import { pageOrigin, tileUrl } from '../tile_url';

export interface DetectionsData {
  /** Which detections to draw: a filter on the tiles' attributes (detection_tile_filter.ts); all when absent. */
  filter?: FilterSpecification;
  /** Bumped after a review: the tiles are fetched anew (statuses changed). */
  version?: number;
  /** The detection under review, outlined from its own geometry (the tiles hold points below z13). */
  current?: Feature | null;
}

export interface DetectionsOverlayOptions {
  onClick?: (id: number) => void;
  /** Origin of the tile URLs (default: the page's). */
  origin?: string;
}

const SOURCE = 'luyu-detections';
const CURRENT_SOURCE = 'luyu-detection-current';
/** The layer name inside the server's detection tiles (server/tiles/tile_layers.ts). */
const SOURCE_LAYER = 'detections';
/** The server's detection tiles: points below z13, outlines from z13 (MapLibre overzooms past 16). */
export const DETECTION_TILE_ZOOMS = { min: 8, max: 16 } as const;

export const DETECTION_LAYER_IDS = {
  fill: 'luyu-detection-fill',
  line: 'luyu-detection-line',
  points: 'luyu-detection-points',
  currentHalo: 'luyu-detection-current-halo',
  current: 'luyu-detection-current',
} as const;

/** Layers a click can land on. */
const HIT_LAYERS = [DETECTION_LAYER_IDS.points, DETECTION_LAYER_IDS.fill];

const IS_POINT: ExpressionSpecification = ['==', ['geometry-type'], 'Point'];
const IS_AREA: ExpressionSpecification = ['==', ['geometry-type'], 'Polygon'];

/** Colour by review status (the tiles' review_status); merged counts as confirmed. */
export function detectionStatusColor(): ExpressionSpecification {
  return [
    'match',
    ['get', 'review_status'],
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

/** The tile layers (outlines, light fills, dots below z13) with the queue's filter on each. */
export function detectionLayers(filter: FilterSpecification = ['all']): LayerSpecification[] {
  const color = detectionStatusColor();
  const layers: LayerSpecification[] = [
    { id: DETECTION_LAYER_IDS.fill, type: 'fill', source: SOURCE, filter: ['all', IS_AREA, filter] as FilterSpecification, paint: { 'fill-color': color, 'fill-opacity': 0.22 } },
    {
      id: DETECTION_LAYER_IDS.line,
      type: 'line',
      source: SOURCE,
      filter: ['all', IS_AREA, filter] as FilterSpecification,
      paint: { 'line-color': color, 'line-width': 1.5, 'line-dasharray': [3, 1.5] },
    },
    {
      id: DETECTION_LAYER_IDS.points,
      type: 'circle',
      source: SOURCE,
      filter: ['all', IS_POINT, filter] as FilterSpecification,
      paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 2.5, 12, 5], 'circle-color': color, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 },
    },
  ];
  return layers.map((layer) => ({ ...layer, 'source-layer': SOURCE_LAYER }) as LayerSpecification);
}

/** The current detection's thick outline over a white halo (its own GeoJSON source). */
export function currentDetectionLayers(): LayerSpecification[] {
  return [
    {
      id: DETECTION_LAYER_IDS.currentHalo,
      type: 'line',
      source: CURRENT_SOURCE,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': 7, 'line-opacity': 0.95 },
    },
    {
      id: DETECTION_LAYER_IDS.current,
      type: 'line',
      source: CURRENT_SOURCE,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': DETECTION_COLORS.current, 'line-width': 3.5 },
    },
  ];
}

/**
 * Satellite change detections (review queue) from the server's vector tiles — only the tiles in
 * view, scoped to the user's jurisdiction, filtered like the queue: outlines with a light fill by
 * review status (dots below z13); the current one outlined thickly on top from its own geometry.
 * A click on one calls onClick with its id (also for detections off the queue's page).
 */
export function createDetectionsOverlay(options: DetectionsOverlayOptions = {}): Overlay<DetectionsData> {
  const origin = pageOrigin(options.origin);
  return {
    add(context) {
      context.addSource(SOURCE, { type: 'vector', tiles: [tileUrl(origin, 'detections')], minzoom: DETECTION_TILE_ZOOMS.min, maxzoom: DETECTION_TILE_ZOOMS.max });
      context.addSource(CURRENT_SOURCE, { type: 'geojson', data: EMPTY_COLLECTION });
      for (const layer of [...detectionLayers(), ...currentDetectionLayers()]) context.addLayer(layer, 'focus');
    },
    update(context, data, previous) {
      const map = context.map;
      if (!Object.is(data.filter, previous.filter)) {
        for (const layer of detectionLayers(data.filter)) map.setFilter(layer.id, (layer as { filter: FilterSpecification }).filter);
      }
      if (!Object.is(data.current, previous.current)) {
        context.setSourceData(CURRENT_SOURCE, data.current ? { type: 'FeatureCollection', features: [data.current] } : EMPTY_COLLECTION);
      }
      if ((data.version ?? 0) !== (previous.version ?? 0)) {
        // A new URL so neither MapLibre nor the browser's cache (60 s) answers with the old statuses;
        // after the next frame, as the violations overlay does (a filter change in this one pauses the source).
        const url = tileUrl(origin, 'detections', data.version);
        map.once('render', () => {
          if (context.isAlive()) (map.getSource(SOURCE) as VectorTileSource | undefined)?.setTiles([url]);
        });
        map.triggerRepaint();
      }
    },
    click(context, event) {
      if (!options.onClick) return false;
      const map = context.map;
      // A few pixels of slack: the dots below z13 are small targets.
      const box: [[number, number], [number, number]] = [
        [event.point.x - 4, event.point.y - 4],
        [event.point.x + 4, event.point.y + 4],
      ];
      const id = map.queryRenderedFeatures(box, { layers: HIT_LAYERS })[0]?.id;
      if (typeof id !== 'number') return false;
      options.onClick(id);
      return true;
    },
    interactiveLayerIds: () => HIT_LAYERS,
  };
}
