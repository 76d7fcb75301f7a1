/** Shapes of the violations API (docs/violations_api.md), shared by service, routes and tests. */
import type { AppConfig } from '../config.ts';
import type { CaseEvent, CaseStatus, Requirement } from '../domain/case_workflow.ts';
import type { ResponsibleParty, ViolationSource } from '../domain/violation_attributes.ts';
import { enabledCategories, type ViolationCategory } from '../domain/violation_categories.ts';
import type { Verdict } from '../domain/violation_verdict.ts';
import type { ZoneKind } from '../domain/zones.ts';

export type FindingGeometry = GeoJSON.Point | GeoJSON.Polygon;

export interface JurisdictionRef {
  code: string;
  name: string | null;
}

/** Where a finding is on the network; every field null when no segment is within the radius. */
export interface FindingLocation {
  route: string | null;
  routeName: string | null;
  segmentId: number | null;
  direction: 1 | -1 | null;
  stake: string | null;
  chainageMeters: number | null;
  side: 'left' | 'right' | null;
  offsetMeters: number | null;
  /** The segment's district, else the district whose boundary contains the finding. */
  jurisdiction: JurisdictionRef | null;
  zones: ZoneKind[];
  primaryZone: ZoneKind | null;
}

export interface AttributeError {
  path: string;
  message: string;
}

export interface FindingAssessment {
  location: FindingLocation;
  /** null only when the category is unknown or not enabled (then attributeErrors says so). */
  verdict: Verdict | null;
  attributeErrors: AttributeError[];
}

export interface ViolationProperties extends Omit<FindingLocation, 'jurisdiction'> {
  id: number;
  externalId: string | null;
  caseNumber: string | null;
  category: string;
  status: CaseStatus;
  source: ViolationSource;
  description: string | null;
  attributes: Record<string, unknown>;
  party: ResponsibleParty | null;
  jurisdiction: JurisdictionRef | null;
  verdict: Verdict;
  deadline: string | null;
  daysRemaining: number | null;
  overdue: boolean;
  reportedAt: string;
  updatedAt: string;
  closedAt: string | null;
  version: number;
  photoCount: number;
  isDemo: boolean;
  /** Filed by another district's user as a referral (移交); null otherwise. */
  referral: { fromJurisdiction: { code: string; name: string | null }; byUsername: string | null; at: string | null } | null;
}

export type ViolationFeature = GeoJSON.Feature<FindingGeometry, ViolationProperties> & { id: number };

export interface PhotoSummary {
  id: number;
  tag: 'before' | 'after' | 'other';
  mediaType: string;
  takenAt: string | null;
  location: GeoJSON.Point | null;
  thumbnailUrl: string;
  originalUrl: string;
  uploadedAt: string;
}

export interface TimelineEntry {
  id: number;
  event: string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus;
  occurredAt: string;
  actor: { username: string | null; role: string | null };
  note: string | null;
  details: Record<string, unknown>;
  photos: PhotoSummary[];
  location: GeoJSON.Point | null;
}

export interface ViolationDetail extends ViolationFeature {
  timeline: TimelineEntry[];
  photos: PhotoSummary[];
  allowedEvents: { event: CaseEvent; requires: Requirement[] }[];
}

export interface CreateViolationInput {
  geometry: FindingGeometry;
  category: string;
  attributes?: unknown;
  description?: string | null;
  /** Validated by the service (VIOLATION_SOURCES); a string so imports pass what they read. */
  source: ViolationSource | string;
  externalId?: string | null;
  /** A ResponsibleParty; validated by the service (RESPONSIBLE_PARTY), errors under `party.*`. */
  party?: unknown;
  confirmNotDuplicate?: boolean;
  /** The finding lies in another district: file it there as a referral (移交) instead of refusing. */
  referral?: boolean;
}

/** Configuration the violations code reads; from AppConfig in the app, defaults elsewhere. */
export interface ViolationSettings {
  locateRadiusMeters: number;
  duplicateRadiusMeters: number;
  categories: readonly ViolationCategory[];
  issuingUnitSuffix: string;
}

export function violationSettings(
  config: Pick<AppConfig, 'LUYU_LOCATE_RADIUS_METERS' | 'LUYU_DUPLICATE_RADIUS_METERS' | 'LUYU_EXTRA_CATEGORIES' | 'LUYU_ISSUING_UNIT_SUFFIX'>,
): ViolationSettings {
  return {
    locateRadiusMeters: config.LUYU_LOCATE_RADIUS_METERS,
    duplicateRadiusMeters: config.LUYU_DUPLICATE_RADIUS_METERS,
    // Throws on a typo in LUYU_EXTRA_CATEGORIES, so the start fails instead of silently dropping one.
    categories: enabledCategories(config.LUYU_EXTRA_CATEGORIES),
    issuingUnitSuffix: config.LUYU_ISSUING_UNIT_SUFFIX,
  };
}

/** Filters of the list and the export (the same query string). */
export interface ViolationFilter {
  bbox?: { minLon: number; minLat: number; maxLon: number; maxLat: number };
  categories?: string[];
  statuses?: string[];
  overdue?: boolean;
  route?: string;
  chainageFromMeters?: number;
  chainageToMeters?: number;
  jurisdiction?: string;
  source?: string;
  /** Asia/Shanghai calendar dates YYYY-MM-DD, both inclusive. */
  reportedFrom?: string;
  reportedTo?: string;
  /** Cleared (the clearance that still stands, violations.cleared_at) between these dates. */
  clearedFrom?: string;
  clearedTo?: string;
  /** Cleared after the rectification deadline (true) or by it (false). */
  clearedLate?: boolean;
  /** Rectification deadline between these dates. */
  deadlineFrom?: string;
  deadlineTo?: string;
  /** Reopened after closure (recurrence) between these dates. */
  reopenedFrom?: string;
  reopenedTo?: string;
  isViolation?: boolean;
  q?: string;
  /** Only Points or only Polygons: one geometry type per GeoJSON file, which a Shapefile layer needs. */
  geometryType?: 'point' | 'polygon';
  sort: ViolationSort;
  order: 'asc' | 'desc';
}

export const VIOLATION_SORTS = ['reportedAt', 'deadline', 'stake', 'caseNumber', 'category', 'status'] as const;
export type ViolationSort = (typeof VIOLATION_SORTS)[number];
