import { apiUrl } from '../api/http';

/**
 * Absolute tile URL template of one of the server's vector tile layers (server/tiles/tile_layers.ts);
 * MapLibre fetches tiles from its workers, outside the page's base URL resolution. `version`
 * changes the URL after an edit, so neither MapLibre nor the browser serves the old tiles.
 */
export function tileUrl(origin: string, layer: 'segments' | 'stakes' | 'violations' | 'violation_clusters' | 'detections' | 'basemap_roads', version?: number): string {
  return `${origin}${apiUrl(`tiles/${layer}`)}/{z}/{x}/{y}.mvt${version ? `?v=${version}` : ''}`;
}

/** The page's origin (tests pass their own). */
export function pageOrigin(origin?: string): string {
  return origin ?? globalThis.location?.origin ?? '';
}
