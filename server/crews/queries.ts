import type { Queryable } from '../db/database.ts';

export interface CrewRow {
  id: number;
  name: string;
  jurisdiction_code: string;
  jurisdiction_name: string;
  vehicle_plate: string | null;
  vehicle_description: string | null;
  base: GeoJSON.Point;
  base_name: string | null;
  shift_start_minutes: number;
  shift_end_minutes: number;
  joint_unit: string | null;
  is_active: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
  members: { id: number; username: string; displayName: string | null; role: string }[];
  availability: { date: string; available: boolean; shiftStartMinutes: number | null; shiftEndMinutes: number | null; note: string | null }[];
  base_node_id: number | null;
  base_node_distance_meters: number | null;
}

const CREW_SELECT = `
  SELECT c.id, c.name, c.jurisdiction_code, j.name AS jurisdiction_name, c.vehicle_plate, c.vehicle_description,
         ST_AsGeoJSON(c.base, 7)::json AS base, c.base_name, c.shift_start_minutes, c.shift_end_minutes, c.joint_unit,
         c.is_active, c.version, c.created_at, c.updated_at,
         coalesce((SELECT json_agg(json_build_object('id', u.id, 'username', u.username, 'displayName', u.display_name, 'role', u.role) ORDER BY u.id)
                   FROM crew_members m JOIN users u ON u.id = m.user_id WHERE m.crew_id = c.id), '[]') AS members,
         coalesce((SELECT json_agg(json_build_object('date', to_char(a.on_date, 'YYYY-MM-DD'), 'available', a.is_available,
                                                     'shiftStartMinutes', a.shift_start_minutes, 'shiftEndMinutes', a.shift_end_minutes, 'note', a.note)
                                   ORDER BY a.on_date)
                   FROM crew_availability a WHERE a.crew_id = c.id), '[]') AS availability,
         node.id AS base_node_id, node.distance_meters AS base_node_distance_meters
  FROM crews c
  JOIN jurisdictions j ON j.code = c.jurisdiction_code
  LEFT JOIN LATERAL (
    SELECT n.id, ST_Distance(n.geom::geography, c.base::geography) AS distance_meters
    FROM routing_nodes n ORDER BY n.geom <-> c.base LIMIT 1) node ON true`;

export async function selectCrew(db: Queryable, id: number): Promise<CrewRow | null> {
  const result = await db.query<CrewRow>(`${CREW_SELECT} WHERE c.id = $1`, [id]);
  return result.rows[0] ?? null;
}

/** Crews of a jurisdiction and everything below it, by name. */
export async function selectCrews(db: Queryable, jurisdictionCode: string): Promise<CrewRow[]> {
  const result = await db.query<CrewRow>(
    `WITH RECURSIVE scope AS (
       SELECT code FROM jurisdictions WHERE code = $1
       UNION SELECT child.code FROM jurisdictions child JOIN scope ON child.parent_code = scope.code)
     ${CREW_SELECT} WHERE c.jurisdiction_code IN (SELECT code FROM scope) ORDER BY c.name, c.id`,
    [jurisdictionCode],
  );
  return result.rows;
}

export interface CrewMemberCandidateRow {
  id: number;
  role: string;
  jurisdiction_code: string;
  disabled: boolean;
}

/** The users behind member ids, as far as the request may see them. */
export async function selectMemberCandidates(db: Queryable, userIds: readonly number[]): Promise<CrewMemberCandidateRow[]> {
  const result = await db.query<CrewMemberCandidateRow>(
    `SELECT id, role, jurisdiction_code, disabled_at IS NOT NULL AS disabled FROM users WHERE id = ANY ($1::bigint[])`,
    [userIds],
  );
  return result.rows;
}

export interface CrewWrite {
  name: string;
  jurisdictionCode: string;
  vehiclePlate: string | null;
  vehicleDescription: string | null;
  base: GeoJSON.Point;
  baseName: string | null;
  shiftStartMinutes: number;
  shiftEndMinutes: number;
  jointUnit: string | null;
  isActive: boolean;
  isDemo?: boolean;
}

export async function insertCrew(db: Queryable, crew: CrewWrite): Promise<number> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO crews (name, jurisdiction_code, vehicle_plate, vehicle_description, base, base_name, shift_start_minutes, shift_end_minutes,
                        joint_unit, is_active, is_demo)
     VALUES ($1, $2, $3, $4, ST_SetSRID(ST_GeomFromGeoJSON($5), 4326), $6, $7, $8, $9, $10, $11) RETURNING id`,
    [crew.name, crew.jurisdictionCode, crew.vehiclePlate, crew.vehicleDescription, JSON.stringify(crew.base), crew.baseName,
      crew.shiftStartMinutes, crew.shiftEndMinutes, crew.jointUnit, crew.isActive, crew.isDemo ?? false],
  );
  return result.rows[0]!.id;
}

/** Updates a crew at `expectedVersion`; false when it changed meanwhile (or is not visible). */
export async function updateCrew(db: Queryable, id: number, expectedVersion: number, crew: Omit<CrewWrite, 'jurisdictionCode' | 'isDemo'>): Promise<boolean> {
  const result = await db.query(
    `UPDATE crews SET name = $3, vehicle_plate = $4, vehicle_description = $5, base = ST_SetSRID(ST_GeomFromGeoJSON($6), 4326), base_name = $7,
            shift_start_minutes = $8, shift_end_minutes = $9, joint_unit = $10, is_active = $11, version = version + 1, updated_at = now()
     WHERE id = $1 AND version = $2`,
    [id, expectedVersion, crew.name, crew.vehiclePlate, crew.vehicleDescription, JSON.stringify(crew.base), crew.baseName,
      crew.shiftStartMinutes, crew.shiftEndMinutes, crew.jointUnit, crew.isActive],
  );
  return (result.rowCount ?? 0) === 1;
}

export async function replaceCrewMembers(db: Queryable, crewId: number, userIds: readonly number[]): Promise<void> {
  await db.query('DELETE FROM crew_members WHERE crew_id = $1', [crewId]);
  await db.query('INSERT INTO crew_members (crew_id, user_id) SELECT $1, unnest($2::bigint[])', [crewId, userIds]);
}

export interface AvailabilityWrite {
  date: string;
  available: boolean;
  shiftStartMinutes: number | null;
  shiftEndMinutes: number | null;
  note: string | null;
}

export async function replaceCrewAvailability(db: Queryable, crewId: number, entries: readonly AvailabilityWrite[]): Promise<void> {
  await db.query('DELETE FROM crew_availability WHERE crew_id = $1', [crewId]);
  await db.query(
    `INSERT INTO crew_availability (crew_id, on_date, is_available, shift_start_minutes, shift_end_minutes, note)
     SELECT $1, a.date, a.available, a.start_minutes, a.end_minutes, a.note
     FROM json_to_recordset($2::json) AS a(date date, available boolean, start_minutes integer, end_minutes integer, note text)`,
    [crewId, JSON.stringify(entries.map((entry) => ({ date: entry.date, available: entry.available, start_minutes: entry.shiftStartMinutes, end_minutes: entry.shiftEndMinutes, note: entry.note })))],
  );
}

export interface MemberCandidateRow {
  id: number;
  username: string;
  display_name: string | null;
  role: string;
}

/** Enabled users of one jurisdiction who may join a crew (the crew form's choices). */
export async function selectMemberChoices(db: Queryable, jurisdictionCode: string, roles: readonly string[]): Promise<MemberCandidateRow[]> {
  const result = await db.query<MemberCandidateRow>(
    `SELECT id, username, display_name, role FROM users
     WHERE jurisdiction_code = $1 AND role = ANY ($2::text[]) AND disabled_at IS NULL ORDER BY role, username`,
    [jurisdictionCode, roles],
  );
  return result.rows;
}
