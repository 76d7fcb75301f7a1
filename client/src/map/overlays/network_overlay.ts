import type { ExpressionSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { MapGeoJSONFeature, MapMouseEvent } from 'maplibre-gl';
import { ADMIN_CLASSES } from '@domain/admin_class';
import type { SegmentCollection } from '../../api/types';
import { changed, EMPTY_COLLECTION, type FontStacks, type Overlay, type OverlayContext } from '../overlay';
import { ADMIN_CLASS_COLORS, ADMIN_CLASS_COLORS_NEGATIVE, SELECTION_COLOR } from '../palette';
import { stakeMarkers } from '../stake_markers';

export interface NetworkData {
  segments?: SegmentCollection;
}

const SOURCES = { segments: 'luyu-segments', stakeMarkers: 'luyu-stake-markers' } as const;

export const NETWORK_LAYER_IDS = {
  casing: 'luyu-segments-casing',
  selected: 'luyu-segments-selected',
  segments: 'luyu-segments',
  hit: 'luyu-segments-hit',
  stakeTicks: 'luyu-stake-ticks',
  stakeLabels: 'luyu-stake-labels',
} as const;

/** Colour by admin class; the − direction a lighter shade of the same hue. */
export function segmentColor(): ExpressionSpecification {
  const positive: unknown[] = ['match', ['get', 'adminClass']];
  const negative: unknown[] = ['match', ['get', 'adminClass']];
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
  const classFactor: ExpressionSpecification = ['match', ['get', 'adminClass'], 'expressway', 1.25, 'national', 1.1, 'provincial', 1, 0.85];
  const hover: ExpressionSpecification | number = hoverExtra ? ['case', ['boolean', ['feature-state', 'hover'], false], hoverExtra, 0] : 0;
  return [
    'interpolate', ['linear'], ['zoom'],
    9, ['+', ['*', classFactor, 1.4], extra * 0.6, hover],
    13, ['+', ['*', classFactor, 3], extra, hover],
    17, ['+', ['*', classFactor, 6], extra * 1.3, hover],
  ];
}

/** Centrelines under the basemap's labels: white casing, selection halo, class colour, hit area. */
export function segmentLayers(): LayerSpecification[] {
  return [
    {
      id: NETWORK_LAYER_IDS.casing,
      type: 'line',
      source: SOURCES.segments,
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': '#ffffff', 'line-opacity': 0.9, 'line-width': segmentWidth(2.5) },
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
      // Invisible, wide: makes thin lines easy to hover on touchpads.
      id: NETWORK_LAYER_IDS.hit,
      type: 'line',
      source: SOURCES.segments,
      paint: { 'line-color': '#000000', 'line-opacity': 0, 'line-width': 14 },
    },
  ];
}

/** Stake posts (公里桩) with their K-number, from zoom 14, beside the line on the side of travel. */
export function stakeLayers(fonts: FontStacks): LayerSpecification[] {
  return [
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
        'text-field': ['concat', ['get', 'routeCode'], ' ', ['get', 'stake']],
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
}

/** The selected segment's halo shows only the feature with that id (-1 matches none). */
export function selectedFilter(segmentId: number | null | undefined): ExpressionSpecification {
  return ['==', ['id'], segmentId ?? -1];
}

/**
 * The road network: segments coloured by admin class (hover widens, selection haloes) and their
 * stake markers. Clicks on segments are the page's onClick (the panel locates the point).
 */
export function createNetworkOverlay(): Overlay<NetworkData> {
  let context: OverlayContext | null = null;
  let hoveredId: number | string | null = null;

  const clearHover = (): void => {
    if (context && hoveredId !== null) context.map.setFeatureState({ source: SOURCES.segments, id: hoveredId }, { hover: false });
    hoveredId = null;
  };
  const onHover = (event: MapMouseEvent & { features?: MapGeoJSONFeature[] }): void => {
    const id = event.features?.[0]?.id;
    if (!context || id === undefined || id === hoveredId) return;
    clearHover();
    hoveredId = id;
    context.map.setFeatureState({ source: SOURCES.segments, id }, { hover: true });
  };

  return {
    add(ctx) {
      context = ctx;
      ctx.addSource(SOURCES.segments, { type: 'geojson', data: EMPTY_COLLECTION, promoteId: 'id' });
      ctx.addSource(SOURCES.stakeMarkers, { type: 'geojson', data: EMPTY_COLLECTION });
      for (const layer of segmentLayers()) ctx.addLayer(layer, 'underLabels');
      for (const layer of stakeLayers(ctx.fonts)) ctx.addLayer(layer, 'annotations');
      ctx.map.on('mousemove', NETWORK_LAYER_IDS.hit, onHover);
      ctx.map.on('mouseleave', NETWORK_LAYER_IDS.hit, clearHover);
    },
    update(ctx, data, previous) {
      if (changed(data, previous, 'segments') && data.segments) {
        ctx.setSourceData(SOURCES.segments, data.segments);
        ctx.setSourceData(SOURCES.stakeMarkers, stakeMarkers(data.segments));
      }
    },
    select(ctx, selection) {
      ctx.map.setFilter(NETWORK_LAYER_IDS.selected, selectedFilter(selection.segmentId));
    },
    interactiveLayerIds: () => [NETWORK_LAYER_IDS.hit],
    isLoaded: (data) => data?.segments !== undefined,
    remove(ctx) {
      ctx.map.off('mousemove', NETWORK_LAYER_IDS.hit, onHover);
      ctx.map.off('mouseleave', NETWORK_LAYER_IDS.hit, clearHover);
      context = null;
    },
  };
}
