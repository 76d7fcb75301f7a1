import type { LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import { ZONE_KINDS, type ZoneKind } from '@domain/zones';
import { apiUrl } from '../../api/http';
import { changed, type Overlay } from '../overlay';
import { ZONE_COLORS, ZONE_DRAW_ORDER, ZONE_FILL_OPACITY } from '../palette';

export interface ZonesData {
  /** The zones themselves, only for a map made with `{ offline: true }` (the crew app's stored corridor). */
  zones?: GeoJSON.FeatureCollection;
  /** Kinds switched off in the legend; a kind not listed is shown. */
  visibility?: Partial<Record<ZoneKind, boolean>>;
}

const SOURCE = 'luyu-zones';
/** The layer name inside the server's zone tiles (server/tiles/tile_layers.ts). */
const SOURCE_LAYER = 'zones';
/** The server's zones tiles start at z10 (narrower than a pixel below); MapLibre overzooms past 16. */
export const ZONE_TILE_ZOOMS = { min: 10, max: 16 } as const;

/** Absolute tile URL template (MapLibre fetches tiles outside the page's base URL resolution). */
export function zoneTileUrl(origin: string): string {
  return `${origin}${apiUrl('tiles/zones')}/{z}/{x}/{y}.mvt`;
}
export const zoneFillLayerId = (kind: ZoneKind): string => `luyu-zone-${kind}-fill`;
export const zoneLineLayerId = (kind: ZoneKind): string => `luyu-zone-${kind}-line`;

/**
 * How zones are painted. 'fill': translucent fills, outlines from z13 (the overview maps).
 * 'outline': strong outlines from z10 over a light fill — for maps looked at close up beside
 * imagery (卫星线索), where four or five stacked fills tinted the whole view.
 */
export type ZonePaint = 'fill' | 'outline';
/** Fill opacity factor of the 'outline' paint: where all bands overlap the tint stays light. */
export const OUTLINE_PAINT_FILL_FACTOR = 0.3;

/**
 * Zone layers, bottom first: every fill (widest bands underneath, see ZONE_DRAW_ORDER), then
 * every outline, so no fill hides a narrower zone's edge. All start visible; `visibility` data
 * switches kinds off.
 */
export function zoneLayers(options: { offline?: boolean; paint?: ZonePaint } = {}): LayerSpecification[] {
  const outline = options.paint === 'outline';
  // A GeoJSON source has no source layers; the tiles put the zones in their layer 'zones'.
  const sourceLayer = options.offline ? {} : { 'source-layer': SOURCE_LAYER };
  const fills: LayerSpecification[] = ZONE_DRAW_ORDER.map((kind) => ({
    id: zoneFillLayerId(kind),
    type: 'fill',
    source: SOURCE,
    ...sourceLayer,
    filter: ['==', ['get', 'kind'], kind],
    paint: { 'fill-color': ZONE_COLORS[kind], 'fill-opacity': ZONE_FILL_OPACITY[kind] * (outline ? OUTLINE_PAINT_FILL_FACTOR : 1) },
  }));
  const lines: LayerSpecification[] = ZONE_DRAW_ORDER.map((kind) => ({
    id: zoneLineLayerId(kind),
    type: 'line',
    source: SOURCE,
    ...sourceLayer,
    filter: ['==', ['get', 'kind'], kind],
    minzoom: outline ? ZONE_TILE_ZOOMS.min : 13,
    layout: { 'line-join': 'round' },
    paint: {
      'line-color': ZONE_COLORS[kind],
      'line-opacity': outline ? 0.9 : 0.55,
      'line-width': outline ? ['interpolate', ['linear'], ['zoom'], 10, 0.8, 17, 2] : ['interpolate', ['linear'], ['zoom'], 13, 0.5, 17, 1.2],
    },
  })) as LayerSpecification[];
  return [...fills, ...lines];
}

/**
 * Protection zones (建筑控制区, 公路用地 …) as translucent fills under the network, from the
 * server's vector tiles (scoped to the user's jurisdiction): only the tiles in view are fetched,
 * never the whole layer. Below z10 no zones are drawn (the bands are a pixel or less).
 */
export function createZonesOverlay(options: { origin?: string; offline?: boolean; paint?: ZonePaint } = {}): Overlay<ZonesData> {
  return {
    add(context) {
      if (options.offline) {
        // The crew app draws the corridor it keeps on the device: no tile requests without signal.
        context.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'id' });
      } else {
        const origin = options.origin ?? globalThis.location?.origin ?? '';
        context.addSource(SOURCE, { type: 'vector', tiles: [zoneTileUrl(origin)], minzoom: ZONE_TILE_ZOOMS.min, maxzoom: ZONE_TILE_ZOOMS.max, promoteId: 'id' });
      }
      for (const layer of zoneLayers(options)) context.addLayer(layer, 'underLabels');
    },
    update(context, data, previous) {
      if (options.offline && changed(data, previous, 'zones') && data.zones) context.setSourceData(SOURCE, data.zones);
      if (changed(data, previous, 'visibility')) {
        for (const kind of ZONE_KINDS) {
          const visibility = data.visibility?.[kind] === false ? 'none' : 'visible';
          for (const id of [zoneFillLayerId(kind), zoneLineLayerId(kind)]) {
            if (context.map.getLayer(id)) context.map.setLayoutProperty(id, 'visibility', visibility);
          }
        }
      }
    },
  };
}
