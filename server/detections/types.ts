/** Shapes of the detections API (docs/detections_api.md), shared by service, routes and tests. */
import type { Bbox } from '../http/common_schemas.ts';

import type { DetectionCrs } from '../domain/detection_rules.ts';
import type { VectorFormat } from '../files/read_vector_file.ts';

/** Detection file formats, sniffed from the content. */
export type DetectionFileFormat = VectorFormat;

export { BATCH_STATUSES, DETECTION_CRS, type BatchStatus, type DetectionCrs } from '../domain/detection_rules.ts';

/** What the uploader says about a batch (multipart fields, or the bench's input). */
export interface BatchMetadata {
  source: string;
  sensor?: string | null;
  modelName?: string | null;
  beforeDate: string;
  afterDate: string;
  groundResolutionMeters?: number | null;
  crs: DetectionCrs;
  /** Client batch id: the same one never creates a second batch. */
  batchId?: string | null;
  beforeTileUrl?: string | null;
  afterTileUrl?: string | null;
}

/** One parsed feature ready for staging (geometry already in WGS84). */
export interface StagedFeature {
  featureIndex: number;
  externalId: string | null;
  geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon;
  confidence: number | null;
  changeType: string;
  declaredAreaSquareMeters: number | null;
}

export interface RejectedFeature {
  featureIndex: number;
  externalId: string | null;
  reason: string;
}

export interface DetectionFilter {
  batchId?: number;
  zones?: string[];
  statuses?: string[];
  categories?: string[];
  jurisdiction?: string;
  minConfidence?: number;
  minAreaSquareMeters?: number;
  includeOutOfScope: boolean;
  bbox?: Bbox;
  /** Arrived (created) between these Asia/Shanghai dates, inclusive. */
  createdFrom?: string;
  createdTo?: string;
  /** Not reviewed within this many days of arrival (management's leads_review rule). */
  reviewLateDays?: number;
  sort: 'priority' | 'confidence' | 'area' | 'stake';
  order: 'asc' | 'desc';
}

export interface DetectionProperties {
  id: number;
  batchId: number;
  externalId: string | null;
  zones: { kind: string; overlapSquareMeters: number }[];
  primaryZone: string | null;
  inScope: boolean;
  route: string | null;
  stakeFrom: number | null;
  stakeTo: number | null;
  side: 'left' | 'right' | null;
  distanceMeters: number | null;
  areaSquareMeters: number;
  confidence: number | null;
  changeType: string;
  candidateCategory: string | null;
  priority: number;
  match: { kind: 'violation' | 'detection'; id: number; status?: string } | null;
  reopenSuggested: boolean;
  reviewStatus: string;
  rejectReason: string | null;
  reviewNote: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  violationId: number | null;
  jurisdiction: { code: string; name: string | null } | null;
  isDemo: boolean;
}

export type DetectionFeature = GeoJSON.Feature<GeoJSON.MultiPolygon, DetectionProperties> & { id: number };
