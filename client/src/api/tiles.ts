import { apiUrl, getJson } from './http';

/** The part of a layer's TileJSON the client reads. */
export interface TileJson {
  tilejson: string;
  /** [west, south, east, north] of the rows the user may see (the world when there are none). */
  bounds: [number, number, number, number];
  minzoom: number;
  maxzoom: number;
}

export function fetchTileJson(layer: 'segments' | 'violations', signal?: AbortSignal): Promise<TileJson> {
  return getJson(apiUrl(`tiles/${layer}.json`), signal);
}
