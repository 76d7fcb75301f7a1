import type { Queryable } from '../db/database.ts';

export interface PatrolLogHeadRow {
  assignment_id: number;
  assignment_date: string;
  status: string;
  started_at: Date | null;
  completed_at: Date | null;
  crew_id: number;
  crew_name: string;
  vehicle_plate: string | null;
  vehicle_description: string | null;
  joint_unit: string | null;
  members: { id: number; name: string }[];
  weather: string | null;
  note: string | null;
  log_version: number;
}

/** Assignments that were started (only those have a log), by date and crew. */
export async function selectPatrolLogHeads(db: Queryable, filter: { date: string | null; crewId: number | null; assignmentId: number | null }) {
  const result = await db.query<PatrolLogHeadRow>(
    `SELECT a.id::integer AS assignment_id, a.assignment_date::text AS assignment_date, a.status, a.started_at, a.completed_at,
            c.id::integer AS crew_id, c.name AS crew_name, c.vehicle_plate, c.vehicle_description, c.joint_unit,
            coalesce((SELECT json_agg(json_build_object('id', u.id, 'name', coalesce(u.display_name, u.username)) ORDER BY u.id)
                      FROM crew_members m JOIN users u ON u.id = m.user_id WHERE m.crew_id = c.id), '[]'::json) AS members,
            l.weather, l.note, coalesce(l.version, 0) AS log_version
     FROM patrol_assignments a JOIN crews c ON c.id = a.crew_id
     LEFT JOIN patrol_log_entries l ON l.assignment_id = a.id
     WHERE a.status IN ('in_progress', 'paused', 'completed')
       AND ($1::date IS NULL OR a.assignment_date = $1::date)
       AND ($2::bigint IS NULL OR a.crew_id = $2)
       AND ($3::bigint IS NULL OR a.id = $3)
     ORDER BY a.assignment_date DESC, c.name, a.id`,
    [filter.date, filter.crewId, filter.assignmentId],
  );
  return result.rows;
}

export interface PatrolLogFindingRow {
  kind: 'finding' | 'lead' | 'reinspection';
  id: number;
  at: Date;
  category: string | null;
  case_number: string | null;
  status: string | null;
  route_code: string | null;
  chainage_meters: number | null;
  side: string | null;
  primary_zone: string | null;
  is_violation: boolean | null;
  handling: string | null;
  actor: string | null;
}

/**
 * What the crew did that day (Asia/Shanghai date of the assignment): findings its members reported,
 * leads they verified, cases they re-inspected — each with how it was handled.
 */
export async function selectPatrolLogFindings(db: Queryable, assignmentId: number): Promise<PatrolLogFindingRow[]> {
  const result = await db.query<PatrolLogFindingRow>(
    `WITH a AS (
       SELECT a.id, a.crew_id, a.assignment_date FROM patrol_assignments a WHERE a.id = $1
     ), members AS (
       SELECT m.user_id FROM crew_members m JOIN a ON a.crew_id = m.crew_id
     )
     SELECT 'finding' AS kind, v.id::integer AS id, v.reported_at AS at, v.category, v.case_number, v.status, v.route_code, v.chainage_meters, v.side,
            v.zones[1] AS primary_zone, v.is_violation, NULL::text AS handling, u.username AS actor
     FROM violations v JOIN a ON (v.reported_at AT TIME ZONE 'Asia/Shanghai')::date = a.assignment_date
     LEFT JOIN users u ON u.id = v.reported_by
     WHERE v.reported_by IN (SELECT user_id FROM members) AND v.source = 'patrol'
     UNION ALL
     SELECT 'lead', d.id::integer, d.reviewed_at, d.candidate_category, v.case_number, d.review_status, d.route_code, d.stake_from_meters, d.side,
            d.primary_zone, NULL, d.reject_reason, d.reviewed_by_username
     FROM detections d JOIN a ON (d.reviewed_at AT TIME ZONE 'Asia/Shanghai')::date = a.assignment_date
     LEFT JOIN violations v ON v.id = d.violation_id
     WHERE d.reviewed_by IN (SELECT user_id FROM members)
     UNION ALL
     SELECT 'reinspection', v.id::integer, e.occurred_at, v.category, v.case_number, e.to_status, v.route_code, v.chainage_meters, v.side,
            v.zones[1], v.is_violation, e.event, e.actor_username
     FROM case_events e JOIN violations v ON v.id = e.violation_id
     JOIN a ON (e.occurred_at AT TIME ZONE 'Asia/Shanghai')::date = a.assignment_date
     WHERE e.actor_user_id IN (SELECT user_id FROM members) AND e.event IN ('reinspect_pass', 'reinspect_fail', 'report_cleared')
     ORDER BY at, kind, id`,
    [assignmentId],
  );
  return result.rows;
}

export async function upsertPatrolLogEntry(
  db: Queryable,
  entry: { assignmentId: number; jurisdictionCode: string; weather: string | null; note: string | null; expectedVersion: number; userId: number },
): Promise<number | null> {
  const result = await db.query<{ version: number }>(
    `INSERT INTO patrol_log_entries AS l (assignment_id, jurisdiction_code, weather, note, updated_by)
     SELECT $1, $2, $3, $4, $6 WHERE $5 = 0
     ON CONFLICT (assignment_id) DO UPDATE SET weather = EXCLUDED.weather, note = EXCLUDED.note, version = l.version + 1, updated_by = EXCLUDED.updated_by, updated_at = now()
       WHERE l.version = $5
     RETURNING version`,
    [entry.assignmentId, entry.jurisdictionCode, entry.weather, entry.note, entry.expectedVersion, entry.userId],
  );
  return result.rows[0]?.version ?? null;
}

export async function selectAssignmentJurisdiction(db: Queryable, assignmentId: number): Promise<string | null> {
  const result = await db.query<{ jurisdiction_code: string }>(`SELECT jurisdiction_code FROM patrol_assignments WHERE id = $1`, [assignmentId]);
  return result.rows[0]?.jurisdiction_code ?? null;
}
