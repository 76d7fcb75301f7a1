import {
  Map as MapLibreMap,
  Marker,
  NavigationControl,
  ScaleControl,
  type GeoJSONSource,
  type MapGeoJSONFeature,
  type MapMouseEvent,
  setWorkerUrl,
} from 'maplibre-gl';
// MapLibre 6 runs its worker from a separate module file; a bundler must emit it and say where.
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { Feature, FeatureCollection, Geometry, LineString, Point } from 'geojson';
import { ADMIN_CLASSES } from '@domain/admin_class';
import { ZONE_KINDS, type ZoneKind } from '@domain/zones';
import type { BasemapRoadCollection, JurisdictionCollection, SegmentCollection, ZoneCollection } from '../api/types';
import { BASEMAP_SOURCE_IDS } from './basemap_style';
import { labelPoints } from './label_points';
import { MAP_FONT_REGULAR, MAP_FONT_SEMIBOLD } from './map_fonts';
import {
  ADMIN_CLASS_COLORS,
  ADMIN_CLASS_COLORS_NEGATIVE,
  MARKER_COLOR,
  SELECTION_COLOR,
  ZONE_COLORS,
  ZONE_DRAW_ORDER,
  ZONE_FILL_OPACITY,
} from './palette';
import { stakeMarkers } from './stake_markers';

export interface MapView {
  zoom: number;
  lat: number;
  lon: number;
}

export interface MapSelection {
  segmentId: number | null;
  /** Where the user clicked or the stake search landed. */
  point: [number, number] | null;
  /** The point snapped onto the centreline, drawn with a dashed line to `point`. */
  snappedPoint?: [number, number] | null;
}

export interface MapAdapterOptions {
  /** Our own basemap style, or the URL of an external one (our layers then go on top). */
  style: StyleSpecification | string;
  center: [number, number];
  zoom: number;
  /** Accessible name of the map region. */
  label: string;
  onClick?: (lon: number, lat: number) => void;
  /** Called when the camera settles. */
  onViewChange?: (view: MapView) => void;
  /** Called once, when style, data and first render are done (also sets data-map-ready). */
  onReady?: () => void;
  /** Called if the style cannot load (external style URL down). */
  onError?: (message: string) => void;
}

setWorkerUrl(new URL(maplibreWorkerUrl, window.location.href).href);

const SOURCES = {
  zones: 'luyu-zones',
  segments: 'luyu-segments',
  stakeMarkers: 'luyu-stake-markers',
  selection: 'luyu-selection',
} as const;

const LAYERS = {
  segmentsCasing: 'luyu-segments-casing',
  segmentsSelected: 'luyu-segments-selected',
  segments: 'luyu-segments',
  segmentsHit: 'luyu-segments-hit',
  stakeLabels: 'luyu-stake-labels',
  stakeTicks: 'luyu-stake-ticks',
  selectionLine: 'luyu-selection-line',
  selectionSnapped: 'luyu-selection-snapped',
} as const;

const zoneFillLayer = (kind: ZoneKind): string => `luyu-zone-${kind}-fill`;
const zoneLineLayer = (kind: ZoneKind): string => `luyu-zone-${kind}-line`;

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

type DataKey = 'segments' | 'zones' | 'districts' | 'basemapRoads';

/**
 * The one owner of the MapLibre map. React creates it once, hands it data and selection from
 * a single effect, and listens through the callbacks; no component touches the map itself.
 *
 * When the style, our sources and the basemap data have loaded and the map has gone idle,
 * the container gets `data-map-ready="true"`; `data-map-idle` tells whether the map is at rest
 * (browser tests wait for both).
 */
export class MapAdapter {
  private readonly map: MapLibreMap;
  private readonly container: HTMLElement;
  private readonly options: MapAdapterOptions;
  private readonly usesOwnBasemap: boolean;
  private styleReady = false;
  private readonly pending = new Map<string, FeatureCollection>();
  private readonly dataSet = new Set<DataKey>();
  private zoneVisibility: Partial<Record<ZoneKind, boolean>> = {};
  private selection: MapSelection = { segmentId: null, point: null };
  private marker: Marker | null = null;
  private hoveredSegmentId: number | string | null = null;
  private destroyed = false;

  constructor(container: HTMLElement, options: MapAdapterOptions) {
    this.container = container;
    this.options = options;
    this.usesOwnBasemap = typeof options.style !== 'string';
    container.dataset.mapReady = 'false';
    this.map = new MapLibreMap({
      container,
      style: options.style,
      center: options.center,
      zoom: options.zoom,
      maxZoom: 19,
      minZoom: 5,
      attributionControl: { compact: true },
      // Keep the URL hash ours: it carries `seg` and `lang` besides the view.
      hash: false,
      dragRotate: false,
      pitchWithRotate: false,
      cooperativeGestures: false,
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.keyboard.disableRotation();
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-left');
    this.map.addControl(new ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-left');

    const canvas = this.map.getCanvas();
    canvas.setAttribute('aria-label', options.label);
    canvas.setAttribute('role', 'application');

    this.map.on('style.load', () => this.onStyleLoad());
    this.map.on('error', (event) => {
      // Tile/style failures: report while the style is not up; later ones are logged by MapLibre.
      if (!this.styleReady) this.options.onError?.(event.error?.message ?? 'map error');
    });
    this.map.on('moveend', () => this.emitView());
    // data-map-idle: "false" while the camera moves or tiles load, "true" once all is drawn.
    this.map.on('movestart', () => {
      container.dataset.mapIdle = 'false';
    });
    this.map.on('idle', () => {
      container.dataset.mapIdle = 'true';
    });
    this.map.on('click', (event) => this.onMapClick(event));
    this.map.on('mousemove', LAYERS.segmentsHit, (event) => this.onSegmentHover(event));
    this.map.on('mouseleave', LAYERS.segmentsHit, () => this.clearHover());
    canvas.addEventListener('keydown', this.onKeyDown);
  }

  /** The map's own container element's label (for i18n switches). */
  setLabel(label: string): void {
    this.map.getCanvas().setAttribute('aria-label', label);
  }

  setSegments(collection: SegmentCollection): void {
    this.setSourceData(SOURCES.segments, collection);
    this.setSourceData(SOURCES.stakeMarkers, stakeMarkers(collection));
    this.markDataSet('segments');
  }

  setZones(collection: ZoneCollection): void {
    this.setSourceData(SOURCES.zones, collection);
    this.markDataSet('zones');
  }

  /** District boundaries of our own basemap (ignored with an external basemap). */
  setJurisdictions(collection: JurisdictionCollection): void {
    if (this.usesOwnBasemap) {
      this.setSourceData(BASEMAP_SOURCE_IDS.districts, collection);
      this.setSourceData(BASEMAP_SOURCE_IDS.districtLabels, labelPoints(collection));
    }
    this.markDataSet('districts');
  }

  /** Road lines of our own basemap (ignored with an external basemap). */
  setBasemapRoads(collection: BasemapRoadCollection): void {
    if (this.usesOwnBasemap) this.setSourceData(BASEMAP_SOURCE_IDS.roads, collection);
    this.markDataSet('basemapRoads');
  }

  setZoneVisibility(kind: ZoneKind, visible: boolean): void {
    this.zoneVisibility[kind] = visible;
    if (!this.styleReady) return;
    const visibility = visible ? 'visible' : 'none';
    for (const layer of [zoneFillLayer(kind), zoneLineLayer(kind)]) {
      if (this.map.getLayer(layer)) this.map.setLayoutProperty(layer, 'visibility', visibility);
    }
  }

  setSelection(selection: MapSelection): void {
    this.selection = selection;
    if (!this.styleReady) return;
    const id = selection.segmentId ?? -1;
    this.map.setFilter(LAYERS.segmentsSelected, ['==', ['id'], id]);

    const features: Feature<Geometry>[] = [];
    if (selection.point && selection.snappedPoint) {
      features.push(lineFeature([selection.point, selection.snappedPoint]));
      features.push(pointFeature(selection.snappedPoint));
    }
    (this.map.getSource(SOURCES.selection) as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features });

    if (selection.point) {
      if (!this.marker) this.marker = new Marker({ element: createMarkerElement(), anchor: 'bottom' });
      this.marker.setLngLat(selection.point).addTo(this.map);
    } else {
      this.marker?.remove();
    }
  }

  /**
   * Flies to a point. `covered` is how much of the map the UI hides on the right and at the
   * bottom (side panel, bottom sheet): the point lands in the middle of what stays visible.
   */
  flyTo(center: [number, number], zoom?: number, covered: { right: number; bottom: number } = { right: 0, bottom: 0 }): void {
    const reduceMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
    this.map.flyTo({
      center,
      zoom: zoom ?? this.map.getZoom(),
      offset: [-covered.right / 2, -covered.bottom / 2],
      essential: true,
      duration: reduceMotion ? 0 : 1200,
    });
  }

  jumpTo(center: [number, number], zoom: number): void {
    this.map.jumpTo({ center, zoom });
  }

  /** Fits the view to a [minLon, minLat, maxLon, maxLat] box. */
  fitBounds(bbox: [number, number, number, number], padding: number | { top: number; bottom: number; left: number; right: number } = 40): void {
    this.map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding, duration: 0 });
  }

  /** Keeps the camera in step with a container that changed size (panel opening, rotation). */
  resize(): void {
    this.map.resize();
  }

  destroy(): void {
    this.destroyed = true;
    this.map.getCanvas().removeEventListener('keydown', this.onKeyDown);
    this.marker?.remove();
    this.map.remove();
    delete this.container.dataset.mapReady;
    delete this.container.dataset.mapIdle;
  }

  private onStyleLoad(): void {
    if (this.destroyed) return;
    this.addOverlay();
    this.styleReady = true;
    for (const [source, data] of this.pending) {
      (this.map.getSource(source) as GeoJSONSource | undefined)?.setData(data);
    }
    this.pending.clear();
    for (const kind of ZONE_KINDS) {
      const visible = this.zoneVisibility[kind];
      if (visible !== undefined) this.setZoneVisibility(kind, visible);
    }
    this.setSelection(this.selection);
    this.checkReady();
  }

  private setSourceData(sourceId: string, data: FeatureCollection): void {
    const source = this.styleReady ? (this.map.getSource(sourceId) as GeoJSONSource | undefined) : undefined;
    if (source) source.setData(data);
    else this.pending.set(sourceId, data);
  }

  private markDataSet(key: DataKey): void {
    this.dataSet.add(key);
    this.checkReady();
  }

  private checkReady(): void {
    if (!this.styleReady || this.container.dataset.mapReady === 'true') return;
    const needed: DataKey[] = ['segments', 'zones', 'districts', 'basemapRoads'];
    if (!needed.every((key) => this.dataSet.has(key))) return;
    this.map.once('idle', () => {
      if (this.destroyed) return;
      this.container.dataset.mapReady = 'true';
      this.options.onReady?.();
    });
    // If the map is already idle, nudge a render so `idle` fires again.
    this.map.triggerRepaint();
  }

  /** Our sources and layers: zone fills under segments, labels on top. */
  private addOverlay(): void {
    const map = this.map;
    map.addSource(SOURCES.zones, { type: 'geojson', data: EMPTY, promoteId: 'id' });
    map.addSource(SOURCES.segments, { type: 'geojson', data: EMPTY, promoteId: 'id' });
    map.addSource(SOURCES.stakeMarkers, { type: 'geojson', data: EMPTY });
    map.addSource(SOURCES.selection, { type: 'geojson', data: EMPTY });

    const styleLayers = map.getStyle().layers ?? [];
    // Lines and fills go under the basemap's labels; our labels go on top of everything.
    const firstSymbol = styleLayers.find((layer) => layer.type === 'symbol')?.id;
    const fonts = this.fontStacks(styleLayers);

    for (const kind of ZONE_DRAW_ORDER) {
      const visibility = this.zoneVisibility[kind] === false ? 'none' : 'visible';
      map.addLayer(
        {
          id: zoneFillLayer(kind),
          type: 'fill',
          source: SOURCES.zones,
          filter: ['==', ['get', 'kind'], kind],
          layout: { visibility },
          paint: { 'fill-color': ZONE_COLORS[kind], 'fill-opacity': ZONE_FILL_OPACITY[kind] },
        },
        firstSymbol,
      );
    }
    for (const kind of ZONE_DRAW_ORDER) {
      const visibility = this.zoneVisibility[kind] === false ? 'none' : 'visible';
      map.addLayer(
        {
          id: zoneLineLayer(kind),
          type: 'line',
          source: SOURCES.zones,
          filter: ['==', ['get', 'kind'], kind],
          minzoom: 13,
          layout: { visibility, 'line-join': 'round' },
          paint: {
            'line-color': ZONE_COLORS[kind],
            'line-opacity': 0.55,
            'line-width': ['interpolate', ['linear'], ['zoom'], 13, 0.5, 17, 1.2],
          },
        },
        firstSymbol,
      );
    }

    const segmentLayers: LayerSpecification[] = [
      {
        id: LAYERS.segmentsCasing,
        type: 'line',
        source: SOURCES.segments,
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': '#ffffff', 'line-opacity': 0.9, 'line-width': segmentWidth(2.5) },
      },
      {
        id: LAYERS.segmentsSelected,
        type: 'line',
        source: SOURCES.segments,
        filter: ['==', ['id'], -1],
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': SELECTION_COLOR, 'line-opacity': 0.85, 'line-width': segmentWidth(7) },
      },
      {
        id: LAYERS.segments,
        type: 'line',
        source: SOURCES.segments,
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: {
          'line-color': segmentColor(),
          'line-width': segmentWidth(0, 1.5),
        },
      },
      {
        // Invisible, wide: makes thin lines easy to hover on touchpads.
        id: LAYERS.segmentsHit,
        type: 'line',
        source: SOURCES.segments,
        paint: { 'line-color': '#000000', 'line-opacity': 0, 'line-width': 14 },
      },
    ];
    for (const layer of segmentLayers) map.addLayer(layer, firstSymbol);

    map.addLayer({
      id: LAYERS.selectionLine,
      type: 'line',
      source: SOURCES.selection,
      filter: ['==', ['geometry-type'], 'LineString'],
      paint: { 'line-color': MARKER_COLOR, 'line-width': 2, 'line-dasharray': [2, 1.5] },
    });
    map.addLayer({
      id: LAYERS.selectionSnapped,
      type: 'circle',
      source: SOURCES.selection,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 5, 'circle-color': '#ffffff', 'circle-stroke-color': MARKER_COLOR, 'circle-stroke-width': 2.5 },
    });
    map.addLayer({
      id: LAYERS.stakeTicks,
      type: 'circle',
      source: SOURCES.stakeMarkers,
      minzoom: 14,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 14, 2.5, 18, 4],
        'circle-color': '#ffffff',
        'circle-stroke-color': segmentColor(),
        'circle-stroke-width': 1.5,
      },
    });
    map.addLayer({
      id: LAYERS.stakeLabels,
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
    });
  }

  /** Our fonts with our basemap; with an external style that has a glyph server, its own font. */
  private fontStacks(layers: LayerSpecification[]): { regular: string[]; semibold: string[] } {
    const style = this.map.getStyle();
    if (this.usesOwnBasemap || !style.glyphs) return { regular: MAP_FONT_REGULAR, semibold: MAP_FONT_SEMIBOLD };
    for (const layer of layers) {
      if (layer.type !== 'symbol') continue;
      const font = layer.layout?.['text-font'];
      if (Array.isArray(font) && font.every((entry) => typeof entry === 'string')) {
        return { regular: font as string[], semibold: font as string[] };
      }
    }
    return { regular: MAP_FONT_REGULAR, semibold: MAP_FONT_SEMIBOLD };
  }

  private emitView(): void {
    const center = this.map.getCenter();
    this.options.onViewChange?.({ zoom: this.map.getZoom(), lat: center.lat, lon: center.lng });
  }

  private onMapClick(event: MapMouseEvent): void {
    this.options.onClick?.(event.lngLat.lng, event.lngLat.lat);
  }

  /** Enter on the focused map inspects its centre: the keyboard's way to "click". */
  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Enter' || event.altKey || event.ctrlKey || event.metaKey) return;
    const center = this.map.getCenter();
    this.options.onClick?.(center.lng, center.lat);
  };

  private onSegmentHover(event: MapMouseEvent & { features?: MapGeoJSONFeature[] }): void {
    const id = event.features?.[0]?.id;
    if (id === undefined || id === this.hoveredSegmentId) return;
    this.clearHover();
    this.hoveredSegmentId = id;
    this.map.setFeatureState({ source: SOURCES.segments, id }, { hover: true });
    this.map.getCanvas().style.cursor = 'pointer';
  }

  private clearHover(): void {
    if (this.hoveredSegmentId !== null) {
      this.map.setFeatureState({ source: SOURCES.segments, id: this.hoveredSegmentId }, { hover: false });
    }
    this.hoveredSegmentId = null;
    this.map.getCanvas().style.cursor = '';
  }
}

/** Colour by admin class; the − direction a lighter shade of the same hue. */
function segmentColor(): ExpressionSpecification {
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
function segmentWidth(extra: number, hoverExtra = 0): ExpressionSpecification {
  const classFactor: ExpressionSpecification = ['match', ['get', 'adminClass'], 'expressway', 1.25, 'national', 1.1, 'provincial', 1, 0.85];
  const hover: ExpressionSpecification | number = hoverExtra ? ['case', ['boolean', ['feature-state', 'hover'], false], hoverExtra, 0] : 0;
  return [
    'interpolate', ['linear'], ['zoom'],
    9, ['+', ['*', classFactor, 1.4], extra * 0.6, hover],
    13, ['+', ['*', classFactor, 3], extra, hover],
    17, ['+', ['*', classFactor, 6], extra * 1.3, hover],
  ];
}

function pointFeature(coordinates: [number, number]): Feature<Point> {
  return { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates } };
}

function lineFeature(coordinates: [number, number][]): Feature<LineString> {
  return { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates } };
}

function createMarkerElement(): HTMLElement {
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
