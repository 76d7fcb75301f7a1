import { describe, expect, it } from 'vitest';
import {
  candidateCategory,
  candidateCategoryRows,
  CHANGE_TYPES,
  detectionPriority,
  normalizeChangeType,
  normalizeConfidence,
  ZONE_SEVERITY_ORDER,
  ZONE_SEVERITY_WEIGHT,
} from '../../../server/domain/detection_rules.ts';
import { ZONE_KINDS } from '../../../server/domain/zones.ts';

describe('change types and confidence', () => {
  it('normalizes codes, Chinese labels and unknown values', () => {
    expect(normalizeChangeType('new_building')).toBe('new_building');
    expect(normalizeChangeType('New Building')).toBe('new_building');
    expect(normalizeChangeType('采挖坑')).toBe('excavation_pit');
    expect(normalizeChangeType('临时构筑物')).toBe('temporary_structure');
    expect(normalizeChangeType('spaceship')).toBe('other');
    expect(normalizeChangeType(undefined)).toBe('other');
  });

  it('reads confidence as 0–1 or a percentage', () => {
    expect(normalizeConfidence(0.82)).toBe(0.82);
    expect(normalizeConfidence(82)).toBe(0.82);
    expect(normalizeConfidence('0.5')).toBe(0.5);
    expect(normalizeConfidence(1)).toBe(1);
    expect(normalizeConfidence(-1)).toBeNull();
    expect(normalizeConfidence(101)).toBeNull();
    expect(normalizeConfidence('high')).toBeNull();
  });
});

describe('zone severity and candidate category', () => {
  it('orders every zone kind exactly once, road land first', () => {
    expect([...ZONE_SEVERITY_ORDER].sort()).toEqual([...ZONE_KINDS].sort());
    expect(ZONE_SEVERITY_ORDER[0]).toBe('road_land');
    const weights = ZONE_SEVERITY_ORDER.map((kind) => ZONE_SEVERITY_WEIGHT[kind]);
    expect([...weights].sort((a, b) => b - a)).toEqual(weights);
  });

  it('maps change type × zone to the category the law prohibits there', () => {
    expect(candidateCategory('new_building', ['building_control'])).toBe('structure');
    expect(candidateCategory('building_extension', ['road_land', 'building_control'])).toBe('structure');
    expect(candidateCategory('excavation_pit', ['excavation_ban'])).toBe('excavation');
    expect(candidateCategory('bare_soil', ['bridge_range'])).toBe('excavation');
    expect(candidateCategory('material_pile', ['road_land'])).toBe('piling');
    // A pile in the control zone is not prohibited by the piling article; a building in the setback is not a road-law case.
    expect(candidateCategory('material_pile', ['building_control'])).toBeNull();
    expect(candidateCategory('new_building', ['settlement_setback'])).toBeNull();
    expect(candidateCategory('other', ['road_land'])).toBeNull();
    // The most severe zone with an entry wins: bare soil over road land and the excavation ban is piling.
    expect(candidateCategory('bare_soil', ['excavation_ban', 'road_land'])).toBe('piling');
  });

  it('gives the SQL one row per table entry', () => {
    const rows = candidateCategoryRows();
    expect(rows).toContainEqual({ changeType: 'material_pile', zoneKind: 'road_land', category: 'piling' });
    for (const row of rows) expect(candidateCategory(row.changeType, [row.zoneKind])).toBe(row.category);
    expect(new Set(rows.map((row) => row.changeType)).size).toBeLessThanOrEqual(CHANGE_TYPES.length);
  });
});

describe('priority', () => {
  it('is 0 out of every zone and grows with severity, area (log) and confidence', () => {
    expect(detectionPriority({ primaryZone: null, areaSquareMeters: 5000, confidence: 1 })).toBe(0);
    const base = { primaryZone: 'building_control' as const, areaSquareMeters: 100, confidence: 0.8 };
    expect(detectionPriority({ ...base, primaryZone: 'road_land' })).toBeGreaterThan(detectionPriority(base));
    expect(detectionPriority({ ...base, areaSquareMeters: 1000 })).toBeGreaterThan(detectionPriority(base));
    expect(detectionPriority({ ...base, confidence: 0.95 })).toBeGreaterThan(detectionPriority(base));
    expect(detectionPriority({ ...base, areaSquareMeters: 10_000 })).toBe(detectionPriority({ ...base, areaSquareMeters: 1_000_000 }));
  });

  it('follows the documented formula', () => {
    // 100 × (0.55 × 1 + 0.2 × 1 + 0.25 × 1) = 100 at the top.
    expect(detectionPriority({ primaryZone: 'road_land', areaSquareMeters: 10_000, confidence: 1 })).toBe(100);
    // 0.55 × 0.85 + 0.2 × log10(101)/log10(10001) + 0.25 × 0.5 (missing confidence).
    const expected = Math.round(100 * (0.55 * 0.85 + (0.2 * Math.log10(101)) / Math.log10(10001) + 0.25 * 0.5));
    expect(detectionPriority({ primaryZone: 'building_control', areaSquareMeters: 100, confidence: null })).toBe(expected);
  });
});
