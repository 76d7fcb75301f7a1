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
 * `scopeColumn` (the list's jurisdiction column, e.g. `v.jurisdiction_code`) makes the estimate
 * name the request's scope explicitly instead of leaving it to the row-level security policy
 * (scopedRowEstimate says why).
 */
export async function boundedCount(
  db: Queryable,
  fromWhere: string,
  values: readonly unknown[],
  exactLimit = EXACT_COUNT_LIMIT,
  scopeColumn?: string,
): Promise<MatchedCount> {
  const result = await db.query<{ count: number }>(
    `SELECT count(*)::integer AS count FROM (SELECT 1 ${fromWhere} LIMIT $${values.length + 1}) bounded`,
    [...values, exactLimit + 1],
  );
  const count = result.rows[0]?.count ?? 0;
  if (count <= exactLimit) return { numberMatched: count, numberMatchedIsEstimate: false };
  const estimate = scopeColumn ? await scopedRowEstimate(db, fromWhere, values, scopeColumn) : await planRows(db, `SELECT 1 ${fromWhere}`, values);
  return { numberMatched: Math.max(estimate, count), numberMatchedIsEstimate: true };
}

/** The planner's row estimate of a statement (EXPLAIN only: nothing runs). */
async function planRows(db: Queryable, statement: string, values: readonly unknown[]): Promise<number> {
  const plan = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${statement}`, [...values]);
  const raw = plan.rows[0]?.['QUERY PLAN'];
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: { 'Plan Rows': number } }];
  return Math.round(parsed[0]?.Plan?.['Plan Rows'] ?? 0);
}

/**
 * The row estimate of a request's list with its scope written out. Under row-level security the
 * planner cannot see into the policy's `code IN (SELECT unnest(luyu_scope_codes()))` (a hashed
 * subplan, selectivity 0.5 by default): a province manager's 100,000 violations were estimated
 * at 50,000. So the plan is made as the connection's own role (the owner, without policies) for
 * the same filters plus `column = ANY(the scope's codes)`, which the planner estimates from the
 * column's statistics. Only EXPLAIN runs as the owner — no row is read — and the scope it adds is
 * exactly what the policy lets this request see. Outside a scoped request (no luyu_app role) the
 * plain plan already has no policy in it.
 */
async function scopedRowEstimate(db: Queryable, fromWhere: string, values: readonly unknown[], scopeColumn: string): Promise<number> {
  const scope = await db.query<{ scoped: boolean; codes: string[] | null; top: boolean }>(
    `SELECT current_user = 'luyu_app' AS scoped, luyu_scope_codes() AS codes, luyu_scope_is_top() AS top`,
  );
  const { scoped, codes, top } = scope.rows[0]!;
  if (!scoped) return planRows(db, `SELECT 1 ${fromWhere}`, values);
  // The top of the tree sees every code below it and rows without one: the whole table, so no
  // predicate (`= ANY(…) OR IS NULL` would be estimated as if the two overlapped: ~8 % low in the
  // test). Otherwise the subquery is pulled up into one scan, so the scope predicate meets the
  // column's statistics.
  const statement = top
    ? `SELECT 1 ${fromWhere}`
    : `SELECT 1 FROM (SELECT ${scopeColumn} AS scope_code ${fromWhere}) matched WHERE scope_code = ANY($${values.length + 1}::text[])`;
  // SET LOCAL ROLE NONE: back to the session's role for this one EXPLAIN, then luyu_app again. If
  // the EXPLAIN fails the transaction is aborted and rolls back (ending both settings) before
  // anything else can run in it.
  await db.query(`SELECT set_config('role', 'none', true)`);
  const estimate = await planRows(db, statement, top ? values : [...values, codes ?? []]);
  await db.query(`SELECT set_config('role', 'luyu_app', true)`);
  return estimate;
}
