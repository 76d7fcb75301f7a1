/**
 * Patrol planning data (issue 11) as the client sees it: due segments and point tasks, crews,
 * frequencies (docs/patrol_planning_data.md), all through http.ts (CSRF, 401 → login, ApiError).
 */
import type { FeatureCollection, LineString, Point } from 'geojson';
import type { AdminClass } from '@domain/admin_class';
import type { PatrolTaskKind, SegmentDueReason } from '@domain/patrol_rules';
import { apiUrl, getJson, requestJson } from './http';

export interface DueSegmentProperties {
  id: number;
  route: string;
  routeName: string;
  direction: 1 | -1;
  stakeFrom: string;
  stakeTo: string;
  lengthMeters: number;
  adminClass: AdminClass;
  jurisdictionCode: string | null;
  lastPatrolledAt: string | null;
  intervalDays: number;
  daysSincePatrol: number | null;
  overdueDays: number;
  reasons: SegmentDueReason[];
}
export type DueSegmentCollection = FeatureCollection<LineString, DueSegmentProperties>;

export interface PointTaskProperties {
  id: string;
  kind: PatrolTaskKind;
  sourceType: 'detection' | 'violation';
  sourceId: number;
  segmentId: number | null;
  route: string | null;
  stake: string | null;
  category: string | null;
  caseNumber: string | null;
  dueAt: string | null;
  overdueDays: number;
}
export type PointTaskCollection = FeatureCollection<Point, PointTaskProperties>;

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

export interface Crew {
  id: number;
  name: string;
  jurisdiction: string;
  jurisdictionName: string;
  members: CrewMember[];
  vehicle: { plate: string | null; description: string | null };
  base: Point;
  baseName: string | null;
  baseNode: { id: number; distanceMeters: number } | null;
  shiftStartMinutes: number;
  shiftEndMinutes: number;
  jointUnit: string | null;
  isActive: boolean;
  availability: CrewAvailabilityEntry[];
  version: number;
  onDate?: { date: string; available: boolean; shiftStartMinutes: number; shiftEndMinutes: number };
}

export interface CrewInput {
  name: string;
  memberIds: number[];
  vehicle: { plate: string | null; description: string | null };
  base: Point;
  baseName: string | null;
  shiftStartMinutes: number;
  shiftEndMinutes: number;
  jointUnit: string | null;
}

export function fetchDueSegments(date: string, jurisdiction?: string, signal?: AbortSignal): Promise<DueSegmentCollection> {
  return getJson(apiUrl('segments/due', { date, jurisdiction }), signal);
}

export function fetchDueTasks(date: string, jurisdiction?: string, signal?: AbortSignal): Promise<PointTaskCollection> {
  return getJson(apiUrl('patrol-tasks/due', { date, jurisdiction }), signal);
}

export function fetchCrews(date: string, jurisdiction?: string, signal?: AbortSignal): Promise<{ items: Crew[] }> {
  return getJson(apiUrl('crews', { date, jurisdiction }), signal);
}

export function fetchMemberChoices(jurisdiction?: string, signal?: AbortSignal): Promise<{ items: CrewMember[] }> {
  return getJson(apiUrl('crews/member-choices', { jurisdiction }), signal);
}

export function createCrew(input: CrewInput): Promise<Crew> {
  return requestJson(apiUrl('crews'), { method: 'POST', json: input });
}

export function updateCrew(id: number, version: number, input: Partial<CrewInput>): Promise<Crew> {
  return requestJson(apiUrl(`crews/${id}`), { method: 'PATCH', json: { ...input, version } });
}

/** A crew under way today on the dispatcher's map (GET /crews/live). */
export interface LiveCrew {
  assignmentId: number;
  crewId: number;
  crewName: string;
  status: 'in_progress' | 'paused';
  vehiclePlate: string | null;
  members: string[];
  position: { type: 'Point'; coordinates: [number, number] } | null;
  fixAt: string | null;
  fixAgeSeconds: number | null;
  assignedMeters: number;
  coveredMeters: number;
  progress: number;
  segmentsAssigned: number;
  segmentsCovered: number;
}

export function fetchLiveCrews(jurisdiction?: string, signal?: AbortSignal): Promise<{ date: string; generatedAt: string; crews: LiveCrew[] }> {
  return getJson(apiUrl('crews/live', { jurisdiction }), signal);
}
