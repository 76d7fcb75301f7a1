import type { ExpressionSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { MapGeoJSONFeature, MapMouseEvent } from 'maplibre-gl';
import { ADMIN_CLASSES } from '@domain/admin_class';
import type { SegmentCollection } from '../../api/types';
import { changed, EMPTY_COLLECTION, type FontStacks, type Overlay, type OverlayContext } from '../overlay';
import { ADMIN_CLASS_COLORS, ADMIN_CLASS_COLORS_NEGATIVE, SELECTION_COLOR } from '../palette';
import { stakeMarkers } from '../stake_markers';
import { pageOrigin, tileUrl } from '../tile_url';

export interface NetworkData {
  /** The segments themselves, only for a map made with `{ offline: true }` (the crew app's stored corridor). */
  segments?: SegmentCollection;
}

const SOURCES = { segments: 'luyu-segments', stakeMarkers: 'luyu-stake-markers' } as const;
/** The layer names inside the server's tiles (server/tiles/tile_layers.ts). */
const SOURCE_LAYERS = { segments: 'segments', stakeMarkers: 'stakes' } as const;
/** The server's zoom ranges: the network from z6 (main roads only below z11), stakes from z14. */
export const NETWORK_TILE_ZOOMS = { segments: { min: 6, max: 16 }, stakes: { min: 14, max: 16 } } as const;

/** Below this zoom the segments are drawn without their white casing. */
export const CASING_MIN_ZOOM = 10;

export const NETWORK_LAYER_IDS = {
  casing: 'luyu-segments-casing',
  selected: 'luyu-segments-selected',
  segments: 'luyu-segments',
  hit: 'luyu-segments-hit',
  stakeTicks: 'luyu-stake-ticks',
  stakeLabels: 'luyu-stake-labels',
} as const;

/**
 * Colour by admin class; the − direction a lighter shade of the same hue. Features carry the
 * tiles' attribute names (admin_class, route_code, direction); the offline GeoJSON is renamed so.
 */
export function segmentColor(): ExpressionSpecification {
  const positive: unknown[] = ['match', ['get', 'admin_class']];
  const negative: unknown[] = ['match', ['get', 'admin_class']];
  for (const adminClass of ADMIN_CLASSES) {
    positive.push(adminClass, ADMIN_CLASS_COLORS[adminClass]);
    negative.push(adminClass, ADMIN_CLASS_COLORS_NEGATIVE[adminClass]);
  }
  positive.push(ADMIN_CLASS_COLORS.village);
  negative.push(ADMIN_CLASS_COLORS_NEGATIVE.village);
  return ['case', ['==', ['get', 'direction'], -1], negative, positive] as unknown as ExpressionSpecification;
}

/**
 * Segment line width by class and zoom, plus `extra` px (casing, selection halo) and
 * `hoverExtra` px while hovered. The zoom curve must be the outermost expression.
 */
export function segmentWidth(extra: number, hoverExtra = 0): ExpressionSpecification {
  const classFactor: ExpressionSpecification = ['match', ['get', 'admin_class'], 'expressway', 1.25, 'national', 1.1, 'provincial', 1, 0.85];
  const hover: ExpressionSpecification | number = hoverExtra ? ['case', ['boolean', ['feature-state', 'hover'], false], hoverExtra, 0] : 0;
  return [
    'interpolate', ['linear'], ['zoom'],
    9, ['+', ['*', classFactor, 1.4], extra * 0.6, hover],
    13, ['+', ['*', classFactor, 3], extra, hover],
    17, ['+', ['*', classFactor, 6], extra * 1.3, hover],
  ];
}

/** A GeoJSON source has no source layers; the tiles put each family in its named layer. */
function sourceLayer(offline: boolean | undefined, family: keyof typeof SOURCE_LAYERS): { 'source-layer'?: string } {
  return offline ? {} : { 'source-layer': SOURCE_LAYERS[family] };
}

/** Centrelines under the basemap's labels: white casing, selection halo, class colour, hit area. */
export function segmentLayers(options: { offline?: boolean } = {}): LayerSpecification[] {
  const layers: LayerSpecification[] = [
    {
      id: NETWORK_LAYER_IDS.casing,
      type: 'line',
      source: SOURCES.segments,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      // From z10: at province zooms a casing is 1–2 px of white under 1–2 px lines, and drawing the
      // whole main network a second time each frame is what software rendering pays for most. A
      // zoom step (not minzoom) keeps the layer in the lines' bucket; at 0 MapLibre skips the draw.
      paint: { 'line-color': '#ffffff', 'line-opacity': ['step', ['zoom'], 0, CASING_MIN_ZOOM, 0.9], 'line-width': segmentWidth(2.5) },
    },
    {
      id: NETWORK_LAYER_IDS.selected,
      type: 'line',
      source: SOURCES.segments,
      filter: selectedFilter(null),
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': SELECTION_COLOR, 'line-opacity': 0.85, 'line-width': segmentWidth(7) },
    },
    {
      id: NETWORK_LAYER_IDS.segments,
      type: 'line',
      source: SOURCES.segments,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': segmentColor(), 'line-width': segmentWidth(0, 1.5) },
    },
    {
      // Invisible, wide: makes thin lines easy to hover on touchpads. The same layout as the lines
      // above, so MapLibre builds one bucket for all of them instead of tessellating twice.
      id: NETWORK_LAYER_IDS.hit,
      type: 'line',
      source: SOURCES.segments,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': '#000000', 'line-opacity': 0, 'line-width': 14 },
    },
  ];
  return layers.map((layer) => ({ ...layer, ...sourceLayer(options.offline, 'segments') }) as LayerSpecification);
}

/** Stake posts (公里桩) with their K-number, from zoom 14, beside the line on the side of travel. */
export function stakeLayers(fonts: FontStacks, options: { offline?: boolean } = {}): LayerSpecification[] {
  const layers: LayerSpecification[] = [
    {
      id: NETWORK_LAYER_IDS.stakeTicks,
      type: 'circle',
      source: SOURCES.stakeMarkers,
      minzoom: 14,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 14, 2.5, 18, 4],
        'circle-color': '#ffffff',
        'circle-stroke-color': segmentColor(),
        'circle-stroke-width': 1.5,
      },
    },
    {
      id: NETWORK_LAYER_IDS.stakeLabels,
      type: 'symbol',
      source: SOURCES.stakeMarkers,
      minzoom: 14,
      layout: {
        'text-field': ['concat', ['get', 'route_code'], ' ', ['get', 'stake']],
        'text-font': fonts.semibold,
        'text-size': ['interpolate', ['linear'], ['zoom'], 14, 11, 18, 13],
        'text-anchor': ['case', ['==', ['get', 'direction'], -1], 'right', 'left'],
        'text-offset': ['case', ['==', ['get', 'direction'], -1], ['literal', [-0.7, 0]], ['literal', [0.7, 0]]],
        'text-padding': 3,
        'symbol-sort-key': ['get', 'direction'],
      },
      paint: {
        'text-color': segmentColor(),
        'text-halo-color': '#ffffff',
        'text-halo-width': 1.8,
      },
    },
  ];
  return layers.map((layer) => ({ ...layer, ...sourceLayer(options.offline, 'stakeMarkers') }) as LayerSpecification);
}

/** The API's segments with the tiles' attribute names, so one set of layers draws both. */
export function offlineSegments(collection: SegmentCollection): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: collection.features.map((feature) => ({
      type: 'Feature',
      id: feature.properties.id,
      geometry: feature.geometry,
      properties: { id: feature.properties.id, route_code: feature.properties.routeCode, admin_class: feature.properties.adminClass, direction: feature.properties.direction },
    })),
  };
}

/** The selected segment's halo shows only the feature with that id (-1 matches none). */
export function selectedFilter(segmentId: number | null | undefined): ExpressionSpecification {
  return ['==', ['id'], segmentId ?? -1];
}

/**
 * The road network: segments coloured by admin class (hover widens, selection haloes) and their
 * stake markers. Clicks on segments are the page's onClick (the panel locates the point).
 * Online maps read the server's segment and stake tiles (scoped to the user's jurisdiction): only
 * the tiles in view, never the whole network. `{ offline: true }` draws the GeoJSON the page
 * passes instead (the crew app's corridor, kept on the device), stakes computed from it.
 */
export function createNetworkOverlay(options: { origin?: string; offline?: boolean } = {}): Overlay<NetworkData> {
  let context: OverlayContext | null = null;
  let hoveredId: number | string | null = null;
  // Feature state on a vector source is kept per source layer.
  const featureOf = (id: number | string) => (options.offline ? { source: SOURCES.segments, id } : { source: SOURCES.segments, sourceLayer: SOURCE_LAYERS.segments, id });

  const clearHover = (): void => {
    if (context && hoveredId !== null) context.map.setFeatureState(featureOf(hoveredId), { hover: false });
    hoveredId = null;
  };
  const onHover = (event: MapMouseEvent & { features?: MapGeoJSONFeature[] }): void => {
    const id = event.features?.[0]?.id;
    if (!context || id === undefined || id === hoveredId) return;
    clearHover();
    hoveredId = id;
    context.map.setFeatureState(featureOf(id), { hover: true });
  };

  return {
    add(ctx) {
      context = ctx;
      if (options.offline) {
        ctx.addSource(SOURCES.segments, { type: 'geojson', data: EMPTY_COLLECTION, promoteId: 'id' });
        ctx.addSource(SOURCES.stakeMarkers, { type: 'geojson', data: EMPTY_COLLECTION });
      } else {
        const origin = pageOrigin(options.origin);
        const { segments, stakes } = NETWORK_TILE_ZOOMS;
        ctx.addSource(SOURCES.segments, { type: 'vector', tiles: [tileUrl(origin, 'segments')], minzoom: segments.min, maxzoom: segments.max });
        ctx.addSource(SOURCES.stakeMarkers, { type: 'vector', tiles: [tileUrl(origin, 'stakes')], minzoom: stakes.min, maxzoom: stakes.max });
      }
      for (const layer of segmentLayers(options)) ctx.addLayer(layer, 'underLabels');
      for (const layer of stakeLayers(ctx.fonts, options)) ctx.addLayer(layer, 'annotations');
      ctx.map.on('mousemove', NETWORK_LAYER_IDS.hit, onHover);
      ctx.map.on('mouseleave', NETWORK_LAYER_IDS.hit, clearHover);
    },
    update(ctx, data, previous) {
      if (options.offline && changed(data, previous, 'segments') && data.segments) {
        ctx.setSourceData(SOURCES.segments, offlineSegments(data.segments));
        ctx.setSourceData(SOURCES.stakeMarkers, stakeMarkers(data.segments));
      }
    },
    select(ctx, selection) {
      ctx.map.setFilter(NETWORK_LAYER_IDS.selected, selectedFilter(selection.segmentId));
    },
    interactiveLayerIds: () => [NETWORK_LAYER_IDS.hit],
    // Tiles arrive as the view needs them; only the offline corridor is data the map waits for.
    isLoaded: (data) => !options.offline || data?.segments !== undefined,
    remove(ctx) {
      ctx.map.off('mousemove', NETWORK_LAYER_IDS.hit, onHover);
      ctx.map.off('mouseleave', NETWORK_LAYER_IDS.hit, clearHover);
      context = null;
    },
  };
}
