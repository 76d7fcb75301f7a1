import { useEffect, useRef, useState, type RefObject } from 'react';
import type { StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { InitialBounds, MapAdapter, MapAdapterOptions } from './map_adapter';
import { loadMapFonts } from './map_fonts';
import type { OverlaySet } from './overlay';

type Callbacks<S extends OverlaySet> = Pick<MapAdapterOptions<S>, 'onClick' | 'onViewChange' | 'onReady' | 'onError' | 'onDrawFinish' | 'onDrawCancel'>;

export interface UseMapOptions<S extends OverlaySet> extends Callbacks<S> {
  /** The style; undefined while not known yet (the map waits). A new style builds a new map. */
  style: StyleSpecification | string | undefined;
  /** Creates this map's overlays, bottom first; called once per map built. */
  overlays: () => S;
  /**
   * Where the map opens; read once per map built. With `bounds` the map opens fitted to them
   * (center and zoom are then ignored): a fit after building would first load the tiles at center.
   */
  initialView: () => { center: [number, number]; zoom: number; bounds?: InitialBounds };
  /** Accessible name of the map; kept up to date (language switch) without rebuilding. */
  label: string;
}

/**
 * Sets a map up in `containerRef` for any page: loads MapLibre (its own chunk) and the map fonts,
 * builds the adapter with the page's overlays, keeps the label current, and destroys the map on
 * unmount. Returns the adapter once built (null before): the page then tells it what to show with
 * `setData` / `setSelection` / `setMode` from one effect.
 *
 * Callbacks are read at call time, so a page may pass fresh closures on every render.
 */
export function useMap<S extends OverlaySet>(containerRef: RefObject<HTMLElement | null>, options: UseMapOptions<S>): MapAdapter<S> | null {
  const [adapter, setAdapter] = useState<MapAdapter<S> | null>(null);
  const latest = useRef(options);
  latest.current = options;
  const { style, label } = options;

  // MapLibre (1 MB) and the fonts load while the page waits for its style's inputs (config, the
  // network's extent), not after them; in an effect, so the page's own requests are sent first.
  useEffect(() => {
    void loadMapModules();
  }, []);

  useEffect(() => {
    const container = containerRef.current;
    if (!container || style === undefined) return;
    let cancelled = false;
    let created: MapAdapter<S> | null = null;
    // MapLibre is most of the bundle: load it as its own chunk while the shell renders.
    void loadMapModules().then(({ MapAdapter }) => {
      if (cancelled) return;
      const { center, zoom, bounds } = latest.current.initialView();
      created = new MapAdapter(container, {
        style,
        center,
        zoom,
        bounds,
        label: latest.current.label,
        overlays: latest.current.overlays(),
        onClick: (lon, lat) => latest.current.onClick?.(lon, lat),
        onViewChange: (view) => latest.current.onViewChange?.(view),
        onReady: () => latest.current.onReady?.(),
        onError: (message) => latest.current.onError?.(message),
        onDrawFinish: (geometry) => latest.current.onDrawFinish?.(geometry),
        onDrawCancel: () => latest.current.onDrawCancel?.(),
      });
      setAdapter(created);
    });
    return () => {
      cancelled = true;
      created?.destroy();
      setAdapter(null);
    };
  }, [containerRef, style]);

  useEffect(() => {
    adapter?.setLabel(label);
  }, [adapter, label]);

  return adapter;
}

let mapModules: Promise<typeof import('./map_adapter')> | null = null;

/** The map adapter's chunk (MapLibre inside) and the map fonts, loaded once per page. */
export function loadMapModules(): Promise<typeof import('./map_adapter')> {
  mapModules ??= Promise.all([import('./map_adapter'), loadMapFonts()]).then(
    ([module]) => module,
    (error: unknown) => {
      // A failed download (offline, a new deployment) is tried again by the next map.
      mapModules = null;
      throw error;
    },
  );
  return mapModules;
}
