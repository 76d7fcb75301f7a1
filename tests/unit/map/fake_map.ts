import type { LayerSpecification, SourceSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { SlotStack } from '../../../client/src/map/layer_slots';
import type { OverlayContext } from '../../../client/src/map/overlay';

/**
 * The part of a MapLibre map our overlays use, kept in plain arrays so unit tests can read the
 * resulting style (layer order, filters, visibility, source data) without a browser.
 */
export class FakeMap {
  readonly layers: LayerSpecification[] = [];
  readonly sources = new Map<string, SourceSpecification>();
  readonly data = new Map<string, unknown>();
  readonly images = new Set<string>();

  constructor(basemapLayers: LayerSpecification[] = []) {
    this.layers.push(...basemapLayers);
  }

  addSource(id: string, source: SourceSpecification): void {
    if (this.sources.has(id)) throw new Error(`source ${id} already exists`);
    this.sources.set(id, source);
  }

  addLayer(layer: LayerSpecification, before?: string): void {
    if (this.getLayer(layer.id)) throw new Error(`layer ${layer.id} already exists`);
    if (!('source' in layer) || this.sources.has(layer.source as string)) {
      const index = before === undefined ? -1 : this.layers.findIndex((entry) => entry.id === before);
      if (before !== undefined && index === -1) throw new Error(`no layer ${before} to insert before`);
      this.layers.splice(index === -1 ? this.layers.length : index, 0, layer);
      return;
    }
    throw new Error(`layer ${layer.id}: no source ${String(layer.source)}`);
  }

  getLayer(id: string): LayerSpecification | undefined {
    return this.layers.find((layer) => layer.id === id);
  }

  setFilter(id: string, filter: unknown): void {
    const layer = this.getLayer(id) as { filter?: unknown } | undefined;
    if (!layer) throw new Error(`no layer ${id}`);
    layer.filter = filter;
  }

  setLayoutProperty(id: string, name: string, value: unknown): void {
    const layer = this.getLayer(id) as { layout?: Record<string, unknown> } | undefined;
    if (!layer) throw new Error(`no layer ${id}`);
    layer.layout = { ...layer.layout, [name]: value };
  }

  getSource(id: string): { setData(data: unknown): void; setTiles(tiles: string[]): void } | undefined {
    const source = this.sources.get(id);
    if (!source) return undefined;
    return { setData: (data) => this.data.set(id, data), setTiles: (tiles) => Object.assign(source, { tiles }) };
  }

  getStyle(): { layers: LayerSpecification[] } {
    return { layers: this.layers };
  }

  hasImage(name: string): boolean {
    return this.images.has(name);
  }

  addImage(name: string): void {
    this.images.add(name);
  }

  on(): void {}
  off(): void {}
  /** Runs the listener at once: the fake has no frames, so "after the next render" is now. */
  once(_event: string, listener: () => void): void {
    listener();
  }
  triggerRepaint(): void {}

  /** Our layers' ids, bottom first (the basemap's left out). */
  ids(prefix = 'luyu-'): string[] {
    return this.layers.map((layer) => layer.id).filter((id) => id.startsWith(prefix));
  }
}

/** An OverlayContext over a FakeMap, with the adapter's slot placement. */
export function fakeContext(map: FakeMap, options: { ownBasemap?: boolean } = {}): OverlayContext {
  const slots = new SlotStack(map.layers.find((layer) => layer.type === 'symbol')?.id);
  return {
    map: map as unknown as MapLibreMap,
    container: { dataset: {} } as HTMLElement,
    ownBasemap: options.ownBasemap ?? true,
    fonts: { regular: ['Test Regular'], semibold: ['Test Semibold'] },
    addSource: (id, source) => map.addSource(id, source),
    addLayer: (layer, slot) => map.addLayer(layer, slots.place(layer.id, slot)),
    setSourceData: (id, data) => map.getSource(id)?.setData(data),
    createMarker: () => {
      throw new Error('markers need a browser');
    },
    isAlive: () => true,
  };
}
