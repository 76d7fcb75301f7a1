import type { FeatureCollection, Point, Polygon } from 'geojson';
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';

/** 'none' inspects (clicks select features or places); the others draw a new geometry. */
export type MapMode = 'none' | 'point' | 'polygon';

/** What the adapter lends the handler of the current mode. */
export interface ModeContext {
  readonly map: MapLibreMap;
  /** Shows the drawing in progress (in the map's draft overlay). */
  sketch(features: FeatureCollection): void;
  /** The drawing is done: the adapter returns to 'none' and hands the page the geometry. */
  finish(geometry: Point | Polygon): void;
  /** Offers an inspect click to the overlays, top-most first; true when one took it. */
  clickOverlays(event: MapMouseEvent): boolean;
  /** The page's onClick: a place no overlay claimed. */
  clickPlace(lon: number, lat: number): void;
}

/**
 * One map mode's reaction to input (placemark's handlers are the model). The adapter owns the
 * listeners and forwards to the current mode; Esc (cancel) is the adapter's for every mode.
 */
export interface ModeHandler {
  /** Canvas cursor while the mode is on ('' = MapLibre's own). */
  readonly cursor: string;
  /** True when the mode needs double-click itself (the map's double-click zoom is then off). */
  readonly usesDoubleClick: boolean;
  click(event: MapMouseEvent): void;
  move?(event: MapMouseEvent): void;
  doubleClick?(event: MapMouseEvent): void;
  /** Enter, when not typing in a field: finish, or act at the map centre. */
  enter?(): void;
  /** Backspace, when not typing in a field: take back the last step. */
  undo?(): void;
}

export function mapCentre(map: MapLibreMap): [number, number] {
  const centre = map.getCenter();
  return [centre.lng, centre.lat];
}
