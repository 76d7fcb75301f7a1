/**
 * The kernel's SQL, generic over a workflow's table. Identifiers come only from a
 * {@link WorkflowTableNames} that code declares (never from a request) and are checked against a
 * plain-identifier pattern when the table is declared; every value is a bind parameter.
 */
import type { Queryable } from '../db/database.ts';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Where a workflow's records and their events live. */
export interface WorkflowTableNames {
  table: string;
  idColumn: string;
  statusColumn: string;
  versionColumn: string;
  /** Columns a workflow's hooks may set together with the status (allowlist). */
  updatableColumns: readonly string[];
  /**
   * The append-only event table, with the standard columns: <entityColumn>, event, from_status,
   * to_status, actor_user_id, actor_username, actor_role, note, details (jsonb); occurred_at defaults to now().
   */
  eventTable: string;
  eventEntityColumn: string;
}

/** Throws at declaration time when a name is not a plain identifier (they are spliced into SQL). */
export function assertTableNames(names: WorkflowTableNames): void {
  const all = [names.table, names.idColumn, names.statusColumn, names.versionColumn, names.eventTable, names.eventEntityColumn, ...names.updatableColumns];
  for (const name of all) if (!IDENTIFIER.test(name)) throw new Error(`workflow table: "${name}" is not a plain SQL identifier`);
}

/** A column value meaning the database's `now()` (the transaction's time), not a bind parameter. */
export const WORKFLOW_NOW = Symbol('now()');

/**
 * Locks the rows among `ids` this request can see, in id order. Two bulk operations over
 * overlapping rows then queue behind each other instead of each holding what the other waits for.
 */
export async function lockRowsInIdOrder(db: Queryable, names: WorkflowTableNames, ids: readonly number[]): Promise<number[]> {
  const result = await db.query<{ id: number }>(
    `SELECT ${names.idColumn} AS id FROM ${names.table} WHERE ${names.idColumn} = ANY($1::bigint[]) ORDER BY ${names.idColumn} FOR UPDATE`,
    [ids],
  );
  return result.rows.map((row) => Number(row.id));
}

/**
 * The optimistic step: status and version change only if the row is still in `fromStatus` at
 * `expectedVersion`. Undefined = someone changed it meanwhile.
 */
export async function updateStatusIfUnchanged(
  db: Queryable,
  names: WorkflowTableNames,
  update: { id: number; fromStatus: string; expectedVersion: number; toStatus: string; columns: Readonly<Record<string, unknown>> },
): Promise<{ version: number } | undefined> {
  const values: unknown[] = [update.id, update.fromStatus, update.expectedVersion, update.toStatus];
  const sets = [`${names.statusColumn} = $4`, `${names.versionColumn} = ${names.versionColumn} + 1`];
  for (const [column, value] of Object.entries(update.columns)) {
    if (!names.updatableColumns.includes(column)) throw new Error(`workflow ${names.table}: column ${column} is not in updatableColumns`);
    if (value === WORKFLOW_NOW) {
      sets.push(`${column} = now()`);
    } else {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    }
  }
  const result = await db.query<{ version: number }>(
    `UPDATE ${names.table} SET ${sets.join(', ')}
     WHERE ${names.idColumn} = $1 AND ${names.statusColumn} = $2 AND ${names.versionColumn} = $3
     RETURNING ${names.versionColumn} AS version`,
    values,
  );
  return result.rows[0];
}

export interface StandardEventRow {
  entityId: number;
  event: string;
  fromStatus: string;
  toStatus: string;
  actorUserId: number | null;
  actorUsername: string | null;
  actorRole: string | null;
  note: string | null;
  details: Record<string, unknown>;
}

/** Appends event rows set-wise into a table with the standard columns. */
export async function insertStandardEvents(db: Queryable, names: WorkflowTableNames, rows: readonly StandardEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO ${names.eventTable} (${names.eventEntityColumn}, event, from_status, to_status, actor_user_id, actor_username, actor_role, note, details)
     SELECT e."entityId", e.event, e."fromStatus", e."toStatus", e."actorUserId", e."actorUsername", e."actorRole", e.note, coalesce(e.details, '{}')
     FROM json_to_recordset($1::json) AS e("entityId" bigint, event text, "fromStatus" text, "toStatus" text, "actorUserId" bigint,
          "actorUsername" text, "actorRole" text, note text, details jsonb)`,
    [JSON.stringify(rows)],
  );
}

export async function savepoint(db: Queryable, name: string): Promise<void> {
  await db.query(`SAVEPOINT ${name}`);
}

export async function rollbackToSavepoint(db: Queryable, name: string): Promise<void> {
  await db.query(`ROLLBACK TO SAVEPOINT ${name}`);
}

export async function releaseSavepoint(db: Queryable, name: string): Promise<void> {
  await db.query(`RELEASE SAVEPOINT ${name}`);
}
