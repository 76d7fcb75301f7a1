/**
 * Satellite change detections (issue 5) as the client sees them: types of docs/detections_api.md
 * and one function per route, all through http.ts (CSRF, 401 → login, ApiError).
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { ViolationCategory } from '@domain/violation_categories';
import type { ZoneKind } from '@domain/zones';
import { apiUrl, getJson, requestForm, requestJson } from './http';
import type { Side } from './types';

// Vocabularies are defined once in server/domain (the database CHECKs are tested against them).
export {
  BATCH_STATUSES,
  CHANGE_TYPES,
  DETECTION_CRS,
  DETECTION_REJECT_REASONS,
  DETECTION_REVIEW_STATUSES as REVIEW_STATUSES,
  type BatchStatus,
  type ChangeType,
  type DetectionCrs,
  type DetectionReviewAction as ReviewAction,
  type DetectionReviewStatus as ReviewStatus,
} from '@domain/detection_rules';
import type { BatchStatus, ChangeType, DetectionCrs, DetectionRejectReason, DetectionReviewAction as ReviewAction, DetectionReviewStatus as ReviewStatus } from '@domain/detection_rules';
export type { DetectionRejectReason } from '@domain/detection_rules';

export interface DetectionMatch {
  kind: 'violation' | 'detection';
  id: number;
  status?: string;
}

export interface DetectionProperties {
  id: number;
  batchId: number;
  externalId: string | null;
  zones: { kind: ZoneKind; overlapSquareMeters: number }[];
  primaryZone: ZoneKind | null;
  route: string | null;
  stakeFrom: number | null;
  stakeTo: number | null;
  side: Side | null;
  distanceMeters: number | null;
  areaSquareMeters: number;
  confidence: number | null;
  changeType: ChangeType | string | null;
  candidateCategory: ViolationCategory | null;
  priority: number;
  match: DetectionMatch | null;
  reopenSuggested: boolean;
  reviewStatus: ReviewStatus;
  reviewedBy: string | null;
  reviewedAt: string | null;
  violationId: number | null;
  jurisdiction: { code: string; name: string } | null;
  rejectReason?: string | null;
}

export type DetectionFeature = Feature<MultiPolygon | Polygon, DetectionProperties>;

export interface DetectionCollection extends FeatureCollection<MultiPolygon | Polygon, DetectionProperties> {
  numberMatched: number;
  numberMatchedIsEstimate?: boolean;
  links?: { next?: string };
}

export interface DetectionQuery {
  batch?: string;
  zone?: string;
  status?: string[];
  category?: string;
  jurisdiction?: string;
  minConfidence?: number;
  minArea?: number;
  includeOutOfScope?: boolean;
  sort?: 'priority' | 'confidence' | 'area' | 'stake';
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
  /** From the previous page's links.next (client/src/state/list_paging.ts); excludes offset. */
  cursor?: string;
}

export function fetchDetections(query: DetectionQuery, signal?: AbortSignal): Promise<DetectionCollection> {
  return getJson(
    apiUrl('detections', {
      batch: query.batch || undefined,
      zone: query.zone || undefined,
      status: query.status?.length ? query.status : undefined,
      category: query.category || undefined,
      jurisdiction: query.jurisdiction || undefined,
      minConfidence: query.minConfidence,
      minArea: query.minArea,
      includeOutOfScope: query.includeOutOfScope ? true : undefined,
      sort: query.sort,
      order: query.order,
      limit: query.limit,
      offset: query.offset,
      cursor: query.cursor,
    }),
    signal,
  );
}

export interface ReviewBody {
  action: ReviewAction;
  expectedStatus?: ReviewStatus;
  category?: ViolationCategory;
  attributes?: Record<string, unknown>;
  rejectReason?: DetectionRejectReason;
  note?: string;
  violationId?: number;
  /** 统一编号 as printed (merge): the server finds the case. */
  caseNumber?: string;
}

export function fetchDetection(id: number, signal?: AbortSignal): Promise<DetectionFeature> {
  return getJson(apiUrl(`detections/${id}`), signal);
}

export function reviewDetection(id: number, body: ReviewBody): Promise<DetectionFeature> {
  return requestJson(apiUrl(`detections/${id}/review`), { json: body });
}

export interface CountBy {
  [key: string]: number;
}

export interface DetectionBatch {
  id: number;
  status: BatchStatus;
  total: number | null;
  processed: number;
  repaired: number;
  rejected: { featureIndex: number; externalId: string | null; reason: string }[];
  counts: {
    byZone: CountBy;
    byCategory: CountBy;
    byReviewStatus: CountBy;
    inScope: number;
    outOfScope: number;
    known: number;
    recurring: number;
  } | null;
  source: string;
  beforeDate: string | null;
  afterDate: string | null;
  createdAt: string;
  finishedAt: string | null;
  beforeTileUrl: string | null;
  afterTileUrl: string | null;
}

export interface PrecisionRow {
  key: string;
  reviewed: number;
  confirmed: number;
  precision: number | null;
}

export interface BatchList {
  batches?: DetectionBatch[];
  items?: DetectionBatch[];
  precision?: { byBatch: PrecisionRow[]; bySource: PrecisionRow[]; byConfidenceBand: PrecisionRow[] };
}

/** The list's batches whatever the envelope key (`batches` or `items`, or a bare array). */
export function batchesOf(list: BatchList | DetectionBatch[] | undefined): DetectionBatch[] {
  if (!list) return [];
  if (Array.isArray(list)) return list;
  return list.batches ?? list.items ?? [];
}

export function fetchBatches(signal?: AbortSignal): Promise<BatchList> {
  return getJson(apiUrl('detection-batches'), signal);
}

export function fetchBatch(id: number | string, signal?: AbortSignal): Promise<DetectionBatch> {
  return getJson(apiUrl(`detection-batches/${encodeURIComponent(String(id))}`), signal);
}

export interface UploadBatchInput {
  file: File;
  source: string;
  beforeDate: string;
  afterDate: string;
  crs: DetectionCrs;
  sensor?: string;
  modelName?: string;
  beforeTileUrl?: string;
  afterTileUrl?: string;
}

export function uploadBatch(input: UploadBatchInput): Promise<{ id: number; status: BatchStatus }> {
  const form = new FormData();
  form.set('file', input.file);
  form.set('source', input.source);
  form.set('beforeDate', input.beforeDate);
  form.set('afterDate', input.afterDate);
  form.set('crs', input.crs);
  if (input.sensor) form.set('sensor', input.sensor);
  if (input.modelName) form.set('modelName', input.modelName);
  if (input.beforeTileUrl) form.set('beforeTileUrl', input.beforeTileUrl);
  if (input.afterTileUrl) form.set('afterTileUrl', input.afterTileUrl);
  return requestForm(apiUrl('detection-batches'), form);
}

/** Bounding box [minLon, minLat, maxLon, maxLat] of a detection's outline. */
export function detectionBox(feature: DetectionFeature): [number, number, number, number] {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  const polygons = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (const [lon, lat] of ring) {
        if (lon === undefined || lat === undefined) continue;
        minLon = Math.min(minLon, lon);
        minLat = Math.min(minLat, lat);
        maxLon = Math.max(maxLon, lon);
        maxLat = Math.max(maxLat, lat);
      }
    }
  }
  return [minLon, minLat, maxLon, maxLat];
}
