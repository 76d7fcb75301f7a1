/**
 * Row-by-row comparison of two classifications of the same staged rows (bench:detections and
 * tests/integration/dissolved_zones.test.ts). The lead's rule for the dissolved overlaps
 * (docs/scaling.md "Classification"): every categorical column identical, and areas (m²) /
 * distances and stakes (m) at most one rounding unit (0.01) apart — a figure computed from the
 * dissolved pieces is the same mathematics as the union of the bands, in another floating-point order.
 */
import type { Queryable } from '../../server/db/database.ts';

/** One rounding unit of the stored figures (round(…, 2)), plus what binary floats add to it. */
export const FIGURE_TOLERANCE = 0.01 + 1e-9;

export interface ClassifiedRow {
  feature_index: number;
  geom: string;
  area_square_meters: number;
  zones: { kind: string; overlapSquareMeters: number }[];
  primary_zone: string | null;
  in_scope: boolean;
  segment_id: string | null;
  route_code: string | null;
  direction: string | null;
  stake_from_meters: number | null;
  stake_to_meters: number | null;
  side: string | null;
  distance_meters: number | null;
  jurisdiction_code: string | null;
  candidate_category: string | null;
  priority: number;
  match_kind: string | null;
  match_violation_id: string | null;
  match_detection_id: string | null;
  reopen_suggested: boolean;
  review_status: string;
}

const CATEGORICAL = [
  'feature_index', 'geom', 'primary_zone', 'in_scope', 'segment_id', 'route_code', 'direction', 'side', 'jurisdiction_code',
  'candidate_category', 'priority', 'match_kind', 'match_violation_id', 'match_detection_id', 'reopen_suggested', 'review_status',
] as const satisfies readonly (keyof ClassifiedRow)[];
const FIGURES = ['area_square_meters', 'stake_from_meters', 'stake_to_meters', 'distance_meters'] as const satisfies readonly (keyof ClassifiedRow)[];

/** Every classified column of a batch's detections, in feature order (feature_index < `belowFeatureIndex` when given). */
export async function selectClassifiedRows(db: Queryable, batchId: number, belowFeatureIndex = 2 ** 31 - 1): Promise<ClassifiedRow[]> {
  const result = await db.query<ClassifiedRow>(
    `SELECT feature_index, encode(ST_AsEWKB(geom), 'hex') AS geom, area_square_meters, zones, primary_zone, in_scope, segment_id, route_code, direction,
            stake_from_meters, stake_to_meters, side, distance_meters, jurisdiction_code, candidate_category, priority,
            match_kind, match_violation_id, match_detection_id, reopen_suggested, review_status
     FROM detections WHERE batch_id = $1 AND feature_index < $2 ORDER BY feature_index`,
    [batchId, belowFeatureIndex],
  );
  return result.rows;
}

function figureVerdict(a: number | null, b: number | null): 'identical' | 'within_tolerance' | 'differing' {
  if (a === b) return 'identical';
  if (a === null || b === null) return 'differing';
  return Math.abs(a - b) <= FIGURE_TOLERANCE ? 'within_tolerance' : 'differing';
}

/** How one row compares, with the first column that differs (for a report). */
export function compareRow(row: ClassifiedRow, reference: ClassifiedRow): { verdict: 'identical' | 'within_tolerance' | 'differing'; column?: string } {
  for (const column of CATEGORICAL) if (row[column] !== reference[column]) return { verdict: 'differing', column };
  if (row.zones.length !== reference.zones.length) return { verdict: 'differing', column: 'zones' };
  let verdict: 'identical' | 'within_tolerance' = 'identical';
  const note = (next: ReturnType<typeof figureVerdict>, column: string) => {
    if (next === 'differing') return { verdict: 'differing' as const, column };
    if (next === 'within_tolerance') verdict = 'within_tolerance';
    return null;
  };
  for (let index = 0; index < row.zones.length; index += 1) {
    const zone = row.zones[index]!;
    const want = reference.zones[index]!;
    if (zone.kind !== want.kind) return { verdict: 'differing', column: 'zones' };
    const differing = note(figureVerdict(zone.overlapSquareMeters, want.overlapSquareMeters), `zones.${zone.kind}`);
    if (differing) return differing;
  }
  for (const column of FIGURES) {
    const differing = note(figureVerdict(row[column], reference[column]), column);
    if (differing) return differing;
  }
  return { verdict };
}

export interface ComparisonSummary {
  identical: number;
  withinTolerance: number;
  differing: number;
  /** The first few differing rows: feature index, first differing column, both rows' zones. */
  examples: { featureIndex: number; column: string; got: string; reference: string }[];
}

export function compareClassifications(rows: readonly ClassifiedRow[], reference: readonly ClassifiedRow[]): ComparisonSummary {
  const summary: ComparisonSummary = { identical: 0, withinTolerance: 0, differing: Math.abs(rows.length - reference.length), examples: [] };
  for (let index = 0; index < Math.min(rows.length, reference.length); index += 1) {
    const outcome = compareRow(rows[index]!, reference[index]!);
    if (outcome.verdict === 'identical') summary.identical += 1;
    else if (outcome.verdict === 'within_tolerance') summary.withinTolerance += 1;
    else {
      summary.differing += 1;
      if (summary.examples.length < 5) {
        summary.examples.push({ featureIndex: rows[index]!.feature_index, column: outcome.column ?? '?', got: JSON.stringify(rows[index]!.zones), reference: JSON.stringify(reference[index]!.zones) });
      }
    }
  }
  return summary;
}
