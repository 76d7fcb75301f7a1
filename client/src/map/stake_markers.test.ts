import { describe, expect, it } from 'vitest';
import type { SegmentCollection, SegmentFeature } from '../api/types';
import { stakeMarkers } from './stake_markers';

function segment(id: number, direction: 1 | -1, from: number, to: number, coordinates: [number, number][]): SegmentFeature {
  return {
    type: 'Feature',
    id,
    geometry: { type: 'LineString', coordinates },
    properties: {
      id, routeCode: 'G1', routeName: 'test', adminClass: 'national', direction,
      chainageFromMeters: from, chainageToMeters: to, stakeFrom: '', stakeTo: '', lengthMeters: to - from,
      lanes: 2, roadLandHalfWidthMeters: 10, jurisdictionCode: null, jurisdictionName: null,
    },
  };
}

const collection = (features: SegmentFeature[]): SegmentCollection => ({ type: 'FeatureCollection', features });

describe('stakeMarkers', () => {
  it('puts the marker at the end shared with the predecessor, whichever way the line is drawn', () => {
    // − direction digitised in travel direction: chainage falls along the line.
    const markers = stakeMarkers(collection([
      segment(1, -1, 0, 1000, [[0.02, 0], [0.01, 0]]),
      segment(2, -1, 1000, 2000, [[0.03, 0], [0.02, 0]]),
    ]));
    const byId = new Map(markers.features.map((f) => [f.properties.segment_id, f]));
    expect(byId.get(2)!.geometry.coordinates).toEqual([0.02, 0]);
    expect(byId.get(2)!.properties.stake).toBe('K1+000');
    expect(byId.get(1)!.geometry.coordinates).toEqual([0.01, 0]);
  });

  it('uses the first vertex of a lone + segment and the last of a lone − segment', () => {
    const markers = stakeMarkers(collection([
      segment(1, 1, 0, 500, [[0, 0], [0.005, 0]]),
      segment(2, -1, 0, 500, [[0.005, 0.001], [0, 0.001]]),
    ]));
    expect(markers.features.map((f) => f.geometry.coordinates)).toEqual([[0, 0], [0, 0.001]]);
  });
});
