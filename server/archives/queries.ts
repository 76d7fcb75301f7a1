import type { Queryable } from '../db/database.ts';

/**
 * The archives' SQL. Periods are Asia/Shanghai calendar days, `from` and `to` both included: the
 * bounds are turned into instants once ($2 00:00 and $3 + 1 day 00:00 Shanghai time) so the
 * timestamp columns are compared as they are (their indexes stay usable).
 */
const BOUNDS = `($2::date)::timestamp AT TIME ZONE 'Asia/Shanghai'`;
const BOUNDS_END = `($3::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'`;

export interface ArchiveSegmentRow {
  id: number;
  route_code: string;
  route_name: string | null;
  direction: number;
  chainage_from_meters: number;
  chainage_to_meters: number;
  length_meters: number;
  jurisdiction_code: string;
  jurisdiction_name: string | null;
}

/** The segment as RLS lets the caller see it (another district's: none). */
export async function selectArchiveSegment(db: Queryable, segmentId: number): Promise<ArchiveSegmentRow | null> {
  const result = await db.query<ArchiveSegmentRow>(
    `SELECT s.id::integer AS id, s.route_code, r.name AS route_name, s.direction, s.chainage_from_meters, s.chainage_to_meters, s.length_meters,
            s.jurisdiction_code, j.name AS jurisdiction_name
     FROM segments s LEFT JOIN routes r ON r.code = s.route_code LEFT JOIN jurisdictions j ON j.code = s.jurisdiction_code
     WHERE s.id = $1`,
    [segmentId],
  );
  return result.rows[0] ?? null;
}

export interface SegmentPatrolRow {
  assignment_id: number;
  assignment_date: string;
  at: Date;
  status: string;
  crew_name: string;
  assigned: boolean;
  covered_share: number;
  covered_ranges: { from: number; to: number }[];
}

/** Started assignments that had the segment assigned or whose track covered it, with the covered stake ranges. */
export async function selectSegmentPatrols(db: Queryable, segmentId: number, from: string, to: string): Promise<SegmentPatrolRow[]> {
  const result = await db.query<SegmentPatrolRow>(
    `SELECT a.id::integer AS assignment_id, a.assignment_date::text AS assignment_date,
            coalesce(c.first_covered_at, a.started_at, a.assignment_date::timestamp AT TIME ZONE 'Asia/Shanghai') AS at,
            a.status, cr.name AS crew_name, (p.segment_id IS NOT NULL) AS assigned, coalesce(c.covered_share, 0)::float8 AS covered_share,
            coalesce((SELECT json_agg(json_build_object(
                        'from', round(ST_M(ST_LineInterpolatePoint(s.centreline, lower(r)::float8))::numeric, 0),
                        'to', round(ST_M(ST_LineInterpolatePoint(s.centreline, upper(r)::float8))::numeric, 0)) ORDER BY lower(r))
                      FROM unnest(c.covered_fractions) r), '[]'::json) AS covered_ranges
     FROM patrol_assignments a
     JOIN crews cr ON cr.id = a.crew_id
     JOIN segments s ON s.id = $1
     LEFT JOIN patrol_assignment_segments p ON p.assignment_id = a.id AND p.segment_id = $1
     LEFT JOIN segment_track_coverage c ON c.assignment_id = a.id AND c.segment_id = $1
     WHERE (p.segment_id IS NOT NULL OR c.segment_id IS NOT NULL)
       AND a.status IN ('in_progress', 'paused', 'completed')
       AND a.assignment_date BETWEEN $2::date AND $3::date`,
    [segmentId, from, to],
  );
  return result.rows;
}

/** Patrols recorded by hand (not from an assignment or a track). */
export async function selectSegmentManualPatrols(db: Queryable, segmentId: number, from: string, to: string) {
  const result = await db.query<{ id: number; at: Date; crew_name: string | null }>(
    `SELECT p.id::integer AS id, p.patrolled_at AS at, cr.name AS crew_name
     FROM segment_patrols p LEFT JOIN crews cr ON cr.id = p.crew_id
     WHERE p.segment_id = $1 AND p.source = 'manual' AND p.patrolled_at >= ${BOUNDS} AND p.patrolled_at < ${BOUNDS_END}`,
    [segmentId, from, to],
  );
  return result.rows;
}

export interface ArchiveViolationRow {
  id: number;
  at: Date;
  category: string;
  case_number: string | null;
  status: string;
  source: string;
  route_code: string | null;
  chainage_meters: number | null;
  side: string | null;
  primary_zone: string | null;
  is_violation: boolean;
  reporter: string | null;
}

const VIOLATION_COLUMNS = `v.id::integer AS id, v.reported_at AS at, v.category, v.case_number, v.status, v.source, v.route_code, v.chainage_meters, v.side,
            v.zones[1] AS primary_zone, v.is_violation, coalesce(u.display_name, u.username) AS reporter`;

export async function selectSegmentViolations(db: Queryable, segmentId: number, from: string, to: string): Promise<ArchiveViolationRow[]> {
  const result = await db.query<ArchiveViolationRow>(
    `SELECT ${VIOLATION_COLUMNS}
     FROM violations v LEFT JOIN users u ON u.id = v.reported_by
     WHERE v.segment_id = $1 AND v.reported_at >= ${BOUNDS} AND v.reported_at < ${BOUNDS_END}`,
    [segmentId, from, to],
  );
  return result.rows;
}

export interface ArchiveLeadRow {
  id: number;
  at: Date;
  candidate_category: string | null;
  change_type: string;
  review_status: string;
  reviewed_at: Date | null;
  reviewed_by_username: string | null;
  route_code: string | null;
  stake_from_meters: number | null;
  side: string | null;
  primary_zone: string | null;
  case_number: string | null;
}

/** Satellite leads on the segment that arrived in the period. */
export async function selectSegmentLeads(db: Queryable, segmentId: number, from: string, to: string): Promise<ArchiveLeadRow[]> {
  const result = await db.query<ArchiveLeadRow>(
    `SELECT d.id::integer AS id, d.created_at AS at, d.candidate_category, d.change_type, d.review_status, d.reviewed_at, d.reviewed_by_username,
            d.route_code, d.stake_from_meters, d.side, d.primary_zone, v.case_number
     FROM detections d LEFT JOIN violations v ON v.id = d.violation_id
     WHERE d.segment_id = $1 AND d.created_at >= ${BOUNDS} AND d.created_at < ${BOUNDS_END}`,
    [segmentId, from, to],
  );
  return result.rows;
}

export interface ArchiveCaseEventRow {
  id: number;
  violation_id: number;
  at: Date;
  event: string;
  to_status: string;
  actor: string | null;
  note: string | null;
  category: string;
  case_number: string | null;
  route_code: string | null;
  chainage_meters: number | null;
  side: string | null;
}

const CASE_EVENT_COLUMNS = `e.id::integer AS id, v.id::integer AS violation_id, e.occurred_at AS at, e.event, e.to_status, e.actor_username AS actor, e.note,
            v.category, v.case_number, v.route_code, v.chainage_meters, v.side`;

/**
 * What happened in the period to the cases on the segment (the case workflow's event rows); the
 * 'report' row is the finding itself, listed as such.
 */
export async function selectSegmentCaseEvents(db: Queryable, segmentId: number, from: string, to: string): Promise<ArchiveCaseEventRow[]> {
  const result = await db.query<ArchiveCaseEventRow>(
    `SELECT ${CASE_EVENT_COLUMNS}
     FROM case_events e JOIN violations v ON v.id = e.violation_id
     WHERE v.segment_id = $1 AND e.event <> 'report' AND e.occurred_at >= ${BOUNDS} AND e.occurred_at < ${BOUNDS_END}`,
    [segmentId, from, to],
  );
  return result.rows;
}

/** The unit as the caller may see it: only a unit inside the caller's scope (else null). */
export async function selectArchiveUnit(db: Queryable, code: string) {
  const result = await db.query<{ code: string; name: string; level: string }>(
    `SELECT code, name, level FROM jurisdictions WHERE code = $1 AND luyu_in_scope(code)`,
    [code],
  );
  return result.rows[0] ?? null;
}

/** The unit and every unit below it (a city's archive holds its districts' records). */
const UNIT_TREE = `WITH RECURSIVE unit_tree AS (
       SELECT code FROM jurisdictions WHERE code = $1
       UNION ALL
       SELECT j.code FROM jurisdictions j JOIN unit_tree t ON j.parent_code = t.code
     )`;

export interface UnitPatrolLogRow {
  assignment_id: number;
  assignment_date: string;
  at: Date;
  status: string;
  crew_name: string;
  started_at: Date | null;
  completed_at: Date | null;
  distance_meters: number;
  progress: number;
  segments_assigned: number;
  weather: string | null;
}

/**
 * Patrol logs (started assignments) of the unit in the period. progress = Σ assigned length ×
 * covered share ÷ Σ assigned length, as the coverage endpoint computes it.
 */
export async function selectUnitPatrolLogs(db: Queryable, code: string, from: string, to: string): Promise<UnitPatrolLogRow[]> {
  const result = await db.query<UnitPatrolLogRow>(
    `${UNIT_TREE}
     SELECT a.id::integer AS assignment_id, a.assignment_date::text AS assignment_date,
            coalesce(a.started_at, a.assignment_date::timestamp AT TIME ZONE 'Asia/Shanghai') AS at,
            a.status, cr.name AS crew_name, a.started_at, a.completed_at,
            coalesce((SELECT sum(t.length_meters) FROM patrol_tracks t WHERE t.assignment_id = a.id), 0)::float8 AS distance_meters,
            coalesce((SELECT sum(s.length_meters * coalesce(c.covered_share, 0)) / nullif(sum(s.length_meters), 0)
                      FROM patrol_assignment_segments p JOIN segments s ON s.id = p.segment_id
                      LEFT JOIN segment_track_coverage c ON c.assignment_id = p.assignment_id AND c.segment_id = p.segment_id
                      WHERE p.assignment_id = a.id), 0)::float8 AS progress,
            (SELECT count(*) FROM patrol_assignment_segments p WHERE p.assignment_id = a.id)::integer AS segments_assigned,
            l.weather
     FROM patrol_assignments a JOIN crews cr ON cr.id = a.crew_id
     LEFT JOIN patrol_log_entries l ON l.assignment_id = a.id
     WHERE a.jurisdiction_code IN (SELECT code FROM unit_tree)
       AND a.status IN ('in_progress', 'paused', 'completed')
       AND a.assignment_date BETWEEN $2::date AND $3::date`,
    [code, from, to],
  );
  return result.rows;
}

export async function selectUnitViolations(db: Queryable, code: string, from: string, to: string): Promise<ArchiveViolationRow[]> {
  const result = await db.query<ArchiveViolationRow>(
    `${UNIT_TREE}
     SELECT ${VIOLATION_COLUMNS}
     FROM violations v LEFT JOIN users u ON u.id = v.reported_by
     WHERE v.jurisdiction_code IN (SELECT code FROM unit_tree) AND v.reported_at >= ${BOUNDS} AND v.reported_at < ${BOUNDS_END}`,
    [code, from, to],
  );
  return result.rows;
}

export async function selectUnitCaseEvents(db: Queryable, code: string, from: string, to: string): Promise<ArchiveCaseEventRow[]> {
  const result = await db.query<ArchiveCaseEventRow>(
    `${UNIT_TREE}
     SELECT ${CASE_EVENT_COLUMNS}
     FROM case_events e JOIN violations v ON v.id = e.violation_id
     WHERE v.jurisdiction_code IN (SELECT code FROM unit_tree) AND e.event <> 'report' AND e.occurred_at >= ${BOUNDS} AND e.occurred_at < ${BOUNDS_END}`,
    [code, from, to],
  );
  return result.rows;
}

export interface UnitSupervisionRow {
  supervision_id: number;
  event_id: number;
  at: Date;
  supervision_number: string;
  subject: string;
  event: string;
  status: string;
  deadline: string;
  instructions: string;
  case_number: string | null;
  issuing_jurisdiction_code: string;
  responsible_jurisdiction_code: string;
  actor: string | null;
  note: string | null;
}

/** Every step (交办 'assign' first) taken in the period on supervision items issued to or by the unit. */
export async function selectUnitSupervisions(db: Queryable, code: string, from: string, to: string): Promise<UnitSupervisionRow[]> {
  const result = await db.query<UnitSupervisionRow>(
    `${UNIT_TREE}, items AS (
       SELECT s.* FROM supervisions s
       WHERE s.responsible_jurisdiction_code IN (SELECT code FROM unit_tree) OR s.issuing_jurisdiction_code IN (SELECT code FROM unit_tree)
     )
     SELECT s.id::integer AS supervision_id, e.id::integer AS event_id, e.occurred_at AS at, s.supervision_number, s.subject, e.event, e.to_status AS status,
            s.deadline::text AS deadline, s.instructions, v.case_number, s.issuing_jurisdiction_code, s.responsible_jurisdiction_code,
            e.actor_username AS actor, e.note
     FROM supervision_events e JOIN items s ON s.id = e.supervision_id LEFT JOIN violations v ON v.id = s.violation_id
     WHERE e.occurred_at >= ${BOUNDS} AND e.occurred_at < ${BOUNDS_END}`,
    [code, from, to],
  );
  return result.rows;
}
