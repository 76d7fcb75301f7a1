import { describe, expect, it } from 'vitest';
import { formatStake, parseStake } from '../../../server/domain/stake.ts';
import { assessVerdict, EXPRESSWAY_AD_CAMPAIGN_ARTICLE } from '../../../server/domain/violation_verdict.ts';
import type { CategoryAttributes } from '../../../server/domain/violation_attributes.ts';
import type { ZoneKind } from '../../../server/domain/zones.ts';

/**
 * Every legal number at its exact edge, with the numbers typed from /work/shared/DOMAIN.md (not read
 * from server/domain): a rule that is right in the middle of its range and wrong at the edge is the
 * kind of bug that survives table-driven tests.
 */

/** DOMAIN.md: expressway building control zone ≥ 30 m; the 2021 Henan campaign band is the next 100 m. */
const EXPRESSWAY_CONTROL_METERS = 30;
const CAMPAIGN_BAND_METERS = 100;

const wallBoard = (permitNumber?: string): CategoryAttributes['billboard'] => ({
  faceAreaSquareMeters: 20,
  heightMeters: 6,
  structureType: 'wall',
  illuminated: false,
  ...(permitNumber ? { permitNumber } : {}),
});

const verdictAt = (distanceBeyondRoadLandMeters: number, zones: ZoneKind[] = [], permitNumber?: string) =>
  assessVerdict({ category: 'billboard', attributes: wallBoard(permitNumber), zones, adminClass: 'expressway', distanceBeyondRoadLandMeters, buildingControlMeters: null });

describe('the Henan expressway advertising band (beyond the 30 m control zone, 100 m wide)', () => {
  it('starts EXCLUSIVELY after the control zone: 30 m belongs to the control zone, not to the band', () => {
    // At exactly 30 m the point is on the control zone's outer line; the campaign band is "100 m beyond it".
    expect(verdictAt(EXPRESSWAY_CONTROL_METERS).reasonCode).not.toBe('EXPRESSWAY_AD_CAMPAIGN_BEYOND_CONTROL_ZONE');
    expect(verdictAt(EXPRESSWAY_CONTROL_METERS)).toMatchObject({ isViolation: false, reasonCode: 'OUTSIDE_ROAD_LAW_ZONES' });
  });

  it('includes the first centimetre beyond 30 m', () => {
    expect(verdictAt(EXPRESSWAY_CONTROL_METERS + 0.01)).toMatchObject({
      isViolation: true,
      article: EXPRESSWAY_AD_CAMPAIGN_ARTICLE,
      reasonCode: 'EXPRESSWAY_AD_CAMPAIGN_BEYOND_CONTROL_ZONE',
    });
  });

  it('ends INCLUSIVELY at 130 m and not a centimetre later', () => {
    expect(verdictAt(EXPRESSWAY_CONTROL_METERS + CAMPAIGN_BAND_METERS).reasonCode).toBe('EXPRESSWAY_AD_CAMPAIGN_BEYOND_CONTROL_ZONE');
    expect(verdictAt(EXPRESSWAY_CONTROL_METERS + CAMPAIGN_BAND_METERS + 0.01)).toMatchObject({ isViolation: false, reasonCode: 'OUTSIDE_ROAD_LAW_ZONES' });
  });

  it('an unapproved board inside the control zone polygon at 30 m is the control-zone rule, not the band', () => {
    expect(verdictAt(EXPRESSWAY_CONTROL_METERS, ['building_control']).reasonCode).toBe('EXPRESSWAY_AD_CAMPAIGN_CONTROL_ZONE');
  });

  it('an approved board in the band stays at both edges', () => {
    expect(verdictAt(EXPRESSWAY_CONTROL_METERS + 0.01, [], 'P-1').isViolation).toBe(false);
    expect(verdictAt(EXPRESSWAY_CONTROL_METERS + CAMPAIGN_BAND_METERS, [], 'P-1').isViolation).toBe(false);
  });

  it('a wider configured control zone moves the band start with it (exclusive at the configured width)', () => {
    const at = (distance: number) =>
      assessVerdict({ category: 'billboard', attributes: wallBoard(), zones: [], adminClass: 'expressway', distanceBeyondRoadLandMeters: distance, buildingControlMeters: 50 });
    expect(at(50).isViolation).toBe(false);
    expect(at(50.01).isViolation).toBe(true);
    expect(at(150).isViolation).toBe(true);
    expect(at(150.01).isViolation).toBe(false);
  });
});

describe('stakes with 1 to 4 kilometre digits (the longest Chinese routes pass K4000)', () => {
  it.each([
    ['K1+000', 1_000],
    ['K12+000', 12_000],
    ['K123+000', 123_000],
    ['K1234+000', 1_234_000],
    ['K1234+999.5', 1_234_999.5],
    ['K0+001', 1],
    ['K9999+999', 9_999_999],
  ])('parses %s as %d m', (text, meters) => {
    expect(parseStake(text)).toEqual({ ok: true, chainageMeters: meters });
  });

  it.each(['K12345+000', 'K+000', 'K1234+1000', 'K1234+00'])('refuses %j', (text) => {
    expect(parseStake(text).ok).toBe(false);
  });

  it('formats four-digit kilometres and reads them back', () => {
    expect(formatStake(1_234_000)).toBe('K1234+000');
    expect(formatStake(4_395_250)).toBe('K4395+250');
    expect(parseStake(formatStake(4_395_250))).toEqual({ ok: true, chainageMeters: 4_395_250 });
  });
});
