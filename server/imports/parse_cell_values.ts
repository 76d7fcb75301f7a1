/**
 * Cell text → values, shared by CSV, xlsx and GeoJSON properties. Results carry a message saying
 * what is valid instead of throwing, because one bad cell must not sink the other rows.
 */
import { normalizeAliasKey } from './import_aliases.ts';

export type ValueResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** A cell as read from the file: CSV gives strings, xlsx and GeoJSON give typed values (xlsx dates arrive as ISO strings). */
export type CellValue = string | number | boolean | null;

/** Empty strings and whitespace are "no value", like an empty cell. */
export function cellText(value: CellValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

// 1234, 1234.5, 1,234.5 (comma only in thousands groups, so "1,5" is not silently 15), -3, +3, .5
const NUMBER_PATTERN = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$/;

/**
 * Parses "1,234.5", "25 m", "25米", "12㎡" and full-width digits. `units` lists the suffixes
 * allowed (already normalised: `m`, `m2`, `米`…); any other suffix is an error rather than being
 * dropped, since "2 km" read as 2 m puts a finding in the wrong zone.
 */
export function parseNumber(value: CellValue | undefined, units: readonly string[] = []): ValueResult<number> | null {
  if (typeof value === 'number') return Number.isFinite(value) ? { ok: true, value } : { ok: false, message: 'is not a finite number' };
  const text = cellText(value);
  if (text === null) return null;
  let body = text.normalize('NFKC').replace(/\s+/g, '');
  const lower = body.toLowerCase();
  const unit = [...units].sort((a, b) => b.length - a.length).find((candidate) => lower.endsWith(normalizeAliasKey(candidate)));
  if (unit) body = body.slice(0, body.length - normalizeAliasKey(unit).length);
  if (body === '' || /^[+-]?$/.test(body) || !NUMBER_PATTERN.test(body)) {
    const unitHint = units.length > 0 ? ` (optionally followed by ${units.join(' or ')})` : '';
    return { ok: false, message: `"${text}" is not a number; write digits like 1234.5 or 1,234.5${unitHint}` };
  }
  return { ok: true, value: Number(body.replace(/,/g, '')) };
}

/**
 * For attribute columns of unknown meaning: real numbers become numbers, everything else stays
 * text. Leading zeros ("007", a permit number) and anything with other characters stay strings.
 */
export function looseValue(value: CellValue | undefined): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  const text = cellText(value);
  if (text === null) return null;
  if (/^[+-]?0\d/.test(text)) return text;
  const parsed = parseNumber(text);
  return parsed?.ok ? parsed.value : text;
}

/**
 * Excel stores wall-clock date-times without a zone and exceljs hands them back as if they were UTC.
 * Both ends of this system mean Asia/Shanghai wall time, so the UTC fields are the local fields.
 */
export function excelWallClockToIso(value: Date): string {
  return `${value.toISOString().slice(0, 19)}+08:00`;
}
