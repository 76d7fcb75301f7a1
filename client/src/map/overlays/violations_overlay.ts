import type { ExpressionSpecification, FilterSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import type { GeoJSONSource } from 'maplibre-gl';
import { changed, EMPTY_COLLECTION, type FontStacks, type Overlay } from '../overlay';
import { SELECTION_COLOR } from '../palette';
import { loadViolationIcons, VIOLATION_STATUS_COLORS, type ViolationMapCollection, type ViolationMapStatus } from '../violation_layers';

export interface ViolationsData {
  violations?: ViolationMapCollection;
  /** The legend's switch for the whole family (default shown). */
  visible?: boolean;
}

export interface ViolationsOverlayOptions {
  /** A violation dot, icon or area was clicked (clusters zoom in instead). */
  onClick?: (id: number) => void;
  /** Rasterises the category icons (default: loadViolationIcons; tests pass their own). */
  loadIcons?: () => Promise<Map<string, ImageData>>;
}

const SOURCES = { points: 'luyu-violations', areas: 'luyu-violation-areas' } as const;

export const VIOLATION_LAYER_IDS = {
  areaFill: 'luyu-violation-area-fill',
  areaLine: 'luyu-violation-area-line',
  clusters: 'luyu-violation-clusters',
  clusterCount: 'luyu-violation-cluster-count',
  selected: 'luyu-violation-selected',
  dots: 'luyu-violation-dots',
  icons: 'luyu-violation-icons',
} as const;

/** Layers a click can land on, top first except clusters (checked first by the click handler). */
const HIT_LAYERS = [VIOLATION_LAYER_IDS.icons, VIOLATION_LAYER_IDS.dots, VIOLATION_LAYER_IDS.areaFill, VIOLATION_LAYER_IDS.clusters];

/** Colour by the four map statuses; anything unknown as void. */
export function statusColor(): ExpressionSpecification {
  const expression: unknown[] = ['match', ['get', 'mapStatus']];
  for (const [status, color] of Object.entries(VIOLATION_STATUS_COLORS) as [ViolationMapStatus, string][]) expression.push(status, color);
  expression.push(VIOLATION_STATUS_COLORS.void);
  return expression as ExpressionSpecification;
}

/** Mean of the outer ring's vertices: good enough to hang an icon on a small site polygon. */
export function polygonCentre(polygon: Polygon): [number, number] {
  const ring = polygon.coordinates[0] ?? [];
  const vertices = ring.length > 1 ? ring.slice(0, -1) : ring;
  let lon = 0;
  let lat = 0;
  for (const vertex of vertices) {
    lon += vertex[0]!;
    lat += vertex[1]!;
  }
  return vertices.length ? [lon / vertices.length, lat / vertices.length] : [0, 0];
}

/**
 * Points for the clustered source (an area contributes its centre, so it clusters and carries an
 * icon like a point finding) and the areas themselves for the fill.
 */
export function splitViolations(collection: ViolationMapCollection): { points: FeatureCollection<Point>; areas: FeatureCollection<Polygon> } {
  const points: Feature<Point>[] = [];
  const areas: Feature<Polygon>[] = [];
  for (const feature of collection.features) {
    if (feature.geometry.type === 'Polygon') {
      areas.push(feature as Feature<Polygon>);
      points.push({ type: 'Feature', id: feature.id, properties: feature.properties, geometry: { type: 'Point', coordinates: polygonCentre(feature.geometry) } });
    } else {
      points.push(feature as Feature<Point>);
    }
  }
  return { points: { type: 'FeatureCollection', features: points }, areas: { type: 'FeatureCollection', features: areas } };
}

/** Only the selected violation's dot (never a cluster); -1 matches none. */
export function selectedViolationFilter(id: number | null | undefined): FilterSpecification {
  return ['all', ['!', ['has', 'point_count']], ['==', ['get', 'id'], id ?? -1]];
}

/** Areas, clusters with counts, the selection ring and status dots (the icons come later). */
export function violationLayers(fonts: FontStacks): LayerSpecification[] {
  const color = statusColor();
  return [
    { id: VIOLATION_LAYER_IDS.areaFill, type: 'fill', source: SOURCES.areas, paint: { 'fill-color': color, 'fill-opacity': 0.28 } },
    { id: VIOLATION_LAYER_IDS.areaLine, type: 'line', source: SOURCES.areas, paint: { 'line-color': color, 'line-width': 2 } },
    {
      id: VIOLATION_LAYER_IDS.clusters,
      type: 'circle',
      source: SOURCES.points,
      filter: ['has', 'point_count'],
      paint: {
        'circle-color': '#12352b',
        'circle-opacity': 0.88,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
        'circle-radius': ['step', ['get', 'point_count'], 14, 10, 17, 50, 21, 200, 26],
      },
    },
    {
      id: VIOLATION_LAYER_IDS.clusterCount,
      type: 'symbol',
      source: SOURCES.points,
      filter: ['has', 'point_count'],
      layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-font': fonts.semibold, 'text-size': 12, 'text-allow-overlap': true },
      paint: { 'text-color': '#ffffff' },
    },
    {
      id: VIOLATION_LAYER_IDS.selected,
      type: 'circle',
      source: SOURCES.points,
      filter: selectedViolationFilter(null),
      paint: { 'circle-radius': 19, 'circle-color': SELECTION_COLOR, 'circle-opacity': 0.35, 'circle-stroke-color': SELECTION_COLOR, 'circle-stroke-width': 2 },
    },
    {
      id: VIOLATION_LAYER_IDS.dots,
      type: 'circle',
      source: SOURCES.points,
      filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 9, 16, 12],
        'circle-color': color,
        'circle-stroke-color': ['case', ['==', ['get', 'mapStatus'], 'overdue'], '#7f1d1d', '#ffffff'],
        'circle-stroke-width': ['case', ['==', ['get', 'mapStatus'], 'overdue'], 3, 2],
      },
    },
  ];
}

/** The category icon on each dot (images registered under `violation-<category>`). */
export function violationIconLayer(visible: boolean): LayerSpecification {
  return {
    id: VIOLATION_LAYER_IDS.icons,
    type: 'symbol',
    source: SOURCES.points,
    filter: ['!', ['has', 'point_count']],
    layout: {
      'icon-image': ['concat', 'violation-', ['get', 'category']],
      'icon-size': ['interpolate', ['linear'], ['zoom'], 10, 0.8, 16, 1],
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
      visibility: visible ? 'visible' : 'none',
    },
  };
}

/**
 * Violations of the register: points clustered at low zoom, status-coloured dots with category
 * icons, site polygons as fills; a click on a cluster zooms in, on a violation calls onClick.
 * When the icons are in, the container gets data-violation-icons="true".
 */
export function createViolationsOverlay(options: ViolationsOverlayOptions = {}): Overlay<ViolationsData> {
  let visible = true;
  return {
    add(context) {
      context.addSource(SOURCES.areas, { type: 'geojson', data: EMPTY_COLLECTION });
      context.addSource(SOURCES.points, { type: 'geojson', data: EMPTY_COLLECTION, cluster: true, clusterRadius: 44, clusterMaxZoom: 14 });
      for (const layer of violationLayers(context.fonts)) context.addLayer(layer, 'marks');
      // Category icons are drawn from inline SVG; the symbol layer waits for them.
      void (options.loadIcons ?? loadViolationIcons)().then((icons) => {
        const map = context.map;
        if (!context.isAlive() || !map.getStyle()) return;
        for (const [name, image] of icons) {
          if (!map.hasImage(name)) map.addImage(name, image, { pixelRatio: 2 });
        }
        context.addLayer(violationIconLayer(visible), 'marks');
        context.container.dataset.violationIcons = 'true';
      });
    },
    update(context, data, previous) {
      if (changed(data, previous, 'violations') && data.violations) {
        const { points, areas } = splitViolations(data.violations);
        context.setSourceData(SOURCES.points, points);
        context.setSourceData(SOURCES.areas, areas);
      }
      if (changed(data, previous, 'visible')) {
        visible = data.visible !== false;
        for (const id of Object.values(VIOLATION_LAYER_IDS)) {
          if (context.map.getLayer(id)) context.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
        }
      }
    },
    select(context, selection) {
      context.map.setFilter(VIOLATION_LAYER_IDS.selected, selectedViolationFilter(selection.violationId));
    },
    click(context, event) {
      if (!visible) return false;
      const map = context.map;
      const layers = HIT_LAYERS.filter((id) => map.getLayer(id));
      // A few pixels of slack: the dots are small targets on a phone.
      const box: [[number, number], [number, number]] = [
        [event.point.x - 4, event.point.y - 4],
        [event.point.x + 4, event.point.y + 4],
      ];
      const hits = map.queryRenderedFeatures(box, { layers });
      const cluster = hits.find((hit) => hit.layer.id === VIOLATION_LAYER_IDS.clusters);
      if (cluster && cluster.geometry.type === 'Point') {
        const source = map.getSource(SOURCES.points) as GeoJSONSource;
        const center = cluster.geometry.coordinates as [number, number];
        void source.getClusterExpansionZoom(cluster.properties.cluster_id as number).then((zoom) => {
          map.easeTo({ center, zoom: Math.min(zoom + 0.2, 18) });
        });
        return true;
      }
      const id = hits.find((hit) => hit.layer.id !== VIOLATION_LAYER_IDS.clusters)?.properties.id;
      if (typeof id !== 'number') return false;
      options.onClick?.(id);
      return true;
    },
    interactiveLayerIds: () => HIT_LAYERS,
  };
}
