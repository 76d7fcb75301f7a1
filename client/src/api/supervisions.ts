/** Typed fetches of the supervision API (server/supervisions/routes.ts). */
import type { Satisfaction, SupervisionEvent, SupervisionStatus } from '@domain/supervision_workflow';
import { apiUrl, getJson, requestJson } from './http';

export interface Supervision {
  id: number;
  supervisionNumber: string;
  subject: 'case' | 'backlog';
  case: { id: number; caseNumber: string | null; status: string } | null;
  backlog: { overdue: boolean; category: string | null; casesWhenIssued: number } | null;
  issuingUnit: { code: string; name: string };
  responsibleUnit: { code: string; name: string };
  responsible: { username: string; name: string | null };
  deadline: string;
  instructions: string;
  status: SupervisionStatus;
  version: number;
  urgeCount: number;
  doneAt: string | null;
  followedUpAt: string | null;
  satisfaction: Satisfaction | null;
  createdBy: string | null;
  createdAt: string;
  overdue: boolean;
  escalatedTo: { code: string; name: string } | null;
  handledOnTime: boolean | null;
  assignedToMe: boolean;
  allowedEvents: SupervisionEvent[];
}

export interface SupervisionDetail extends Supervision {
  events: { id: number; event: string; fromStatus: string | null; toStatus: string; occurredAt: string; actor: string | null; actorRole: string | null; note: string | null; details: Record<string, unknown> }[];
}

export interface SupervisionQuery {
  status?: string;
  overdue?: boolean;
  unit?: string;
  mine?: boolean;
  violationId?: number;
  escalatedWithin?: string;
  limit?: number;
}

export function fetchSupervisions(query: SupervisionQuery, signal?: AbortSignal): Promise<{ items: Supervision[]; numberMatched: number; numberMatchedIsEstimate?: boolean }> {
  return getJson(apiUrl('supervisions', { limit: 100, ...query }), signal);
}

export function fetchSupervision(id: number, signal?: AbortSignal): Promise<SupervisionDetail> {
  return getJson(apiUrl(`supervisions/${id}`), signal);
}

export interface NewSupervision {
  subject: 'case' | 'backlog';
  violationId?: number;
  jurisdiction?: string;
  backlog?: { overdue: boolean };
  responsibleUsername: string;
  deadline: string;
  instructions: string;
}

export function createSupervision(body: NewSupervision): Promise<SupervisionDetail> {
  return requestJson(apiUrl('supervisions'), { method: 'POST', json: body });
}

export function transitionSupervision(id: number, body: { event: SupervisionEvent; expectedVersion: number; note?: string; satisfaction?: Satisfaction }): Promise<SupervisionDetail> {
  return requestJson(apiUrl(`supervisions/${id}/transitions`), { method: 'POST', json: body });
}
