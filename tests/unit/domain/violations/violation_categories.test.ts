import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VIOLATION_CATEGORIES,
  enabledCategories,
  VIOLATION_CATEGORIES,
  VIOLATION_CATEGORY_RULES,
} from '../../../../server/domain/violation_categories.ts';
import { ZONE_KINDS } from '../../../../server/domain/zones.ts';

describe('violation categories', () => {
  it('the default set is 四违 plus billboards', () => {
    expect([...DEFAULT_VIOLATION_CATEGORIES]).toEqual(['billboard', 'structure', 'excavation', 'piling', 'trading']);
  });
  it('enables campaign categories by configuration', () => {
    expect(enabledCategories(['crops'])).toEqual(['billboard', 'structure', 'excavation', 'piling', 'trading', 'crops']);
    expect(enabledCategories(['crops', 'level_crossing', 'crops'])).toEqual(VIOLATION_CATEGORIES);
    expect(enabledCategories([])).toEqual(DEFAULT_VIOLATION_CATEGORIES);
  });
  it('refuses an unknown optional category naming the valid ones', () => {
    expect(() => enabledCategories(['graffiti'])).toThrow('"graffiti" is not an optional violation category; valid: level_crossing, crops');
  });
  it('DOMAIN.md articles and fines', () => {
    expect(VIOLATION_CATEGORY_RULES.billboard).toMatchObject({ legalBasis: '公路法 54', penaltyArticle: '公路法 79' });
    expect(VIOLATION_CATEGORY_RULES.billboard.maximumFine.en).toContain('¥20,000');
    expect(VIOLATION_CATEGORY_RULES.structure.maximumFine.en).toContain('¥50,000');
    expect(VIOLATION_CATEGORY_RULES.excavation).toMatchObject({ legalBasis: '公路安全保护条例 17; 公路法 47', penaltyArticle: '公路法 76' });
    expect(VIOLATION_CATEGORY_RULES.excavation.maximumFine.en).toContain('¥30,000');
    expect(VIOLATION_CATEGORY_RULES.piling.maximumFine.en).toContain('¥5,000');
  });
  it('every category has labels, valid zones and a positive deadline', () => {
    for (const category of VIOLATION_CATEGORIES) {
      const rule = VIOLATION_CATEGORY_RULES[category];
      expect(rule.label.zh.length).toBeGreaterThan(0);
      expect(rule.label.en.length).toBeGreaterThan(0);
      expect(rule.prohibitedZones.length).toBeGreaterThan(0);
      for (const zone of rule.prohibitedZones) expect(ZONE_KINDS).toContain(zone);
      expect(rule.defaultDeadlineDays).toBeGreaterThan(0);
    }
  });
});
