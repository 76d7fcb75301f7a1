import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_LABELS, attributeLabel, attributesSummary, formatAttributeValue } from '../../../server/domain/attribute_display.ts';
import { CATEGORY_ATTRIBUTE_SCHEMAS } from '../../../server/domain/violation_attributes.ts';

describe('attribute labels', () => {
  it('labels every attribute a category records, in both languages, none twice', () => {
    const keys = [...new Set(Object.values(CATEGORY_ATTRIBUTE_SCHEMAS).flatMap((schema) => Object.keys(schema.shape)))].sort();
    expect(Object.keys(ATTRIBUTE_LABELS).sort()).toEqual(keys);
    for (const key of keys) {
      expect(attributeLabel(key, 'zh-CN'), key).toMatch(/^\p{Script=Han}+$/u);
      expect(attributeLabel(key, 'en'), key).toMatch(/^[A-Z][a-z ]+$/);
    }
    expect(new Set(keys.map((key) => attributeLabel(key, 'zh-CN'))).size).toBe(keys.length);
    expect(new Set(keys.map((key) => attributeLabel(key, 'en'))).size).toBe(keys.length);
  });
  it('a few labels as the notices print them', () => {
    expect(attributeLabel('illuminated', 'zh-CN')).toBe('带照明');
    expect(attributeLabel('faceAreaSquareMeters', 'zh-CN')).toBe('版面面积');
    expect(attributeLabel('permitNumber', 'en')).toBe('Permit number');
  });
  it('an unknown key reads as itself', () => {
    expect(attributeLabel('colour', 'zh-CN')).toBe('colour');
    expect(attributeLabel('colour', 'en')).toBe('colour');
  });
});

describe('formatAttributeValue', () => {
  it('false is an answer: 否 / No, never a dash', () => {
    expect(formatAttributeValue('illuminated', false, 'zh-CN')).toBe('否');
    expect(formatAttributeValue('illuminated', true, 'zh-CN')).toBe('是');
    expect(formatAttributeValue('illuminated', false, 'en')).toBe('No');
    expect(formatAttributeValue('illuminated', true, 'en')).toBe('Yes');
  });
  it('missing values read as a dash', () => {
    for (const missing of [undefined, null, '']) {
      expect(formatAttributeValue('advertiser', missing, 'zh-CN')).toBe('—');
      expect(formatAttributeValue('advertiser', missing, 'en')).toBe('—');
    }
  });
  it('structure types by their label', () => {
    expect(formatAttributeValue('structureType', 'tower', 'zh-CN')).toBe('立柱式');
    expect(formatAttributeValue('structureType', 'ground', 'zh-CN')).toBe('落地式');
    expect(formatAttributeValue('structureType', 'wall', 'zh-CN')).toBe('墙体');
    expect(formatAttributeValue('structureType', 'banner', 'zh-CN')).toBe('横幅');
    expect(formatAttributeValue('structureType', 'wall', 'en')).toBe('On a wall');
    expect(formatAttributeValue('structureType', 'tower', 'en')).toBe('Tower');
    expect(formatAttributeValue('structureType', 'ground', 'en')).toBe('Ground-mounted');
    expect(formatAttributeValue('structureType', 'banner', 'en')).toBe('Banner');
    // an unknown enum value, or the same word under another key, is shown as given
    expect(formatAttributeValue('structureType', 'kiosk', 'zh-CN')).toBe('kiosk');
    expect(formatAttributeValue('use', 'tower', 'zh-CN')).toBe('tower');
  });
  it('numbers with their unit from the key, one decimal at most, grouped by the language', () => {
    expect(formatAttributeValue('faceAreaSquareMeters', 60, 'zh-CN')).toBe('60 m²');
    expect(formatAttributeValue('volumeCubicMeters', 12.25, 'en')).toBe('12.3 m³');
    expect(formatAttributeValue('heightMeters', 8.04, 'zh-CN')).toBe('8 m');
    expect(formatAttributeValue('depthMeters', 1234.5, 'en')).toBe('1,234.5 m');
    expect(formatAttributeValue('storeys', 3, 'zh-CN')).toBe('3');
    expect(formatAttributeValue('stallCount', 12000, 'zh-CN')).toBe('12,000');
  });
  it('text as given', () => {
    expect(formatAttributeValue('advertiser', '某某公司', 'en')).toBe('某某公司');
    expect(formatAttributeValue('permitNumber', 'X-1', 'zh-CN')).toBe('X-1');
  });
});

describe('attributesSummary', () => {
  it('every present attribute in the given order, with the language\'s punctuation', () => {
    const attributes = { faceAreaSquareMeters: 60, illuminated: false, advertiser: undefined, permitNumber: null, structureType: 'tower' };
    expect(attributesSummary(attributes, 'zh-CN')).toBe('版面面积：60 m²；带照明：否；结构形式：立柱式');
    expect(attributesSummary(attributes, 'en')).toBe('Face area: 60 m²; Illuminated: No; Structure: Tower');
  });
  it('an empty string is present and reads as a dash; no attributes, no text', () => {
    expect(attributesSummary({ advertiser: '' }, 'zh-CN')).toBe('广告主：—');
    expect(attributesSummary({}, 'en')).toBe('');
  });
});
