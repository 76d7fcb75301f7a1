import type { SessionUser } from '../auth/session_user.ts';
import type { Queryable } from '../db/database.ts';
import { CREW_MEMBER_ROLES, MIN_CREW_MEMBERS } from '../domain/patrol_rules.ts';
import { AppError } from '../http/errors.ts';
import { refreshRoutingGraph } from '../routing/queries.ts';
import {
  insertCrew,
  replaceCrewAvailability,
  replaceCrewMembers,
  selectCrew,
  selectCrews,
  selectMemberCandidates,
  updateCrew,
  type AvailabilityWrite,
  type CrewRow,
} from './queries.ts';

export interface CrewMember {
  id: number;
  username: string;
  displayName: string | null;
  role: string;
}

export interface CrewAvailabilityEntry {
  date: string;
  available: boolean;
  shiftStartMinutes: number | null;
  shiftEndMinutes: number | null;
  note: string | null;
}

/** A crew as the API returns it (docs/patrol_planning_data.md). */
export interface Crew {
  id: number;
  name: string;
  jurisdiction: string;
  jurisdictionName: string;
  members: CrewMember[];
  vehicle: { plate: string | null; description: string | null };
  base: GeoJSON.Point;
  baseName: string | null;
  /** The routing-graph node the base snaps to (the crew's depot when planning). */
  baseNode: { id: number; distanceMeters: number } | null;
  shiftStartMinutes: number;
  shiftEndMinutes: number;
  jointUnit: string | null;
  isActive: boolean;
  availability: CrewAvailabilityEntry[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Whether a crew works on a date and its hours then (a per-date entry overrides the normal shift). */
export interface CrewShift {
  available: boolean;
  shiftStartMinutes: number;
  shiftEndMinutes: number;
}

export function crewShiftOn(crew: Pick<Crew, 'isActive' | 'availability' | 'shiftStartMinutes' | 'shiftEndMinutes'>, date: string): CrewShift {
  const entry = crew.availability.find((candidate) => candidate.date === date);
  return {
    available: crew.isActive && (entry?.available ?? true),
    shiftStartMinutes: entry?.shiftStartMinutes ?? crew.shiftStartMinutes,
    shiftEndMinutes: entry?.shiftEndMinutes ?? crew.shiftEndMinutes,
  };
}

function toCrew(row: CrewRow): Crew {
  return {
    id: row.id,
    name: row.name,
    jurisdiction: row.jurisdiction_code,
    jurisdictionName: row.jurisdiction_name,
    members: row.members,
    vehicle: { plate: row.vehicle_plate, description: row.vehicle_description },
    base: row.base,
    baseName: row.base_name,
    baseNode: row.base_node_id === null ? null : { id: row.base_node_id, distanceMeters: Math.round((row.base_node_distance_meters ?? 0) * 10) / 10 },
    shiftStartMinutes: row.shift_start_minutes,
    shiftEndMinutes: row.shift_end_minutes,
    jointUnit: row.joint_unit,
    isActive: row.is_active,
    availability: row.availability,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function requireCrew(db: Queryable, id: number): Promise<Crew> {
  await refreshRoutingGraph(db);
  const row = await selectCrew(db, id);
  if (!row) throw new AppError(404, 'CREW_NOT_FOUND', `No crew ${id} in your jurisdiction`);
  return toCrew(row);
}

export async function listCrews(db: Queryable, jurisdictionCode: string): Promise<Crew[]> {
  await refreshRoutingGraph(db);
  return (await selectCrews(db, jurisdictionCode)).map(toCrew);
}

/** Active crews of a jurisdiction working on a date, with their hours that day (the planner's fleet). */
export async function listAvailableCrews(db: Queryable, jurisdictionCode: string, date: string): Promise<(Crew & { shift: CrewShift })[]> {
  return (await listCrews(db, jurisdictionCode))
    .map((crew) => ({ ...crew, shift: crewShiftOn(crew, date) }))
    .filter((crew) => crew.shift.available);
}

export interface CrewInput {
  name: string;
  jurisdiction: string;
  memberIds: number[];
  vehicle: { plate: string | null; description: string | null };
  base: GeoJSON.Point;
  baseName: string | null;
  shiftStartMinutes: number;
  shiftEndMinutes: number;
  jointUnit: string | null;
  isActive: boolean;
  availability: AvailabilityWrite[];
}

/**
 * DOMAIN.md: a patrol needs at least two officers. Members must be enabled users of the crew's
 * own jurisdiction with role officer or patrol; every problem is named per user id (422).
 */
async function checkMembers(db: Queryable, memberIds: readonly number[], jurisdictionCode: string): Promise<void> {
  if (memberIds.length < MIN_CREW_MEMBERS) {
    throw new AppError(422, 'CREW_TOO_FEW_MEMBERS', `A patrol crew needs at least ${MIN_CREW_MEMBERS} officers; ${memberIds.length} given`, {
      minimum: MIN_CREW_MEMBERS,
      given: memberIds.length,
    });
  }
  const found = new Map((await selectMemberCandidates(db, memberIds)).map((row) => [row.id, row]));
  const problems: { userId: number; problem: 'not_found' | 'disabled' | 'role' | 'jurisdiction' }[] = [];
  for (const userId of memberIds) {
    const user = found.get(userId);
    if (!user) problems.push({ userId, problem: 'not_found' });
    else if (user.disabled) problems.push({ userId, problem: 'disabled' });
    else if (!(CREW_MEMBER_ROLES as readonly string[]).includes(user.role)) problems.push({ userId, problem: 'role' });
    else if (user.jurisdiction_code !== jurisdictionCode) problems.push({ userId, problem: 'jurisdiction' });
  }
  if (problems.length > 0) {
    throw new AppError(
      422,
      'CREW_MEMBER_INVALID',
      `Crew members must be enabled ${CREW_MEMBER_ROLES.join(' or ')} users of jurisdiction ${jurisdictionCode}; not valid: ${problems.map((p) => `${p.userId} (${p.problem})`).join(', ')}`,
      { problems },
    );
  }
}

function checkShift(start: number, end: number, where: string): void {
  if (end <= start) {
    throw new AppError(422, 'CREW_SHIFT_INVALID', `${where}: the shift must end after it starts (minutes after midnight; an end past midnight is 24:00 + minutes)`, {
      shiftStartMinutes: start,
      shiftEndMinutes: end,
    });
  }
}

function checkInput(input: CrewInput, user: SessionUser): void {
  if (!user.scopeCodes.includes(input.jurisdiction)) {
    throw new AppError(404, 'JURISDICTION_NOT_FOUND', `Jurisdiction ${input.jurisdiction} is not within yours (${user.jurisdiction.code})`);
  }
  checkShift(input.shiftStartMinutes, input.shiftEndMinutes, 'shift');
  for (const entry of input.availability) {
    if (entry.shiftStartMinutes !== null && entry.shiftEndMinutes !== null) checkShift(entry.shiftStartMinutes, entry.shiftEndMinutes, `availability ${entry.date}`);
  }
}

function nameTaken(error: unknown, name: string): never {
  if ((error as { code?: string }).code === '23505') throw new AppError(409, 'CREW_NAME_TAKEN', `A crew named "${name}" already exists in this jurisdiction`);
  throw error;
}

export async function createCrew(db: Queryable, input: CrewInput, user: SessionUser): Promise<Crew> {
  checkInput(input, user);
  await checkMembers(db, input.memberIds, input.jurisdiction);
  const write = {
    name: input.name,
    jurisdictionCode: input.jurisdiction,
    vehiclePlate: input.vehicle.plate,
    vehicleDescription: input.vehicle.description,
    base: input.base,
    baseName: input.baseName,
    shiftStartMinutes: input.shiftStartMinutes,
    shiftEndMinutes: input.shiftEndMinutes,
    jointUnit: input.jointUnit,
    isActive: input.isActive,
  };
  const id = await insertCrew(db, write).catch((error: unknown) => nameTaken(error, input.name));
  await replaceCrewMembers(db, id, input.memberIds);
  await replaceCrewAvailability(db, id, input.availability);
  return requireCrew(db, id);
}

export type CrewPatch = Partial<Omit<CrewInput, 'jurisdiction'>> & { version: number };

/** Applies a partial change at the version the editor saw; another change meanwhile → 409. */
export async function patchCrew(db: Queryable, id: number, patch: CrewPatch, user: SessionUser): Promise<{ before: Crew; after: Crew }> {
  const before = await requireCrew(db, id);
  if (before.version !== patch.version) {
    throw new AppError(409, 'CREW_CHANGED', `Crew ${id} was changed meanwhile (version ${before.version}, you sent ${patch.version}); reload and try again`, {
      currentVersion: before.version,
    });
  }
  const merged: CrewInput = {
    name: patch.name ?? before.name,
    jurisdiction: before.jurisdiction,
    memberIds: patch.memberIds ?? before.members.map((member) => member.id),
    vehicle: patch.vehicle ?? before.vehicle,
    base: patch.base ?? before.base,
    baseName: patch.baseName !== undefined ? patch.baseName : before.baseName,
    shiftStartMinutes: patch.shiftStartMinutes ?? before.shiftStartMinutes,
    shiftEndMinutes: patch.shiftEndMinutes ?? before.shiftEndMinutes,
    jointUnit: patch.jointUnit !== undefined ? patch.jointUnit : before.jointUnit,
    isActive: patch.isActive ?? before.isActive,
    availability: patch.availability ?? before.availability,
  };
  checkInput(merged, user);
  if (patch.memberIds) await checkMembers(db, merged.memberIds, merged.jurisdiction);
  const updated = await updateCrew(db, id, patch.version, {
    name: merged.name,
    vehiclePlate: merged.vehicle.plate,
    vehicleDescription: merged.vehicle.description,
    base: merged.base,
    baseName: merged.baseName,
    shiftStartMinutes: merged.shiftStartMinutes,
    shiftEndMinutes: merged.shiftEndMinutes,
    jointUnit: merged.jointUnit,
    isActive: merged.isActive,
  }).catch((error: unknown) => nameTaken(error, merged.name));
  if (!updated) throw new AppError(409, 'CREW_CHANGED', `Crew ${id} was changed meanwhile; reload and try again`, { currentVersion: null });
  if (patch.memberIds) await replaceCrewMembers(db, id, merged.memberIds);
  if (patch.availability) await replaceCrewAvailability(db, id, merged.availability);
  return { before, after: await requireCrew(db, id) };
}
