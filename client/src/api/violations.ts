/**
 * The violations register (issue 4) as the client sees it: types of docs/violations_api.md and one
 * function per route. Every call goes through http.ts (CSRF, 401 → login, ApiError).
 */
import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import type { CaseEvent, CaseStatus, RejectReason, Requirement } from '@domain/case_workflow';
import type { ViolationCategory } from '@domain/violation_categories';
import type { PartyIdType, ViolationSource } from '@domain/violation_attributes';
import type { VerdictReasonCode } from '@domain/violation_verdict';
import type { ZoneKind } from '@domain/zones';
import { apiUrl, getJson, requestForm, requestJson } from './http';
import type { Direction, Side } from './types';

export type ViolationGeometry = Point | Polygon;

export interface Party {
  name: string;
  contact?: string;
  address?: string;
  idType?: PartyIdType;
  idNumber?: string;
}

export interface ViolationVerdict {
  isViolation: boolean;
  article: string | null;
  penaltyArticle: string | null;
  reasonCode: VerdictReasonCode;
  reason: { zh: string; en: string };
}

export interface ViolationProperties {
  id: number;
  externalId: string | null;
  caseNumber: string | null;
  category: ViolationCategory;
  status: CaseStatus;
  source: ViolationSource;
  description: string | null;
  attributes: Record<string, unknown>;
  party: Party | null;
  route: string | null;
  routeName: string | null;
  segmentId: number | null;
  direction: Direction | null;
  chainageMeters: number | null;
  stake: string | null;
  side: Side | null;
  offsetMeters: number | null;
  jurisdiction: { code: string; name: string } | null;
  zones: ZoneKind[];
  primaryZone: ZoneKind | null;
  verdict: ViolationVerdict;
  deadline: string | null;
  daysRemaining: number | null;
  overdue: boolean;
  reportedAt: string;
  updatedAt: string;
  closedAt: string | null;
  version: number;
  photoCount: number;
  isDemo: boolean;
}

export type ViolationFeature = Feature<ViolationGeometry, ViolationProperties>;

export interface ViolationCollection extends FeatureCollection<ViolationGeometry, ViolationProperties> {
  numberMatched: number;
  /** true when numberMatched is the server's estimate (beyond its exact-count limit). */
  numberMatchedIsEstimate?: boolean;
  numberReturned: number;
  limit: number;
  offset: number | null;
  links?: { next?: string };
}

export type PhotoTag = 'before' | 'after' | 'other';
export const PHOTO_TAGS: readonly PhotoTag[] = ['before', 'after', 'other'];

export interface PhotoSummary {
  id: number;
  tag: PhotoTag;
  mediaType: string;
  takenAt: string | null;
  location: Point | null;
  thumbnailUrl: string;
  originalUrl: string;
  uploadedAt: string;
}

export interface TimelineEntry {
  id: number;
  event: CaseEvent | 'create' | string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus;
  occurredAt: string;
  actor: { username: string; role: string } | null;
  note: string | null;
  details: Record<string, unknown> | null;
  photos: PhotoSummary[];
  location: Point | null;
}

export interface AllowedEvent {
  event: CaseEvent;
  requires: Requirement[];
}

export interface ViolationDetail extends ViolationFeature {
  timeline: TimelineEntry[];
  photos: PhotoSummary[];
  allowedEvents: AllowedEvent[];
}

/** Ledger filters; also the URL query of /violations and the export link. */
export interface ViolationFilters {
  category?: string[];
  status?: string[];
  overdue?: boolean;
  route?: string;
  stakeFrom?: string;
  stakeTo?: string;
  jurisdiction?: string;
  source?: string;
  reportedFrom?: string;
  reportedTo?: string;
  /** Management figures' lists (server/management/ledger_links.ts). */
  clearedFrom?: string;
  clearedTo?: string;
  clearedLate?: boolean;
  deadlineFrom?: string;
  deadlineTo?: string;
  reopenedFrom?: string;
  reopenedTo?: string;
  isViolation?: boolean;
  q?: string;
}

export type SortKey = 'reportedAt' | 'deadline' | 'stake' | 'caseNumber' | 'category' | 'status';

export interface ViolationQuery extends ViolationFilters {
  bbox?: readonly [number, number, number, number];
  sort?: SortKey;
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
  /** From the previous page's links.next (client/src/state/list_paging.ts); excludes offset. */
  cursor?: string;
}

function queryParams(query: ViolationQuery): Record<string, string | number | boolean | undefined | readonly (string | number)[]> {
  return {
    bbox: query.bbox,
    category: query.category?.length ? query.category : undefined,
    status: query.status?.length ? query.status : undefined,
    overdue: query.overdue ? true : undefined,
    route: query.route || undefined,
    stakeFrom: query.stakeFrom || undefined,
    stakeTo: query.stakeTo || undefined,
    jurisdiction: query.jurisdiction || undefined,
    source: query.source || undefined,
    reportedFrom: query.reportedFrom || undefined,
    reportedTo: query.reportedTo || undefined,
    clearedFrom: query.clearedFrom || undefined,
    clearedTo: query.clearedTo || undefined,
    clearedLate: query.clearedLate,
    deadlineFrom: query.deadlineFrom || undefined,
    deadlineTo: query.deadlineTo || undefined,
    reopenedFrom: query.reopenedFrom || undefined,
    reopenedTo: query.reopenedTo || undefined,
    isViolation: query.isViolation === undefined ? undefined : query.isViolation,
    q: query.q || undefined,
    sort: query.sort,
    order: query.order,
    limit: query.limit,
    offset: query.offset,
    cursor: query.cursor,
  };
}

export function fetchViolations(query: ViolationQuery, signal?: AbortSignal): Promise<ViolationCollection> {
  return getJson(apiUrl('violations', queryParams(query)), signal);
}

export function fetchViolation(id: number, signal?: AbortSignal): Promise<ViolationDetail> {
  return getJson(apiUrl(`violations/${id}`), signal);
}

/** GeoJSON comes one geometry type per file (`geometryType`), so GIS tools can write it to a Shapefile layer. */
export function exportUrl(
  format: 'xlsx' | 'csv' | 'geojson',
  filters: ViolationFilters,
  sort?: SortKey,
  order?: 'asc' | 'desc',
  geometryType?: 'point' | 'polygon',
): string {
  return apiUrl('violations/export', { format, ...(geometryType ? { geometryType } : {}), ...queryParams({ ...filters, sort, order }) });
}

export function noticeUrl(id: number): string {
  return apiUrl(`violations/${id}/notice`);
}

export interface CreateViolationBody {
  geometry: ViolationGeometry;
  category: ViolationCategory;
  attributes: Record<string, unknown>;
  description?: string;
  source: ViolationSource;
  party?: Party;
  confirmNotDuplicate?: boolean;
  /** File it in the district where it lies (移交), after the reporter confirmed. */
  referral?: boolean;
}

export function createViolation(body: CreateViolationBody): Promise<ViolationFeature> {
  const { geometry, ...properties } = body;
  return requestJson(apiUrl('violations'), { json: { type: 'Feature', geometry, properties } });
}

export interface DuplicateCandidate {
  id: number;
  caseNumber: string | null;
  category: ViolationCategory;
  status: CaseStatus;
  distanceMeters: number;
}

export interface Assessment {
  location: {
    route: string | null;
    routeName: string | null;
    segmentId: number | null;
    stake: string | null;
    chainageMeters: number | null;
    side: Side | null;
    offsetMeters: number | null;
    jurisdiction: { code: string; name: string } | null;
    zones: ZoneKind[];
    primaryZone: ZoneKind | null;
  };
  verdict: ViolationVerdict;
  possibleDuplicates: DuplicateCandidate[];
}

export function assessViolation(body: { geometry: ViolationGeometry; category: ViolationCategory; attributes?: Record<string, unknown> }, signal?: AbortSignal): Promise<Assessment> {
  return requestJson(apiUrl('violations/assess'), { json: body, signal });
}

export interface TransitionBody {
  event: CaseEvent;
  expectedVersion?: number;
  note?: string;
  deadline?: string;
  party?: Party;
  photoIds?: number[];
  rejectReason?: RejectReason;
  location?: Point;
  /** The second officer a notice names (separation of duties). */
  secondOfficerId?: number;
}

export interface CertifiedOfficer {
  id: number;
  username: string;
  displayName: string | null;
  role: string;
  certificateNumber: string;
}

/** Officers in scope with a certificate number: the second officer on a notice. */
export async function listCertifiedOfficers(signal?: AbortSignal): Promise<CertifiedOfficer[]> {
  return (await getJson<{ items: CertifiedOfficer[] }>(apiUrl('officers/certified'), signal)).items;
}

export const DOCUMENT_KINDS = ['rectification_notice', 'stop_order', 'inspection_record', 'service_record'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** An enforcement document of a case (HTML to print; `pdf` downloads the same page as A4 PDF). */
export function documentUrl(id: number, kind: DocumentKind, format: 'html' | 'pdf' = 'html'): string {
  return apiUrl(`violations/${id}/documents/${kind}${format === 'pdf' ? '?format=pdf' : ''}`);
}

export function transitionViolation(id: number, body: TransitionBody): Promise<ViolationFeature> {
  return requestJson(apiUrl(`violations/${id}/transitions`), { json: body });
}

export function bulkTransition(body: { ids: number[]; event: CaseEvent; note?: string; deadline?: string; rejectReason?: RejectReason }): Promise<{ updated: number[] }> {
  return requestJson(apiUrl('violations/bulk-transitions'), { json: body });
}

export function uploadPhoto(file: Blob, tag: PhotoTag, violationId?: number): Promise<PhotoSummary> {
  const form = new FormData();
  form.set('file', file);
  form.set('tag', tag);
  if (violationId !== undefined) form.set('violationId', String(violationId));
  return requestForm(apiUrl('photos'), form);
}

export type ImportDatum = 'WGS84' | 'CGCS2000' | 'GCJ02';

export interface ImportRow {
  rowNumber: number;
  externalId: string | null;
  ok: boolean;
  errors: { field: string; message: string }[];
  existingId: number | null;
  would: {
    category: ViolationCategory | null;
    route: string | null;
    stake: string | null;
    side: Side | null;
    offsetMeters: number | null;
    primaryZone: ZoneKind | null;
    verdict: ViolationVerdict | null;
  } | null;
}

export interface ImportResult {
  dryRun: boolean;
  summary: { total: number; valid: number; invalid: number; existing: number; created: number };
  rows: ImportRow[];
}

export function importViolations(file: File, datum: ImportDatum, dryRun: boolean, source?: string): Promise<ImportResult> {
  const form = new FormData();
  form.set('file', file);
  form.set('datum', datum);
  form.set('dryRun', String(dryRun));
  if (source) form.set('source', source);
  return requestForm(apiUrl('violation-imports'), form);
}

/** `GET /lrs/offset-point`: the point `offset` m to one side of a stake. */
export function fetchOffsetPoint(route: string, stake: string, side: Side, offset: number, direction: Direction = 1, signal?: AbortSignal): Promise<{ point: Point } & Record<string, unknown>> {
  return getJson(apiUrl('lrs/offset-point', { route, stake, direction, side, offset }), signal);
}
