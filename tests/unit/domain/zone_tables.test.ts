import { describe, expect, it } from 'vitest';
import {
  BRIDGE_CLASSES_WITH_RANGE,
  defaultRoadLandHalfWidthMeters,
  effectiveZoneWidths,
  LEGAL_MINIMUM_STRUCTURE_RANGE_METERS,
  LEGAL_MINIMUM_WIDTHS_METERS,
  mostSpecificZone,
  ZONE_KINDS,
  ZONE_RULES,
  ZoneWidthTooNarrowError,
} from '../../../server/domain/zones.ts';

// DOMAIN.md "Legal zones along a road".
describe('the zone table against DOMAIN.md', () => {
  it('sources by article, in words', () => {
    expect(ZONE_RULES.road_land.source).toBe('公路法 第三十四条；河南省农村公路条例 第三十七条');
    expect(ZONE_RULES.building_control.source).toBe('公路安全保护条例 第十一条；公路法 第五十六条');
    for (const kind of ['bridge_range', 'tunnel_range', 'excavation_ban'] as const) expect(ZONE_RULES[kind].source).toBe('公路安全保护条例 第十七条；公路法 第四十七条');
    expect(ZONE_RULES.settlement_setback.source).toBe('公路安全保护条例 第十四条');
  });
  it('measured from: the control zone and the ban from road land, the setback beyond the control zone', () => {
    expect(ZONE_RULES.building_control.measuredFrom).toBe('outer edge of road land');
    expect(ZONE_RULES.excavation_ban.measuredFrom).toBe('outer edge of road land');
    expect(ZONE_RULES.settlement_setback.measuredFrom).toBe('outer edge of the building control zone');
    for (const kind of ZONE_KINDS) expect(ZONE_RULES[kind].measuredFrom.length).toBeGreaterThan(5);
  });
  it('expressways are national or provincial highways; village roads have no ban or setback', () => {
    expect(LEGAL_MINIMUM_WIDTHS_METERS.settlement_setback.expressway).toBe(50);
    expect(LEGAL_MINIMUM_WIDTHS_METERS.settlement_setback.village).toBe(0);
    expect(LEGAL_MINIMUM_WIDTHS_METERS.excavation_ban.village).toBe(0);
  });
  it('200 m around medium and larger bridges, 100 m beyond tunnel portals', () => {
    expect(LEGAL_MINIMUM_STRUCTURE_RANGE_METERS).toEqual({ bridge_range: 200, tunnel_range: 100 });
    expect([...BRIDGE_CLASSES_WITH_RANGE].sort()).toEqual(['extra_large', 'large', 'medium']);
  });
  it('the most specific zone of each kind alone is itself', () => {
    for (const kind of ZONE_KINDS) expect(mostSpecificZone([kind])).toBe(kind);
  });
});

describe('configured widths', () => {
  it('widen every kind, and say what the law asks when narrowed', () => {
    const widths = effectiveZoneWidths({ excavation_ban: { township: 60 }, settlement_setback: { county: 25 } });
    expect(widths.excavation_ban).toEqual({ expressway: 100, national: 100, provincial: 100, county: 100, township: 60, village: 0 });
    expect(widths.settlement_setback.county).toBe(25);
    expect(widths.building_control.expressway).toBe(30);
    expect(effectiveZoneWidths({ building_control: { national: 20 } }).building_control.national).toBe(20);
    let error: unknown;
    try {
      effectiveZoneWidths({ settlement_setback: { national: 49.5 } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ZoneWidthTooNarrowError);
    expect(error).toMatchObject({
      kind: 'settlement_setback',
      adminClass: 'national',
      requestedMeters: 49.5,
      minimumMeters: 50,
      message: 'settlement_setback width for national roads must be at least 50 m (law), got 49.5 m',
    });
  });
});

describe('default road-land half-width: lanes × 3.75 / 2 + shoulder + 2 m ditch and slope + the legal margin', () => {
  // Worked by hand: margin 1 m (公路法 34), 1.5 m on Henan rural roads (county, township, village).
  it.each([
    ['expressway', false, 14.25], // 4 lanes 7.5 + 3.75 + 2 + 1
    ['expressway', true, 10.5], // 2 lanes 3.75 + 3.75 + 2 + 1
    ['national', false, 13.5], // 7.5 + 3 + 2 + 1
    ['national', true, 9.75], // 3.75 + 3 + 2 + 1
    ['provincial', false, 9.25], // 3.75 + 2.5 + 2 + 1
    ['provincial', true, 7.38], // 1.875 + 2.5 + 2 + 1 = 7.375
    ['county', false, 8.75], // 3.75 + 1.5 + 2 + 1.5
    ['county', true, 6.88], // 1.875 + 1.5 + 2 + 1.5 = 6.875
    ['township', false, 6.13], // 1 lane 1.875 + 0.75 + 2 + 1.5 = 6.125
    ['township', true, 6.13],
    ['village', false, 5.88], // 1.875 + 0.5 + 2 + 1.5 = 5.875
  ] as const)('%s, one-way %s: %f m', (adminClass, isOneway, expectedMeters) => {
    expect(defaultRoadLandHalfWidthMeters({ adminClass, lanes: null, isOneway })).toBe(expectedMeters);
  });
});
