import { describe, expect, it } from 'vitest';
import { distanceMeters } from '../../../data/build/geodesy.ts';
import { mergeCarriageways } from '../../../data/build/merge_carriageways.ts';
import { fixtureCases, readFixtureWays } from './fixture_harness.ts';
import { eastWestWay } from './way_builders.ts';

function mergeFixture(name: string) {
  const fixture = fixtureCases('merge_carriageways').find((candidate) => candidate.name === name);
  if (fixture === undefined) throw new Error(`no merge_carriageways fixture ${name}`);
  return mergeCarriageways(readFixtureWays(fixture.inputPath));
}

const osmIdsOf = (result: ReturnType<typeof mergeCarriageways>) =>
  result.carriageways.map((line) => ({ direction: line.direction, osmIds: line.pieces.map((piece) => piece.way.osmId) }));

describe('mergeCarriageways', () => {
  it('chains ways listed out of order, reversing a oneway=-1 way into driving direction', () => {
    const result = mergeFixture('three_ways_out_of_order_one_reversed');
    expect(osmIdsOf(result)).toEqual([{ direction: 1, osmIds: ['way/900000101', 'way/900000102', 'way/900000103'] }]);
    const [line] = result.carriageways;
    // Driving order: starts at the west end (the origin), ends 1350 m east.
    expect(line?.coordinates[0]).toEqual([113.75, 34.7]);
    expect(distanceMeters([113.75, 34.7], line?.coordinates.at(-1) ?? [0, 0])).toBeCloseTo(1350, 0);
  });

  it('bridges a 20 m hole with a straight edge and reports it', () => {
    const result = mergeFixture('gap_20m_joined');
    expect(result.carriageways).toHaveLength(1);
    expect(result.carriageways[0]?.joinedGapsMeters).toHaveLength(1);
    expect(result.carriageways[0]?.joinedGapsMeters[0]).toBeCloseTo(20, 1);
  });

  it('leaves a 500 m hole open: two lines, no invented geometry', () => {
    const result = mergeFixture('gap_500m_two_chains');
    expect(osmIdsOf(result)).toEqual([
      { direction: 1, osmIds: ['way/900000301'] },
      { direction: 1, osmIds: ['way/900000302'] },
    ]);
    expect(result.carriageways.every((line) => line.joinedGapsMeters.length === 0)).toBe(true);
  });

  it('keeps the two carriageways of a divided road apart even where their ends are 25 m apart', () => {
    const result = mergeFixture('divided_road');
    expect(osmIdsOf(result)).toEqual([
      { direction: 1, osmIds: ['way/900000401', 'way/900000402'] },
      { direction: -1, osmIds: ['way/900000403', 'way/900000404'] },
    ]);
  });

  it('orients a two-way road west→east whatever way its ways were digitised', () => {
    const result = mergeFixture('two_way_digitised_westward');
    expect(osmIdsOf(result)).toEqual([{ direction: 1, osmIds: ['way/900000501', 'way/900000502'] }]);
    const line = result.carriageways[0];
    expect(line?.pieces.every((piece) => !piece.isOneway)).toBe(true);
    expect((line?.coordinates.at(-1)?.[0] ?? 0) > (line?.coordinates[0]?.[0] ?? 0)).toBe(true);
  });

  it('uses south→north as + on a road that runs north–south', () => {
    const result = mergeFixture('north_south_road');
    expect(result.axis).toBe('north');
    expect(osmIdsOf(result)).toEqual([
      { direction: 1, osmIds: ['way/900000601'] },
      { direction: -1, osmIds: ['way/900000602'] },
    ]);
  });

  it('does not join across a hole larger than the tolerance', () => {
    const ways = [eastWestWay('way/1', 0, 500, { oneway: 'yes' }), eastWestWay('way/2', 535, 1000, { oneway: 'yes' })];
    expect(mergeCarriageways(ways).carriageways).toHaveLength(2);
    expect(mergeCarriageways(ways, { maxGapMeters: 40 }).carriageways).toHaveLength(1);
  });

  it('does not join a hole that hops sideways (a U-turn onto the opposite carriageway)', () => {
    const ways = [
      eastWestWay('way/1', 0, 500, { oneway: 'yes' }),
      // Starts 20 m north of way/1's end and carries on east: within 30 m, but not straight ahead.
      eastWestWay('way/2', 500, 1000, { oneway: 'yes' }, 20),
    ];
    expect(mergeCarriageways(ways).carriageways).toHaveLength(2);
  });
});
