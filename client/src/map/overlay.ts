import type { LayerSpecification, SourceSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { Map as MapLibreMap, MapMouseEvent, Marker, MarkerOptions } from 'maplibre-gl';
import type { FeatureCollection, GeoJSON } from 'geojson';
import type { LayerSlot } from './layer_slots';

/**
 * What is selected on a map, one field per layer family. Overlays read the fields they draw;
 * a new family adds its own field here (e.g. `patrolRouteId`).
 */
export interface MapSelection {
  segmentId?: number | null;
  /** Where the user clicked or the stake search landed (the search pin). */
  point?: [number, number] | null;
  /** The point snapped onto the centreline, drawn with a dashed line to `point`. */
  snappedPoint?: [number, number] | null;
  violationId?: number | null;
  detectionId?: number | null;
  /** A segment served in a patrol plan's draft (patrol_routes_overlay.ts). */
  patrolSegmentId?: number | null;
}

export interface FontStacks {
  regular: string[];
  semibold: string[];
}

/** What the adapter lends an overlay: the map, plus the few helpers every overlay needs. */
export interface OverlayContext {
  readonly map: MapLibreMap;
  /** The map's container (for data-* attributes browser tests wait on). */
  readonly container: HTMLElement;
  /** True when the style is ours (basemap_style.ts), false for an external style URL. */
  readonly ownBasemap: boolean;
  /** Font stacks for `text-font` that this style can draw. */
  readonly fonts: FontStacks;
  addSource(id: string, source: SourceSpecification): void;
  /** Adds a layer at the top of its slot (see layer_slots.ts for the order of slots). */
  addLayer(layer: LayerSpecification, slot: LayerSlot): void;
  /** Replaces a GeoJSON source's data (no-op if the source is gone). */
  setSourceData(sourceId: string, data: GeoJSON): void;
  /** A DOM marker (kept out of overlays so they need no runtime import of MapLibre). */
  createMarker(options: MarkerOptions): Marker;
  /** False once the map is destroyed (for work that finishes asynchronously). */
  isAlive(): boolean;
}

/**
 * One layer family on the map (network, zones, violations …): owns its sources, layers and
 * layer ids, and nothing else. The adapter calls, in order: `add` once the style has loaded,
 * `update` with the newest data (right after `add`, then whenever a field changes), `select`
 * with the selection, and `remove` when the map goes away.
 *
 * `D` is an object of fields; the adapter compares fields by identity and calls `update` only
 * when one changed, passing the previous data so the overlay touches only what changed.
 */
export interface Overlay<D extends object = object> {
  add(context: OverlayContext): void;
  update?(context: OverlayContext, data: D, previous: Partial<D>): void;
  select?(context: OverlayContext, selection: MapSelection): void;
  /**
   * A click in inspect mode. Overlays are asked top-most first; return true when the click was
   * about one of your features (the rest, and the page's onClick, are then not asked).
   */
  click?(context: OverlayContext, event: MapMouseEvent): boolean;
  /** Layers that show a pointer cursor on hover in inspect mode. */
  interactiveLayerIds?(): readonly string[];
  /**
   * Draws a draw mode's progress over the overlay's own data (draft_overlay.ts does; a map that
   * offers draw modes includes one such overlay). The drawing stays until the next draw mode
   * starts or the overlay's data changes: a finished shape shows until the page's data takes over.
   */
  sketch?(context: OverlayContext, features: FeatureCollection): void;
  /** Whether the data the map must show before it counts as ready has arrived (default true). */
  isLoaded?(data: Partial<D> | undefined): boolean;
  remove?(context: OverlayContext): void;
}

/** The overlays of one map, by name; the name is the key of the overlay's data in setData. */
export type OverlaySet = Record<string, Overlay<never>>;

export type OverlayData<O> = O extends Overlay<infer D> ? D : never;

/** setData's argument: any subset of the overlays, each with its whole data object. */
export type MapData<S extends OverlaySet> = { [K in keyof S]?: OverlayData<S[K]> };

export const EMPTY_COLLECTION: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** True when both objects have the same keys with identical (Object.is) values. */
export function shallowEqual(a: object | undefined, b: object | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((key) => Object.is((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** The fields of `data` whose value differs (by identity) from `previous`. */
export function changed<D extends object>(data: D, previous: Partial<D>, key: keyof D): boolean {
  return !Object.is(data[key], previous[key]);
}
