/**
 * The ONE statute table: short names as the rules write them ("公路法 54", DOMAIN.md's form) →
 * the text an enforcement document must print (《中华人民共和国公路法》第五十四条). Pure, shared with
 * the client; documents, the drawer and exports all cite through {@link renderCitations}.
 */

export interface Statute {
  /** Full official title, without book-title marks. */
  readonly fullName: string;
  readonly englishName: string;
}

/** Keyed by the short name used in rule tables. Longest keys are matched first (行政复议法 vs 复议法). */
export const STATUTES = {
  公路法: { fullName: '中华人民共和国公路法', englishName: 'Highway Law of the PRC' },
  公路安全保护条例: { fullName: '公路安全保护条例', englishName: 'Regulations on Highway Safety Protection' },
  行政复议法: { fullName: '中华人民共和国行政复议法', englishName: 'Administrative Reconsideration Law of the PRC' },
  行政诉讼法: { fullName: '中华人民共和国行政诉讼法', englishName: 'Administrative Litigation Law of the PRC' },
  行政处罚法: { fullName: '中华人民共和国行政处罚法', englishName: 'Administrative Penalty Law of the PRC' },
  行政强制法: { fullName: '中华人民共和国行政强制法', englishName: 'Administrative Compulsion Law of the PRC' },
  河南省农村公路条例: { fullName: '河南省农村公路条例', englishName: 'Henan Provincial Regulations on Rural Roads' },
} as const satisfies Record<string, Statute>;
export type StatuteKey = keyof typeof STATUTES;

/** One article of one statute. */
export interface Citation {
  readonly statute: StatuteKey;
  readonly article: number;
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;
const UNITS = ['', '十', '百', '千'] as const;

/**
 * A whole number 1–9999 in Chinese numerals as articles are numbered: 10 → 十 (not 一十),
 * 54 → 五十四, 101 → 一百零一, 110 → 一百一十, 1001 → 一千零一.
 */
export function chineseNumeral(value: number): string {
  if (!Number.isInteger(value) || value < 1 || value > 9999) {
    throw new RangeError(`an article number must be a whole number from 1 to 9999, got ${value}`);
  }
  const digits = String(value).split('').map(Number);
  let text = '';
  let pendingZero = false;
  digits.forEach((digit, index) => {
    const unit = UNITS[digits.length - 1 - index]!;
    if (digit === 0) {
      pendingZero = text !== '';
      return;
    }
    if (pendingZero) text += '零';
    pendingZero = false;
    text += DIGITS[digit]! + unit;
  });
  // 十 to 十九 drop the leading 一 (第十条, 第十三条); 一百一十 keeps it.
  return text.startsWith('一十') ? text.slice(1) : text;
}

/** `第五十四条`. */
export function articleText(article: number): string {
  return `第${chineseNumeral(article)}条`;
}

/** `《中华人民共和国公路法》第五十四条`. */
export function citationText(citation: Citation): string {
  return `《${STATUTES[citation.statute].fullName}》${articleText(citation.article)}`;
}

export function isStatuteKey(value: string): value is StatuteKey {
  return Object.hasOwn(STATUTES, value);
}

/**
 * Reads the short form of the rule tables: citations separated by `;` or `/`, each "<short name>
 * <article>". A part that is not a known statute + article (a campaign document) is returned as
 * text, so nothing is silently dropped from a legal basis.
 */
export function parseShortCitations(shortForm: string): (Citation | { readonly text: string })[] {
  return shortForm
    .split(/[;；/]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(\S+?)\s*(\d{1,4})$/.exec(part);
      if (match && isStatuteKey(match[1]!)) return { statute: match[1], article: Number(match[2]) };
      return { text: part };
    });
}

/**
 * The short form as a document prints it: `公路安全保护条例 13; 公路法 56` →
 * `《公路安全保护条例》第十三条、《中华人民共和国公路法》第五十六条`. A campaign document keeps its
 * title in book-title marks with its year: `《河南省清理高速公路沿线广告设施专项行动方案》（2021）`.
 */
export function renderCitations(shortForm: string): string {
  return parseShortCitations(shortForm)
    .map((part) => {
      if ('statute' in part) return citationText(part);
      const titled = /^(.+?)\s*\((\d{4})\)$/.exec(part.text);
      return titled ? `《${titled[1]}》（${titled[2]}）` : `《${part.text.replace(/^《|》$/g, '')}》`;
    })
    .join('、');
}

/** English rendering for the English UI: `Highway Law of the PRC, art. 54`. */
export function renderCitationsEnglish(shortForm: string): string {
  return parseShortCitations(shortForm)
    .map((part) => ('statute' in part ? `${STATUTES[part.statute].englishName}, art. ${part.article}` : part.text))
    .join('; ');
}

/** The remedy clause's sources (DOMAIN.md): reconsideration within 60 days, litigation within 6 months. */
export const REMEDY = {
  reconsiderationDays: 60,
  reconsideration: { statute: '行政复议法', article: 20 },
  litigationMonths: 6,
  litigation: { statute: '行政诉讼法', article: 46 },
} as const satisfies { reconsideration: Citation; litigation: Citation; reconsiderationDays: number; litigationMonths: number };

/** What each penalty article lets the authority order, and its fine ceiling (DOMAIN.md table). */
export const PENALTY_PROVISIONS: Readonly<Record<string, { readonly orderZh: string; readonly maximumFineYuan: number }>> = {
  '公路法 76': { orderZh: '责令停止违法行为', maximumFineYuan: 30_000 },
  '公路法 77': { orderZh: '责令停止违法行为', maximumFineYuan: 5_000 },
  '公路法 79': { orderZh: '责令限期拆除', maximumFineYuan: 20_000 },
  '公路法 80': { orderZh: '责令恢复原状', maximumFineYuan: 50_000 },
  '公路法 81': { orderZh: '责令限期拆除', maximumFineYuan: 50_000 },
  '公路安全保护条例 56': { orderZh: '责令限期拆除', maximumFineYuan: 50_000 },
};

/** An amount of yuan as a document writes it: 20000 → 二万元, 5000 → 五千元, 35000 → 三万五千元. */
export function yuanText(amountYuan: number): string {
  if (!Number.isInteger(amountYuan) || amountYuan < 1 || amountYuan > 99_999_999) throw new RangeError(`amount must be whole yuan from 1, got ${amountYuan}`);
  const tenThousands = Math.floor(amountYuan / 10_000);
  const rest = amountYuan % 10_000;
  const high = tenThousands > 0 ? `${chineseNumeral(tenThousands)}万` : '';
  // Inside a larger number 一十 keeps its 一 (一万零一十); only a leading 十 drops it (十万).
  const restText = rest === 0 ? '' : chineseNumeral(rest);
  const low = rest === 0 ? '' : `${tenThousands > 0 && rest < 1000 ? '零' : ''}${tenThousands > 0 && restText.startsWith('十') ? '一' : ''}${restText}`;
  return `${high}${low}元`;
}

/**
 * The penalty clause: `依据《中华人民共和国公路法》第七十九条，可以责令限期拆除，并处二万元以下罚款`.
 * Several articles ("公路法 81 / 公路安全保护条例 56") are cited together with the highest ceiling.
 */
export function renderPenaltyClause(penaltyShortForm: string): string {
  const provisions = parseShortCitations(penaltyShortForm)
    .map((part) => ('statute' in part ? PENALTY_PROVISIONS[`${part.statute} ${part.article}`] : undefined))
    .filter((provision) => provision !== undefined);
  const citations = renderCitations(penaltyShortForm);
  if (provisions.length === 0) return `依据${citations}的规定处理`;
  const ceiling = Math.max(...provisions.map((provision) => provision.maximumFineYuan));
  return `依据${citations}的规定，可以${provisions[0]!.orderZh}，并处${yuanText(ceiling)}以下的罚款`;
}
