import { describe, expect, it } from 'vitest';
import { compareClassifications, type ClassifiedRow } from '../../bench/detections/compare_classifications.ts';

const row: ClassifiedRow = {
  feature_index: 0, geom: '0103', area_square_meters: 812.37, zones: [{ kind: 'road_land', overlapSquareMeters: 120.45 }, { kind: 'building_control', overlapSquareMeters: 691.92 }],
  primary_zone: 'road_land', in_scope: true, segment_id: '7', route_code: 'G107', direction: 'up', stake_from_meters: 1200.5, stake_to_meters: 1230.25,
  side: 'left', distance_meters: 3.5, jurisdiction_code: '410104', candidate_category: 'illegal_building', priority: 71, match_kind: null,
  match_violation_id: null, match_detection_id: null, reopen_suggested: false, review_status: 'pending',
};
const zone = (index: number, overlapSquareMeters: number) => ({ ...row, zones: row.zones.map((z, i) => (i === index ? { ...z, overlapSquareMeters } : z)) });

describe('compareClassifications (the lead\'s rule: categories exact, figures within 0.01)', () => {
  it('counts identical rows, rows one rounding unit apart, and rows that differ', () => {
    const rows = [row, zone(0, 120.46), zone(1, 691.9), { ...row, primary_zone: 'building_control' }, { ...row, zones: row.zones.slice(0, 1) }, { ...row, distance_meters: 3.51 }];
    const summary = compareClassifications(rows, rows.map(() => row));
    expect(summary).toMatchObject({ identical: 1, withinTolerance: 2, differing: 3 });
    expect(summary.examples.map((e) => e.column)).toEqual(['zones.building_control', 'primary_zone', 'zones']);
  });

  it('a missing row differs', () => {
    expect(compareClassifications([row], [row, row]).differing).toBe(1);
  });
});
