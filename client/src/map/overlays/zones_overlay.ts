import type { LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import { ZONE_KINDS, type ZoneKind } from '@domain/zones';
import type { ZoneCollection } from '../../api/types';
import { changed, EMPTY_COLLECTION, type Overlay } from '../overlay';
import { ZONE_COLORS, ZONE_DRAW_ORDER, ZONE_FILL_OPACITY } from '../palette';

export interface ZonesData {
  zones?: ZoneCollection;
  /** Kinds switched off in the legend; a kind not listed is shown. */
  visibility?: Partial<Record<ZoneKind, boolean>>;
}

const SOURCE = 'luyu-zones';
export const zoneFillLayerId = (kind: ZoneKind): string => `luyu-zone-${kind}-fill`;
export const zoneLineLayerId = (kind: ZoneKind): string => `luyu-zone-${kind}-line`;

/**
 * Zone layers, bottom first: every fill (widest bands underneath, see ZONE_DRAW_ORDER), then
 * every outline, so no fill hides a narrower zone's edge. All start visible; `visibility` data
 * switches kinds off.
 */
export function zoneLayers(): LayerSpecification[] {
  const fills: LayerSpecification[] = ZONE_DRAW_ORDER.map((kind) => ({
    id: zoneFillLayerId(kind),
    type: 'fill',
    source: SOURCE,
    filter: ['==', ['get', 'kind'], kind],
    
    paint: { 'fill-color': ZONE_COLORS[kind], 'fill-opacity': ZONE_FILL_OPACITY[kind] },
  }));
  const lines: LayerSpecification[] = ZONE_DRAW_ORDER.map((kind) => ({
    id: zoneLineLayerId(kind),
    type: 'line',
    source: SOURCE,
    filter: ['==', ['get', 'kind'], kind],
    minzoom: 13,
    layout: { 'line-join': 'round' },
    paint: {
      'line-color': ZONE_COLORS[kind],
      'line-opacity': 0.55,
      'line-width': ['interpolate', ['linear'], ['zoom'], 13, 0.5, 17, 1.2],
    },
  }));
  return [...fills, ...lines];
}

/** Protection zones (建筑控制区, 公路用地 …) as translucent fills under the network. */
export function createZonesOverlay(): Overlay<ZonesData> {
  return {
    add(context) {
      context.addSource(SOURCE, { type: 'geojson', data: EMPTY_COLLECTION, promoteId: 'id' });
      for (const layer of zoneLayers()) context.addLayer(layer, 'underLabels');
    },
    update(context, data, previous) {
      if (changed(data, previous, 'zones') && data.zones) context.setSourceData(SOURCE, data.zones);
      if (changed(data, previous, 'visibility')) {
        for (const kind of ZONE_KINDS) {
          const visibility = data.visibility?.[kind] === false ? 'none' : 'visible';
          for (const id of [zoneFillLayerId(kind), zoneLineLayerId(kind)]) {
            if (context.map.getLayer(id)) context.map.setLayoutProperty(id, 'visibility', visibility);
          }
        }
      }
    },
    isLoaded: (data) => data?.zones !== undefined,
  };
}
