import type { Queryable } from '../db/database.ts';
import { boundedCount, type MatchedCount } from '../paging/queries.ts';

export async function nextSupervisionSequence(db: Queryable, jurisdictionCode: string): Promise<{ year: number; sequence: number }> {
  // The counter row stays locked until the transaction ends: numbers are handed out one at a
  // time and a rolled-back supervision returns its number (gap-free).
  const result = await db.query<{ year: number; sequence: number }>(
    `INSERT INTO supervision_number_counters (jurisdiction_code, year, last_sequence)
     VALUES ($1, extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::integer, 1)
     ON CONFLICT (jurisdiction_code, year) DO UPDATE SET last_sequence = supervision_number_counters.last_sequence + 1
     RETURNING year, last_sequence AS sequence`,
    [jurisdictionCode],
  );
  return result.rows[0]!;
}

export interface ResponsibleUserRow {
  id: number;
  username: string;
  display_name: string | null;
  role: string;
  jurisdiction_code: string;
  is_active: boolean;
}

export async function selectUserByUsername(db: Queryable, username: string): Promise<ResponsibleUserRow | undefined> {
  const result = await db.query<ResponsibleUserRow>(
    'SELECT id, username, display_name, role, jurisdiction_code, disabled_at IS NULL AS is_active FROM users WHERE username = $1',
    [username],
  );
  return result.rows[0];
}

/** Officers and managers of a unit: who can be named responsible. */
export async function selectResponsibleCandidates(db: Queryable, jurisdictionCode: string): Promise<ResponsibleUserRow[]> {
  const result = await db.query<ResponsibleUserRow>(
    `SELECT id, username, display_name, role, jurisdiction_code, true AS is_active FROM users
     WHERE jurisdiction_code = $1 AND role IN ('officer', 'manager') AND disabled_at IS NULL ORDER BY username`,
    [jurisdictionCode],
  );
  return result.rows;
}

export interface SupervisedCaseRow {
  id: number;
  case_number: string | null;
  status: string;
  jurisdiction_code: string | null;
}

export async function selectSupervisedCase(db: Queryable, violationId: number): Promise<SupervisedCaseRow | undefined> {
  const result = await db.query<SupervisedCaseRow>('SELECT id, case_number, status, jurisdiction_code FROM violations WHERE id = $1', [violationId]);
  return result.rows[0];
}

/** Open cases (overdue only, or of one category) of a unit and the units below it. */
export async function countBacklog(db: Queryable, jurisdictionCode: string, backlog: { overdue: boolean; category: string | null }, today: string): Promise<number> {
  const result = await db.query<{ cases: number }>(
    `WITH RECURSIVE below AS (
       SELECT code FROM jurisdictions WHERE code = $1
       UNION ALL SELECT child.code FROM jurisdictions child JOIN below ON child.parent_code = below.code)
     SELECT count(*)::integer AS cases FROM violations v
     WHERE v.jurisdiction_code IN (SELECT code FROM below) AND v.is_violation
       AND v.status IN ('reported', 'verified', 'notice_issued', 'rectifying', 'reminded', 'forced_removal')
       AND ($3::text IS NULL OR v.category = $3)
       AND (NOT $2 OR (v.status IN ('notice_issued', 'rectifying', 'reminded', 'forced_removal') AND v.deadline_at < ($4::date::timestamp AT TIME ZONE 'Asia/Shanghai')))`,
    [jurisdictionCode, backlog.overdue, backlog.category, today],
  );
  return result.rows[0]!.cases;
}

export interface NewSupervision {
  supervisionNumber: string;
  issuingJurisdictionCode: string;
  subject: 'case' | 'backlog';
  violationId: number | null;
  backlog: unknown;
  responsibleJurisdictionCode: string;
  responsibleUserId: number;
  deadline: string;
  instructions: string;
  createdBy: number;
}

export async function insertSupervision(db: Queryable, row: NewSupervision): Promise<number> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO supervisions (supervision_number, issuing_jurisdiction_code, subject, violation_id, backlog, responsible_jurisdiction_code,
                               responsible_user_id, deadline, instructions, created_by)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8::date, $9, $10) RETURNING id`,
    [
      row.supervisionNumber,
      row.issuingJurisdictionCode,
      row.subject,
      row.violationId,
      row.backlog === null ? null : JSON.stringify(row.backlog),
      row.responsibleJurisdictionCode,
      row.responsibleUserId,
      row.deadline,
      row.instructions,
      row.createdBy,
    ],
  );
  return result.rows[0]!.id;
}

export async function insertSupervisionEvent(
  db: Queryable,
  event: { supervisionId: number; event: string; fromStatus: string | null; toStatus: string; actorUserId: number; actorUsername: string; actorRole: string; note: string | null; details: unknown },
): Promise<void> {
  await db.query(
    `INSERT INTO supervision_events (supervision_id, event, from_status, to_status, actor_user_id, actor_username, actor_role, note, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
    [event.supervisionId, event.event, event.fromStatus, event.toStatus, event.actorUserId, event.actorUsername, event.actorRole, event.note, JSON.stringify(event.details)],
  );
}

export interface SupervisionStateRow {
  id: number;
  status: string;
  version: number;
  responsible_user_id: number;
  urge_count: number;
}

export async function selectSupervisionStates(db: Queryable, ids: readonly number[]): Promise<SupervisionStateRow[]> {
  const result = await db.query<SupervisionStateRow>(
    'SELECT id, status, version, responsible_user_id, urge_count FROM supervisions WHERE id = ANY ($1::bigint[]) ORDER BY id',
    [ids],
  );
  return result.rows;
}

export interface SupervisionFilter {
  status?: readonly string[];
  /** Deadline passed and not done (Asia/Shanghai days). */
  overdue?: boolean;
  /** Responsible unit at or below. */
  unit?: string;
  /** Overdue and responsible unit strictly below this unit (escalated to it or to a unit below it). */
  escalatedWithin?: string;
  responsibleUserId?: number;
  violationId?: number;
  deadlineFrom?: string;
  deadlineTo?: string;
  /** Judged late: done after the deadline, or not done and the deadline passed (scoring rule supervision_on_time). */
  late?: boolean;
}

export interface SupervisionRow {
  id: number;
  supervision_number: string;
  subject: 'case' | 'backlog';
  violation_id: number | null;
  case_number: string | null;
  case_status: string | null;
  backlog: { overdue: boolean; category: string | null; casesWhenIssued: number } | null;
  issuing_code: string;
  issuing_name: string;
  responsible_code: string;
  responsible_name: string;
  responsible_parent_code: string | null;
  responsible_parent_name: string | null;
  responsible_username: string;
  responsible_display_name: string | null;
  deadline: string;
  instructions: string;
  status: string;
  version: number;
  urge_count: number;
  accepted_at: Date | null;
  done_at: Date | null;
  followed_up_at: Date | null;
  satisfaction: string | null;
  created_by_username: string | null;
  created_at: Date;
  overdue: boolean;
}

const OPEN = `('assigned', 'accepted', 'supervising')`;

/** `today` gives the parameter holding today's date (the list binds it as $1; the count only when a filter needs it). */
function whereClauses(filter: SupervisionFilter, values: unknown[], today: () => string): string[] {
  const bind = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const below = (code: string, strictly: boolean) =>
    `s.responsible_jurisdiction_code IN (WITH RECURSIVE below AS (
       SELECT code FROM jurisdictions WHERE code = ${bind(code)}
       UNION ALL SELECT child.code FROM jurisdictions child JOIN below ON child.parent_code = below.code)
     SELECT code FROM below${strictly ? ` WHERE code <> $${values.length}` : ''})`;
  const clauses: string[] = [];
  const overdue = () => `(s.status IN ${OPEN} AND s.deadline < ${today()}::date)`;
  if (filter.status?.length) clauses.push(`s.status = ANY (${bind(filter.status)}::text[])`);
  if (filter.overdue !== undefined) clauses.push(filter.overdue ? overdue() : `NOT ${overdue()}`);
  if (filter.unit) clauses.push(below(filter.unit, false));
  if (filter.escalatedWithin) clauses.push(overdue(), below(filter.escalatedWithin, true));
  if (filter.responsibleUserId !== undefined) clauses.push(`s.responsible_user_id = ${bind(filter.responsibleUserId)}`);
  if (filter.violationId !== undefined) clauses.push(`s.violation_id = ${bind(filter.violationId)}`);
  if (filter.deadlineFrom) clauses.push(`s.deadline >= ${bind(filter.deadlineFrom)}::date`);
  if (filter.deadlineTo) clauses.push(`s.deadline <= ${bind(filter.deadlineTo)}::date`);
  if (filter.late !== undefined) {
    const late = `((s.done_at IS NOT NULL AND (s.done_at AT TIME ZONE 'Asia/Shanghai')::date > s.deadline) OR (s.done_at IS NULL AND s.deadline < ${today()}::date))`;
    clauses.push(filter.late ? late : `NOT ${late}`);
  }
  return clauses;
}

const SUPERVISION_COLUMNS = `s.id, s.supervision_number, s.subject, s.violation_id, v.case_number, v.status AS case_status, s.backlog,
  s.issuing_jurisdiction_code AS issuing_code, ij.name AS issuing_name,
  s.responsible_jurisdiction_code AS responsible_code, rj.name AS responsible_name,
  rj.parent_code AS responsible_parent_code, pj.name AS responsible_parent_name,
  ru.username AS responsible_username, ru.display_name AS responsible_display_name,
  to_char(s.deadline, 'YYYY-MM-DD') AS deadline, s.instructions, s.status, s.version, s.urge_count,
  s.accepted_at, s.done_at, s.followed_up_at, s.satisfaction,
  (SELECT cu.username FROM users cu WHERE cu.id = s.created_by) AS created_by_username, s.created_at,
  (s.status IN ${OPEN} AND s.deadline < $1::date) AS overdue`;
const SUPERVISION_FROM = `supervisions s
  JOIN jurisdictions ij ON ij.code = s.issuing_jurisdiction_code
  JOIN jurisdictions rj ON rj.code = s.responsible_jurisdiction_code
  LEFT JOIN jurisdictions pj ON pj.code = rj.parent_code
  LEFT JOIN violations v ON v.id = s.violation_id
  LEFT JOIN users ru ON ru.id = s.responsible_user_id`;

/** Overdue first, then by deadline; `limit` rows and one more (server/paging offsetPage). `today` is $1. */
export async function selectSupervisions(db: Queryable, filter: SupervisionFilter, today: string, limit: number, offset: number): Promise<SupervisionRow[]> {
  const values: unknown[] = [today];
  const clauses = whereClauses(filter, values, () => '$1');
  values.push(limit + 1, offset);
  const result = await db.query<SupervisionRow>(
    `SELECT ${SUPERVISION_COLUMNS}
     FROM ${SUPERVISION_FROM}
     ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}
     ORDER BY (s.status IN ${OPEN} AND s.deadline < $1::date) DESC, s.status IN ${OPEN} DESC, s.deadline, s.id
     LIMIT $${values.length - 1} OFFSET $${values.length}`,
    values,
  );
  return result.rows;
}

/**
 * How many supervisions match (exact up to EXACT_COUNT_LIMIT, then estimated). The list's joins
 * are to parents by NOT NULL keys or optional: they never change the count, so it reads the table alone.
 */
export async function countSupervisions(db: Queryable, filter: SupervisionFilter, today: string): Promise<MatchedCount> {
  const values: unknown[] = [];
  let todayParam: string | undefined;
  const clauses = whereClauses(filter, values, () => {
    if (todayParam === undefined) {
      values.push(today);
      todayParam = `$${values.length}`;
    }
    return todayParam;
  });
  return boundedCount(db, `FROM supervisions s ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}`, values);
}

export async function selectSupervision(db: Queryable, id: number, today: string): Promise<SupervisionRow | undefined> {
  const result = await db.query<SupervisionRow>(`SELECT ${SUPERVISION_COLUMNS} FROM ${SUPERVISION_FROM} WHERE s.id = $2`, [today, id]);
  return result.rows[0];
}

export interface SupervisionEventRow {
  id: number;
  event: string;
  from_status: string | null;
  to_status: string;
  occurred_at: Date;
  actor_username: string | null;
  actor_role: string | null;
  note: string | null;
  details: Record<string, unknown>;
}

export async function selectSupervisionEvents(db: Queryable, id: number): Promise<SupervisionEventRow[]> {
  const result = await db.query<SupervisionEventRow>(
    `SELECT id, event, from_status, to_status, occurred_at, actor_username, actor_role, note, details
     FROM supervision_events WHERE supervision_id = $1 ORDER BY occurred_at, id`,
    [id],
  );
  return result.rows;
}
