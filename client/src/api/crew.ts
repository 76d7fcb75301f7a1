/**
 * The crew field app's server calls (docs/field_app.md): today's assignments, coverage, the one
 * sync endpoint, resumable photo uploads and the list of actions the server holds (eviction check).
 */
import type { Feature, LineString } from 'geojson';
import type { AssignmentEvent } from '@domain/patrol_assignment_workflow';
import { apiUrl, CSRF_COOKIE, CSRF_HEADER, getJson, readCookie, requestJson } from './http';
import { ApiError, isServerErrorBody } from './api_error';

// The assignment as the server sends it: one description, in the plans' client (patrol_plans.ts).
export type { Assignment, PlanSegment as AssignmentSegment, PlanTask as AssignmentTask } from './patrol_plans';
import type { Assignment } from './patrol_plans';

export interface SegmentCoverage {
  segmentId: number;
  assigned: boolean;
  lengthMeters: number;
  coveredShare: number;
  covered: boolean;
  coveredStakeRanges: { from: string; to: string; text?: string }[];
}

export interface Coverage {
  assignmentId: number;
  progress: number;
  coveredMeters: number;
  assignedMeters: number;
  segmentsCovered: number;
  segmentsAssigned: number;
  segments: SegmentCoverage[];
}

export const SYNC_STATUSES = ['applied', 'duplicate', 'conflict', 'rejected'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

export interface SyncActionBody {
  id: string;
  type: 'finding.create' | 'lead.verify' | 'case.reinspect' | 'assignment.transition' | 'track.append';
  at: string;
  payload: unknown;
  baseVersion?: number;
}

export interface SyncResult {
  id: string;
  status: SyncStatus;
  entityId?: number;
  error?: { code: string; message: string; details: unknown };
  server?: unknown;
}

export interface AppliedAction {
  id: string;
  type: string;
  entityId: number | null;
  appliedAt: string;
  deviceId: string;
}

export function fetchAssignments(date: string, signal?: AbortSignal): Promise<{ assignments: Assignment[] }> {
  return getJson(apiUrl('assignments', { date }), signal);
}

export function fetchCoverage(assignmentId: number, signal?: AbortSignal): Promise<Coverage> {
  return getJson(apiUrl(`assignments/${assignmentId}/coverage`), signal);
}

export function transitionAssignment(id: number, body: { event: AssignmentEvent; expectedVersion: number; reason?: string }): Promise<Assignment> {
  return requestJson(apiUrl(`assignments/${id}/transitions`), { json: body });
}

export function postSync(deviceId: string, actions: SyncActionBody[]): Promise<{ results: SyncResult[] }> {
  return requestJson(apiUrl('sync'), { json: { deviceId, actions } });
}

export function fetchAppliedActions(deviceId: string | null, signal?: AbortSignal): Promise<{ actions: AppliedAction[] }> {
  return getJson(apiUrl('sync/applied', { deviceId }), signal);
}

export interface UploadState {
  id: string;
  offsetBytes: number;
  complete: boolean;
  photoId?: number | null;
}

export function createUpload(body: { id: string; sizeBytes: number; sha256: string; tag: 'before' | 'after' | 'other' }): Promise<UploadState> {
  return requestJson(apiUrl('uploads'), { json: body });
}

/** One chunk at `offsetBytes`; a wrong offset answers 409 UPLOAD_OFFSET_MISMATCH with the right one in details. */
export async function sendUploadChunk(id: string, offsetBytes: number, chunk: Blob): Promise<UploadState> {
  const headers = new Headers({ Accept: 'application/json', 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': String(offsetBytes) });
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers.set(CSRF_HEADER, csrf);
  let response: Response;
  try {
    response = await fetch(apiUrl(`uploads/${id}`), { method: 'PATCH', headers, credentials: 'same-origin', body: chunk });
  } catch (error) {
    throw new ApiError('NETWORK_ERROR', `Could not reach the server (${String(error)})`, 0);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    if (isServerErrorBody(body)) throw new ApiError(body.error.code, body.error.message, response.status, body.error.details ?? null);
    throw new ApiError(`HTTP_${response.status}`, `The server answered ${response.status}`, response.status);
  }
  return body as UploadState;
}

export function finalizeUpload(id: string): Promise<UploadState> {
  return requestJson(apiUrl(`uploads/${id}/finalize`), { method: 'POST' });
}

export type TrackFeature = Feature<LineString, { coordTimes: string[] }>;
