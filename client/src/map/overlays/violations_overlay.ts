import type { ExpressionSpecification, FilterSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { VectorTileSource } from 'maplibre-gl';
import { type FontStacks, type Overlay } from '../overlay';
import { SELECTION_COLOR } from '../palette';
import { pageOrigin, tileUrl } from '../tile_url';
import { loadViolationIcons, VIOLATION_STATUS_COLORS, type ViolationMapStatus } from '../violation_layers';

export interface ViolationsData {
  /** Bumped after a violation is created or changed: the tiles are fetched anew. */
  version?: number;
  /** The legend's switch for the whole family (default shown). */
  visible?: boolean;
}

export interface ViolationsOverlayOptions {
  /** A violation dot, icon or area was clicked. */
  onClick?: (id: number) => void;
  /** Rasterises the category icons (default: loadViolationIcons; tests pass their own). */
  loadIcons?: () => Promise<Map<string, ImageData>>;
  /** Origin of the tile URLs (default: the page's). */
  origin?: string;
}

const SOURCE = 'luyu-violations';
/** The layer name inside the server's violation tiles (server/tiles/tile_layers.ts). */
const SOURCE_LAYER = 'violations';
/** The server's violation tiles: points below z14, site polygons from z14 (MapLibre overzooms past 16). */
export const VIOLATION_TILE_ZOOMS = { min: 6, max: 16 } as const;
/** The server's violation_clusters tiles (server/tiles/tile_layers.ts). */
const VIOLATION_CLUSTER_TILE_ZOOMS = { min: 6, max: 9 } as const;
/**
 * Below this zoom a violation is a small status dot without its icon: tiles cannot be clustered in
 * the browser (each tile holds only its own points), so the overview stays a density of dots.
 */
export const VIOLATION_ICON_MIN_ZOOM = 12;

const CLUSTER_SOURCE = 'luyu-violation-clusters';
const CLUSTER_SOURCE_LAYER = 'violation_clusters';
/**
 * Below this zoom (a province or a city at a glance) the cases come counted per grid cell from the
 * server's violation_clusters tiles (z6–z9): every case in scope once, where a tile of single
 * cases would be cut at 10,000. From it, the dots.
 */
export const VIOLATION_CLUSTERS_BELOW_ZOOM = 10;

export const VIOLATION_LAYER_IDS = {
  areaFill: 'luyu-violation-area-fill',
  areaLine: 'luyu-violation-area-line',
  selected: 'luyu-violation-selected',
  selectedArea: 'luyu-violation-selected-area',
  dots: 'luyu-violation-dots',
  icons: 'luyu-violation-icons',
  areaIcons: 'luyu-violation-area-icons',
  clusters: 'luyu-violation-clusters',
  clusterCounts: 'luyu-violation-cluster-counts',
} as const;

/** Layers a click can land on, top first. */
const HIT_LAYERS = [VIOLATION_LAYER_IDS.areaIcons, VIOLATION_LAYER_IDS.icons, VIOLATION_LAYER_IDS.dots, VIOLATION_LAYER_IDS.areaFill];

const IS_POINT: ExpressionSpecification = ['==', ['geometry-type'], 'Point'];
const IS_AREA: ExpressionSpecification = ['==', ['geometry-type'], 'Polygon'];

/**
 * Colour by the four map statuses (the tiles' map_status, derived on the server by the rule of
 * violation_layers.ts mapStatus — tests/integration/vector_tiles.test.ts compares); unknown as void.
 */
export function statusColor(): ExpressionSpecification {
  const expression: unknown[] = ['match', ['get', 'map_status']];
  for (const [status, color] of Object.entries(VIOLATION_STATUS_COLORS) as [ViolationMapStatus, string][]) expression.push(status, color);
  expression.push(VIOLATION_STATUS_COLORS.void);
  return expression as ExpressionSpecification;
}

/** Only the selected violation (the tile feature's id is the violation's); -1 matches none. */
export function selectedViolationFilter(id: number | null | undefined, geometry: 'Point' | 'Polygon' = 'Point'): FilterSpecification {
  return ['all', geometry === 'Point' ? IS_POINT : IS_AREA, ['==', ['id'], id ?? -1]];
}

/** Site areas, the selection ring and status dots (the icons come later). */
export function violationLayers(): LayerSpecification[] {
  const color = statusColor();
  const overdue: ExpressionSpecification = ['==', ['get', 'map_status'], 'overdue'];
  const layers: LayerSpecification[] = [
    { id: VIOLATION_LAYER_IDS.areaFill, type: 'fill', source: SOURCE, filter: IS_AREA, paint: { 'fill-color': color, 'fill-opacity': 0.28 } },
    { id: VIOLATION_LAYER_IDS.areaLine, type: 'line', source: SOURCE, filter: IS_AREA, paint: { 'line-color': color, 'line-width': 2 } },
    {
      id: VIOLATION_LAYER_IDS.selectedArea,
      type: 'line',
      source: SOURCE,
      filter: selectedViolationFilter(null, 'Polygon'),
      paint: { 'line-color': SELECTION_COLOR, 'line-width': 5, 'line-opacity': 0.85 },
    },
    {
      id: VIOLATION_LAYER_IDS.selected,
      type: 'circle',
      source: SOURCE,
      filter: selectedViolationFilter(null),
      paint: { 'circle-radius': 19, 'circle-color': SELECTION_COLOR, 'circle-opacity': 0.35, 'circle-stroke-color': SELECTION_COLOR, 'circle-stroke-width': 2 },
    },
    {
      id: VIOLATION_LAYER_IDS.dots,
      type: 'circle',
      source: SOURCE,
      filter: IS_POINT,
      paint: {
        // Small dots in the overview, the icon-carrying size from VIOLATION_ICON_MIN_ZOOM.
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 2.5, VIOLATION_ICON_MIN_ZOOM - 1, 4.5, VIOLATION_ICON_MIN_ZOOM, 9, 16, 12],
        'circle-color': color,
        'circle-stroke-color': ['case', overdue, '#7f1d1d', '#ffffff'],
        'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], VIOLATION_ICON_MIN_ZOOM - 1, ['case', overdue, 1.5, 1], VIOLATION_ICON_MIN_ZOOM, ['case', overdue, 3, 2]],
      },
    },
  ];
  // Below VIOLATION_CLUSTERS_BELOW_ZOOM none of them: the clusters stand for the cases there, and a
  // source no visible layer uses is not fetched (single-case tiles cut at 10,000 on a province).
  return layers.map((layer) => ({ ...layer, 'source-layer': SOURCE_LAYER, minzoom: Math.max(layer.minzoom ?? 0, VIOLATION_CLUSTERS_BELOW_ZOOM) }) as LayerSpecification);
}

/**
 * The clusters below VIOLATION_CLUSTERS_BELOW_ZOOM: a circle in the colour of the cell's most
 * pressing status (overdue, then open, closed, void), sized by its count, with the count on it.
 */
export function violationClusterLayers(fonts: FontStacks): LayerSpecification[] {
  const common = { source: CLUSTER_SOURCE, 'source-layer': CLUSTER_SOURCE_LAYER, maxzoom: VIOLATION_CLUSTERS_BELOW_ZOOM } as const;
  return [
    {
      ...common,
      id: VIOLATION_LAYER_IDS.clusters,
      type: 'circle',
      paint: {
        'circle-radius': ['step', ['get', 'count'], 9, 10, 12, 100, 16, 1000, 21],
        'circle-color': statusColor(),
        'circle-opacity': 0.88,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
    },
    {
      ...common,
      id: VIOLATION_LAYER_IDS.clusterCounts,
      type: 'symbol',
      layout: { 'text-field': ['to-string', ['get', 'count']], 'text-font': fonts.semibold, 'text-size': 11, 'text-allow-overlap': true, 'text-ignore-placement': true },
      paint: { 'text-color': '#ffffff' },
    },
  ];
}

/**
 * The category icons: white glyphs on the dots (images `violation-<category>`), and on site areas
 * a dot with its glyph, in the status colour (`violation-site-<category>-<status>`), which MapLibre
 * places inside the polygon.
 */
export function violationIconLayers(visible: boolean): LayerSpecification[] {
  const visibility = visible ? 'visible' : 'none';
  return [
    {
      id: VIOLATION_LAYER_IDS.icons,
      type: 'symbol',
      source: SOURCE,
      'source-layer': SOURCE_LAYER,
      filter: IS_POINT,
      minzoom: VIOLATION_ICON_MIN_ZOOM,
      layout: {
        'icon-image': ['concat', 'violation-', ['get', 'category']],
        'icon-size': ['interpolate', ['linear'], ['zoom'], 10, 0.8, 16, 1],
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
        visibility,
      },
    },
    {
      id: VIOLATION_LAYER_IDS.areaIcons,
      type: 'symbol',
      source: SOURCE,
      'source-layer': SOURCE_LAYER,
      filter: IS_AREA,
      minzoom: VIOLATION_CLUSTERS_BELOW_ZOOM,
      layout: {
        'icon-image': ['concat', 'violation-site-', ['get', 'category'], '-', ['get', 'map_status']],
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
        visibility,
      },
    },
  ];
}

/**
 * Violations of the register from the server's vector tiles (only the tiles in view, scoped to the
 * user's jurisdiction): status-coloured dots with category icons, site polygons as fills from z14;
 * a click on a violation calls onClick with its id. Below VIOLATION_CLUSTERS_BELOW_ZOOM counted
 * clusters from the server's grid instead; a click on one zooms in on it.
 * When the icons are in, the container gets data-violation-icons="true".
 */
export function createViolationsOverlay(options: ViolationsOverlayOptions = {}): Overlay<ViolationsData> {
  let visible = true;
  const origin = pageOrigin(options.origin);
  return {
    add(context) {
      context.addSource(SOURCE, { type: 'vector', tiles: [tileUrl(origin, 'violations')], minzoom: VIOLATION_TILE_ZOOMS.min, maxzoom: VIOLATION_TILE_ZOOMS.max });
      context.addSource(CLUSTER_SOURCE, { type: 'vector', tiles: [tileUrl(origin, 'violation_clusters')], minzoom: VIOLATION_CLUSTER_TILE_ZOOMS.min, maxzoom: VIOLATION_CLUSTER_TILE_ZOOMS.max });
      for (const layer of violationLayers()) context.addLayer(layer, 'marks');
      for (const layer of violationClusterLayers(context.fonts)) context.addLayer(layer, 'marks');
      // Category icons are drawn from inline SVG; the symbol layers wait for them.
      void (options.loadIcons ?? loadViolationIcons)().then((icons) => {
        const map = context.map;
        if (!context.isAlive() || !map.getStyle()) return;
        for (const [name, image] of icons) {
          if (!map.hasImage(name)) map.addImage(name, image, { pixelRatio: 2 });
        }
        for (const layer of violationIconLayers(visible)) context.addLayer(layer, 'marks');
        context.container.dataset.violationIcons = 'true';
      });
    },
    update(context, data, previous) {
      if ((data.version ?? 0) !== (previous?.version ?? 0)) {
        // A new URL: MapLibre fetches every tile anew and the browser's cache (60 s) does not answer.
        // After the next frame: a filter or layout change in this one (the selection of the edited
        // case) pauses the source, and MapLibre then reloads its tiles from memory instead.
        const url = tileUrl(origin, 'violations', data.version);
        const clusterUrl = tileUrl(origin, 'violation_clusters', data.version);
        const map = context.map;
        map.once('render', () => {
          if (!context.isAlive()) return;
          (map.getSource(SOURCE) as VectorTileSource | undefined)?.setTiles([url]);
          (map.getSource(CLUSTER_SOURCE) as VectorTileSource | undefined)?.setTiles([clusterUrl]);
        });
        map.triggerRepaint();
      }
      if ((data.visible !== false) !== visible) {
        visible = data.visible !== false;
        for (const id of Object.values(VIOLATION_LAYER_IDS)) {
          if (context.map.getLayer(id)) context.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
        }
      }
    },
    select(context, selection) {
      context.map.setFilter(VIOLATION_LAYER_IDS.selected, selectedViolationFilter(selection.violationId));
      context.map.setFilter(VIOLATION_LAYER_IDS.selectedArea, selectedViolationFilter(selection.violationId, 'Polygon'));
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
      // A cluster: closer in, centred on it (its id is a grid cell, not a case).
      const cluster = map.getLayer(VIOLATION_LAYER_IDS.clusters) ? map.queryRenderedFeatures(box, { layers: [VIOLATION_LAYER_IDS.clusters] })[0] : undefined;
      if (cluster?.geometry.type === 'Point') {
        map.easeTo({ center: cluster.geometry.coordinates as [number, number], zoom: Math.min(map.getZoom() + 2, VIOLATION_CLUSTERS_BELOW_ZOOM) });
        return true;
      }
      const id = map.queryRenderedFeatures(box, { layers })[0]?.id;
      if (typeof id !== 'number') return false;
      options.onClick?.(id);
      return true;
    },
    interactiveLayerIds: () => [...HIT_LAYERS, VIOLATION_LAYER_IDS.clusters],
  };
}
