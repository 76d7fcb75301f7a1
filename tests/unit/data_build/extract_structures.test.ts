import { describe, expect, it } from 'vitest';
import { buildRouteNetwork } from '../../../data/build/route_network.ts';
import { eastWestWay } from './way_builders.ts';

describe('extractStructures (through the route pipeline)', () => {
  it('merges consecutive bridge ways of one carriageway into one bridge and classes it by total length', () => {
    const ways = [
      eastWestWay('way/1', 0, 300, { oneway: 'yes' }),
      eastWestWay('way/2', 300, 900, { oneway: 'yes', bridge: 'yes', layer: '1' }),
      eastWestWay('way/3', 900, 1500, { oneway: 'yes', bridge: 'viaduct', layer: '2' }),
      eastWestWay('way/4', 1500, 1560, { oneway: 'yes', bridge: 'no' }),
      eastWestWay('way/5', 1560, 1600, { oneway: 'yes', bridge: 'yes' }),
    ];
    const { structures } = buildRouteNetwork('X901', ways);
    expect(structures.map(({ kind, sizeClass, osmIds, direction }) => ({ kind, sizeClass, osmIds, direction }))).toEqual([
      { kind: 'bridge', sizeClass: 'extra_large', osmIds: ['way/2', 'way/3'], direction: 1 },
      { kind: 'bridge', sizeClass: 'medium', osmIds: ['way/5'], direction: 1 },
    ]);
    expect(structures[0]?.lengthMeters).toBeCloseTo(1200, 0);
    expect(structures[1]?.lengthMeters).toBeCloseTo(40, 0);
  });

  it('finds tunnels on both carriageways with their driving direction', () => {
    const ways = [
      eastWestWay('way/1', 0, 400, { oneway: 'yes', tunnel: 'yes', layer: '-1' }),
      eastWestWay('way/2', 400, 0, { oneway: 'yes', tunnel: 'yes', layer: '-1' }, 25),
    ];
    const { structures } = buildRouteNetwork('X901', ways);
    expect(structures.map(({ kind, sizeClass, direction }) => ({ kind, sizeClass, direction }))).toEqual([
      { kind: 'tunnel', sizeClass: 'short', direction: 1 },
      { kind: 'tunnel', sizeClass: 'short', direction: -1 },
    ]);
  });
});
