import type { FeatureCollection } from 'geojson';
import { EMPTY_COLLECTION, type Overlay, type OverlayContext } from '../overlay';
import { drawingLayers } from '../overlays/draft_overlay';

const SOURCE = 'luyu-sketch';

export interface SketchOverlay extends Overlay {
  /** Shows the drawing in progress; null clears it. */
  show(features: FeatureCollection | null): void;
}

/** What a draw mode has drawn so far. The adapter adds it to every map; the modes draw into it. */
export function createSketchOverlay(): SketchOverlay {
  let context: OverlayContext | null = null;
  return {
    add(ctx) {
      context = ctx;
      ctx.addSource(SOURCE, { type: 'geojson', data: EMPTY_COLLECTION });
      for (const layer of drawingLayers(SOURCE, 'luyu-sketch')) ctx.addLayer(layer, 'draft');
    },
    show(features) {
      context?.setSourceData(SOURCE, features ?? EMPTY_COLLECTION);
    },
    remove() {
      context = null;
    },
  };
}
