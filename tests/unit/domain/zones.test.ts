import { describe, expect, it } from 'vitest';
import { ADMIN_CLASSES } from '../../../server/domain/admin_class.ts';
import {
  defaultRoadLandHalfWidthMeters,
  effectiveZoneWidths,
  LEGAL_MINIMUM_WIDTHS_METERS,
  mostSpecificZone,
  ZoneWidthTooNarrowError,
} from '../../../server/domain/zones.ts';

describe('legal minimum widths (公路安全保护条例 11, 14, 17)', () => {
  it('building control zone by class: 30/20/15/10/5, Henan village 3', () => {
    expect(LEGAL_MINIMUM_WIDTHS_METERS.building_control).toEqual({ expressway: 30, national: 20, provincial: 15, county: 10, township: 5, village: 3 });
  });
  it('excavation ban: 100 for national/provincial/county (expressways included), 50 for township', () => {
    expect(LEGAL_MINIMUM_WIDTHS_METERS.excavation_ban).toMatchObject({ expressway: 100, national: 100, provincial: 100, county: 100, township: 50 });
  });
  it('settlement setback: 50 for national/provincial, 20 for county/township', () => {
    expect(LEGAL_MINIMUM_WIDTHS_METERS.settlement_setback).toMatchObject({ national: 50, provincial: 50, county: 20, township: 20 });
  });
});

describe('effectiveZoneWidths', () => {
  it('is the law when nothing is configured', () => {
    const widths = effectiveZoneWidths();
    for (const adminClass of ADMIN_CLASSES) {
      expect(widths.building_control[adminClass]).toBe(LEGAL_MINIMUM_WIDTHS_METERS.building_control[adminClass]);
    }
  });
  it('widens a class when configured', () => {
    expect(effectiveZoneWidths({ building_control: { national: 25 } }).building_control.national).toBe(25);
  });
  it('refuses to narrow the law', () => {
    expect(() => effectiveZoneWidths({ building_control: { expressway: 20 } })).toThrow(ZoneWidthTooNarrowError);
  });
});

describe('defaultRoadLandHalfWidthMeters', () => {
  it('grows with lanes', () => {
    const two = defaultRoadLandHalfWidthMeters({ adminClass: 'national', lanes: 2, isOneway: false });
    const six = defaultRoadLandHalfWidthMeters({ adminClass: 'national', lanes: 6, isOneway: false });
    expect(six - two).toBeCloseTo(4 * 3.75 / 2, 5);
  });
  it('reaches at least 1 m beyond a 2 m ditch beyond the carriageway (公路法 34)', () => {
    // one lane (1.875 half) + village shoulder 0.5 + ditch 2 + Henan rural 1.5
    expect(defaultRoadLandHalfWidthMeters({ adminClass: 'village', lanes: 1, isOneway: false })).toBe(5.88);
  });
  it('uses class defaults when lanes are unknown', () => {
    expect(defaultRoadLandHalfWidthMeters({ adminClass: 'expressway', lanes: null, isOneway: true })).toBe(
      defaultRoadLandHalfWidthMeters({ adminClass: 'expressway', lanes: 2, isOneway: true }),
    );
  });
});

describe('mostSpecificZone', () => {
  it('prefers the narrowest zone a point falls in', () => {
    expect(mostSpecificZone(['excavation_ban', 'building_control'])).toBe('building_control');
    expect(mostSpecificZone(['excavation_ban', 'road_land', 'building_control'])).toBe('road_land');
    expect(mostSpecificZone([])).toBeNull();
  });
});
