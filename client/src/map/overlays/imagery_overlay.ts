import type { LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import { changed, type Overlay } from '../overlay';

export interface ImageryData {
  /** Whether the imagery is drawn (the user's switch); off by default. */
  visible?: boolean;
}

const SOURCE = 'luyu-imagery';
export const IMAGERY_LAYER_ID = 'luyu-imagery-raster';

/** The raster layer: under every other layer of ours, over the basemap's own fills. */
export function imageryLayer(visible: boolean): LayerSpecification {
  return { id: IMAGERY_LAYER_ID, type: 'raster', source: SOURCE, layout: { visibility: visible ? 'visible' : 'none' }, paint: { 'raster-opacity': 1 } };
}

/**
 * Satellite imagery as a switchable basemap (the deployment's XYZ template, e.g. Tianditu with the
 * operator's key): a lead is judged against what is on the ground. Create it before the zones so
 * zones and the network draw on top.
 */
export function createImageryOverlay(options: { template: string; attribution: string | null } | null): Overlay<ImageryData> {
  return {
    add(context) {
      if (!options) return; // No imagery configured: nothing to draw or switch.
      context.addSource(SOURCE, { type: 'raster', tiles: [options.template], tileSize: 256, maxzoom: 18, ...(options.attribution ? { attribution: options.attribution } : {}) });
      context.addLayer(imageryLayer(false), 'underLabels');
    },
    update(context, data, previous) {
      if (changed(data, previous, 'visible') && context.map.getLayer(IMAGERY_LAYER_ID)) {
        context.map.setLayoutProperty(IMAGERY_LAYER_ID, 'visibility', data.visible ? 'visible' : 'none');
      }
    },
  };
}
