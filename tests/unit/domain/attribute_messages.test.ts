import { describe, expect, it } from 'vitest';
import { parseAttributes, RESPONSIBLE_PARTY } from '../../../server/domain/violation_attributes.ts';
import type { ViolationCategory } from '../../../server/domain/violation_categories.ts';
import { VALID_ATTRIBUTES } from './valid_attributes.ts';

// What a user is told when a field is wrong (the API returns these messages in 422 details, the
// forms show them): the field, its unit from the name (…SquareMeters m², …CubicMeters m³, …Meters m)
// and the valid range. The upper bounds are sanity limits against unit mistakes (not law).
const VALID = VALID_ATTRIBUTES;

const unitOf = (field: string) => (field.endsWith('SquareMeters') ? 'm²' : field.endsWith('CubicMeters') ? 'm³' : 'm');
const NUMBERS: [ViolationCategory, string, number][] = [
  ['billboard', 'faceAreaSquareMeters', 2_000],
  ['billboard', 'heightMeters', 100],
  ['structure', 'footprintSquareMeters', 100_000],
  ['excavation', 'areaSquareMeters', 1_000_000],
  ['excavation', 'depthMeters', 500],
  ['piling', 'volumeCubicMeters', 1_000_000],
  ['level_crossing', 'widthMeters', 100],
  ['crops', 'areaSquareMeters', 1_000_000],
];
const TEXTS: [ViolationCategory, string, number][] = [
  ['billboard', 'advertiser', 200],
  ['billboard', 'permitNumber', 100],
  ['structure', 'use', 200],
  ['piling', 'material', 100],
  ['trading', 'stallType', 100],
  ['crops', 'crop', 100],
];

function messagesOf(category: ViolationCategory, attributes: Record<string, unknown>): string[] {
  const result = parseAttributes(category, attributes);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe('attribute messages name the field, the unit and the range', () => {
  it.each(NUMBERS)('%s.%s: a positive number up to %i', (category, field, maximum) => {
    const message = `${field} must be a positive number of ${unitOf(field)}, at most ${maximum.toLocaleString('en-US')}`;
    expect(messagesOf(category, { ...VALID[category], [field]: -1 })).toEqual([message]);
    expect(messagesOf(category, { ...VALID[category], [field]: maximum * 1.001 })).toEqual([message]);
    expect(messagesOf(category, { ...VALID[category], [field]: maximum })).toEqual([]);
  });
  it.each(TEXTS)('%s.%s: text of 1 to %i characters', (category, field, maximumLength) => {
    const message = `${field} must be text of 1 to ${maximumLength} characters`;
    expect(messagesOf(category, { ...VALID[category], [field]: '   ' })).toEqual([message]);
    expect(messagesOf(category, { ...VALID[category], [field]: '路'.repeat(maximumLength + 1) })).toEqual([message]);
    expect(messagesOf(category, { ...VALID[category], [field]: '路'.repeat(maximumLength) })).toEqual([]);
  });
  it('stall count: a whole number from 1 to 1,000', () => {
    expect(messagesOf('trading', { ...VALID.trading, stallCount: 1001 })).toEqual(['stallCount must be a whole number from 1 to 1,000']);
    expect(messagesOf('trading', { ...VALID.trading, stallCount: 1000 })).toEqual([]);
  });
  it('illuminated: true or false', () => {
    expect(messagesOf('billboard', { ...VALID.billboard, illuminated: 'yes' })).toEqual(['illuminated must be true or false']);
  });
});

describe('responsible party messages', () => {
  const messages = (party: unknown) => {
    const result = RESPONSIBLE_PARTY.safeParse(party);
    return result.success ? [] : result.error.issues.map((issue) => ({ message: issue.message, path: issue.path }));
  };
  it.each([
    ['name', 100],
    ['contact', 100],
    ['address', 200],
    ['idNumber', 50],
  ] as const)('%s: text of 1 to %i characters', (field, maximumLength) => {
    const base = { name: '张三', idType: 'resident_id' };
    expect(messages({ ...base, [field]: ' ' })).toEqual([{ message: `${field} must be text of 1 to ${maximumLength} characters`, path: [field] }]);
    expect(messages({ ...base, [field]: 'x'.repeat(maximumLength) })).toEqual([]);
  });
  it('an unknown id type lists the valid ones', () => {
    expect(messages({ name: '张三', idType: 'passport' })).toEqual([{ message: 'idType must be one of resident_id, business_license, other', path: ['idType'] }]);
  });
  it('an id number without its type points at idType', () => {
    expect(messages({ name: '张三', idNumber: '410104199001011234' })).toEqual([
      { message: 'idNumber needs idType (one of resident_id, business_license, other)', path: ['idType'] },
    ]);
  });
});
