/**
 * The API lists behind every management figure. A figure's `href` opens the list whose
 * numberMatched equals the figure (tests/integration/management_dashboard.test.ts fetches them).
 */
import { CASE_STATUSES } from '../domain/case_workflow.ts';

/** Not cleared yet: the facts' is_open. */
export const NOT_CLEARED_STATUSES = ['reported', 'verified', 'notice_issued', 'rectifying', 'reminded', 'forced_removal'] as const;
/** Every case status but rejected (rejected findings are not cases and are not counted). */
export const CASE_STATUSES_COUNTED = CASE_STATUSES.filter((status) => status !== 'rejected');
/** Leads that needed a review (not settled automatically as known or out of scope). */
export const REVIEWED_LEAD_STATUSES = ['pending', 'field', 'confirmed', 'rejected', 'merged'] as const;

type Params = Record<string, string | number | boolean | readonly string[] | undefined>;

function query(params: Params): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    search.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  return search.toString();
}

export function violationsHref(params: Params): string {
  return `/api/v1/violations?${query({ isViolation: true, ...params })}`;
}

export function detectionsHref(params: Params): string {
  return `/api/v1/detections?${query(params)}`;
}

export function supervisionsHref(params: Params): string {
  return `/api/v1/supervisions?${query(params)}`;
}
