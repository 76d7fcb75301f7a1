/**
 * Rules for satellite change detections (docs/detections_api.md "Classification"): the change-type
 * vocabulary, zone severity, the change type × zone → candidate category table and the priority
 * formula. Pure data and functions (no Node, no database): the classify SQL receives these tables
 * as parameters (server/detections/queries.ts), the client may import them for labels, and the
 * unit tests pin them. ONE definition: the SQL computes nothing these tables do not say.
 */
import type { ZoneKind } from './zones.ts';

export const CHANGE_TYPES = [
  'new_building',
  'building_extension',
  'bare_soil',
  'excavation_pit',
  'material_pile',
  'vegetation_loss',
  'temporary_structure',
  'other',
] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export const CHANGE_TYPE_LABELS: Readonly<Record<ChangeType, { zh: string; en: string }>> = {
  new_building: { zh: '新增建筑', en: 'New building' },
  building_extension: { zh: '扩建', en: 'Building extension' },
  bare_soil: { zh: '裸土', en: 'Bare soil' },
  excavation_pit: { zh: '采挖坑', en: 'Excavation pit' },
  material_pile: { zh: '堆放', en: 'Material pile' },
  vegetation_loss: { zh: '植被破坏', en: 'Vegetation loss' },
  temporary_structure: { zh: '临时构筑物', en: 'Temporary structure' },
  other: { zh: '其他', en: 'Other' },
};

/** A provider's change type (code, Chinese label, any case) → ours; unknown or missing → 'other'. */
export function normalizeChangeType(value: unknown): ChangeType {
  if (typeof value !== 'string') return 'other';
  const trimmed = value.trim();
  const code = trimmed.toLowerCase().replace(/[\s-]+/g, '_');
  if ((CHANGE_TYPES as readonly string[]).includes(code)) return code as ChangeType;
  const byLabel = CHANGE_TYPES.find((type) => CHANGE_TYPE_LABELS[type].zh === trimmed);
  return byLabel ?? 'other';
}

/** Confidence as 0–1: providers send 0–1 or a percentage 0–100; anything else → null. */
export function normalizeConfidence(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0 || number > 100) return null;
  return number > 1 ? number / 100 : number;
}

/**
 * Zone kinds, most severe first: the primary zone of a detection is the first it overlaps. Road land
 * is the road itself; the control zone forbids buildings; bridge/tunnel ranges and the excavation
 * ban forbid digging; the settlement setback only restricts new villages, schools, markets.
 */
export const ZONE_SEVERITY_ORDER: readonly ZoneKind[] = ['road_land', 'building_control', 'bridge_range', 'tunnel_range', 'excavation_ban', 'settlement_setback'];

/** Severity weight 0–1 per zone kind (the priority's main term). */
export const ZONE_SEVERITY_WEIGHT: Readonly<Record<ZoneKind, number>> = {
  road_land: 1,
  building_control: 0.85,
  bridge_range: 0.75,
  tunnel_range: 0.7,
  excavation_ban: 0.6,
  settlement_setback: 0.35,
};

/**
 * Candidate violation category per change type and zone (DOMAIN.md "What is prohibited where"):
 * a change type in a zone not listed here suggests no category (null). The category of a detection
 * is the one of its MOST SEVERE overlapped zone that has an entry.
 */
export const CANDIDATE_CATEGORY_TABLE: Readonly<Record<ChangeType, Partial<Record<ZoneKind, string>>>> = {
  new_building: { road_land: 'structure', building_control: 'structure' },
  building_extension: { road_land: 'structure', building_control: 'structure' },
  temporary_structure: { road_land: 'structure', building_control: 'structure' },
  bare_soil: { excavation_ban: 'excavation', bridge_range: 'excavation', tunnel_range: 'excavation', road_land: 'piling' },
  excavation_pit: { road_land: 'excavation', building_control: 'excavation', excavation_ban: 'excavation', bridge_range: 'excavation', tunnel_range: 'excavation' },
  material_pile: { road_land: 'piling' },
  vegetation_loss: { bridge_range: 'excavation', tunnel_range: 'excavation' },
  other: {},
};

/** The candidate category of a change type given the zones it overlaps (any order), or null. */
export function candidateCategory(changeType: ChangeType, zones: readonly ZoneKind[]): string | null {
  const row = CANDIDATE_CATEGORY_TABLE[changeType];
  for (const zone of ZONE_SEVERITY_ORDER) if (zones.includes(zone) && row[zone]) return row[zone]!;
  return null;
}

/** Rows of the table as the classify SQL reads them (json_to_recordset). */
export function candidateCategoryRows(): { changeType: ChangeType; zoneKind: ZoneKind; category: string }[] {
  return CHANGE_TYPES.flatMap((changeType) =>
    Object.entries(CANDIDATE_CATEGORY_TABLE[changeType]).map(([zoneKind, category]) => ({ changeType, zoneKind: zoneKind as ZoneKind, category: category! })),
  );
}

/**
 * Priority 0–100 = round(100 × (0.55 × severity + 0.2 × areaScore + 0.25 × confidence)), where
 * severity = ZONE_SEVERITY_WEIGHT of the primary zone, areaScore = log10(1 + area m²) / log10(1 +
 * 10,000) capped at 1 (a 10,000 m² change saturates: size matters, but logarithmically), confidence
 * 0–1 with a missing one counted as 0.5 (neither trusted nor distrusted). Out of every zone → 0.
 */
export const PRIORITY_WEIGHTS = { severity: 0.55, area: 0.2, confidence: 0.25, areaSaturationSquareMeters: 10_000, missingConfidence: 0.5 } as const;

export function detectionPriority(input: { primaryZone: ZoneKind | null; areaSquareMeters: number; confidence: number | null }): number {
  if (input.primaryZone === null) return 0;
  const severity = ZONE_SEVERITY_WEIGHT[input.primaryZone];
  const areaScore = Math.min(1, Math.log10(1 + Math.max(0, input.areaSquareMeters)) / Math.log10(1 + PRIORITY_WEIGHTS.areaSaturationSquareMeters));
  const confidence = input.confidence ?? PRIORITY_WEIGHTS.missingConfidence;
  return Math.round(100 * (PRIORITY_WEIGHTS.severity * severity + PRIORITY_WEIGHTS.area * areaScore + PRIORITY_WEIGHTS.confidence * confidence));
}

/** Review statuses: pending/field are open; known and out_of_scope are set by classification. */
export const DETECTION_REVIEW_STATUSES = ['pending', 'field', 'confirmed', 'rejected', 'merged', 'known', 'out_of_scope'] as const;
export type DetectionReviewStatus = (typeof DETECTION_REVIEW_STATUSES)[number];
export const REVIEWABLE_STATUSES: readonly DetectionReviewStatus[] = ['pending', 'field'];

export const DETECTION_REVIEW_ACTIONS = ['confirm', 'reject', 'field', 'merge'] as const;
export type DetectionReviewAction = (typeof DETECTION_REVIEW_ACTIONS)[number];
/** Reject reasons in the order of the 1–5 keyboard shortcuts. */
export const DETECTION_REJECT_REASONS = ['false_positive', 'not_a_change', 'already_known', 'outside_road_law', 'other'] as const;
export type DetectionRejectReason = (typeof DETECTION_REJECT_REASONS)[number];

/** Review status after an action. Precision counts confirmed and merged as true changes. */
export const STATUS_AFTER_ACTION: Readonly<Record<DetectionReviewAction, DetectionReviewStatus>> = {
  confirm: 'confirmed',
  reject: 'rejected',
  field: 'field',
  merge: 'merged',
};

/** Confidence bands of the precision statistics (lower bound inclusive). */
export const CONFIDENCE_BANDS: readonly { key: string; from: number; to: number }[] = [
  { key: '0.0-0.5', from: 0, to: 0.5 },
  { key: '0.5-0.7', from: 0.5, to: 0.7 },
  { key: '0.7-0.9', from: 0.7, to: 0.9 },
  { key: '0.9-1.0', from: 0.9, to: 1.0001 },
];

/** Minimum intersection-over-union for "the same change seen in an earlier batch". */
export const RECURRING_MIN_IOU = 0.3;

/** Datums a detection batch may declare (GCJ-02 is converted, never stored: DOMAIN.md "Coordinates"). */
export const DETECTION_CRS = ['WGS84', 'CGCS2000', 'GCJ02'] as const;
/** The words detection_batches.crs may hold (migration 030's CHECK list): a datum, or AUTO (the file's own CRS, else WGS 84). */
export const DETECTION_CRS_WORDS = [...DETECTION_CRS, 'AUTO'] as const;
/** What a batch was uploaded with: one of those words, or an EPSG code (`EPSG:4547`, the CHECK's pattern). */
export type DetectionCrs = (typeof DETECTION_CRS_WORDS)[number] | `EPSG:${number}`;

export const BATCH_STATUSES = ['queued', 'staging', 'classifying', 'done', 'failed'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const DETECTION_MATCH_KINDS = ['violation', 'detection'] as const;
export type DetectionMatchKind = (typeof DETECTION_MATCH_KINDS)[number];
