import { describe, expect, it } from 'vitest';
import { indexRoutingGraph } from '../../../server/routing/indexed_network.ts';
import type { RoutingArc } from '../../../server/routing/graph_types.ts';

const arc = (id: number, from: number, to: number, segmentId: number | null, pieceIndex = 0): RoutingArc => ({
  id, from, to, lengthMeters: 100 * id, travelSeconds: 10 * id, oneway: segmentId === null, segmentId, pieceIndex, kind: segmentId === null ? 'connector' : 'segment', adminClass: null,
});

describe('indexRoutingGraph', () => {
  it('numbers database node ids 0..n-1 and keeps arcs of one segment together', () => {
    const indexed = indexRoutingGraph({
      nodes: [{ id: 40, lon: 0, lat: 0 }, { id: 7, lon: 1, lat: 0 }, { id: 91, lon: 2, lat: 0 }],
      arcs: [arc(5, 40, 7, 300, 0), arc(6, 7, 91, 300, 1), arc(9, 91, 40, null)],
    });
    expect(indexed.network).toEqual({
      nodeCount: 3,
      arcs: [
        { from: 0, to: 1, lengthMeters: 500, travelSeconds: 50, oneway: false },
        { from: 1, to: 2, lengthMeters: 600, travelSeconds: 60, oneway: false },
        { from: 2, to: 0, lengthMeters: 900, travelSeconds: 90, oneway: true },
      ],
    });
    expect(indexed.nodeIds).toEqual([40, 7, 91]);
    expect(indexed.arcIds).toEqual([5, 6, 9]);
    expect([...indexed.arcIndexesBySegment]).toEqual([[300, [0, 1]]]);
  });
});
