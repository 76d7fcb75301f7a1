import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { shallowEqual } from '../../../client/src/map/overlay';
import { timelineFeatures } from '../../../client/src/map/overlays/case_timeline_overlay';
import { createDraftOverlay, draftFeatures } from '../../../client/src/map/overlays/draft_overlay';
import { snapGuide } from '../../../client/src/map/overlays/search_pin_overlay';
import { polygonCentre, splitViolations } from '../../../client/src/map/overlays/violations_overlay';
import { createZonesOverlay } from '../../../client/src/map/overlays/zones_overlay';
import type { ViolationMapCollection } from '../../../client/src/map/violation_layers';
import { FakeMap, fakeContext } from './fake_map';

const square: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]] };

describe('violations overlay data', () => {
  it('hangs an area’s icon on the mean of its distinct vertices (the closing vertex once)', () => {
    expect(polygonCentre(square)).toEqual([1, 1]);
    expect(polygonCentre({ type: 'Polygon', coordinates: [[[0, 0], [3, 0], [0, 3], [0, 0]]] })).toEqual([1, 1]);
  });

  it('clusters every finding as a point and fills only the areas', () => {
    const collection: ViolationMapCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 1, properties: { id: 1, category: 'billboard', mapStatus: 'open' }, geometry: { type: 'Point', coordinates: [5, 5] } },
        { type: 'Feature', id: 2, properties: { id: 2, category: 'piling', mapStatus: 'overdue' }, geometry: square },
      ],
    };
    const { points, areas } = splitViolations(collection);
    expect(points.features.map((feature) => [feature.id, feature.geometry.coordinates])).toEqual([
      [1, [5, 5]],
      [2, [1, 1]],
    ]);
    expect(points.features[1]!.properties).toEqual({ id: 2, category: 'piling', mapStatus: 'overdue' });
    expect(areas.features.map((feature) => feature.id)).toEqual([2]);
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
