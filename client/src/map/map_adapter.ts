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
import type { Feature, FeatureCollection, Geometry, LineString, Point, Polygon } from 'geojson';
import { ADMIN_CLASSES } from '@domain/admin_class';
import { ZONE_KINDS, type ZoneKind } from '@domain/zones';
import type { BasemapRoadCollection, JurisdictionCollection, SegmentCollection, ZoneCollection } from '../api/types';
import { BASEMAP_SOURCE_IDS } from './basemap_style';
import { labelPoints } from './label_points';
import { MAP_FONT_REGULAR, MAP_FONT_SEMIBOLD } from './map_fonts';
import {
  ADMIN_CLASS_COLORS,
  ADMIN_CLASS_COLORS_NEGATIVE,
  DETECTION_COLORS,
  MARKER_COLOR,
  SELECTION_COLOR,
  ZONE_COLORS,
  ZONE_DRAW_ORDER,
  ZONE_FILL_OPACITY,
} from './palette';
import { stakeMarkers } from './stake_markers';
import {
  DRAW_COLOR,
  loadViolationIcons,
  VIOLATION_STATUS_COLORS,
  type ViolationMapCollection,
  type ViolationMapStatus,
} from './violation_layers';

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
  /** A violation symbol or polygon was clicked. */
  onViolationClick?: (id: number) => void;
  /** Draw mode: the user finished a point or polygon. */
  onDrawFinish?: (geometry: Point | Polygon) => void;
  /** Draw mode: Esc. */
  onDrawCancel?: () => void;
  /** A satellite detection outline was clicked. */
  onDetectionClick?: (id: number) => void;
}

export type AdapterDrawMode = 'none' | 'point' | 'polygon';

setWorkerUrl(new URL(maplibreWorkerUrl, window.location.href).href);

const SOURCES = {
  zones: 'luyu-zones',
  segments: 'luyu-segments',
  stakeMarkers: 'luyu-stake-markers',
  selection: 'luyu-selection',
  violations: 'luyu-violations',
  violationAreas: 'luyu-violation-areas',
  timeline: 'luyu-violation-timeline',
  draft: 'luyu-draft',
  detections: 'luyu-detections',
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
  violationAreaFill: 'luyu-violation-area-fill',
  violationAreaLine: 'luyu-violation-area-line',
  violationClusters: 'luyu-violation-clusters',
  violationClusterCount: 'luyu-violation-cluster-count',
  violationSelected: 'luyu-violation-selected',
  violationDots: 'luyu-violation-dots',
  violationIcons: 'luyu-violation-icons',
  timelineLine: 'luyu-violation-timeline-line',
  timelineDots: 'luyu-violation-timeline-dots',
  timelineLabels: 'luyu-violation-timeline-labels',
  draftFill: 'luyu-draft-fill',
  draftLine: 'luyu-draft-line',
  draftVertices: 'luyu-draft-vertices',
  detectionFill: 'luyu-detection-fill',
  detectionLine: 'luyu-detection-line',
  detectionCurrentHalo: 'luyu-detection-current-halo',
  detectionCurrent: 'luyu-detection-current',
} as const;

const VIOLATION_HIT_LAYERS = [LAYERS.violationIcons, LAYERS.violationDots, LAYERS.violationAreaFill];

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
  private violationsVisible = true;
  private selectedViolationId: number | null = null;
  private drawMode: AdapterDrawMode = 'none';
  private drawVertices: [number, number][] = [];
  private drawCursor: [number, number] | null = null;
  private currentDetectionId: number | null = null;

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
    this.map.on('mousemove', (event) => this.onDrawMove(event));
    this.map.on('dblclick', (event) => {
      if (this.drawMode !== 'polygon') return;
      event.preventDefault();
      this.finishPolygon();
    });
    for (const layer of [...VIOLATION_HIT_LAYERS, LAYERS.violationClusters]) {
      this.map.on('mouseenter', layer, () => {
        if (this.drawMode === 'none') this.map.getCanvas().style.cursor = 'pointer';
      });
      this.map.on('mouseleave', layer, () => {
        if (this.drawMode === 'none') this.map.getCanvas().style.cursor = '';
      });
    }
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

  /** Violations of the register: points clustered at low zoom, polygons as fills. */
  setViolations(collection: ViolationMapCollection): void {
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
    this.setSourceData(SOURCES.violations, { type: 'FeatureCollection', features: points });
    this.setSourceData(SOURCES.violationAreas, { type: 'FeatureCollection', features: areas });
  }

  setViolationsVisible(visible: boolean): void {
    this.violationsVisible = visible;
    if (!this.styleReady) return;
    for (const layer of VIOLATION_LAYER_IDS) {
      if (this.map.getLayer(layer)) this.map.setLayoutProperty(layer, 'visibility', visible ? 'visible' : 'none');
    }
  }

  setSelectedViolation(id: number | null): void {
    this.selectedViolationId = id;
    if (!this.styleReady) return;
    this.map.setFilter(LAYERS.violationSelected, ['all', ['!', ['has', 'point_count']], ['==', ['get', 'id'], id ?? -1]]);
  }

  /** Places where the steps of the selected case happened (numbered in timeline order). */
  setTimelinePlaces(places: { coordinates: [number, number]; label: string }[]): void {
    const features: Feature<Geometry>[] = places.map((place) => ({ type: 'Feature', properties: { label: place.label }, geometry: { type: 'Point', coordinates: place.coordinates } }));
    if (places.length > 1) features.push(lineFeature(places.map((place) => place.coordinates)));
    this.setSourceData(SOURCES.timeline, { type: 'FeatureCollection', features });
  }

  /**
   * Draw mode for a new finding: 'point' takes the next click (or Enter = map centre); 'polygon'
   * adds a vertex per click and finishes on double-click or Enter; Esc cancels, Backspace undoes.
   */
  setDrawMode(mode: AdapterDrawMode): void {
    if (mode === this.drawMode) return;
    this.drawMode = mode;
    this.drawVertices = [];
    this.drawCursor = null;
    const canvas = this.map.getCanvas();
    canvas.style.cursor = mode === 'none' ? '' : 'crosshair';
    if (mode === 'polygon') this.map.doubleClickZoom.disable();
    else this.map.doubleClickZoom.enable();
    this.container.dataset.drawMode = mode;
    if (mode === 'none') document.removeEventListener('keydown', this.onDrawKey);
    else document.addEventListener('keydown', this.onDrawKey);
    this.renderDraft();
  }

  /** Shows a finished draft (the place of a finding being reported); null clears it. */
  setDraft(geometry: Point | Polygon | null): void {
    if (this.drawMode !== 'none') return;
    const features: Feature<Geometry>[] = [];
    if (geometry) {
      features.push({ type: 'Feature', properties: {}, geometry });
      if (geometry.type === 'Polygon') {
        for (const coordinates of geometry.coordinates[0]!.slice(0, -1)) features.push(pointFeature(coordinates as [number, number]));
      }
    }
    this.setSourceData(SOURCES.draft, { type: 'FeatureCollection', features });
  }

  /**
   * Satellite change detections (review queue): outlines coloured by review status; the current
   * one gets a thick highlighted outline. Features need a numeric `id` property.
   */
  setDetections(collection: FeatureCollection): void {
    this.setSourceData(SOURCES.detections, collection);
  }

  setCurrentDetection(id: number | null): void {
    this.currentDetectionId = id;
    if (!this.styleReady) return;
    for (const layer of [LAYERS.detectionCurrent, LAYERS.detectionCurrentHalo]) {
      this.map.setFilter(layer, ['==', ['get', 'id'], id ?? -1]);
    }
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

  /** Frames a small feature (a detection) with context around it: never closer than zoom 17. */
  focusBox(bbox: [number, number, number, number], padding = 80): void {
    const reduceMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
    this.map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding, maxZoom: 17, duration: reduceMotion ? 0 : 400 });
  }

  /** Keeps the camera in step with a container that changed size (panel opening, rotation). */
  resize(): void {
    this.map.resize();
  }

  /** The MapLibre map, for self-contained overlay modules (client/src/map/overlays) that manage their own sources and layers. */
  get maplibreMap(): MapLibreMap {
    return this.map;
  }

  destroy(): void {
    this.destroyed = true;
    this.map.getCanvas().removeEventListener('keydown', this.onKeyDown);
    document.removeEventListener('keydown', this.onDrawKey);
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
    this.setViolationsVisible(this.violationsVisible);
    this.setSelectedViolation(this.selectedViolationId);
    this.setCurrentDetection(this.currentDetectionId);
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
    this.addViolationOverlay(fonts);
    this.addDetectionOverlay();
  }

  /** Detection outlines: a light fill by review status, the current one outlined thickly on top. */
  private addDetectionOverlay(): void {
    const map = this.map;
    map.addSource(SOURCES.detections, { type: 'geojson', data: EMPTY });
    const statusColor: ExpressionSpecification = [
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
    map.addLayer({ id: LAYERS.detectionFill, type: 'fill', source: SOURCES.detections, paint: { 'fill-color': statusColor, 'fill-opacity': 0.22 } });
    map.addLayer({
      id: LAYERS.detectionLine,
      type: 'line',
      source: SOURCES.detections,
      paint: { 'line-color': statusColor, 'line-width': 1.5, 'line-dasharray': [3, 1.5] },
    });
    map.addLayer({
      id: LAYERS.detectionCurrentHalo,
      type: 'line',
      source: SOURCES.detections,
      filter: ['==', ['get', 'id'], -1],
      layout: { 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': 7, 'line-opacity': 0.95 },
    });
    map.addLayer({
      id: LAYERS.detectionCurrent,
      type: 'line',
      source: SOURCES.detections,
      filter: ['==', ['get', 'id'], -1],
      layout: { 'line-join': 'round' },
      paint: { 'line-color': DETECTION_COLORS.current, 'line-width': 3.5 },
    });
    for (const layer of [LAYERS.detectionFill]) {
      map.on('mouseenter', layer, () => {
        if (this.drawMode === 'none') this.map.getCanvas().style.cursor = 'pointer';
      });
      map.on('mouseleave', layer, () => {
        if (this.drawMode === 'none') this.map.getCanvas().style.cursor = '';
      });
    }
  }

  /** Violation areas, clusters, status dots with category icons, timeline places and the draw draft. */
  private addViolationOverlay(fonts: { regular: string[]; semibold: string[] }): void {
    const map = this.map;
    map.addSource(SOURCES.violationAreas, { type: 'geojson', data: EMPTY });
    map.addSource(SOURCES.violations, { type: 'geojson', data: EMPTY, cluster: true, clusterRadius: 44, clusterMaxZoom: 14 });
    map.addSource(SOURCES.timeline, { type: 'geojson', data: EMPTY });
    map.addSource(SOURCES.draft, { type: 'geojson', data: EMPTY });
    const statusColor = statusColorExpression();
    map.addLayer({
      id: LAYERS.violationAreaFill,
      type: 'fill',
      source: SOURCES.violationAreas,
      paint: { 'fill-color': statusColor, 'fill-opacity': 0.28 },
    });
    map.addLayer({
      id: LAYERS.violationAreaLine,
      type: 'line',
      source: SOURCES.violationAreas,
      paint: { 'line-color': statusColor, 'line-width': 2 },
    });
    map.addLayer({
      id: LAYERS.violationClusters,
      type: 'circle',
      source: SOURCES.violations,
      filter: ['has', 'point_count'],
      paint: {
        'circle-color': '#12352b',
        'circle-opacity': 0.88,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
        'circle-radius': ['step', ['get', 'point_count'], 14, 10, 17, 50, 21, 200, 26],
      },
    });
    map.addLayer({
      id: LAYERS.violationClusterCount,
      type: 'symbol',
      source: SOURCES.violations,
      filter: ['has', 'point_count'],
      layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-font': fonts.semibold, 'text-size': 12, 'text-allow-overlap': true },
      paint: { 'text-color': '#ffffff' },
    });
    map.addLayer({
      id: LAYERS.violationSelected,
      type: 'circle',
      source: SOURCES.violations,
      filter: ['==', ['get', 'id'], -1],
      paint: { 'circle-radius': 19, 'circle-color': SELECTION_COLOR, 'circle-opacity': 0.35, 'circle-stroke-color': SELECTION_COLOR, 'circle-stroke-width': 2 },
    });
    map.addLayer({
      id: LAYERS.violationDots,
      type: 'circle',
      source: SOURCES.violations,
      filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 9, 16, 12],
        'circle-color': statusColor,
        'circle-stroke-color': ['case', ['==', ['get', 'mapStatus'], 'overdue'], '#7f1d1d', '#ffffff'],
        'circle-stroke-width': ['case', ['==', ['get', 'mapStatus'], 'overdue'], 3, 2],
      },
    });
    map.addLayer({ id: LAYERS.timelineLine, type: 'line', source: SOURCES.timeline, filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#12352b', 'line-width': 1.5, 'line-dasharray': [2, 2] } });
    map.addLayer({
      id: LAYERS.timelineDots,
      type: 'circle',
      source: SOURCES.timeline,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 8, 'circle-color': '#ffffff', 'circle-stroke-color': '#12352b', 'circle-stroke-width': 2 },
    });
    map.addLayer({
      id: LAYERS.timelineLabels,
      type: 'symbol',
      source: SOURCES.timeline,
      filter: ['==', ['geometry-type'], 'Point'],
      layout: { 'text-field': ['get', 'label'], 'text-font': fonts.semibold, 'text-size': 11, 'text-allow-overlap': true },
      paint: { 'text-color': '#12352b' },
    });
    map.addLayer({ id: LAYERS.draftFill, type: 'fill', source: SOURCES.draft, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': DRAW_COLOR, 'fill-opacity': 0.18 } });
    map.addLayer({
      id: LAYERS.draftLine,
      type: 'line',
      source: SOURCES.draft,
      filter: ['any', ['==', ['geometry-type'], 'LineString'], ['==', ['geometry-type'], 'Polygon']],
      paint: { 'line-color': DRAW_COLOR, 'line-width': 2.5, 'line-dasharray': [3, 1.5] },
    });
    map.addLayer({
      id: LAYERS.draftVertices,
      type: 'circle',
      source: SOURCES.draft,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 6, 'circle-color': '#ffffff', 'circle-stroke-color': DRAW_COLOR, 'circle-stroke-width': 3 },
    });
    // Category icons are drawn from inline SVG; the symbol layer waits for them.
    void loadViolationIcons().then((icons) => {
      if (this.destroyed || !this.map.getStyle()) return;
      for (const [name, image] of icons) {
        if (!this.map.hasImage(name)) this.map.addImage(name, image, { pixelRatio: 2 });
      }
      this.map.addLayer(
        {
          id: LAYERS.violationIcons,
          type: 'symbol',
          source: SOURCES.violations,
          filter: ['!', ['has', 'point_count']],
          layout: {
            'icon-image': ['concat', 'violation-', ['get', 'category']],
            'icon-size': ['interpolate', ['linear'], ['zoom'], 10, 0.8, 16, 1],
            'icon-allow-overlap': true,
            'icon-ignore-placement': true,
            visibility: this.violationsVisible ? 'visible' : 'none',
          },
        },
        LAYERS.timelineLine,
      );
      this.container.dataset.violationIcons = 'true';
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
    const lngLat: [number, number] = [event.lngLat.lng, event.lngLat.lat];
    if (this.drawMode === 'point') {
      this.finishDraw({ type: 'Point', coordinates: lngLat });
      return;
    }
    if (this.drawMode === 'polygon') {
      // The two clicks of a double-click arrive first: ignore a vertex on top of the last one.
      const last = this.drawVertices[this.drawVertices.length - 1];
      if (last) {
        const a = this.map.project(last);
        if (Math.hypot(a.x - event.point.x, a.y - event.point.y) < 4) return;
      }
      this.drawVertices.push(lngLat);
      this.renderDraft();
      return;
    }
    if (this.styleReady && this.options.onDetectionClick && this.map.getLayer(LAYERS.detectionFill)) {
      const hit = this.map.queryRenderedFeatures(event.point, { layers: [LAYERS.detectionFill] })[0];
      const id = hit?.properties.id;
      if (typeof id === 'number') {
        this.options.onDetectionClick(id);
        return;
      }
    }
    if (this.violationsVisible && this.styleReady) {
      const hitLayers = [...VIOLATION_HIT_LAYERS, LAYERS.violationClusters].filter((layer) => this.map.getLayer(layer));
      const box: [[number, number], [number, number]] = [
        [event.point.x - 4, event.point.y - 4],
        [event.point.x + 4, event.point.y + 4],
      ];
      const hits = this.map.queryRenderedFeatures(box, { layers: hitLayers });
      const cluster = hits.find((hit) => hit.layer.id === LAYERS.violationClusters);
      if (cluster && cluster.geometry.type === 'Point') {
        const source = this.map.getSource(SOURCES.violations) as GeoJSONSource;
        const center = cluster.geometry.coordinates as [number, number];
        void source.getClusterExpansionZoom(cluster.properties.cluster_id as number).then((zoom) => {
          this.map.easeTo({ center, zoom: Math.min(zoom + 0.2, 18) });
        });
        return;
      }
      const violation = hits.find((hit) => hit.layer.id !== LAYERS.violationClusters);
      const id = violation?.properties.id;
      if (typeof id === 'number') {
        this.options.onViolationClick?.(id);
        return;
      }
    }
    this.options.onClick?.(lngLat[0], lngLat[1]);
  }

  private finishDraw(geometry: Point | Polygon): void {
    this.setDrawMode('none');
    this.options.onDrawFinish?.(geometry);
  }

  private finishPolygon(): void {
    const ring = this.drawVertices;
    if (ring.length < 3) return;
    this.finishDraw({ type: 'Polygon', coordinates: [[...ring, ring[0]!]] });
  }

  private onDrawMove(event: MapMouseEvent): void {
    if (this.drawMode !== 'polygon' || this.drawVertices.length === 0) return;
    this.drawCursor = [event.lngLat.lng, event.lngLat.lat];
    this.renderDraft();
  }

  private renderDraft(): void {
    if (this.drawMode !== 'polygon') {
      if (this.drawMode === 'point') this.setSourceData(SOURCES.draft, EMPTY);
      return;
    }
    const vertices = this.drawVertices;
    const features: Feature<Geometry>[] = vertices.map((vertex) => pointFeature(vertex));
    const path = this.drawCursor ? [...vertices, this.drawCursor] : vertices;
    if (path.length >= 3) features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...path, path[0]!]] } });
    else if (path.length === 2) features.push(lineFeature(path));
    this.setSourceData(SOURCES.draft, { type: 'FeatureCollection', features });
  }

  /** Keys while drawing, wherever the focus is: Esc cancels, Enter finishes, Backspace undoes. */
  private readonly onDrawKey = (event: KeyboardEvent): void => {
    if (this.drawMode === 'none') return;
    const target = event.target as HTMLElement | null;
    const typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT');
    if (event.key === 'Escape') {
      event.preventDefault();
      this.setDrawMode('none');
      this.options.onDrawCancel?.();
    } else if (event.key === 'Enter' && !typing) {
      event.preventDefault();
      if (this.drawMode === 'polygon') this.finishPolygon();
      else {
        const center = this.map.getCenter();
        this.finishDraw({ type: 'Point', coordinates: [center.lng, center.lat] });
      }
    } else if (event.key === 'Backspace' && !typing && this.drawMode === 'polygon') {
      event.preventDefault();
      this.drawVertices.pop();
      this.renderDraft();
    }
  };

  /** Enter on the focused map inspects its centre: the keyboard's way to "click". */
  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Enter' || event.altKey || event.ctrlKey || event.metaKey) return;
    if (this.drawMode !== 'none') return;
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

const VIOLATION_LAYER_IDS = [
  LAYERS.violationAreaFill,
  LAYERS.violationAreaLine,
  LAYERS.violationClusters,
  LAYERS.violationClusterCount,
  LAYERS.violationSelected,
  LAYERS.violationDots,
  LAYERS.violationIcons,
];

function statusColorExpression(): ExpressionSpecification {
  const expression: unknown[] = ['match', ['get', 'mapStatus']];
  for (const [status, color] of Object.entries(VIOLATION_STATUS_COLORS) as [ViolationMapStatus, string][]) expression.push(status, color);
  expression.push(VIOLATION_STATUS_COLORS.void);
  return expression as ExpressionSpecification;
}

/** Mean of the outer ring's vertices: good enough to hang an icon on a small site polygon. */
function polygonCentre(polygon: Polygon): [number, number] {
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
