import { describe, expect, it } from 'vitest';
import { articleText, chineseNumeral, citationText, parseShortCitations, renderCitations, renderCitationsEnglish, renderPenaltyClause, yuanText } from '../../../server/domain/statutes.ts';

describe('chineseNumeral', () => {
  // Expected values written out by hand, as the statutes print them.
  it.each([
    [1, '一'],
    [10, '十'],
    [11, '十一'],
    [13, '十三'],
    [20, '二十'],
    [54, '五十四'],
    [100, '一百'],
    [101, '一百零一'],
    [110, '一百一十'],
    [119, '一百一十九'],
    [1001, '一千零一'],
    [1010, '一千零一十'],
    [2300, '二千三百'],
  ])('%i → %s', (value, expected) => {
    expect(chineseNumeral(value)).toBe(expected);
  });

  it.each([0, -1, 1.5, 10000, Number.NaN])('refuses %s', (value) => {
    expect(() => chineseNumeral(value)).toThrow(RangeError);
  });
});

describe('citations', () => {
  it('names the article in words', () => {
    expect(articleText(54)).toBe('第五十四条');
    expect(articleText(101)).toBe('第一百零一条');
    expect(articleText(10)).toBe('第十条');
  });

  it('prints the full statute name', () => {
    expect(citationText({ statute: '公路法', article: 54 })).toBe('《中华人民共和国公路法》第五十四条');
    expect(citationText({ statute: '公路安全保护条例', article: 13 })).toBe('《公路安全保护条例》第十三条');
  });

  it('renders the short forms of the rule table', () => {
    expect(renderCitations('公路法 54')).toBe('《中华人民共和国公路法》第五十四条');
    expect(renderCitations('公路安全保护条例 13; 公路法 56')).toBe('《公路安全保护条例》第十三条、《中华人民共和国公路法》第五十六条');
    expect(renderCitations('公路法 81 / 公路安全保护条例 56')).toBe('《中华人民共和国公路法》第八十一条、《公路安全保护条例》第五十六条');
  });

  it('keeps a campaign document it cannot parse as a titled text', () => {
    expect(renderCitations('河南省清理高速公路沿线广告设施专项行动方案 (2021)')).toBe('《河南省清理高速公路沿线广告设施专项行动方案》（2021）');
    expect(parseShortCitations('未知法 3')).toEqual([{ text: '未知法 3' }]);
  });

  it('has an English rendering', () => {
    expect(renderCitationsEnglish('公路法 54')).toBe('Highway Law of the PRC, art. 54');
  });
});

describe('penalty clause', () => {
  it.each([
    [5000, '五千元'],
    [20000, '二万元'],
    [30000, '三万元'],
    [50000, '五万元'],
    [35000, '三万五千元'],
    [10010, '一万零一十元'],
    [100000, '十万元'],
  ])('%i yuan → %s', (amount, expected) => {
    expect(yuanText(amount)).toBe(expected);
  });

  it('never prints "≤ ¥"', () => {
    expect(renderPenaltyClause('公路法 79')).toBe('依据《中华人民共和国公路法》第七十九条的规定，可以责令限期拆除，并处二万元以下的罚款');
    expect(renderPenaltyClause('公路法 81 / 公路安全保护条例 56')).toContain('五万元以下');
    expect(renderPenaltyClause('公路法 77')).not.toMatch(/[≤¥]/);
  });
});
