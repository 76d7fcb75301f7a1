import { fetchImageryBasemap, type ImageryBasemap } from '../api/endpoints';
import { useQuery } from '../api/query_cache';
import { useUiState } from '../state/store';

export interface ImageryBasemapState {
  /** Whether the server has answered (an error counts as "none configured"): a map waits for it. */
  known: boolean;
  /** The deployment's imagery (LUYU_IMAGERY_TEMPLATE), null when none is configured. */
  basemap: ImageryBasemap | null;
  /** The user's switch (one for every map, kept in localStorage). */
  visible: boolean;
}

/**
 * What every map needs for the switchable imagery basemap. A map passes `known ? style : undefined`
 * to useMap (the imagery source is part of the map from the start), creates
 * `createImageryOverlay(basemap)` right after its basemap overlay, hands it `{ visible }`, and shows
 * `<ImageryToggle basemap={basemap} />` in its legend or over the map. One request per page load.
 */
export function useImageryBasemap(): ImageryBasemapState {
  const imagery = useQuery<ImageryBasemap | null>('imagery-basemap', () => fetchImageryBasemap());
  const visible = useUiState((s) => s.imageryVisible);
  return { known: imagery.status === 'success' || imagery.status === 'error', basemap: imagery.data ?? null, visible };
}
