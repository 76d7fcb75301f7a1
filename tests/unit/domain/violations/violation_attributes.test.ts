import { describe, expect, it } from 'vitest';
import {
  parseAttributes,
  RESPONSIBLE_PARTY,
  VIOLATION_SOURCE,
} from '../../../../server/domain/violation_attributes.ts';
import { VIOLATION_CATEGORIES } from '../../../../server/domain/violation_categories.ts';
import { VALID_ATTRIBUTES } from '../valid_attributes.ts';

const VALID = VALID_ATTRIBUTES;

function messages(result: { success: boolean; error?: { issues: { message: string }[] } }): string {
  return (result.error?.issues ?? []).map((issue) => issue.message).join('; ');
}

describe('parseAttributes', () => {
  it.each(VIOLATION_CATEGORIES)('accepts valid %s attributes', (category) => {
    const result = parseAttributes(category, VALID[category]);
    expect(result.success).toBe(true);
  });
  it('accepts the optional-only categories empty', () => {
    expect(parseAttributes('level_crossing', {}).success).toBe(true);
    expect(parseAttributes('crops', {}).success).toBe(true);
  });
  it.each(VIOLATION_CATEGORIES)('refuses an unknown key on %s', (category) => {
    const result = parseAttributes(category, { ...VALID[category], colour: 'red' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
  });
  it('refuses a negative number and says what is valid', () => {
    const result = parseAttributes('excavation', { areaSquareMeters: 800, depthMeters: -2 });
    expect(result.success).toBe(false);
    expect(messages(result)).toContain('depthMeters must be a positive number of m, at most 500');
  });
  it('refuses zero', () => {
    expect(parseAttributes('piling', { material: '土', volumeCubicMeters: 0 }).success).toBe(false);
  });
  it('refuses an implausible maximum', () => {
    expect(parseAttributes('billboard', { ...VALID.billboard, heightMeters: 1200 }).success).toBe(false);
  });
  it('refuses fractional storeys', () => {
    const result = parseAttributes('structure', { footprintSquareMeters: 10, storeys: 1.5 });
    expect(messages(result)).toContain('storeys must be a whole number from 1 to 100');
  });
  it('refuses a wrong structureType and lists the valid ones', () => {
    const result = parseAttributes('billboard', { ...VALID.billboard, structureType: 'rooftop' });
    expect(result.success).toBe(false);
    expect(messages(result)).toContain('structureType must be one of tower, ground, wall, banner');
  });
  it('refuses a missing required field', () => {
    const { heightMeters: _omitted, ...rest } = VALID.billboard;
    expect(parseAttributes('billboard', rest).success).toBe(false);
  });
  it('refuses a blank permit number rather than treating it as approval', () => {
    expect(parseAttributes('billboard', { ...VALID.billboard, permitNumber: '   ' }).success).toBe(false);
  });
  it('returns typed data', () => {
    const result = parseAttributes('billboard', VALID.billboard);
    if (!result.success) throw new Error('expected success');
    expect(result.data.structureType).toBe('tower');
  });
});

describe('responsible party', () => {
  it('accepts a name alone', () => {
    expect(RESPONSIBLE_PARTY.safeParse({ name: '张三' }).success).toBe(true);
  });
  it('accepts full details', () => {
    expect(RESPONSIBLE_PARTY.safeParse({ name: '某公司', contact: '0371-1234567', idType: 'business_license', idNumber: '91410100MA00000000' }).success).toBe(true);
  });
  it('refuses an unknown idType', () => {
    expect(RESPONSIBLE_PARTY.safeParse({ name: '张三', idType: 'passport' }).success).toBe(false);
  });
  it('refuses an id number without its type', () => {
    const result = RESPONSIBLE_PARTY.safeParse({ name: '张三', idNumber: '410102199001011234' });
    expect(messages(result)).toContain('idNumber needs idType');
  });
  it('refuses unknown keys', () => {
    expect(RESPONSIBLE_PARTY.safeParse({ name: '张三', phone: '1' }).success).toBe(false);
  });
});

describe('source', () => {
  it('knows the five sources', () => {
    for (const source of ['patrol', 'complaint', 'satellite_lead', 'import', 'referral']) expect(VIOLATION_SOURCE.safeParse(source).success).toBe(true);
  });
  it('refuses others with the valid list', () => {
    const result = VIOLATION_SOURCE.safeParse('rumour');
    expect(messages(result)).toContain('source must be one of patrol, complaint, satellite_lead, import, referral');
  });
});
