import type pg from 'pg';

export interface CrewAssignment {
  assignmentId: number;
  crewId: number;
  segmentId: number;
  line: GeoJSON.LineString;
}

/**
 * Today's published assignment (Asia/Shanghai) of a new crew of one new member `username`
 * (demo password, 410104): one ~0.5–1 km demo county segment (never another file's fixture), the first or the last by id. A crew of the
 * test's own: another browser test may publish today's demo plan on the same database.
 */
export async function publishCrewAssignment(
  pool: pg.Pool,
  member: { username: string; displayName: string; role: 'patrol' | 'officer'; certificateNumber?: string; crewName: string; vehiclePlate: string; segment: 'first' | 'last' },
): Promise<CrewAssignment> {
  const segment = await pool.query<{ id: number; line: GeoJSON.LineString }>(
    `SELECT id::integer AS id, ST_AsGeoJSON(ST_Force2D(centreline), 7)::json AS line FROM segments
     WHERE jurisdiction_code = '410104' AND admin_class = 'county' AND is_demo AND length_meters BETWEEN 500 AND 900 ORDER BY id ${member.segment === 'last' ? 'DESC' : 'ASC'} LIMIT 1`,
  );
  const { id: segmentId, line } = segment.rows[0]!;
  // Same demo password as patrol6 (its hash).
  await pool.query(
    `INSERT INTO users (username, display_name, password_hash, role, jurisdiction_code, is_demo, enforcement_certificate_number)
     SELECT $1, $2, password_hash, $3, '410104', true, $4 FROM users WHERE username = 'patrol6'`,
    [member.username, member.displayName, member.role, member.certificateNumber ?? null],
  );
  const crew = await pool.query<{ id: number }>(
    `INSERT INTO crews (name, jurisdiction_code, vehicle_plate, base, shift_start_minutes, shift_end_minutes)
     VALUES ($1, '410104', $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), 0, 1439) RETURNING id::integer AS id`,
    [member.crewName, member.vehiclePlate, ...line.coordinates[0]!],
  );
  const crewId = crew.rows[0]!.id;
  await pool.query(`INSERT INTO crew_members (crew_id, user_id) SELECT $1, id FROM users WHERE username = $2`, [crewId, member.username]);
  const plan = await pool.query<{ id: number }>(
    `INSERT INTO patrol_plans (jurisdiction_code, plan_date, status, seed, seconds) VALUES ('410104', (now() AT TIME ZONE 'Asia/Shanghai')::date, 'published', 1, 1) RETURNING id::integer AS id`,
  );
  const assignment = await pool.query<{ id: number }>(
    `INSERT INTO patrol_assignments (plan_id, crew_id, assignment_date, jurisdiction_code, status, route, distance_meters)
     VALUES ($1, $2, (now() AT TIME ZONE 'Asia/Shanghai')::date, '410104', 'published', ST_SetSRID(ST_GeomFromGeoJSON($3), 4326), ST_Length(ST_SetSRID(ST_GeomFromGeoJSON($3), 4326)::geography))
     RETURNING id::integer AS id`,
    [plan.rows[0]!.id, crewId, JSON.stringify(line)],
  );
  const assignmentId = assignment.rows[0]!.id;
  await pool.query(`INSERT INTO patrol_assignment_segments (assignment_id, segment_id, sequence, direction_served) VALUES ($1, $2, 1, 'forward')`, [assignmentId, segmentId]);
  return { assignmentId, crewId, segmentId, line };
}
