/** SQL for keyset paging and bounded counts, shared by the big lists (identifiers from allowlists). */
import type { Queryable } from '../db/database.ts';
import type { KeysetColumn, KeysetValue } from './keyset.ts';

/** `ORDER BY` text for a key; NULLS LAST only where a column can be null, so plain b-tree indexes still match. */
export function keysetOrderBy(columns: readonly KeysetColumn[]): string {
  return columns.map((column) => `${column.sql} ${column.direction.toUpperCase()}${column.nullable ? ' NULLS LAST' : ''}`).join(', ');
}

/** `json_build_array(...)` of the key, selected with each row: JSON keeps timestamps to the microsecond. */
export function keysetSelect(columns: readonly KeysetColumn[]): string {
  return `json_build_array(${columns.map((column) => column.sql).join(', ')})`;
}

/**
 * Rows strictly after `values` in the order of `columns`. A trailing run of non-null columns in
 * one direction becomes one row comparison (an index range scan); nullable columns expand to
 * "greater, or null (nulls last), or equal and the rest after". The first column also gets a
 * plain bound so the planner can seek on it.
 */
export function keysetAfter(columns: readonly KeysetColumn[], values: readonly KeysetValue[], bind: (value: unknown) => string): string {
  const comparison = (column: KeysetColumn) => (column.direction === 'asc' ? '>' : '<');
  const after = (index: number): string => {
    const rest = columns.slice(index);
    if (rest.every((column) => !column.nullable && column.direction === rest[0]!.direction)) {
      const params = rest.map((column, offset) => `${bind(values[index + offset])}::${column.type}`);
      return `(${rest.map((column) => column.sql).join(', ')}) ${comparison(rest[0]!)} (${params.join(', ')})`;
    }
    const column = columns[index]!;
    const value = values[index] ?? null;
    if (value === null) return `(${column.sql} IS NULL AND ${after(index + 1)})`;
    const param = `${bind(value)}::${column.type}`;
    const strictly = column.nullable ? `(${column.sql} ${comparison(column)} ${param} OR ${column.sql} IS NULL)` : `${column.sql} ${comparison(column)} ${param}`;
    return `(${strictly} OR (${column.sql} = ${param} AND ${after(index + 1)}))`;
  };
  const first = columns[0]!;
  const firstValue = values[0] ?? null;
  const seek = !first.nullable && firstValue !== null && columns.length > 1 ? `${first.sql} ${first.direction === 'asc' ? '>=' : '<='} ${bind(firstValue)}::${first.type} AND ` : '';
  return `(${seek}${after(0)})`;
}

/** Exact counts up to this many matches; beyond, the planner's estimate (labelled so). */
export const EXACT_COUNT_LIMIT = 10_000;

export interface MatchedCount {
  numberMatched: number;
  numberMatchedIsEstimate: boolean;
}

/**
 * Counts `SELECT 1 ${fromWhere}` exactly while there are at most `exactLimit` rows (the LIMIT
 * stops the scan there), else reads the plan's row estimate, never less than what was seen.
 */
export async function boundedCount(db: Queryable, fromWhere: string, values: readonly unknown[], exactLimit = EXACT_COUNT_LIMIT): Promise<MatchedCount> {
  const result = await db.query<{ count: number }>(
    `SELECT count(*)::integer AS count FROM (SELECT 1 ${fromWhere} LIMIT $${values.length + 1}) bounded`,
    [...values, exactLimit + 1],
  );
  const count = result.rows[0]?.count ?? 0;
  if (count <= exactLimit) return { numberMatched: count, numberMatchedIsEstimate: false };
  const plan = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) SELECT 1 ${fromWhere}`, [...values]);
  const raw = plan.rows[0]?.['QUERY PLAN'];
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: { 'Plan Rows': number } }];
  const estimate = Math.round(parsed[0]?.Plan?.['Plan Rows'] ?? 0);
  return { numberMatched: Math.max(estimate, count), numberMatchedIsEstimate: true };
}
