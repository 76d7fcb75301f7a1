/**
 * The z-order of our layers, bottom first. An overlay puts each layer into a slot; within a slot
 * layers stack in the order they were added. Only `underLabels` goes beneath the basemap's first
 * symbol layer (so road and place names stay readable over zone fills); every other slot is above
 * the whole basemap.
 *
 * A new layer family picks the slot that fits (patrol routes and tracks: `lines`; crews: `marks`)
 * or, if none does, adds one here; the overlays themselves never name each other's layers.
 */
export const LAYER_SLOTS = [
  /** Fills and lines under the basemap's labels: zones, then the network's segments. */
  'underLabels',
  /** Thin guides over the network: the search pin's dashed line to the centreline. */
  'guides',
  /** Labels tied to the network: stake ticks and K-numbers. */
  'annotations',
  /** Register features: violation areas, dots and icons. */
  'marks',
  /** Lines and places over the marks: the selected case's timeline. */
  'lines',
  /** What the user is drawing or has just drawn. */
  'draft',
  /** The thing under review, on top of everything (detections). */
  'focus',
] as const;

export type LayerSlot = (typeof LAYER_SLOTS)[number];

/**
 * The layer id to insert a new layer of `slot` before (undefined = on top).
 *
 * `ours` lists our layers bottom first with their slots; `firstBasemapSymbol` is the basemap's
 * first symbol layer (undefined if it has none).
 */
export function insertBefore(slot: LayerSlot, ours: readonly { id: string; slot: LayerSlot }[], firstBasemapSymbol: string | undefined): string | undefined {
  if (slot === 'underLabels' && firstBasemapSymbol !== undefined) return firstBasemapSymbol;
  const rank = LAYER_SLOTS.indexOf(slot);
  return ours.find((layer) => LAYER_SLOTS.indexOf(layer.slot) > rank)?.id;
}

/** Our layers in z-order with their slots: says where each new layer goes. */
export class SlotStack {
  private readonly layers: { id: string; slot: LayerSlot }[] = [];

  constructor(private readonly firstBasemapSymbol: string | undefined) {}

  /** Records a new layer of `slot`; returns the id to insert it before (undefined = on top). */
  place(id: string, slot: LayerSlot): string | undefined {
    const before = insertBefore(slot, this.layers, this.firstBasemapSymbol);
    const index = before === undefined ? -1 : this.layers.findIndex((entry) => entry.id === before);
    this.layers.splice(index === -1 ? this.layers.length : index, 0, { id, slot });
    return before;
  }
}
