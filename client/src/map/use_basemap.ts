import { useMemo } from 'react';
import type { StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import { fetchConfig, fetchJurisdictions } from '../api/endpoints';
import { useQuery } from '../api/query_cache';
import type { JurisdictionCollection } from '../api/types';
import { buildBasemapStyle } from './basemap_style';
import type { BasemapData } from './overlays/basemap_overlay';

const EMPTY_DISTRICTS: JurisdictionCollection = { type: 'FeatureCollection', features: [] } as unknown as JurisdictionCollection;

/**
 * The basemap every map page shares: the deployment's style URL if configured, else our own style
 * with districts from the API and OSM roads as vector tiles. `style` is undefined until the config is in;
 * `data` feeds the basemap overlay (empty collections with an external style, or when a fetch
 * failed, so the map still gets ready). `reload` refetches after an error.
 */
export function useBasemap(reload = 0): { style: StyleSpecification | string | undefined; data: BasemapData } {
  const config = useQuery('config', () => fetchConfig());
  const styleUrl = config.status === 'success' ? config.data.basemapStyleUrl : config.status === 'error' ? null : undefined;
  const ownBasemap = styleUrl === null;
  const jurisdictions = useQuery<JurisdictionCollection>(ownBasemap ? `jurisdictions:${reload}` : null, () => fetchJurisdictions());
  const style = useMemo(() => (styleUrl === undefined ? undefined : styleUrl ?? buildBasemapStyle()), [styleUrl]);
  if (!ownBasemap) return { style, data: styleUrl === undefined ? {} : { districts: EMPTY_DISTRICTS } };
  return {
    style,
    data: {
      districts: jurisdictions.data ?? (jurisdictions.status === 'error' ? EMPTY_DISTRICTS : undefined),
    },
  };
}
