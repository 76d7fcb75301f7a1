import type { Queryable } from '../db/database.ts';

export interface PlanRow {
  id: number;
  jurisdiction_code: string;
  plan_date: string;
  status: 'draft' | 'generating' | 'ready' | 'published' | 'failed';
  job_id: number | null;
  seed: number;
  seconds: number;
  rounds_reached: number | null;
  max_rounds: number | null;
  crew_ids: number[] | null;
  lower_bound_meters: number | null;
  unassigned: unknown[];
  progress_done: number;
  progress_total: number | null;
  progress_message: string | null;
  error: unknown;
  created_at: Date;
  generated_at: Date | null;
  published_at: Date | null;
  version: number;
}

const PLAN_COLUMNS = `id, jurisdiction_code, to_char(plan_date, 'YYYY-MM-DD') AS plan_date, status, job_id, seed, seconds::float8 AS seconds,
  rounds_reached, max_rounds, crew_ids, lower_bound_meters, unassigned, progress_done, progress_total, progress_message, error, created_at,
  generated_at, published_at, version`;

export async function insertPlan(
  db: Queryable,
  plan: { jurisdictionCode: string; date: string; seed: number; seconds: number; maxRounds: number | null; crewIds: number[] | null; createdBy: number | null; isDemo: boolean },
): Promise<PlanRow> {
  const result = await db.query<PlanRow>(
    `INSERT INTO patrol_plans (jurisdiction_code, plan_date, status, seed, seconds, max_rounds, crew_ids, created_by, is_demo, progress_message)
     VALUES ($1, $2, 'generating', $3, $4, $5, $6, $7, $8, 'queued') RETURNING ${PLAN_COLUMNS}`,
    [plan.jurisdictionCode, plan.date, plan.seed, plan.seconds, plan.maxRounds, plan.crewIds, plan.createdBy, plan.isDemo],
  );
  return result.rows[0]!;
}

export async function selectPlan(db: Queryable, id: number, forUpdate = false): Promise<PlanRow | null> {
  const result = await db.query<PlanRow>(`SELECT ${PLAN_COLUMNS} FROM patrol_plans WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return result.rows[0] ?? null;
}

export async function selectLatestPlan(db: Queryable, jurisdictionCode: string, date: string): Promise<PlanRow | null> {
  const result = await db.query<PlanRow>(
    `SELECT ${PLAN_COLUMNS} FROM patrol_plans WHERE jurisdiction_code = $1 AND plan_date = $2 ORDER BY id DESC LIMIT 1`,
    [jurisdictionCode, date],
  );
  return result.rows[0] ?? null;
}

export async function updatePlanProgress(db: Queryable, id: number, done: number, total: number | null, message: string): Promise<void> {
  await db.query(`UPDATE patrol_plans SET progress_done = $2, progress_total = $3, progress_message = $4 WHERE id = $1 AND status = 'generating'`, [
    id,
    done,
    total,
    message,
  ]);
}

export async function finishPlan(db: Queryable, id: number, result: { lowerBoundMeters: number; roundsReached: number | null; unassigned: unknown[] }): Promise<void> {
  await db.query(
    `UPDATE patrol_plans SET status = 'ready', lower_bound_meters = $2, rounds_reached = coalesce($3, rounds_reached), unassigned = $4::jsonb,
            generated_at = now(), progress_done = coalesce(progress_total, 1), progress_message = 'done', version = version + 1
     WHERE id = $1`,
    [id, result.lowerBoundMeters, result.roundsReached, JSON.stringify(result.unassigned)],
  );
}

export async function failPlan(db: Queryable, id: number, error: { code: string; message: string }): Promise<void> {
  await db.query(`UPDATE patrol_plans SET status = 'failed', error = $2::jsonb, progress_message = 'failed', version = version + 1 WHERE id = $1`, [
    id,
    JSON.stringify(error),
  ]);
}

export async function setPlanJob(db: Queryable, id: number, jobId: number): Promise<void> {
  await db.query(`UPDATE patrol_plans SET job_id = $2 WHERE id = $1`, [id, jobId]);
}

export async function setPlanUnassigned(db: Queryable, id: number, unassigned: unknown[]): Promise<void> {
  await db.query(`UPDATE patrol_plans SET unassigned = $2::jsonb WHERE id = $1`, [id, JSON.stringify(unassigned)]);
}

/** The optimistic check of an edit: bumps the version only when it is still the one the client saw. */
export async function bumpPlanVersion(db: Queryable, id: number, expectedVersion: number): Promise<boolean> {
  const result = await db.query(`UPDATE patrol_plans SET version = version + 1 WHERE id = $1 AND version = $2`, [id, expectedVersion]);
  return (result.rowCount ?? 0) === 1;
}

export async function markPlanPublished(db: Queryable, id: number, userId: number): Promise<void> {
  await db.query(`UPDATE patrol_plans SET status = 'published', published_at = now(), published_by = $2 WHERE id = $1`, [id, userId]);
}

export async function deleteUnlockedAssignments(db: Queryable, planId: number, crewIds: readonly number[] | null): Promise<void> {
  await db.query(`DELETE FROM patrol_assignments WHERE plan_id = $1 AND NOT locked AND ($2::bigint[] IS NULL OR crew_id = ANY ($2::bigint[]))`, [planId, crewIds]);
}

export interface AssignmentWrite {
  planId: number;
  crewId: number;
  date: string;
  jurisdictionCode: string;
  locked: boolean;
  distanceMeters: number;
  serviceMeters: number;
  durationMinutes: number;
  shiftMinutes: number;
  /** routing_arcs ids of the walk in order, and whether each is driven against its digitised direction. */
  walkArcIds: number[];
  walkReversed: boolean[];
  segments: { segmentId: number; sequence: number; directionServed: 'forward' | 'backward' | 'both' }[];
  tasks: { taskKind: string; detectionId: number | null; violationId: number | null; sequence: number; lon: number; lat: number }[];
}

/** One crew's assignment: the route line is joined in PostGIS from the walk's arcs in order. */
export async function insertAssignment(db: Queryable, write: AssignmentWrite): Promise<number> {
  const inserted = await db.query<{ id: number }>(
    `INSERT INTO patrol_assignments (plan_id, crew_id, assignment_date, jurisdiction_code, locked, distance_meters, service_meters, duration_minutes, shift_minutes, route)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
       (SELECT ST_MakeLine(CASE WHEN w.reversed THEN ST_Reverse(a.geom) ELSE a.geom END ORDER BY w.ordinal)
        FROM unnest($10::bigint[], $11::boolean[]) WITH ORDINALITY AS w (arc_id, reversed, ordinal)
        JOIN routing_arcs a ON a.id = w.arc_id))
     RETURNING id`,
    [
      write.planId,
      write.crewId,
      write.date,
      write.jurisdictionCode,
      write.locked,
      write.distanceMeters,
      write.serviceMeters,
      write.durationMinutes,
      write.shiftMinutes,
      write.walkArcIds,
      write.walkReversed,
    ],
  );
  const id = inserted.rows[0]!.id;
  if (write.segments.length > 0) {
    await db.query(
      `INSERT INTO patrol_assignment_segments (assignment_id, segment_id, sequence, direction_served)
       SELECT $1, s, q, d FROM unnest($2::bigint[], $3::integer[], $4::text[]) AS t (s, q, d)`,
      [id, write.segments.map((s) => s.segmentId), write.segments.map((s) => s.sequence), write.segments.map((s) => s.directionServed)],
    );
  }
  if (write.tasks.length > 0) {
    await db.query(
      `INSERT INTO patrol_assignment_tasks (assignment_id, task_kind, detection_id, violation_id, sequence, location)
       SELECT $1, k, d, v, q, ST_SetSRID(ST_MakePoint(x, y), 4326)
       FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::integer[], $6::float8[], $7::float8[]) AS t (k, d, v, q, x, y)`,
      [
        id,
        write.tasks.map((t) => t.taskKind),
        write.tasks.map((t) => t.detectionId),
        write.tasks.map((t) => t.violationId),
        write.tasks.map((t) => t.sequence),
        write.tasks.map((t) => t.lon),
        write.tasks.map((t) => t.lat),
      ],
    );
  }
  return id;
}

export interface AssignmentRow {
  id: number;
  plan_id: number;
  crew_id: number;
  crew_name: string;
  assignment_date: string;
  jurisdiction_code: string;
  status: string;
  decline_reason: string | null;
  locked: boolean;
  distance_meters: number;
  service_meters: number;
  duration_minutes: number;
  shift_minutes: number | null;
  route: GeoJSON.LineString | null;
  version: number;
  started_at: Date | null;
  completed_at: Date | null;
  segments: { segmentId: number; order: number; directionServed: string; route: string; chainageFromMeters: number; chainageToMeters: number; lengthMeters: number }[];
  tasks: { id: number; kind: string; detectionId: number | null; violationId: number | null; order: number; status: string; location: GeoJSON.Point | null }[];
}

const ASSIGNMENT_SELECT = `
  SELECT a.id, a.plan_id, a.crew_id, c.name AS crew_name, to_char(a.assignment_date, 'YYYY-MM-DD') AS assignment_date, a.jurisdiction_code,
         a.status, a.decline_reason, a.locked, a.distance_meters, a.service_meters, a.duration_minutes, a.shift_minutes,
         ST_AsGeoJSON(a.route, 6)::json AS route, a.version, a.started_at, a.completed_at,
         coalesce((SELECT json_agg(json_build_object('segmentId', s.segment_id, 'order', s.sequence, 'directionServed', s.direction_served,
                                                     'route', g.route_code, 'chainageFromMeters', g.chainage_from_meters,
                                                     'chainageToMeters', g.chainage_to_meters, 'lengthMeters', round(ST_Length(g.centreline::geography))) ORDER BY s.sequence)
                   FROM patrol_assignment_segments s JOIN segments g ON g.id = s.segment_id WHERE s.assignment_id = a.id), '[]') AS segments,
         coalesce((SELECT json_agg(json_build_object('id', t.id, 'kind', t.task_kind, 'detectionId', t.detection_id, 'violationId', t.violation_id,
                                                     'order', t.sequence, 'status', t.status, 'location', ST_AsGeoJSON(t.location, 7)::json) ORDER BY t.sequence)
                   FROM patrol_assignment_tasks t WHERE t.assignment_id = a.id), '[]') AS tasks
  FROM patrol_assignments a JOIN crews c ON c.id = a.crew_id`;

export async function selectPlanAssignments(db: Queryable, planId: number): Promise<AssignmentRow[]> {
  const result = await db.query<AssignmentRow>(`${ASSIGNMENT_SELECT} WHERE a.plan_id = $1 ORDER BY a.crew_id`, [planId]);
  return result.rows;
}

/** Assignments of published plans on a date; `memberUserId` keeps only crews the user is a member of. */
export async function selectAssignments(db: Queryable, filter: { date: string | null; crewId: number | null; memberUserId: number | null }): Promise<AssignmentRow[]> {
  const result = await db.query<AssignmentRow>(
    `${ASSIGNMENT_SELECT}
     WHERE a.status <> 'draft'
       AND ($1::date IS NULL OR a.assignment_date = $1::date)
       AND ($2::bigint IS NULL OR a.crew_id = $2)
       AND ($3::bigint IS NULL OR EXISTS (SELECT 1 FROM crew_members m WHERE m.crew_id = a.crew_id AND m.user_id = $3))
     ORDER BY a.assignment_date DESC, a.crew_id, a.id`,
    [filter.date, filter.crewId, filter.memberUserId],
  );
  return result.rows;
}

export async function selectAssignment(db: Queryable, id: number): Promise<AssignmentRow | null> {
  const result = await db.query<AssignmentRow>(`${ASSIGNMENT_SELECT} WHERE a.id = $1`, [id]);
  return result.rows[0] ?? null;
}

/** What the assignment workflow reads of each record (kernel state + the crew for visibility and "last patrolled"). */
export interface AssignmentStateRow {
  id: number;
  status: string;
  version: number;
  crew_id: number;
  plan_id: number;
  started_at: Date | null;
}

export async function selectAssignmentStates(db: Queryable, ids: readonly number[]): Promise<AssignmentStateRow[]> {
  const result = await db.query<AssignmentStateRow>(
    `SELECT id::int AS id, status, version, crew_id::int AS crew_id, plan_id::int AS plan_id, started_at FROM patrol_assignments WHERE id = ANY($1::bigint[]) ORDER BY id`,
    [ids],
  );
  return result.rows;
}

export async function isCrewMember(db: Queryable, crewId: number, userId: number): Promise<boolean> {
  const result = await db.query(`SELECT 1 FROM crew_members WHERE crew_id = $1 AND user_id = $2`, [crewId, userId]);
  return (result.rowCount ?? 0) > 0;
}

/** The workflow kernel's event rows into the assignment timeline (its own column names). */
export async function insertAssignmentEvents(
  db: Queryable,
  events: readonly { assignmentId: number; event: string; fromStatus: string | null; toStatus: string; actor: number | null; actorUsername: string | null; note: string | null }[],
): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `INSERT INTO patrol_assignment_events (assignment_id, event, from_status, to_status, actor, actor_username, note)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[])`,
    [
      events.map((event) => event.assignmentId),
      events.map((event) => event.event),
      events.map((event) => event.fromStatus),
      events.map((event) => event.toStatus),
      events.map((event) => event.actor),
      events.map((event) => event.actorUsername),
      events.map((event) => event.note),
    ],
  );
}

export async function setAssignmentLocked(db: Queryable, planId: number, crewId: number, locked: boolean): Promise<boolean> {
  const result = await db.query(`UPDATE patrol_assignments SET locked = $3, version = version + 1, updated_at = now() WHERE plan_id = $1 AND crew_id = $2`, [
    planId,
    crewId,
    locked,
  ]);
  return (result.rowCount ?? 0) === 1;
}

/** Draft assignments of a plan go out to the crews (publish), one event row each. */
export async function selectDraftAssignmentIds(db: Queryable, planId: number): Promise<{ id: number; version: number }[]> {
  const result = await db.query<{ id: number; version: number }>(
    `SELECT id, version FROM patrol_assignments WHERE plan_id = $1 AND status = 'draft' ORDER BY id FOR UPDATE`,
    [planId],
  );
  return result.rows;
}

export async function selectAssignmentSegmentIds(db: Queryable, assignmentId: number): Promise<number[]> {
  const result = await db.query<{ segment_id: number }>(`SELECT segment_id FROM patrol_assignment_segments WHERE assignment_id = $1 ORDER BY sequence`, [assignmentId]);
  return result.rows.map((row) => row.segment_id);
}
