/**
 * Patrol plans and assignments (issue 11, docs/patrol_plans.md) as the client sees them, through
 * http.ts (CSRF, 401 → login, ApiError).
 */
import type { LineString, Point } from 'geojson';
import type { AssignmentEvent, AssignmentStatus } from '@domain/patrol_assignment_workflow';
import { apiUrl, getJson, requestJson } from './http';

export interface PlanSegment {
  segmentId: number;
  order: number;
  directionServed: 'forward' | 'backward' | 'both';
  route: string;
  stakeFrom: string;
  stakeTo: string;
  lengthMeters: number;
}

export interface PlanTask {
  id: number;
  kind: string;
  detectionId: number | null;
  violationId: number | null;
  order: number;
  status: string;
  location: Point | null;
}

export interface Assignment {
  id: number;
  planId: number;
  crewId: number;
  crewName: string;
  date: string;
  jurisdiction: string;
  status: AssignmentStatus;
  declineReason: string | null;
  locked: boolean;
  version: number;
  segments: PlanSegment[];
  tasks: PlanTask[];
  distanceMeters: number;
  serviceMeters: number;
  durationMinutes: number;
  shiftMinutes: number | null;
  route: LineString | null;
  startedAt: string | null;
  completedAt: string | null;
}

export interface UnassignedItem {
  kind: 'segment' | 'task';
  reason: string;
  segmentId?: number;
  route?: string | null;
  stakeFrom?: string;
  stakeTo?: string;
  taskId?: string;
  taskKind?: string;
  stake?: string | null;
  partial?: boolean;
}

export type PlanStatus = 'draft' | 'generating' | 'ready' | 'published' | 'failed';

export interface PatrolPlan {
  id: number;
  status: PlanStatus;
  date: string;
  jurisdiction: string;
  version: number;
  seed: number;
  seconds: number;
  roundsReached: number | null;
  lowerBoundMeters: number | null;
  distanceMeters: number;
  ratioToLowerBound: number | null;
  progress: { done: number; total: number | null; message: string | null };
  error: { code: string; message: string } | null;
  assignments: Assignment[];
  unassigned: UnassignedItem[];
}

export interface PlanPatch {
  version: number;
  moves?: ({ segmentId: number; toCrewId: number } | { taskId: number; toCrewId: number })[];
  locks?: { crewId: number; locked: boolean }[];
  replan?: boolean;
}

export function createPlan(input: { date: string; jurisdiction?: string; seconds?: number }): Promise<{ id: number; status: PlanStatus }> {
  return requestJson(apiUrl('patrol-plans'), { method: 'POST', json: input });
}

export function fetchPlan(id: number, signal?: AbortSignal): Promise<PatrolPlan> {
  return getJson(apiUrl(`patrol-plans/${id}`), signal);
}

export function fetchLatestPlan(date: string, jurisdiction?: string, signal?: AbortSignal): Promise<PatrolPlan | null> {
  return getJson(apiUrl('patrol-plans/latest', { date, jurisdiction }), signal);
}

export function patchPlan(id: number, patch: PlanPatch): Promise<PatrolPlan> {
  return requestJson(apiUrl(`patrol-plans/${id}`), { method: 'PATCH', json: patch });
}

export function publishPlan(id: number, version: number): Promise<PatrolPlan> {
  return requestJson(apiUrl(`patrol-plans/${id}/publish`), { method: 'POST', json: { version } });
}

export function fetchAssignments(date?: string, signal?: AbortSignal): Promise<{ assignments: Assignment[] }> {
  return getJson(apiUrl('assignments', { date }), signal);
}

export function transitionAssignment(id: number, input: { event: AssignmentEvent; expectedVersion: number; reason?: string }): Promise<Assignment> {
  return requestJson(apiUrl(`assignments/${id}/transitions`), { method: 'POST', json: input });
}
