import { lineString, nearestPointOnLine } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { RouteSegment } from '../../../data/build/cut_segments.ts';
import { cutFixtureText, fixtureCases, readFixtureWays } from './fixture_harness.ts';

function networkOf(name: string) {
  const fixture = fixtureCases('cut_segments').find((candidate) => candidate.name === name);
  if (fixture === undefined) throw new Error(`no cut_segments fixture ${name}`);
  return cutFixtureText(readFixtureWays(fixture.inputPath)).network;
}

const ranges = (segments: RouteSegment[]) =>
  segments.map((segment) => [segment.direction, segment.chainageFromMeters, segment.chainageToMeters]);

/** M along the LineString strictly increases (+) or strictly decreases (−). */
function isStrictlyMonotonic(segment: RouteSegment): boolean {
  const measures = segment.coordinates.map((coordinate) => coordinate[2]);
  return measures.every((measure, index) => index === 0 || (measure - (measures[index - 1] ?? 0)) * segment.direction > 0);
}

describe('cutSegments (through the route pipeline)', () => {
  it('cuts a 2.5 km road at K1+000 and K2+000', () => {
    const { segments } = networkOf('straight_2500m');
    expect(ranges(segments)).toEqual([
      [1, 0, 1000],
      [1, 1000, 2000],
      [1, 2000, 2500],
    ]);
    expect(segments.map((segment) => segment.lengthMeters)).toEqual([1000, 1000, 500]);
    expect(segments.every(isStrictlyMonotonic)).toBe(true);
    expect(segments[0]?.lanes).toBe(4);
    expect(segments[0]?.sourceIsOneway).toBe(false);
  });

  it('keeps a road shorter than 1 km as one segment from K0+000', () => {
    const { segments } = networkOf('shorter_than_1km');
    expect(ranges(segments)).toEqual([[1, 0, 600]]);
    expect(segments[0]?.coordinates).toHaveLength(3);
  });

  it('gives the − carriageway the + chainage of the same cross-section (within 1 m)', () => {
    const { segments, lines } = networkOf('divided_road_chainage');
    expect(ranges(segments)).toEqual([
      [1, 0, 1000],
      [1, 1000, 1800],
      [-1, 40, 1000],
      [-1, 1000, 1759.99],
    ]);
    const plus = lines.find((line) => line.direction === 1);
    if (plus === undefined) throw new Error('no + line');
    const plusLine = lineString(plus.coordinates);
    const minusSegments = segments.filter((segment) => segment.direction === -1);
    for (const segment of minusSegments) {
      for (const [longitude, latitude, measure] of segment.coordinates) {
        // The foot of the perpendicular on the + line, measured from its start (= its chainage).
        const foot = nearestPointOnLine(plusLine, [longitude, latitude], { units: 'meters' });
        expect(Math.abs(foot.properties.lineDistance - measure)).toBeLessThan(1);
        expect(foot.properties.pointDistance).toBeCloseTo(25, 0);
      }
    }
  });

  it('keeps the − segments in driving direction with M decreasing, and reports from < to', () => {
    const { segments } = networkOf('divided_road_chainage');
    for (const segment of segments.filter((candidate) => candidate.direction === -1)) {
      const first = segment.coordinates[0];
      const last = segment.coordinates.at(-1);
      // Westbound: the line starts east of where it ends, and M falls along it.
      expect((first?.[0] ?? 0) > (last?.[0] ?? 0)).toBe(true);
      expect((first?.[2] ?? 0) > (last?.[2] ?? 0)).toBe(true);
      expect(segment.chainageFromMeters).toBeLessThan(segment.chainageToMeters);
      expect(isStrictlyMonotonic(segment)).toBe(true);
    }
  });

  it('continues the chainage across a 500 m hole instead of restarting at 0', () => {
    const { segments } = networkOf('gap_500m_chainage_continues');
    expect(ranges(segments)).toEqual([
      [1, 0, 1000],
      [1, 1000, 1200],
      [1, 1700, 2000],
      [1, 2000, 2300],
    ]);
  });

  it('gives a − carriageway far from every + line its own chainage range and warns', () => {
    const { segments, warnings } = networkOf('far_minus_carriageway');
    expect(ranges(segments)).toEqual([
      [1, 0, 1000],
      [1, 1000, 1500],
      [-1, 2000, 3000],
      [-1, 3000, 3499.94],
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('way/900001402');
  });

  it('moves a parallel + line that would reuse the main line\'s chainage to a range of its own', () => {
    const { segments, chainageConflicts } = networkOf('parallel_plus_lines_own_range');
    expect(ranges(segments)).toEqual([
      [1, 0, 1000],
      [1, 1000, 2000],
      [1, 2000, 3000],
      [1, 4000, 5000],
      [1, 5000, 5499.99],
    ]);
    expect(chainageConflicts).toMatchObject([{ direction: 1, osmIds: ['way/900001502'], resolution: 'own', ownFromMeters: 4000 }]);
    expect(segments.every(isStrictlyMonotonic)).toBe(true);
  });
});
