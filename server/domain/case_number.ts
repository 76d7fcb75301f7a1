/**
 * Unified case numbers (统一编号) `410104-2026-000123`: the jurisdiction's 6-digit administrative
 * division code (GB/T 2260), the year, and a 6-digit sequence per jurisdiction and year.
 * Pure: the client formats and checks numbers typed into search.
 */

export const CASE_NUMBER_FORMAT_HINT = '<6-digit division code>-<4-digit year>-<6-digit sequence>, e.g. 410104-2026-000123';

export interface CaseNumberParts {
  /** GB/T 2260 division code: first two digits are the province (11–82). */
  readonly jurisdictionCode: string;
  readonly year: number;
  /** 1 to 999,999 within the jurisdiction and year. */
  readonly sequence: number;
}

export type CaseNumberParseResult = ({ ok: true } & CaseNumberParts) | { ok: false; message: string };

// Division codes start with a province code 11–82; 0 or 9 first means a typo or another id.
const JURISDICTION_PATTERN = /^[1-8]\d{5}$/;
const CASE_NUMBER_PATTERN = /^([1-8]\d{5})-(\d{4})-(\d{6})$/;
const MINIMUM_YEAR = 2000;
const MAXIMUM_YEAR = 2999;
const MAXIMUM_SEQUENCE = 999_999;

/** Formats parts as `410104-2026-000123`; invalid parts throw, because a wrong number would be printed on a notice. */
export function formatCaseNumber(parts: CaseNumberParts): string {
  if (!JURISDICTION_PATTERN.test(parts.jurisdictionCode)) {
    throw new RangeError(`jurisdictionCode must be a 6-digit division code starting 1–8, got "${parts.jurisdictionCode}"`);
  }
  if (!Number.isInteger(parts.year) || parts.year < MINIMUM_YEAR || parts.year > MAXIMUM_YEAR) {
    throw new RangeError(`year must be a whole year from ${MINIMUM_YEAR} to ${MAXIMUM_YEAR}, got ${parts.year}`);
  }
  if (!Number.isInteger(parts.sequence) || parts.sequence < 1 || parts.sequence > MAXIMUM_SEQUENCE) {
    throw new RangeError(`sequence must be a whole number from 1 to ${MAXIMUM_SEQUENCE}, got ${parts.sequence}`);
  }
  return `${parts.jurisdictionCode}-${parts.year}-${String(parts.sequence).padStart(6, '0')}`;
}

/**
 * Parses strictly: no spaces inside, no short sequences ("410104-2026-123"), no sequence 000000,
 * because a near-miss number that parses would open someone else's case.
 */
export function parseCaseNumber(text: string): CaseNumberParseResult {
  const match = CASE_NUMBER_PATTERN.exec(text.trim());
  const invalid = { ok: false as const, message: `"${text}" is not a case number; write ${CASE_NUMBER_FORMAT_HINT}` };
  if (!match) return invalid;
  const [, jurisdictionCode = '', yearText = '', sequenceText = ''] = match;
  const year = Number(yearText);
  const sequence = Number(sequenceText);
  if (year < MINIMUM_YEAR || year > MAXIMUM_YEAR) {
    return { ok: false, message: `"${text}": year must be from ${MINIMUM_YEAR} to ${MAXIMUM_YEAR}; write ${CASE_NUMBER_FORMAT_HINT}` };
  }
  if (sequence < 1) {
    return { ok: false, message: `"${text}": sequence starts at 000001; write ${CASE_NUMBER_FORMAT_HINT}` };
  }
  return { ok: true, jurisdictionCode, year, sequence };
}
