import type { Queryable } from '../db/database.ts';

// The jurisdiction and everything below it ($2 = its code).
const SCOPE_CTE = `scope AS (
  SELECT code FROM jurisdictions WHERE code = $2
  UNION SELECT child.code FROM jurisdictions child JOIN scope ON child.parent_code = scope.code)`;

// End of the planning date in Asia/Shanghai ($1 = 'YYYY-MM-DD').
const DAY_END = `(($1::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`;

/**
 * Point tasks on a date: leads sent to the field, cleared cases waiting for re-inspection (due
 * within $4 days of clearing or of the deadline, whichever is later), rectification deadlines that
 * passed. Parameters: $1 date, $2 jurisdiction, $3 rules json
 * {noticeStatuses, reinspectionStatus, fieldStatus}, $4 re-inspection days.
 */
const POINT_TASKS_CTE = `point_tasks AS (
  SELECT 'field_verification'::text AS kind, 'detection'::text AS source_type, d.id AS source_id, d.segment_id, d.route_code,
         d.stake_from_meters AS chainage_meters, d.jurisdiction_code, ST_PointOnSurface(d.geom) AS point,
         d.reviewed_at AS since_at, NULL::timestamptz AS due_at, d.candidate_category AS category, NULL::text AS case_number
  FROM detections d
  WHERE d.review_status = $3::json->>'fieldStatus' AND coalesce(d.reviewed_at, d.created_at) < ${DAY_END}
    AND d.jurisdiction_code IN (SELECT code FROM scope)
  UNION ALL
  SELECT 'reinspection', 'violation', v.id, v.segment_id, v.route_code, v.chainage_meters, v.jurisdiction_code, ST_PointOnSurface(v.geom),
         cleared.at, greatest(cleared.at, v.deadline_at) + make_interval(days => $4::integer), v.category, v.case_number
  FROM violations v
  LEFT JOIN LATERAL (SELECT max(e.occurred_at) AS at FROM case_events e WHERE e.violation_id = v.id AND e.to_status = v.status) cleared ON true
  WHERE v.status = $3::json->>'reinspectionStatus' AND coalesce(cleared.at, v.updated_at) < ${DAY_END}
    AND v.jurisdiction_code IN (SELECT code FROM scope)
  UNION ALL
  SELECT 'notice_deadline', 'violation', v.id, v.segment_id, v.route_code, v.chainage_meters, v.jurisdiction_code, ST_PointOnSurface(v.geom),
         v.deadline_at, v.deadline_at, v.category, v.case_number
  FROM violations v
  WHERE v.status IN (SELECT json_array_elements_text($3::json->'noticeStatuses')) AND v.deadline_at < ${DAY_END}
    AND v.jurisdiction_code IN (SELECT code FROM scope))`;

export interface DueRuleParameters {
  date: string;
  jurisdictionCode: string;
  rules: { noticeStatuses: readonly string[]; reinspectionStatus: string; fieldStatus: string };
  reinspectionDays: number;
}

function ruleValues(parameters: DueRuleParameters): unknown[] {
  return [parameters.date, parameters.jurisdictionCode, JSON.stringify(parameters.rules), parameters.reinspectionDays];
}

export interface PointTaskRow {
  kind: string;
  source_type: 'detection' | 'violation';
  source_id: number;
  segment_id: number | null;
  route_code: string | null;
  chainage_meters: number | null;
  jurisdiction_code: string | null;
  lon: number;
  lat: number;
  since_at: Date | null;
  due_at: Date | null;
  overdue_days: number;
  category: string | null;
  case_number: string | null;
}

export async function selectPointTasks(db: Queryable, parameters: DueRuleParameters): Promise<PointTaskRow[]> {
  const result = await db.query<PointTaskRow>(
    `WITH RECURSIVE ${SCOPE_CTE}, ${POINT_TASKS_CTE}
     SELECT kind, source_type, source_id, segment_id, route_code, chainage_meters, jurisdiction_code,
            ST_X(point) AS lon, ST_Y(point) AS lat, since_at, due_at,
            CASE WHEN due_at IS NULL THEN 0 ELSE greatest(0, $1::date - (due_at AT TIME ZONE 'Asia/Shanghai')::date) END AS overdue_days,
            category, case_number
     FROM point_tasks
     ORDER BY kind, source_id`,
    ruleValues(parameters),
  );
  return result.rows;
}

export interface DueSegmentRow {
  id: number;
  route_code: string;
  route_name: string;
  direction: 1 | -1;
  chainage_from_meters: number;
  chainage_to_meters: number;
  length_meters: number;
  admin_class: string;
  jurisdiction_code: string | null;
  geometry: GeoJSON.LineString;
  last_patrolled_at: Date | null;
  interval_days: number;
  days_since_patrol: number | null;
  task_kinds: string[];
}

/**
 * Segments due on a date: never patrolled, their class's interval (the jurisdiction's own, else
 * the default in $5) reached since the last patrol recorded in segment_patrols up to the end of
 * the date, or carrying a point task.
 */
export async function selectDueSegments(db: Queryable, parameters: DueRuleParameters, defaultIntervalDays: Readonly<Record<string, number>>): Promise<DueSegmentRow[]> {
  const result = await db.query<DueSegmentRow>(
    `WITH RECURSIVE ${SCOPE_CTE}, ${POINT_TASKS_CTE},
     last_patrol AS (
       SELECT sp.segment_id, max(sp.patrolled_at) AS last_at FROM segment_patrols sp
       WHERE sp.patrolled_at < ${DAY_END} GROUP BY sp.segment_id),
     defaults AS (SELECT key AS admin_class, value::integer AS interval_days FROM json_each_text($5::json)),
     segment_tasks AS (
       SELECT segment_id, array_agg(DISTINCT kind ORDER BY kind) AS kinds FROM point_tasks WHERE segment_id IS NOT NULL GROUP BY segment_id),
     candidates AS (
       SELECT s.*, lp.last_at, coalesce(f.interval_days, d.interval_days) AS interval_days,
              $1::date - (lp.last_at AT TIME ZONE 'Asia/Shanghai')::date AS days_since, t.kinds
       FROM segments s
       JOIN defaults d ON d.admin_class = s.admin_class
       LEFT JOIN last_patrol lp ON lp.segment_id = s.id
       LEFT JOIN patrol_frequencies f ON f.jurisdiction_code = s.jurisdiction_code AND f.admin_class = s.admin_class
       LEFT JOIN segment_tasks t ON t.segment_id = s.id
       WHERE s.jurisdiction_code IN (SELECT code FROM scope))
     SELECT c.id, c.route_code, r.name AS route_name, c.direction, c.chainage_from_meters, c.chainage_to_meters, c.length_meters,
            c.admin_class, c.jurisdiction_code, ST_AsGeoJSON(ST_Force2D(c.centreline), 7)::json AS geometry,
            c.last_at AS last_patrolled_at, c.interval_days, c.days_since AS days_since_patrol, coalesce(c.kinds, '{}') AS task_kinds
     FROM candidates c JOIN routes r ON r.code = c.route_code
     WHERE c.last_at IS NULL OR c.days_since >= c.interval_days OR c.kinds IS NOT NULL
     ORDER BY c.route_code, c.direction DESC, c.chainage_from_meters, c.id`,
    [...ruleValues(parameters), JSON.stringify(defaultIntervalDays)],
  );
  return result.rows;
}

export interface FrequencyRow {
  jurisdiction_code: string;
  admin_class: string;
  interval_days: number;
  version: number;
  updated_at: Date;
}

export async function selectFrequencies(db: Queryable, jurisdictionCode: string): Promise<FrequencyRow[]> {
  const result = await db.query<FrequencyRow>(
    `SELECT jurisdiction_code, admin_class, interval_days, version, updated_at FROM patrol_frequencies WHERE jurisdiction_code = $1`,
    [jurisdictionCode],
  );
  return result.rows;
}

/**
 * Sets a jurisdiction's interval for a class. `expectedVersion` null: the row must not exist yet
 * (the default applied); a number: the row must still have it. Returns null on a stale version.
 */
export async function upsertFrequency(
  db: Queryable,
  row: { jurisdictionCode: string; adminClass: string; intervalDays: number; expectedVersion: number | null; userId: number },
): Promise<FrequencyRow | null> {
  const result =
    row.expectedVersion === null
      ? await db.query<FrequencyRow>(
          `INSERT INTO patrol_frequencies (jurisdiction_code, admin_class, interval_days, updated_by) VALUES ($1, $2, $3, $4)
           ON CONFLICT (jurisdiction_code, admin_class) DO NOTHING
           RETURNING jurisdiction_code, admin_class, interval_days, version, updated_at`,
          [row.jurisdictionCode, row.adminClass, row.intervalDays, row.userId],
        )
      : await db.query<FrequencyRow>(
          `UPDATE patrol_frequencies SET interval_days = $3, updated_by = $4, version = version + 1, updated_at = now()
           WHERE jurisdiction_code = $1 AND admin_class = $2 AND version = $5
           RETURNING jurisdiction_code, admin_class, interval_days, version, updated_at`,
          [row.jurisdictionCode, row.adminClass, row.intervalDays, row.userId, row.expectedVersion],
        );
  return result.rows[0] ?? null;
}

/** Records patrolled segments (completed assignments, matched tracks, manual entries). */
export async function insertSegmentPatrols(
  db: Queryable,
  rows: readonly { segmentId: number; patrolledAt: Date | string; source: 'assignment' | 'track' | 'manual'; assignmentId?: number | null; crewId?: number | null; isDemo?: boolean }[],
): Promise<number> {
  const result = await db.query(
    `INSERT INTO segment_patrols (segment_id, patrolled_at, source, assignment_id, crew_id, jurisdiction_code, is_demo)
     SELECT r.segment_id, r.patrolled_at, r.source, r.assignment_id, r.crew_id, s.jurisdiction_code, coalesce(r.is_demo, false)
     FROM json_to_recordset($1::json) AS r(segment_id bigint, patrolled_at timestamptz, source text, assignment_id bigint, crew_id bigint, is_demo boolean)
     JOIN segments s ON s.id = r.segment_id`,
    [
      JSON.stringify(
        rows.map((row) => ({
          segment_id: row.segmentId,
          patrolled_at: row.patrolledAt instanceof Date ? row.patrolledAt.toISOString() : row.patrolledAt,
          source: row.source,
          assignment_id: row.assignmentId ?? null,
          crew_id: row.crewId ?? null,
          is_demo: row.isDemo ?? false,
        })),
      ),
    ],
  );
  return result.rowCount ?? 0;
}
