import type { ExpressionSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { DetectionFilters } from '../state/detections_query';

/** A jurisdiction's code and parent, enough to find its subtree (the list's `jurisdiction` filter). */
export interface JurisdictionLink {
  code: string;
  parentCode: string | null;
}

/** The comma list of a filter field (the list route takes `a,b`), empty when none. */
function listOf(value: string | undefined): string[] {
  return (value ?? '').split(',').map((part) => part.trim()).filter(Boolean);
}

/** The code and every code below it (district under city under province), as the list route walks parent_code. */
export function jurisdictionSubtree(code: string, links: readonly JurisdictionLink[]): string[] {
  const children = new Map<string, string[]>();
  for (const link of links) {
    if (link.parentCode) children.set(link.parentCode, [...(children.get(link.parentCode) ?? []), link.code]);
  }
  const found: string[] = [];
  const pending = [code];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (found.includes(next)) continue;
    found.push(next);
    pending.push(...(children.get(next) ?? []));
  }
  return found;
}

/**
 * The review queue's filters (state/detections_query.ts) as a MapLibre filter on the detections
 * tiles' attributes (server/tiles/queries.ts), the same conditions the list route applies
 * (server/detections/queries.ts detectionWhere): batch, any touched zone kind, review status,
 * candidate category, jurisdiction subtree, minimum confidence and area, in scope unless asked.
 * Confidence and area travel as integers (millionths, hundredths of m²), so the bounds are
 * compared at that resolution.
 */
export function detectionTileFilter(filters: DetectionFilters, jurisdictions: readonly JurisdictionLink[] = []): ExpressionSpecification {
  const conditions: ExpressionSpecification[] = [];
  if (filters.batch) conditions.push(['==', ['get', 'batch_id'], Number(filters.batch)]);
  const zones = listOf(filters.zone);
  if (zones.length > 0) conditions.push(['any', ...zones.map((kind): ExpressionSpecification => ['in', `,${kind},`, ['coalesce', ['get', 'zone_kinds'], '']])] as ExpressionSpecification);
  if (filters.status !== 'all') conditions.push(['in', ['get', 'review_status'], ['literal', listOf(filters.status)]]);
  const categories = listOf(filters.category);
  if (categories.length > 0) conditions.push(['in', ['get', 'candidate_category'], ['literal', categories]]);
  if (filters.jurisdiction) conditions.push(['in', ['get', 'jurisdiction_code'], ['literal', jurisdictionSubtree(filters.jurisdiction, jurisdictions)]]);
  // A detection without confidence fails a confidence bound, as `NULL >= x` does in SQL.
  if (filters.minConfidence !== undefined) conditions.push(['>=', ['coalesce', ['get', 'confidence_millionths'], -1], Math.round(filters.minConfidence * 1_000_000)]);
  if (filters.minArea !== undefined) conditions.push(['>=', ['get', 'area_centi_square_meters'], Math.round(filters.minArea * 100)]);
  if (!filters.includeOutOfScope) conditions.push(['==', ['get', 'in_scope'], true]);
  return ['all', ...conditions] as ExpressionSpecification;
}

/** The queue's filter, plus the detections reviewed on this page (they stay, in their new status colour). */
export function withReviewed(filter: ExpressionSpecification, reviewedIds: readonly number[]): ExpressionSpecification {
  if (reviewedIds.length === 0) return filter;
  return ['any', ['in', ['id'], ['literal', [...reviewedIds]]], filter];
}
