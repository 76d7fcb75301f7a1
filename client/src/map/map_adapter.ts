import { Map as MapLibreMap, Marker, ScaleControl, type GeoJSONSource, type MapMouseEvent, prewarm, setWorkerCount, setWorkerUrl } from 'maplibre-gl';
// MapLibre 6 runs its worker from a separate module file; a bundler must emit it and say where.
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { LayerSpecification, StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { FeatureCollection, Point, Polygon } from 'geojson';
import { SlotStack, type LayerSlot } from './layer_slots';
import { FocusZoomControl } from './zoom_control';
import { MAP_FONT_REGULAR, MAP_FONT_SEMIBOLD } from './map_fonts';
import type { MapMode, ModeContext, ModeHandler } from './modes/mode_handler';
import { MODE_HANDLERS } from './modes/mode_registry';
import { EMPTY_COLLECTION, shallowEqual, type FontStacks, type MapData, type MapSelection, type Overlay, type OverlayContext, type OverlaySet } from './overlay';

export interface MapView {
  zoom: number;
  lat: number;
  lon: number;
}

export interface MapAdapterOptions<S extends OverlaySet> {
  /** Our own basemap style, or the URL of an external one (our layers then go on top). */
  style: StyleSpecification | string;
  center: [number, number];
  zoom: number;
  /** Open fitted to these instead of at center/zoom. */
  bounds?: InitialBounds;
  /** Accessible name of the map region. */
  label: string;
  /** The layer families of this map, bottom first; clicks are offered to the last one first. */
  overlays: S;
  /** Inspect mode: a click (or Enter on the map) on a place no overlay claimed. */
  onClick?: (lon: number, lat: number) => void;
  /** Called when the camera settles. */
  onViewChange?: (view: MapView) => void;
  /** Called once, when style, data and first render are done (also sets data-map-ready). */
  onReady?: () => void;
  /** Called if the style cannot load (external style URL down). */
  onError?: (message: string) => void;
  /** A draw mode finished its point or polygon (the adapter is back in mode 'none'). */
  onDrawFinish?: (geometry: Point | Polygon) => void;
  /** Esc in a draw mode (the adapter is back in mode 'none'). */
  onDrawCancel?: () => void;
}

export type { MapMode } from './modes/mode_handler';

/** A box to open the map on ([west, south, east, north]) and the room to keep around it. */
export interface InitialBounds {
  bbox: [number, number, number, number];
  padding: { top: number; bottom: number; left: number; right: number };
}

/**
 * Read-only hooks on the map's container element for browser tests (they cannot reach the
 * MapLibre instance otherwise): where a place is on screen and how the camera is padded.
 */
export interface MapProbe {
  project(lon: number, lat: number): { x: number; y: number };
  padding(): { top: number; bottom: number; left: number; right: number };
}
export type ProbedMapElement = HTMLElement & { luyuMapProbe?: MapProbe };

/** Keeps a focused place this far inside the visible part of the map (a pin is ~40 px tall). */
const FOCUS_MARGIN_PX = 48;

setWorkerUrl(new URL(maplibreWorkerUrl, window.location.href).href);
// MapLibre parses every tile in one worker by default (except on Safari): a province view's dense
// segment tiles then queue behind each other while other cores idle.
setWorkerCount(mapWorkerCount(globalThis.navigator?.hardwareConcurrency));
// Start the workers (and their 0.5 MB script) as this chunk arrives, not when the first map is
// built: a page still waiting for its map's inputs (config, the network's extent) fetches meanwhile.
prewarm();

/**
 * Tile workers for this many logical processors: one stays with the page's thread, at most 3. On 2
 * (this machine) a second worker made the start slower (bench:client side by side: 1.08).
 */
export function mapWorkerCount(logicalProcessors: number | undefined): number {
  return Math.min(3, Math.max(1, (logicalProcessors ?? 2) - 1));
}

/**
 * The one owner of a MapLibre map. A page hands it data (`setData`), the selection
 * (`setSelection`) and the mode (`setMode`) from one effect and listens through the callbacks;
 * what is drawn is the overlays' business (one per layer family, overlays/), how input is read
 * the modes' (modes/). No component touches the map itself.
 *
 * When the style has loaded and every overlay has its data, once the map has gone idle, the
 * container gets `data-map-ready="true"`; `data-map-idle` tells whether the map is at rest
 * (browser tests wait for both).
 */
export class MapAdapter<S extends OverlaySet> {
  private readonly map: MapLibreMap;
  private readonly container: HTMLElement;
  private readonly options: MapAdapterOptions<S>;
  private readonly overlays: [keyof S, Overlay][];
  private readonly context: OverlayContext;
  private readonly modeContext: ModeContext;
  /** Where our layers go; made on style load, when the basemap's layers are known. */
  private slots = new SlotStack(undefined);
  /** Filled in on style load (the context hands overlays this very object). */
  private readonly fonts: FontStacks = { regular: MAP_FONT_REGULAR, semibold: MAP_FONT_SEMIBOLD };
  private styleReady = false;
  private destroyed = false;
  private data: MapData<S> = {};
  private selection: MapSelection = {};
  private mode: MapMode = 'none';
  private handler: ModeHandler;
  /** The place the user works on (searched stake, picked point): zooms go around it. */
  private focus: [number, number] | null = null;
  /** Pixels at the bottom hidden by a sheet; the camera is padded by as much. */
  private coveredBottomPx = 0;

  constructor(container: HTMLElement, options: MapAdapterOptions<S>) {
    this.container = container;
    this.options = options;
    this.overlays = Object.entries(options.overlays) as [keyof S, Overlay][];
    container.dataset.mapReady = 'false';
    const map = new MapLibreMap({
      container,
      style: options.style,
      center: options.center,
      zoom: options.zoom,
      ...(options.bounds && {
        bounds: [[options.bounds.bbox[0], options.bounds.bbox[1]], [options.bounds.bbox[2], options.bounds.bbox[3]]] as [[number, number], [number, number]],
        fitBoundsOptions: { padding: options.bounds.padding },
      }),
      maxZoom: 19,
      minZoom: 5,
      // Labels appear at once instead of fading in over 300 ms: the map is not at rest (nor ready)
      // until a fade ends, and in software rendering (a frame of 100–300 ms) that is 2–3 more frames
      // of the whole map after its tiles are in, and again after every pan.
      fadeDuration: 0,
      attributionControl: { compact: true },
      // Keep the URL hash ours: it carries `seg` and `lang` besides the view.
      hash: false,
      dragRotate: false,
      pitchWithRotate: false,
      cooperativeGestures: false,
    });
    this.map = map;
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    map.addControl(new FocusZoomControl((delta) => this.zoomAroundFocus(delta)), 'top-left');
    map.addControl(new ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-left');

    const canvas = map.getCanvas();
    canvas.setAttribute('aria-label', options.label);
    canvas.setAttribute('role', 'application');

    const ownBasemap = typeof options.style !== 'string';
    this.context = {
      map,
      container,
      ownBasemap,
      fonts: this.fonts,
      addSource: (id, source) => map.addSource(id, source),
      addLayer: (layer, slot) => this.addLayer(layer, slot),
      setSourceData: (id, data) => (map.getSource(id) as GeoJSONSource | undefined)?.setData(data),
      createMarker: (markerOptions) => new Marker(markerOptions),
      isAlive: () => !this.destroyed,
    };
    this.modeContext = {
      map,
      sketch: (features) => this.sketch(features),
      finish: (geometry) => {
        this.setMode('none');
        this.options.onDrawFinish?.(geometry);
      },
      clickOverlays: (event) => this.clickOverlays(event),
      clickPlace: (lon, lat) => this.options.onClick?.(lon, lat),
    };
    this.handler = MODE_HANDLERS.none(this.modeContext);

    map.on('style.load', () => this.onStyleLoad());
    map.on('error', (event) => {
      // Tile/style failures: report while the style is not up; later ones are logged by MapLibre.
      if (!this.styleReady) this.options.onError?.(event.error?.message ?? 'map error');
    });
    map.on('moveend', () => this.emitView());
    // data-map-idle: "false" while the camera moves or tiles load, "true" once all is drawn.
    map.on('movestart', () => {
      container.dataset.mapIdle = 'false';
    });
    map.on('idle', () => {
      container.dataset.mapIdle = 'true';
    });
    map.on('click', (event) => this.handler.click(event));
    map.on('mousemove', (event) => this.handler.move?.(event));
    map.on('dblclick', (event) => this.handler.doubleClick?.(event));
    // Pointer over what a click would pick, in inspect mode only (draw modes keep their cursor).
    for (const [, overlay] of this.overlays) {
      for (const layer of overlay.interactiveLayerIds?.() ?? []) {
        map.on('mouseenter', layer, () => this.setInspectCursor('pointer'));
        map.on('mouseleave', layer, () => this.setInspectCursor(''));
      }
    }
    canvas.addEventListener('keydown', this.onCanvasKey);
    (container as ProbedMapElement).luyuMapProbe = {
      project: (lon, lat) => {
        const point = map.project([lon, lat]);
        return { x: point.x, y: point.y };
      },
      padding: () => {
        const { top = 0, bottom = 0, left = 0, right = 0 } = map.getPadding();
        return { top, bottom, left, right };
      },
    };
  }

  /** Hands overlays their data; an overlay whose fields are all unchanged (identity) is skipped. */
  setData(data: MapData<S>): void {
    for (const [key, overlay] of this.overlays) {
      const next = data[key];
      const previous = this.data[key];
      if (next === undefined || shallowEqual(previous, next)) continue;
      this.data[key] = next;
      if (this.styleReady) overlay.update?.(this.context, next as never, (previous ?? {}) as never);
    }
    this.checkReady();
  }

  setSelection(selection: MapSelection): void {
    if (shallowEqual(this.selection, selection)) return;
    this.selection = selection;
    if (!this.styleReady) return;
    for (const [, overlay] of this.overlays) overlay.select?.(this.context, selection);
  }

  /** Inspect ('none') or a draw mode; see modes/ for what each does with clicks and keys. */
  setMode(mode: MapMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.handler = MODE_HANDLERS[mode](this.modeContext);
    this.map.getCanvas().style.cursor = this.handler.cursor;
    if (this.handler.usesDoubleClick) this.map.doubleClickZoom.disable();
    else this.map.doubleClickZoom.enable();
    this.container.dataset.drawMode = mode;
    // Drawing keys work wherever the focus is (the form beside the map keeps it).
    if (mode === 'none') document.removeEventListener('keydown', this.onDrawKey);
    else document.addEventListener('keydown', this.onDrawKey);
    // A new drawing starts blank; back in 'none', the finished one stays until the page's data comes.
    if (mode !== 'none') this.sketch(EMPTY_COLLECTION);
  }

  /**
   * The place the user is working on, or null. The +/− buttons and keys zoom around it while it
   * is on screen, and a sheet that grows over it lifts it (setCoveredBottom). Setting it never
   * moves the camera: searches and entered places fly there themselves, and going back to an
   * older focus (the stake pin after reporting) must not yank the map away.
   */
  setFocus(point: [number, number] | null): void {
    this.focus = point;
  }

  /**
   * How much of the map's bottom a sheet hides (0 for none): the camera gets that much bottom
   * padding, so centring, zooming and fitting happen in the visible part, and the focus, if the
   * sheet would hide it, moves above the sheet in the same animation.
   */
  setCoveredBottom(pixels: number): void {
    const bottom = Math.max(0, Math.round(pixels));
    if (bottom === this.coveredBottomPx) return;
    const previous = this.coveredBottomPx;
    this.coveredBottomPx = bottom;
    const padding = { top: 0, left: 0, right: 0, bottom };
    // With the centre kept, a taller padding lifts everything by half the difference.
    const focus = this.focus;
    const hidden = focus !== null && !this.focusVisible(focus, bottom, (previous - bottom) / 2);
    this.map.easeTo({ padding, ...(hidden ? { center: focus } : {}), duration: motionMs(300) });
  }

  /** The map's accessible name (for language switches). */
  setLabel(label: string): void {
    this.map.getCanvas().setAttribute('aria-label', label);
  }

  /**
   * Flies to a point. `covered` is how much of the map the UI hides on the right and at the
   * bottom (side panel, bottom sheet): the point lands in the middle of what stays visible.
   */
  flyTo(center: [number, number], zoom?: number, covered: { right: number; bottom: number } = { right: 0, bottom: 0 }): void {
    // The camera's padding (setCoveredBottom) already keeps the centre out of what it covers.
    const { right = 0, bottom = 0 } = this.map.getPadding();
    this.map.flyTo({
      center,
      zoom: zoom ?? this.map.getZoom(),
      offset: [-Math.max(0, covered.right - right) / 2, -Math.max(0, covered.bottom - bottom) / 2],
      essential: true,
      duration: prefersReducedMotion() ? 0 : 1200,
    });
  }

  /** Fits the view to a [minLon, minLat, maxLon, maxLat] box. */
  fitBounds(bbox: [number, number, number, number], padding: number | { top: number; bottom: number; left: number; right: number } = 40): void {
    this.map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding, duration: 0 });
  }

  /** Frames a small feature (a detection) with context around it: never closer than zoom 17. */
  focusBox(bbox: [number, number, number, number], padding = 80): void {
    this.map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding, maxZoom: 17, duration: prefersReducedMotion() ? 0 : 400 });
  }

  /** The MapLibre map, for self-contained overlay modules (client/src/map/overlays) that manage their own sources and layers. */
  get maplibreMap(): MapLibreMap {
    return this.map;
  }

  destroy(): void {
    this.destroyed = true;
    this.map.getCanvas().removeEventListener('keydown', this.onCanvasKey);
    document.removeEventListener('keydown', this.onDrawKey);
    for (const [, overlay] of this.overlays) overlay.remove?.(this.context);
    this.map.remove();
    delete (this.container as ProbedMapElement).luyuMapProbe;
    delete this.container.dataset.mapReady;
    delete this.container.dataset.mapIdle;
  }

  private onStyleLoad(): void {
    if (this.destroyed) return;
    const styleLayers = this.map.getStyle().layers ?? [];
    // Lines and fills go under the basemap's labels; our labels go on top of everything.
    this.slots = new SlotStack(styleLayers.find((layer) => layer.type === 'symbol')?.id);
    Object.assign(this.fonts, this.fontStacks(styleLayers));
    for (const [, overlay] of this.overlays) overlay.add(this.context);
    this.styleReady = true;
    for (const [key, overlay] of this.overlays) {
      const data = this.data[key];
      if (data !== undefined) overlay.update?.(this.context, data as never, {} as never);
      overlay.select?.(this.context, this.selection);
    }
    this.checkReady();
  }

  private addLayer(layer: LayerSpecification, slot: LayerSlot): void {
    this.map.addLayer(layer, this.slots.place(layer.id, slot));
  }

  /** Top-most overlay first: the last registered gets the first say. */
  private clickOverlays(event: MapMouseEvent): boolean {
    if (!this.styleReady) return false;
    for (let i = this.overlays.length - 1; i >= 0; i--) {
      if (this.overlays[i]![1].click?.(this.context, event)) return true;
    }
    return false;
  }

  private sketch(features: FeatureCollection): void {
    if (!this.styleReady) return;
    for (const [, overlay] of this.overlays) overlay.sketch?.(this.context, features);
  }

  private setInspectCursor(cursor: string): void {
    if (this.mode === 'none') this.map.getCanvas().style.cursor = cursor;
  }

  /** Our fonts with our basemap; with an external style that has a glyph server, its own font. */
  private fontStacks(layers: LayerSpecification[]): FontStacks {
    const style = this.map.getStyle();
    if (this.context.ownBasemap || !style.glyphs) return { regular: MAP_FONT_REGULAR, semibold: MAP_FONT_SEMIBOLD };
    for (const layer of layers) {
      if (layer.type !== 'symbol') continue;
      const font = layer.layout?.['text-font'];
      if (Array.isArray(font) && font.every((entry) => typeof entry === 'string')) {
        return { regular: font as string[], semibold: font as string[] };
      }
    }
    return { regular: MAP_FONT_REGULAR, semibold: MAP_FONT_SEMIBOLD };
  }

  private checkReady(): void {
    if (!this.styleReady || this.container.dataset.mapReady === 'true') return;
    if (!this.overlays.every(([key, overlay]) => overlay.isLoaded?.(this.data[key] as never) ?? true)) return;
    this.map.once('idle', () => {
      if (this.destroyed) return;
      this.container.dataset.mapReady = 'true';
      this.options.onReady?.();
    });
    // If the map is already idle, nudge a render so `idle` fires again.
    this.map.triggerRepaint();
  }

  /** Zooms by `delta` around the focus while it is on screen, else around the centre. */
  private zoomAroundFocus(delta: number): void {
    const zoom = Math.min(this.map.getMaxZoom(), Math.max(this.map.getMinZoom(), this.map.getZoom() + delta));
    const around = this.focus && this.focusVisible(this.focus, this.coveredBottomPx, 0, 0) ? this.focus : undefined;
    this.map.easeTo({ zoom, ...(around ? { around } : {}), duration: motionMs(300) });
  }

  /** Whether `point` is inside the map above `coveredBottomPx`, `marginPx` in; `shiftY` moves it first. */
  private focusVisible(point: [number, number], coveredBottomPx: number, shiftY = 0, marginPx = FOCUS_MARGIN_PX): boolean {
    const { x, y } = this.map.project(point);
    const width = this.container.clientWidth;
    const height = this.container.clientHeight;
    const top = y + shiftY;
    return x >= marginPx && x <= width - marginPx && top >= marginPx && top <= height - coveredBottomPx - marginPx / 2;
  }

  private emitView(): void {
    const center = this.map.getCenter();
    this.options.onViewChange?.({ zoom: this.map.getZoom(), lat: center.lat, lon: center.lng });
  }

  /** Keys while drawing, wherever the focus is: Esc cancels, Enter finishes, Backspace undoes. */
  private readonly onDrawKey = (event: KeyboardEvent): void => {
    if (this.mode === 'none') return;
    const target = event.target as HTMLElement | null;
    const typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT');
    if (event.key === 'Escape') {
      event.preventDefault();
      this.setMode('none');
      this.options.onDrawCancel?.();
    } else if (event.key === 'Enter' && !typing && this.handler.enter) {
      event.preventDefault();
      this.handler.enter();
    } else if (event.key === 'Backspace' && !typing && this.handler.undo) {
      event.preventDefault();
      this.handler.undo();
    }
  };

  /**
   * Enter on the focused map in inspect mode inspects its centre: the keyboard's way to "click".
   * +/− zoom around the focus like the buttons (MapLibre's keyboard handler would use the centre).
   */
  private readonly onCanvasKey = (event: KeyboardEvent): void => {
    const zoomKey = event.key === '+' || event.key === '=' ? 1 : event.key === '-' || event.key === '_' ? -1 : 0;
    if (zoomKey !== 0 && !event.altKey && !event.ctrlKey && !event.metaKey && this.focus) {
      event.preventDefault();
      event.stopPropagation();
      this.zoomAroundFocus(zoomKey);
      return;
    }
    if (event.key !== 'Enter' || event.altKey || event.ctrlKey || event.metaKey) return;
    if (this.mode !== 'none') return;
    this.handler.enter?.();
  };
}

/** An animation's duration, or 0 for users who asked for less motion. */
function motionMs(durationMs: number): number {
  return prefersReducedMotion() ? 0 : durationMs;
}

function prefersReducedMotion(): boolean {
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}
