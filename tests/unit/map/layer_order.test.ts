import { describe, expect, it } from 'vitest';
import type { LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import { ZONE_DRAW_ORDER } from '../../../client/src/map/palette';
import { insertBefore, SlotStack } from '../../../client/src/map/layer_slots';
import { buildBasemapStyle } from '../../../client/src/map/basemap_style';
import type { Overlay } from '../../../client/src/map/overlay';
import { createCaseTimelineOverlay } from '../../../client/src/map/overlays/case_timeline_overlay';
import { createDetectionsOverlay } from '../../../client/src/map/overlays/detections_overlay';
import { createDraftOverlay } from '../../../client/src/map/overlays/draft_overlay';
import { createNetworkOverlay } from '../../../client/src/map/overlays/network_overlay';
import { createSearchPinOverlay } from '../../../client/src/map/overlays/search_pin_overlay';
import { createViolationsOverlay } from '../../../client/src/map/overlays/violations_overlay';
import { createZonesOverlay } from '../../../client/src/map/overlays/zones_overlay';
import { createImageryOverlay, IMAGERY_LAYER_ID } from '../../../client/src/map/overlays/imagery_overlay';
import { FakeMap, fakeContext } from './fake_map';

describe('insertBefore', () => {
  it('puts underLabels layers under the basemap’s first symbol layer', () => {
    expect(insertBefore('underLabels', [{ id: 'a', slot: 'marks' }], 'labels')).toBe('labels');
  });

  it('without basemap symbols, keeps underLabels under every higher slot', () => {
    expect(insertBefore('underLabels', [{ id: 'zone', slot: 'underLabels' }, { id: 'stake', slot: 'annotations' }], undefined)).toBe('stake');
  });

  it('puts a layer under the first layer of a higher slot, or on top', () => {
    const ours = [
      { id: 'guide', slot: 'guides' },
      { id: 'dot', slot: 'marks' },
      { id: 'trail', slot: 'lines' },
    ] as const;
    expect(insertBefore('marks', ours, 'labels')).toBe('trail');
    expect(insertBefore('guides', ours, 'labels')).toBe('dot');
    expect(insertBefore('focus', ours, 'labels')).toBeUndefined();
  });

  it('SlotStack keeps a slot’s layers in the order they were added', () => {
    const stack = new SlotStack(undefined);
    expect(stack.place('a1', 'marks')).toBeUndefined();
    expect(stack.place('b1', 'lines')).toBeUndefined();
    expect(stack.place('a2', 'marks')).toBe('b1');
    expect(stack.place('g1', 'guides')).toBe('a1');
  });
});

/** Our layers of the review map bottom first, as the single 982-line adapter stacked them. */
const REVIEW_MAP_ORDER_BELOW_LABELS = [
  ...ZONE_DRAW_ORDER.map((kind) => `luyu-zone-${kind}-fill`),
  ...ZONE_DRAW_ORDER.map((kind) => `luyu-zone-${kind}-line`),
  'luyu-segments-casing',
  'luyu-segments-selected',
  'luyu-segments',
  'luyu-segments-hit',
];
const REVIEW_MAP_ORDER_ON_TOP = [
  'luyu-selection-line',
  'luyu-selection-snapped',
  'luyu-stake-ticks',
  'luyu-stake-labels',
  'luyu-violation-area-fill',
  'luyu-violation-area-line',
  'luyu-violation-selected-area',
  'luyu-violation-selected',
  'luyu-violation-dots',
  // Counted clusters below z10 (violation_clusters tiles), where the dots start.
  'luyu-violation-clusters',
  'luyu-violation-cluster-counts',
  'luyu-violation-icons',
  'luyu-violation-area-icons',
  'luyu-violation-timeline-line',
  'luyu-violation-timeline-dots',
  'luyu-violation-timeline-labels',
  'luyu-draft-fill',
  'luyu-draft-line',
  'luyu-draft-vertices',
];

describe('layer order of the split overlays', () => {
  it('stacks the review map exactly as before, icons arriving late included', async () => {
    const basemap = buildBasemapStyle().layers;
    const map = new FakeMap(basemap);
    const context = fakeContext(map);
    let iconsLoaded!: (icons: Map<string, ImageData>) => void;
    const overlays: Overlay[] = [
      createZonesOverlay(),
      createNetworkOverlay(),
      createSearchPinOverlay(),
      createViolationsOverlay({ loadIcons: () => new Promise((resolve) => (iconsLoaded = resolve)) }),
      createCaseTimelineOverlay(),
      createDraftOverlay(),
    ];
    for (const overlay of overlays) overlay.add(context);
    iconsLoaded(new Map([['violation-billboard', {} as ImageData]]));
    await new Promise((resolve) => setTimeout(resolve, 0));

    const firstSymbol = basemap.find((layer) => layer.type === 'symbol')!.id;
    const ids = map.layers.map((layer) => layer.id);
    const ours = (list: string[]): string[] => list.filter((id) => id.startsWith('luyu-'));
    expect(ours(ids.slice(0, ids.indexOf(firstSymbol)))).toEqual(REVIEW_MAP_ORDER_BELOW_LABELS);
    expect(ours(ids.slice(ids.indexOf(firstSymbol)))).toEqual(REVIEW_MAP_ORDER_ON_TOP);
    // Every basemap layer above our top-slot layers is a label (names stay readable).
    const basemapAbove = ids.slice(ids.indexOf(firstSymbol)).filter((id) => !id.startsWith('luyu-'));
    expect(basemapAbove.every((id) => basemap.find((layer) => layer.id === id)!.type === 'symbol')).toBe(true);
    expect(map.images.has('violation-billboard')).toBe(true);
  });

  it('puts detections on top of the network on the detection map', () => {
    const map = new FakeMap(buildBasemapStyle().layers);
    const context = fakeContext(map);
    for (const overlay of [createZonesOverlay(), createNetworkOverlay(), createDetectionsOverlay()] as Overlay[]) overlay.add(context);
    expect(map.ids().slice(-7)).toEqual([
      'luyu-stake-ticks',
      'luyu-stake-labels',
      'luyu-detection-fill',
      'luyu-detection-line',
      'luyu-detection-points',
      'luyu-detection-current-halo',
      'luyu-detection-current',
    ]);
  });

  it('draws the imagery basemap under every zone and the network, above the basemap’s fills, hidden until switched on', () => {
    const basemap = buildBasemapStyle().layers;
    const map = new FakeMap(basemap);
    const context = fakeContext(map);
    const imagery = createImageryOverlay({ template: 'https://imagery.example.cn/{z}/{x}/{y}.png', attribution: null });
    for (const overlay of [imagery, createZonesOverlay({ paint: 'outline' }), createNetworkOverlay(), createDetectionsOverlay()] as Overlay[]) overlay.add(context);
    const ids = map.layers.map((layer) => layer.id);
    expect(map.ids()[0]).toBe(IMAGERY_LAYER_ID);
    const lastBasemapFill = Math.max(...basemap.filter((layer) => layer.type !== 'symbol').map((layer) => ids.indexOf(layer.id)));
    expect(ids.indexOf(IMAGERY_LAYER_ID)).toBeGreaterThan(lastBasemapFill);
    expect((map.layers.find((layer) => layer.id === IMAGERY_LAYER_ID)!.layout as { visibility: string }).visibility).toBe('none');
    // Without a configured template the overlay adds nothing.
    const bare = new FakeMap(basemap);
    createImageryOverlay(null).add(fakeContext(bare));
    expect(bare.ids()).toEqual([]);
  });

  it('gives every layer and source of every overlay a distinct id', () => {
    const map = new FakeMap();
    const context = fakeContext(map);
    const overlays: Overlay[] = [
      createZonesOverlay(),
      createNetworkOverlay(),
      createSearchPinOverlay(),
      createViolationsOverlay({ loadIcons: () => new Promise(() => {}) }),
      createCaseTimelineOverlay(),
      createDraftOverlay(),
      createDetectionsOverlay(),
    ];
    // FakeMap throws on a duplicate layer or source id, as MapLibre does.
    expect(() => {
      for (const overlay of overlays) overlay.add(context);
    }).not.toThrow();
    expect(new Set(map.layers.map((layer: LayerSpecification) => layer.id)).size).toBe(map.layers.length);
  });
});
