/**
 * Keyset ("seek") paging shared by the big lists: the sort key of a list as data, the opaque
 * cursor that carries the last row's key values, and the `links.next` URL. SQL text for the
 * key lives in ./queries.ts; this module only validates and encodes.
 */
import { z } from 'zod';
import { badRequest } from '../http/errors.ts';
import { MAX_PAGE_LIMIT } from '../http/common_schemas.ts';
import type { MatchedCount } from './queries.ts';

/** One column of a list's sort key; the last column is always the row id (unique, not null). */
export interface KeysetColumn {
  /** SQL expression from a code allowlist (never user text). */
  sql: string;
  direction: 'asc' | 'desc';
  /** Cast applied to the cursor's value when it is bound, so PostgreSQL compares like with like. */
  type: 'timestamptz' | 'text' | 'float8' | 'bigint' | 'integer' | 'smallint';
  /** Nullable columns sort NULLS LAST in both directions. */
  nullable: boolean;
}

export type KeysetValue = string | number | null;

/** Decoded cursor: which sort it belongs to and the last row's key values. */
export interface Cursor {
  sort: string;
  order: 'asc' | 'desc';
  values: KeysetValue[];
}

const CURSOR_VERSION = 1;
const cursorSchema = z.object({
  v: z.literal(CURSOR_VERSION),
  s: z.string().max(40),
  o: z.enum(['asc', 'desc']),
  k: z.array(z.union([z.string().max(500), z.number(), z.null()])).min(1).max(8),
});

/** Timestamps as PostgreSQL's JSON writes them (microseconds, offset), which keep full precision. */
const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)$/;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, s: cursor.sort, o: cursor.order, k: cursor.values }), 'utf8').toString('base64url');
}

function invalidCursor(reason: string) {
  return badRequest('INVALID_CURSOR', `The cursor is not valid (${reason}); start again from the first page or follow links.next as given`, { reason });
}

function valueFits(column: KeysetColumn, value: KeysetValue): boolean {
  if (value === null) return column.nullable;
  switch (column.type) {
    case 'timestamptz':
      return typeof value === 'string' && TIMESTAMP_PATTERN.test(value) && Number.isFinite(Date.parse(value));
    case 'text':
      return typeof value === 'string';
    case 'float8':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bigint':
    case 'integer':
    case 'smallint':
      return typeof value === 'number' && Number.isSafeInteger(value);
  }
}

/** Reads `?cursor=` for a list sorted by `sort`/`order` with key `columns`; 400 INVALID_CURSOR on anything off. */
export function decodeCursor(text: string, sort: string, order: 'asc' | 'desc', columns: readonly KeysetColumn[]): KeysetValue[] {
  let json: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('not base64url');
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('not a cursor this server wrote');
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) throw invalidCursor('not a cursor this server wrote');
  if (parsed.data.s !== sort || parsed.data.o !== order) throw invalidCursor(`written for sort=${parsed.data.s}&order=${parsed.data.o}, not sort=${sort}&order=${order}`);
  const values = parsed.data.k;
  if (values.length !== columns.length || !columns.every((column, index) => valueFits(column, values[index] ?? null))) {
    throw invalidCursor('its key values do not fit this list');
  }
  return values;
}

/** Query fields of a list that pages by offset (first pages) or by cursor (any depth). */
export function keysetPagingSchema(defaultLimit: number) {
  return {
    limit: z.coerce
      .number()
      .int('limit must be a whole number')
      .min(1, 'limit must be at least 1')
      .max(MAX_PAGE_LIMIT, `limit must be at most ${MAX_PAGE_LIMIT}`)
      .default(defaultLimit),
    offset: z.coerce.number().int('offset must be a whole number').min(0, 'offset must be 0 or more').max(10_000_000).optional(),
    cursor: z.string().min(1, 'cursor must not be empty').max(2000, 'cursor is too long').optional(),
  };
}

/** Where a page starts: an offset (0 for the first page) or after a cursor's key, never both. */
export type PageStart = { kind: 'offset'; offset: number } | { kind: 'cursor'; after: KeysetValue[] };

export function pageStart(
  query: { offset?: number; cursor?: string },
  sort: string,
  order: 'asc' | 'desc',
  columns: readonly KeysetColumn[],
): PageStart {
  if (query.cursor !== undefined && query.offset !== undefined) {
    throw badRequest('CURSOR_WITH_OFFSET', 'Give either cursor or offset, not both: links.next already says where the next page starts', null);
  }
  if (query.cursor !== undefined) return { kind: 'cursor', after: decodeCursor(query.cursor, sort, order, columns) };
  return { kind: 'offset', offset: query.offset ?? 0 };
}

/**
 * `links.next`: the request's own path and filters with `cursor` set to the last row's key and
 * `offset` dropped; absent when this page is the last.
 */
export function nextLink(originalUrl: string, cursor: Cursor | null): { next?: string } {
  if (!cursor) return {};
  const url = new URL(originalUrl, 'http://relative.invalid');
  url.searchParams.delete('offset');
  url.searchParams.set('cursor', encodeCursor(cursor));
  return { next: `${url.pathname}${url.search}` };
}

/**
 * The count when the page itself tells it (an offset page that is not full and not past the
 * end: everything before it plus what it holds); null when it must be counted.
 */
export function pageCount(start: PageStart, rowsFetched: number, limit: number): { numberMatched: number; numberMatchedIsEstimate: false } | null {
  if (start.kind !== 'offset' || rowsFetched > limit || (rowsFetched === 0 && start.offset > 0)) return null;
  return { numberMatched: start.offset + rowsFetched, numberMatchedIsEstimate: false };
}

/**
 * An offset page of a list that has no cursor (audit, zones, supervisions…), fetched with one row
 * more than `limit`: the page's rows and numberMatched, counted by `count` (a bounded count,
 * ./queries.ts boundedCount) only when the page does not tell it. Replaces `count(*) OVER ()`,
 * which counted every match on every page.
 */
export async function offsetPage<T>(fetched: T[], limit: number, offset: number, count: () => Promise<MatchedCount>): Promise<{ rows: T[] } & MatchedCount> {
  const counted = pageCount({ kind: 'offset', offset }, fetched.length, limit) ?? (await count());
  return { rows: fetched.slice(0, limit), ...counted };
}
