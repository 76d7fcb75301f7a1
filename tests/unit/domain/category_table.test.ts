import { describe, expect, it } from 'vitest';
import { DEFAULT_VIOLATION_CATEGORIES, isViolationCategory, VIOLATION_CATEGORIES, VIOLATION_CATEGORY_RULES } from '../../../server/domain/violation_categories.ts';

/**
 * DOMAIN.md "What is prohibited where", typed from its table: the Chinese name, where the category is
 * prohibited, the article that prohibits it, the penalty article and the fine ceiling. Level
 * crossings and crops are campaign additions (DOMAIN.md names no article; violation_categories.ts
 * says why 公路法 55/80 and 条例 16/公路法 46/77).
 */
const EXPECTED = {
  billboard: { zh: '非公路标志、广告设施', zones: ['road_land'], basis: '公路法 54', penalty: '公路法 79', fine: '¥20,000' },
  structure: { zh: '违法搭建', zones: ['road_land', 'building_control'], basis: '公路安全保护条例 13; 公路法 56', penalty: '公路法 81 / 公路安全保护条例 56', fine: '¥50,000' },
  excavation: { zh: '违法采挖', zones: ['road_land', 'excavation_ban', 'bridge_range', 'tunnel_range'], basis: '公路安全保护条例 17; 公路法 47', penalty: '公路法 76', fine: '¥30,000' },
  piling: { zh: '违法堆放', zones: ['road_land'], basis: '公路安全保护条例 16; 公路法 46', penalty: '公路法 77', fine: '¥5,000' },
  trading: { zh: '违法占道经营、摆摊设点', zones: ['road_land'], basis: '公路安全保护条例 16; 公路法 46', penalty: '公路法 77', fine: '¥5,000' },
  level_crossing: { zh: '私设平交道口', zones: ['road_land'], basis: '公路法 55', penalty: '公路法 80', fine: '¥50,000' },
  crops: { zh: '公路用地内种植', zones: ['road_land'], basis: '公路安全保护条例 16; 公路法 46', penalty: '公路法 77', fine: '¥5,000' },
} as const;

describe('the category table against DOMAIN.md', () => {
  it.each(VIOLATION_CATEGORIES)('%s', (category) => {
    const rule = VIOLATION_CATEGORY_RULES[category];
    const expected = EXPECTED[category];
    expect(rule.label.zh).toBe(expected.zh);
    expect([...rule.prohibitedZones].sort()).toEqual([...expected.zones].sort());
    expect(rule.legalBasis).toBe(expected.basis);
    expect(rule.penaltyArticle).toBe(expected.penalty);
    // the ceiling in both languages, with what the authority orders in words
    expect(rule.maximumFine.zh).toContain(`罚款 ≤ ${expected.fine}`);
    expect(rule.maximumFine.en).toContain(`fine ≤ ${expected.fine}`);
    expect(rule.label.en).toMatch(/^[A-Z]/);
  });
  it('orders in the fine text: removal for billboards, demolition for structures, a stop order for excavation, restoration for crossings', () => {
    expect(VIOLATION_CATEGORY_RULES.billboard.maximumFine).toEqual({ zh: '限期拆除，罚款 ≤ ¥20,000', en: 'removal within a deadline, fine ≤ ¥20,000' });
    expect(VIOLATION_CATEGORY_RULES.structure.maximumFine).toEqual({ zh: '限期拆除，罚款 ≤ ¥50,000', en: 'demolition within a deadline, fine ≤ ¥50,000' });
    expect(VIOLATION_CATEGORY_RULES.excavation.maximumFine).toEqual({ zh: '责令停止，罚款 ≤ ¥30,000', en: 'stop order, fine ≤ ¥30,000' });
    expect(VIOLATION_CATEGORY_RULES.level_crossing.maximumFine).toEqual({ zh: '责令恢复原状，罚款 ≤ ¥50,000', en: 'restore the original state, fine ≤ ¥50,000' });
    for (const category of ['piling', 'trading', 'crops'] as const) expect(VIOLATION_CATEGORY_RULES[category].maximumFine).toEqual({ zh: '罚款 ≤ ¥5,000', en: 'fine ≤ ¥5,000' });
  });
  it('English labels are distinct', () => {
    expect(new Set(VIOLATION_CATEGORIES.map((category) => VIOLATION_CATEGORY_RULES[category].label.en)).size).toBe(VIOLATION_CATEGORIES.length);
  });
  it('四违 and billboards are on by default; crossings and crops by configuration', () => {
    expect([...DEFAULT_VIOLATION_CATEGORIES].sort()).toEqual(['billboard', 'excavation', 'piling', 'structure', 'trading']);
    expect(isViolationCategory('crops')).toBe(true);
    expect(isViolationCategory('graffiti')).toBe(false);
  });
});
