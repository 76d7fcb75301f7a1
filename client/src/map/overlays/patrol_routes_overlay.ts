/**
 * A patrol plan's draft routes (issue 11): each crew's walk from its base back to it in the crew's
 * colour with arrows in the driving direction, the segments it serves drawn thick and numbered in
 * service order, and the selected segment (`selection.patrolSegmentId`) haloed. A click on a
 * served segment calls onSegmentClick (the page then offers to move it to another crew).
 */
import type { ExpressionSpecification, FilterSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { Feature, FeatureCollection, LineString } from 'geojson';
import { changed, EMPTY_COLLECTION, type FontStacks, type Overlay } from '../overlay';
import { CREW_COLORS } from '../palette';

export interface PatrolRoutesData {
  /** One LineString per crew: the walk (`crewId`, `color`). */
  walks?: FeatureCollection;
  /** The served segments (`segmentId`, `crewId`, `color`, `order`). */
  served?: FeatureCollection;
}

export interface PatrolRoutesOverlayOptions {
  onSegmentClick?: (segmentId: number) => void;
}

const WALK_SOURCE = 'luyu-patrol-routes-walks';
const SERVED_SOURCE = 'luyu-patrol-routes-served';

export const PATROL_ROUTE_LAYER_IDS = {
  walkCasing: 'luyu-patrol-routes-walk-casing',
  walk: 'luyu-patrol-routes-walk',
  arrows: 'luyu-patrol-routes-arrows',
  served: 'luyu-patrol-routes-served',
  selected: 'luyu-patrol-routes-selected',
  order: 'luyu-patrol-routes-order',
} as const;

/** The colour of the crew at `index` in the plan's crew order (repeats after the palette). */
export function crewColor(index: number): string {
  return CREW_COLORS[((index % CREW_COLORS.length) + CREW_COLORS.length) % CREW_COLORS.length]!;
}

const featureColor: ExpressionSpecification = ['coalesce', ['get', 'color'], '#555555'];

/** Only the selected served segment (-1 matches none). */
export function selectedServedFilter(segmentId: number | null | undefined): FilterSpecification {
  return ['==', ['get', 'segmentId'], segmentId ?? -1];
}

export function patrolRouteLayers(fonts: FontStacks): LayerSpecification[] {
  return [
    { id: PATROL_ROUTE_LAYER_IDS.walkCasing, type: 'line', source: WALK_SOURCE, layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': 5, 'line-opacity': 0.8 } },
    { id: PATROL_ROUTE_LAYER_IDS.walk, type: 'line', source: WALK_SOURCE, layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': featureColor, 'line-width': 2.5, 'line-opacity': 0.9 } },
    {
      id: PATROL_ROUTE_LAYER_IDS.arrows,
      type: 'symbol',
      source: WALK_SOURCE,
      // A '>' placed along the line turns with it: it points the way the walk is driven.
      layout: { 'symbol-placement': 'line', 'symbol-spacing': 90, 'text-field': '>', 'text-font': fonts.semibold, 'text-size': 15, 'text-keep-upright': false, 'text-allow-overlap': true },
      paint: { 'text-color': featureColor, 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    },
    { id: PATROL_ROUTE_LAYER_IDS.selected, type: 'line', source: SERVED_SOURCE, filter: selectedServedFilter(null), layout: { 'line-cap': 'round' }, paint: { 'line-color': '#111111', 'line-width': 13, 'line-opacity': 0.5 } },
    { id: PATROL_ROUTE_LAYER_IDS.served, type: 'line', source: SERVED_SOURCE, layout: { 'line-cap': 'round' }, paint: { 'line-color': featureColor, 'line-width': 6 } },
    {
      id: PATROL_ROUTE_LAYER_IDS.order,
      type: 'symbol',
      source: SERVED_SOURCE,
      layout: { 'symbol-placement': 'line-center', 'text-field': ['to-string', ['get', 'order']], 'text-font': fonts.semibold, 'text-size': 12 },
      paint: { 'text-color': '#ffffff', 'text-halo-color': featureColor, 'text-halo-width': 2.5 },
    },
  ];
}

/** Plan → the overlay's data: walks per crew, served segments with their geometry from `segmentLines`. */
export function patrolRouteFeatures(
  assignments: readonly { crewId: number; route: LineString | null; segments: readonly { segmentId: number; order: number }[] }[],
  segmentLines: ReadonlyMap<number, LineString>,
): Required<PatrolRoutesData> {
  const walks: Feature[] = [];
  const served: Feature[] = [];
  assignments.forEach((assignment, index) => {
    const color = crewColor(index);
    if (assignment.route) walks.push({ type: 'Feature', properties: { crewId: assignment.crewId, color }, geometry: assignment.route });
    for (const segment of assignment.segments) {
      const line = segmentLines.get(segment.segmentId);
      if (line) served.push({ type: 'Feature', properties: { segmentId: segment.segmentId, crewId: assignment.crewId, color, order: segment.order }, geometry: line });
    }
  });
  return { walks: { type: 'FeatureCollection', features: walks }, served: { type: 'FeatureCollection', features: served } };
}

export function createPatrolRoutesOverlay(options: PatrolRoutesOverlayOptions = {}): Overlay<PatrolRoutesData> {
  return {
    add(context) {
      context.addSource(WALK_SOURCE, { type: 'geojson', data: EMPTY_COLLECTION });
      context.addSource(SERVED_SOURCE, { type: 'geojson', data: EMPTY_COLLECTION });
      for (const layer of patrolRouteLayers(context.fonts)) context.addLayer(layer, 'lines');
    },
    update(context, data, previous) {
      if (changed(data, previous, 'walks')) context.setSourceData(WALK_SOURCE, data.walks ?? EMPTY_COLLECTION);
      if (changed(data, previous, 'served')) context.setSourceData(SERVED_SOURCE, data.served ?? EMPTY_COLLECTION);
    },
    select(context, selection) {
      context.map.setFilter(PATROL_ROUTE_LAYER_IDS.selected, selectedServedFilter(selection.patrolSegmentId));
    },
    click(context, event) {
      if (!options.onSegmentClick) return false;
      const id = context.map.queryRenderedFeatures(event.point, { layers: [PATROL_ROUTE_LAYER_IDS.served] })[0]?.properties.segmentId;
      if (typeof id !== 'number') return false;
      options.onSegmentClick(id);
      return true;
    },
    interactiveLayerIds: () => [PATROL_ROUTE_LAYER_IDS.served],
  };
}
