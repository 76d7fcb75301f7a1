/**
 * Location and legal assessment of findings, set-based: ONE locator statement (luyu_locate, the
 * whole network) whatever the number of findings (imports assess thousands at once).
 */
import type { Queryable } from '../db/database.ts';
import type { AdminClass } from '../domain/admin_class.ts';
import { formatStake } from '../domain/stake.ts';
import { parseAttributes } from '../domain/violation_attributes.ts';
import { isViolationCategory, type ViolationCategory } from '../domain/violation_categories.ts';
import { assessVerdict, type Verdict, type VerdictInput } from '../domain/violation_verdict.ts';
import { mostSpecificZone, ZONE_KINDS, type ZoneKind } from '../domain/zones.ts';
import { locateGeometries } from '../lrs/queries.ts';
import type { AttributeError, FindingAssessment, FindingGeometry, FindingLocation } from './types.ts';

/** Below this offset a finding is on the centreline and has no side (as /lrs/locate). */
const ON_CENTRELINE_METERS = 0.05;

export interface FindingInput {
  geometry: FindingGeometry;
  category: string;
  attributes: unknown;
}

export interface AssessOptions {
  radiusMeters: number;
  /** Categories switched on; others are an attribute error on `category`. */
  categories: readonly ViolationCategory[];
  /** false: attributes are not checked (a dry assessment before the form is filled). */
  validateAttributes?: boolean;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * Verdict of one finding. Invalid attributes still get a verdict from what is readable (a
 * billboard's permit and structure type decide it), so a dry run can show both the errors and
 * where the finding would stand; saving refuses them anyway.
 */
function verdictOf(category: ViolationCategory, attributes: unknown, context: Omit<VerdictInput, 'category' | 'attributes'>): { verdict: Verdict; errors: AttributeError[] } {
  const parsed = parseAttributes(category, attributes);
  const errors = parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: ['attributes', ...issue.path].join('.'), message: issue.message }));
  const readable = parsed.success ? parsed.data : lenientAttributes(attributes);
  // The cast re-pairs category and attributes, which TypeScript cannot follow through a variable key.
  const verdict = assessVerdict({ ...context, category, attributes: readable } as VerdictInput);
  return { verdict, errors };
}

function lenientAttributes(attributes: unknown): Record<string, unknown> {
  if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) return {};
  const record = attributes as Record<string, unknown>;
  const permit = typeof record.permitNumber === 'string' && record.permitNumber.trim() !== '' ? record.permitNumber : undefined;
  return { ...record, permitNumber: permit };
}

export async function assessFindingsWith(db: Queryable, inputs: readonly FindingInput[], options: AssessOptions): Promise<FindingAssessment[]> {
  if (inputs.length === 0) return [];
  const located = await locateGeometries(db, inputs.map((input) => input.geometry), options.radiusMeters);
  const byOrdinal = new Map(located.map((row) => [row.ordinal, row]));

  return inputs.map((input, index) => {
    const ordinal = index + 1;
    const row = byOrdinal.get(ordinal);
    const zones = ZONE_KINDS.filter((kind) => row?.zone_kinds.includes(kind)) as ZoneKind[];
    let location: FindingLocation;
    let adminClass: AdminClass | null = null;
    let distanceBeyondRoadLandMeters: number | null = null;
    let buildingControlMeters: number | null = null;
    if (row && row.segment_id !== null) {
      const chainageMeters = Math.max(0, round2(row.chainage_meters));
      adminClass = (row.admin_class as AdminClass | null) ?? null;
      buildingControlMeters = row.building_control_meters ?? null;
      if (row.road_land_half_width_meters !== null) {
        const beyond = row.offset_meters - row.road_land_half_width_meters;
        distanceBeyondRoadLandMeters = beyond > 0 ? beyond : null;
      }
      location = {
        route: row.route_code,
        routeName: row.route_name,
        segmentId: row.segment_id,
        direction: row.direction,
        stake: formatStake(chainageMeters),
        chainageMeters,
        side: row.offset_meters < ON_CENTRELINE_METERS ? null : row.left_of_plus_direction ? 'left' : 'right',
        offsetMeters: round2(row.offset_meters),
        jurisdiction: row.jurisdiction_code ? { code: row.jurisdiction_code, name: row.jurisdiction_name } : null,
        zones,
        primaryZone: mostSpecificZone(zones),
      };
    } else {
      location = {
        route: null,
        routeName: null,
        segmentId: null,
        direction: null,
        stake: null,
        chainageMeters: null,
        side: null,
        offsetMeters: null,
        jurisdiction: row?.jurisdiction_code ? { code: row.jurisdiction_code, name: row.jurisdiction_name } : null,
        zones,
        primaryZone: mostSpecificZone(zones),
      };
    }
    if (!isViolationCategory(input.category) || !options.categories.includes(input.category)) {
      return {
        location,
        verdict: null,
        attributeErrors: [{ path: 'category', message: `category must be one of ${options.categories.join(', ')}` }],
      };
    }
    const { verdict, errors } = verdictOf(input.category, input.attributes ?? {}, { zones, adminClass, distanceBeyondRoadLandMeters, buildingControlMeters });
    return { location, verdict, attributeErrors: options.validateAttributes === false ? [] : errors };
  });
}
