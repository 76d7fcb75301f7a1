import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { shallowEqual } from '../../../client/src/map/overlay';
import { timelineFeatures } from '../../../client/src/map/overlays/case_timeline_overlay';
import { createDraftOverlay, draftFeatures } from '../../../client/src/map/overlays/draft_overlay';
import { snapGuide } from '../../../client/src/map/overlays/search_pin_overlay';
import { createNetworkOverlay, offlineSegments } from '../../../client/src/map/overlays/network_overlay';
import { createViolationsOverlay } from '../../../client/src/map/overlays/violations_overlay';
import { createZonesOverlay } from '../../../client/src/map/overlays/zones_overlay';
import type { SegmentCollection } from '../../../client/src/api/types';
import { FakeMap, fakeContext } from './fake_map';

const square: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]] };

describe('network overlay, offline corridor', () => {
  it('renames the API’s segment properties to the tiles’ attribute names, keeping the id', () => {
    const collection = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', id: 7, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] }, properties: { id: 7, routeCode: 'G310', adminClass: 'national', direction: -1, chainageFromMeters: 0, chainageToMeters: 100 } }],
    } as unknown as SegmentCollection;
    const [feature] = offlineSegments(collection).features;
    expect(feature!.id).toBe(7);
    expect(feature!.properties).toEqual({ id: 7, route_code: 'G310', admin_class: 'national', direction: -1 });
    expect(feature!.geometry).toEqual({ type: 'LineString', coordinates: [[0, 0], [1, 1]] });
  });
});

describe('tiled overlays', () => {
  it('network: online maps read the segment and stake tiles, the crew app’s offline map its GeoJSON', () => {
    const online = new FakeMap();
    createNetworkOverlay({ origin: 'https://luyu.example.cn' }).add(fakeContext(online));
    expect(online.sources.get('luyu-segments')).toMatchObject({ type: 'vector', tiles: ['https://luyu.example.cn/api/v1/tiles/segments/{z}/{x}/{y}.mvt'], minzoom: 6 });
    expect(online.sources.get('luyu-stake-markers')).toMatchObject({ type: 'vector', tiles: ['https://luyu.example.cn/api/v1/tiles/stakes/{z}/{x}/{y}.mvt'], minzoom: 14 });
    const offline = new FakeMap();
    createNetworkOverlay({ offline: true }).add(fakeContext(offline));
    expect(offline.sources.get('luyu-segments')!.type).toBe('geojson');
    expect(offline.layers.every((layer) => !('source-layer' in layer))).toBe(true);
  });

  it('violations: a new data version points the source at new tile URLs (an edit shows at once)', () => {
    const map = new FakeMap();
    const context = fakeContext(map);
    const overlay = createViolationsOverlay({ origin: 'https://luyu.example.cn', loadIcons: () => new Promise(() => {}) });
    overlay.add(context);
    const tiles = () => (map.sources.get('luyu-violations') as { tiles: string[] }).tiles;
    expect(tiles()).toEqual(['https://luyu.example.cn/api/v1/tiles/violations/{z}/{x}/{y}.mvt']);
    overlay.update!(context, { version: 0, visible: true }, {});
    expect(tiles()).toEqual(['https://luyu.example.cn/api/v1/tiles/violations/{z}/{x}/{y}.mvt']);
    overlay.update!(context, { version: 1, visible: true }, { version: 0, visible: true });
    expect(tiles()).toEqual(['https://luyu.example.cn/api/v1/tiles/violations/{z}/{x}/{y}.mvt?v=1']);
    overlay.update!(context, { version: 1, visible: false }, { version: 1, visible: true });
    expect((map.getLayer('luyu-violation-dots')!.layout as { visibility: string }).visibility).toBe('none');
  });
});

describe('small overlays', () => {
  it('search pin: a guide line and the snapped point only when both points are known', () => {
    expect(snapGuide({ point: [1, 1], snappedPoint: null }).features).toEqual([]);
    const guide = snapGuide({ point: [1, 1], snappedPoint: [1, 2] });
    expect(guide.features.map((feature) => feature.geometry)).toEqual([
      { type: 'LineString', coordinates: [[1, 1], [1, 2]] },
      { type: 'Point', coordinates: [1, 2] },
    ]);
  });

  it('case timeline: numbered places, joined in order once there are two', () => {
    expect(timelineFeatures([{ coordinates: [0, 0], label: '1' }]).features).toHaveLength(1);
    const two = timelineFeatures([{ coordinates: [0, 0], label: '1' }, { coordinates: [1, 0], label: '2' }]);
    expect(two.features.map((feature) => feature.properties)).toEqual([{ label: '1' }, { label: '2' }, {}]);
    expect(two.features[2]!.geometry).toEqual({ type: 'LineString', coordinates: [[0, 0], [1, 0]] });
  });

  it('draft: the geometry plus one dot per distinct polygon vertex', () => {
    expect(draftFeatures(null).features).toEqual([]);
    expect(draftFeatures({ type: 'Point', coordinates: [3, 4] }).features).toHaveLength(1);
    const polygon = draftFeatures(square);
    expect(polygon.features.map((feature) => feature.geometry.type)).toEqual(['Polygon', 'Point', 'Point', 'Point', 'Point']);
  });
});

describe('overlay updates', () => {
  it('shallowEqual compares fields by identity', () => {
    const zones = { type: 'FeatureCollection', features: [] };
    expect(shallowEqual({ zones, visible: true }, { zones, visible: true })).toBe(true);
    expect(shallowEqual({ zones, visible: true }, { zones: { ...zones }, visible: true })).toBe(false);
    expect(shallowEqual({ zones }, { zones, visible: undefined })).toBe(false);
    expect(shallowEqual(undefined, {})).toBe(false);
  });

  it('zones: switching a kind off hides its fill and outline, and only those', () => {
    const map = new FakeMap();
    const context = fakeContext(map);
    const overlay = createZonesOverlay();
    overlay.add(context);
    overlay.update!(context, { visibility: { road_land: false } }, {});
    const visibility = (id: string): unknown => (map.getLayer(id)!.layout as Record<string, unknown> | undefined)?.visibility;
    expect(visibility('luyu-zone-road_land-fill')).toBe('none');
    expect(visibility('luyu-zone-road_land-line')).toBe('none');
    expect(visibility('luyu-zone-building_control-fill')).toBe('visible');
    overlay.update!(context, { visibility: { road_land: true } }, { visibility: { road_land: false } });
    expect(visibility('luyu-zone-road_land-fill')).toBe('visible');
  });

  it('draft: a mode’s sketch stays on the draft source until the page’s draft data changes', () => {
    const map = new FakeMap();
    const context = fakeContext(map);
    const overlay = createDraftOverlay();
    overlay.add(context);
    overlay.update!(context, { geometry: null }, {});
    const sketch = draftFeatures(square);
    overlay.sketch!(context, sketch);
    expect(map.data.get('luyu-draft')).toBe(sketch);
    // The page hands over the finished geometry: its features replace the sketch.
    overlay.update!(context, { geometry: square }, { geometry: null });
    expect(map.data.get('luyu-draft')).toEqual(draftFeatures(square));
    expect(map.data.get('luyu-draft')).not.toBe(sketch);
  });
});
