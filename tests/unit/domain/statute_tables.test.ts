import { describe, expect, it } from 'vitest';
import {
  articleText,
  citationText,
  isStatuteKey,
  parseShortCitations,
  PENALTY_PROVISIONS,
  REMEDY,
  renderCitations,
  renderCitationsEnglish,
  renderPenaltyClause,
  STATUTES,
  yuanText,
} from '../../../server/domain/statutes.ts';
import { VIOLATION_CATEGORY_RULES } from '../../../server/domain/violation_categories.ts';

// Official titles as the statutes are promulgated, and DOMAIN.md's penalty table and remedy clause.
describe('the statute table', () => {
  it('prints each statute by its official full title', () => {
    expect(citationText({ statute: '行政复议法', article: 20 })).toBe('《中华人民共和国行政复议法》第二十条');
    expect(citationText({ statute: '行政诉讼法', article: 46 })).toBe('《中华人民共和国行政诉讼法》第四十六条');
    expect(citationText({ statute: '行政处罚法', article: 44 })).toBe('《中华人民共和国行政处罚法》第四十四条');
    expect(citationText({ statute: '行政强制法', article: 35 })).toBe('《中华人民共和国行政强制法》第三十五条');
    expect(citationText({ statute: '河南省农村公路条例', article: 37 })).toBe('《河南省农村公路条例》第三十七条');
  });
  it('has an English name for each statute', () => {
    for (const statute of Object.values(STATUTES)) expect(statute.englishName).toMatch(/^[A-Z][A-Za-z ]+$/);
    expect(renderCitationsEnglish('公路安全保护条例 13; 行政强制法 44')).toBe('Regulations on Highway Safety Protection, art. 13; Administrative Compulsion Law of the PRC, art. 44');
    expect(new Set(Object.values(STATUTES).map((statute) => statute.englishName)).size).toBe(Object.keys(STATUTES).length);
  });
  it('knows its keys only (not inherited names)', () => {
    expect(isStatuteKey('公路法')).toBe(true);
    expect(isStatuteKey('刑法')).toBe(false);
    expect(isStatuteKey('toString')).toBe(false);
  });
  it('the remedy clause: reconsideration within 60 days (行政复议法 20), litigation within 6 months (行政诉讼法 46)', () => {
    expect(REMEDY).toEqual({
      reconsiderationDays: 60,
      reconsideration: { statute: '行政复议法', article: 20 },
      litigationMonths: 6,
      litigation: { statute: '行政诉讼法', article: 46 },
    });
  });
});

describe('reading the short form', () => {
  it('splits on ; ； and /, ignores blanks, takes "name article" with or without a space', () => {
    expect(parseShortCitations('公路法 54；公路安全保护条例13 /  ; ')).toEqual([
      { statute: '公路法', article: 54 },
      { statute: '公路安全保护条例', article: 13 },
    ]);
  });
  it('a part with more after the article, or a five-digit article, stays text', () => {
    expect(parseShortCitations('公路法 54 款')).toEqual([{ text: '公路法 54 款' }]);
    expect(parseShortCitations('公路法 12345')).toEqual([{ text: '公路法 12345' }]);
    expect(parseShortCitations('见公路法 54')).toEqual([{ text: '见公路法 54' }]);
  });
  it('a statute named inside other words is text, not a citation', () => {
    expect(parseShortCitations('见 公路法 54')).toEqual([{ text: '见 公路法 54' }]);
  });
  it('only the outer book-title marks of a text part are replaced', () => {
    expect(renderCitations('关于《某方案》的通知')).toBe('《关于《某方案》的通知》');
  });
  it('text parts: book-title marks once, a year in full-width brackets, the English rendering as given', () => {
    expect(renderCitations('《某方案》')).toBe('《某方案》');
    expect(renderCitations('某方案 (2021) 附件')).toBe('《某方案 (2021) 附件》');
    expect(renderCitations('某方案(2021)')).toBe('《某方案》（2021）');
    expect(renderCitationsEnglish('公路法 54; 某方案 (2021)')).toBe('Highway Law of the PRC, art. 54; 某方案 (2021)');
  });
});

describe('penalties (DOMAIN.md "What is prohibited where")', () => {
  it('orders and fine ceilings per article', () => {
    expect(PENALTY_PROVISIONS['公路法 76']).toEqual({ orderZh: '责令停止违法行为', maximumFineYuan: 30_000 });
    expect(PENALTY_PROVISIONS['公路法 77']).toEqual({ orderZh: '责令停止违法行为', maximumFineYuan: 5_000 });
    expect(PENALTY_PROVISIONS['公路法 79']).toEqual({ orderZh: '责令限期拆除', maximumFineYuan: 20_000 });
    expect(PENALTY_PROVISIONS['公路法 81']).toEqual({ orderZh: '责令限期拆除', maximumFineYuan: 50_000 });
    expect(PENALTY_PROVISIONS['公路安全保护条例 56']).toEqual({ orderZh: '责令限期拆除', maximumFineYuan: 50_000 });
    // 公路法 80 (private level crossing, violation_categories.ts): restore the original state, ≤ ¥50,000
    expect(PENALTY_PROVISIONS['公路法 80']).toEqual({ orderZh: '责令恢复原状', maximumFineYuan: 50_000 });
  });
  it('the clause for each article of the table', () => {
    expect(renderPenaltyClause('公路法 76')).toBe('依据《中华人民共和国公路法》第七十六条的规定，可以责令停止违法行为，并处三万元以下的罚款');
    expect(renderPenaltyClause('公路法 77')).toBe('依据《中华人民共和国公路法》第七十七条的规定，可以责令停止违法行为，并处五千元以下的罚款');
    expect(renderPenaltyClause('公路法 81 / 公路安全保护条例 56')).toBe(
      '依据《中华人民共和国公路法》第八十一条、《公路安全保护条例》第五十六条的规定，可以责令限期拆除，并处五万元以下的罚款',
    );
  });
  it('the highest ceiling of several articles, the first article\'s order', () => {
    expect(renderPenaltyClause('公路法 77; 公路法 76')).toBe('依据《中华人民共和国公路法》第七十七条、《中华人民共和国公路法》第七十六条的规定，可以责令停止违法行为，并处三万元以下的罚款');
  });
  it('an article without a known provision is cited without an order or fine', () => {
    expect(renderPenaltyClause('公路法 54')).toBe('依据《中华人民共和国公路法》第五十四条的规定处理');
    expect(renderPenaltyClause('某方案 (2021)')).toBe('依据《某方案》（2021）的规定处理');
  });
});

describe('yuanText at its edges', () => {
  it.each([
    [1, '一元'],
    [10, '十元'],
    [999, '九百九十九元'],
    [10_000, '一万元'],
    [10_500, '一万零五百元'],
    [11_000, '一万一千元'],
    [10_001, '一万零一元'],
    [10_015, '一万零一十五元'],
    [10_020, '一万零二十元'],
    [99_999_999, '九千九百九十九万九千九百九十九元'],
  ])('%i → %s', (amount, expected) => {
    expect(yuanText(amount)).toBe(expected);
  });
  it.each([0, -5, 1.5, 100_000_000])('refuses %s, saying why', (amount) => {
    expect(() => yuanText(amount)).toThrow(new RangeError(`amount must be whole yuan from 1, got ${amount}`));
  });
  it('an article number out of range is refused with the reason', () => {
    expect(() => articleText(0)).toThrow('an article number must be a whole number from 1 to 9999, got 0');
  });
});

describe('the category table and the penalty table agree', () => {
  it('each category\'s fine ceiling (¥ in its text) is the one its penalty clause prints', () => {
    for (const [category, rule] of Object.entries(VIOLATION_CATEGORY_RULES)) {
      const yuan = Number(/¥([\d,]+)/.exec(rule.maximumFine.en)![1]!.replaceAll(',', ''));
      expect(renderPenaltyClause(rule.penaltyArticle), category).toContain(`并处${yuanText(yuan)}以下的罚款`);
    }
  });
});
