import type { Queryable } from '../db/database.ts';
import type { ScoringRule } from '../domain/scoring_formula.ts';

/** Units at or below $1 (a district, or every district of a city/province). */
const BELOW = (parameter: string) => `(
  WITH RECURSIVE below AS (
    SELECT code FROM jurisdictions WHERE code = ${parameter}
    UNION ALL SELECT child.code FROM jurisdictions child JOIN below ON child.parent_code = below.code)
  SELECT code FROM below)`;

/** Folds waiting marks (or everything) into the aggregates; -1 when another refresh runs. */
export async function refreshAggregates(db: Queryable, maxMarks: number, fullRebuild: boolean): Promise<number> {
  const result = await db.query<{ taken: number }>('SELECT luyu_refresh_management_aggregates($1, $2) AS taken', [maxMarks, fullRebuild]);
  return result.rows[0]?.taken ?? 0;
}

export async function marksWaiting(db: Queryable): Promise<boolean> {
  const result = await db.query<{ waiting: boolean }>('SELECT luyu_management_marks_waiting() AS waiting');
  return result.rows[0]?.waiting ?? false;
}

export async function selectRefreshedAt(db: Queryable): Promise<Date | null> {
  const result = await db.query<{ refreshed_at: Date }>('SELECT refreshed_at FROM management_refresh_state');
  return result.rows[0]?.refreshed_at ?? null;
}

export interface JurisdictionRow {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
}

export async function selectJurisdiction(db: Queryable, code: string): Promise<JurisdictionRow | undefined> {
  const result = await db.query<JurisdictionRow>('SELECT code, name, level, parent_code FROM jurisdictions WHERE code = $1', [code]);
  return result.rows[0];
}

export async function selectChildUnits(db: Queryable, parentCode: string): Promise<JurisdictionRow[]> {
  const result = await db.query<JurisdictionRow>('SELECT code, name, level, parent_code FROM jurisdictions WHERE parent_code = $1 ORDER BY code', [parentCode]);
  return result.rows;
}

export interface DashboardTotalsRow {
  open: number;
  overdue: number;
  cleared: number;
  cleared_late: number;
  reported: number;
  reported_cleared: number;
}

/**
 * Headline counts over the units below `scope`: open/overdue now, the rest within [from, to].
 * Overdue = cases whose deadline runs minus those whose deadline is today or later (few rows).
 */
export async function selectDashboardTotals(db: Queryable, scope: string, from: string, to: string, today: string): Promise<DashboardTotalsRow> {
  const result = await db.query<DashboardTotalsRow>(
    `WITH units AS ${BELOW('$1')},
     now_totals AS (SELECT coalesce(sum(open), 0) AS open, coalesce(sum(running), 0) AS running FROM management_unit_totals WHERE jurisdiction_code IN (SELECT code FROM units)),
     not_due AS (SELECT coalesce(sum(running_due), 0) AS running FROM management_daily WHERE jurisdiction_code IN (SELECT code FROM units) AND day >= $4::date),
     period AS (
       SELECT coalesce(sum(cleared), 0) AS cleared, coalesce(sum(cleared_late), 0) AS cleared_late,
              coalesce(sum(reported), 0) AS reported, coalesce(sum(reported - open_reported), 0) AS reported_cleared
       FROM management_daily WHERE jurisdiction_code IN (SELECT code FROM units) AND day BETWEEN $2::date AND $3::date)
     SELECT now_totals.open::integer, (now_totals.running - not_due.running)::integer AS overdue, period.cleared::integer, period.cleared_late::integer,
            period.reported::integer, period.reported_cleared::integer
     FROM now_totals, not_due, period`,
    [scope, from, to, today],
  );
  return result.rows[0]!;
}

export interface CategoryMedianRow {
  category: string;
  cleared: number;
  median_days: number;
}

/**
 * Median whole days from report to clearance per category, over cases cleared in [from, to]:
 * the smallest day count whose cumulative share reaches one half (percentile_disc(0.5)).
 */
export async function selectCategoryMedians(db: Queryable, scope: string, from: string, to: string): Promise<CategoryMedianRow[]> {
  const result = await db.query<CategoryMedianRow>(
    `WITH counts AS (
       SELECT category, days_to_clear, sum(cases)::integer AS cases
       FROM management_clear_days
       WHERE jurisdiction_code IN ${BELOW('$1')} AND day BETWEEN $2::date AND $3::date
       GROUP BY category, days_to_clear
     ), running AS (
       SELECT category, days_to_clear,
              sum(cases) OVER (PARTITION BY category ORDER BY days_to_clear) AS running_cases,
              sum(cases) OVER (PARTITION BY category) AS total_cases
       FROM counts
     )
     SELECT category, max(total_cases)::integer AS cleared, min(days_to_clear) FILTER (WHERE running_cases * 2 >= total_cases) AS median_days
     FROM running GROUP BY category ORDER BY category`,
    [scope, from, to],
  );
  return result.rows;
}

export interface MonthTrendRow {
  month: string;
  reported: number;
  cleared: number;
}

/** Per month from `fromMonth` (a first day) through `toDay`; the last month from the daily rows up to `toDay`. */
export async function selectMonthlyTrend(db: Queryable, scope: string, fromMonth: string, toDay: string): Promise<MonthTrendRow[]> {
  const result = await db.query<MonthTrendRow>(
    `WITH units AS ${BELOW('$1')}
     SELECT month, sum(reported)::integer AS reported, sum(cleared)::integer AS cleared FROM (
       SELECT to_char(month, 'YYYY-MM') AS month, reported, cleared FROM management_monthly
       WHERE jurisdiction_code IN (SELECT code FROM units) AND month >= $2::date AND month < date_trunc('month', $3::date)::date
       UNION ALL
       SELECT to_char(day, 'YYYY-MM'), reported, cleared FROM management_daily
       WHERE jurisdiction_code IN (SELECT code FROM units) AND day BETWEEN greatest($2::date, date_trunc('month', $3::date)::date) AND $3::date
     ) rows GROUP BY 1 ORDER BY 1`,
    [scope, fromMonth, toDay],
  );
  return result.rows;
}

export interface OpenCellRow {
  cell_x: number;
  cell_y: number;
  cases: number;
}

/** Open cases per cell of `grid` (0: 0.02°, 1: 0.2°). */
export async function selectOpenCells(db: Queryable, scope: string, grid: 0 | 1): Promise<OpenCellRow[]> {
  const result = await db.query<OpenCellRow>(
    `SELECT cell_x, cell_y, sum(cases)::integer AS cases FROM management_open_cells
     WHERE jurisdiction_code IN ${BELOW('$1')} AND grid = $2 GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 2000`,
    [scope, grid],
  );
  return result.rows;
}

export interface OverdueCaseRow {
  id: number;
  case_number: string | null;
  category: string;
  status: string;
  route_code: string | null;
  chainage_meters: number | null;
  jurisdiction_code: string;
  jurisdiction_name: string;
  deadline_at: Date;
  days_overdue: number;
  responsible_username: string | null;
  responsible_name: string | null;
}

/**
 * The longest-overdue cases with the unit and the person responsible (who issued the notice or the
 * last reminder). A bounded read of the register through the open-deadline index.
 */
export async function selectOverdueCases(db: Queryable, scope: string, limit: number): Promise<OverdueCaseRow[]> {
  const result = await db.query<OverdueCaseRow>(
    `SELECT v.id, v.case_number, v.category, v.status, v.route_code, v.chainage_meters, v.jurisdiction_code, j.name AS jurisdiction_name,
            v.deadline_at, ((now() AT TIME ZONE 'Asia/Shanghai')::date - (v.deadline_at AT TIME ZONE 'Asia/Shanghai')::date) AS days_overdue,
            person.actor_username AS responsible_username, u.display_name AS responsible_name
     FROM violations v
     JOIN jurisdictions j ON j.code = v.jurisdiction_code
     LEFT JOIN LATERAL (
       SELECT e.actor_username, e.actor_user_id FROM case_events e
       WHERE e.violation_id = v.id AND e.event IN ('issue_notice', 'send_reminder', 'reissue_notice', 'decide_forced_removal')
       ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1) person ON true
     LEFT JOIN users u ON u.id = person.actor_user_id
     WHERE v.closed_at IS NULL AND v.is_violation
       AND v.status IN ('notice_issued', 'rectifying', 'reminded', 'forced_removal')
       AND (v.deadline_at AT TIME ZONE 'Asia/Shanghai')::date < (now() AT TIME ZONE 'Asia/Shanghai')::date
       AND v.jurisdiction_code IN ${BELOW('$1')}
     ORDER BY v.deadline_at, v.id
     LIMIT $2`,
    [scope, limit],
  );
  return result.rows;
}

export interface UnitMonthRow {
  unit_code: string;
  month: string;
  reported: number;
  open_reported: number;
  cleared: number;
  cleared_late: number;
  overdue: number;
  reopened: number;
}

/**
 * Monthly measures of each unit (summed over the districts below it) for the months from `from`
 * to `to` (first and last day of whole months). Overdue: the month's running deadlines minus those
 * falling today or later.
 */
export async function selectUnitMonthMeasures(db: Queryable, unitCodes: readonly string[], from: string, to: string, today: string): Promise<UnitMonthRow[]> {
  const result = await db.query<UnitMonthRow>(
    `WITH RECURSIVE below AS (
       SELECT code AS unit_code, code FROM jurisdictions WHERE code = ANY ($1::text[])
       UNION ALL SELECT below.unit_code, child.code FROM jurisdictions child JOIN below ON child.parent_code = below.code
     ), not_due AS (
       SELECT b.unit_code, to_char(d.day, 'YYYY-MM') AS month, sum(d.running_due) AS running
       FROM below b JOIN management_daily d ON d.jurisdiction_code = b.code
       WHERE d.day >= $4::date AND d.day BETWEEN $2::date AND $3::date
       GROUP BY 1, 2
     ), months AS (
       SELECT b.unit_code, to_char(m.month, 'YYYY-MM') AS month,
              sum(m.reported) AS reported, sum(m.open_reported) AS open_reported, sum(m.cleared) AS cleared,
              sum(m.cleared_late) AS cleared_late, sum(m.running_due) AS running_due, sum(m.reopened) AS reopened
       FROM below b JOIN management_monthly m ON m.jurisdiction_code = b.code
       WHERE m.month BETWEEN $2::date AND $3::date
       GROUP BY 1, 2
     )
     SELECT m.unit_code, m.month, m.reported::integer, m.open_reported::integer, m.cleared::integer, m.cleared_late::integer,
            (m.running_due - coalesce(n.running, 0))::integer AS overdue, m.reopened::integer
     FROM months m LEFT JOIN not_due n ON n.unit_code = m.unit_code AND n.month = m.month`,
    [unitCodes, from, to, today],
  );
  return result.rows;
}

export interface UnitMonthLeadsRow {
  unit_code: string;
  month: string;
  within_days: number;
  late: number;
}

/** Leads of each month not reviewed within each of `withinDays` days, per unit. */
export async function selectUnitMonthLateLeads(
  db: Queryable,
  unitCodes: readonly string[],
  from: string,
  to: string,
  today: string,
  withinDays: readonly number[],
): Promise<UnitMonthLeadsRow[]> {
  if (withinDays.length === 0) return [];
  const result = await db.query<UnitMonthLeadsRow>(
    `WITH RECURSIVE below AS (
       SELECT code AS unit_code, code FROM jurisdictions WHERE code = ANY ($1::text[])
       UNION ALL SELECT below.unit_code, child.code FROM jurisdictions child JOIN below ON child.parent_code = below.code
     )
     SELECT b.unit_code, to_char(l.day, 'YYYY-MM') AS month, n.within_days,
            sum(l.leads)::integer AS late
     FROM below b
     JOIN management_lead_days l ON l.jurisdiction_code = b.code
     CROSS JOIN unnest($5::integer[]) AS n(within_days)
     WHERE l.day BETWEEN $2::date AND $3::date
       AND (l.review_days > n.within_days OR (l.review_days = -1 AND l.day < $4::date - n.within_days))
     GROUP BY 1, 2, 3`,
    [unitCodes, from, to, today, withinDays],
  );
  return result.rows;
}

export interface FormulaRow {
  version: number;
  jurisdiction_code: string | null;
  effective_from: string;
  rules: ScoringRule[];
  note: string | null;
  created_at: Date;
  created_by_username: string | null;
}

const FORMULA_COLUMNS = `f.version, f.jurisdiction_code, to_char(f.effective_from, 'YYYY-MM-DD') AS effective_from, f.rules, f.note, f.created_at,
  (SELECT u.username FROM users u WHERE u.id = f.created_by) AS created_by_username`;

/** Every formula version that can apply below `code`: its own, its ancestors', the default; newest first. */
export async function selectFormulaVersions(db: Queryable, code: string): Promise<FormulaRow[]> {
  const result = await db.query<FormulaRow>(
    `WITH RECURSIVE above AS (
       SELECT code, parent_code FROM jurisdictions WHERE code = $1
       UNION ALL SELECT j.code, j.parent_code FROM jurisdictions j JOIN above ON j.code = above.parent_code
     )
     SELECT ${FORMULA_COLUMNS} FROM scoring_formulas f
     WHERE f.jurisdiction_code IS NULL OR f.jurisdiction_code IN (SELECT code FROM above)
     ORDER BY f.effective_from DESC, f.version DESC`,
    [code],
  );
  return result.rows;
}

export async function insertFormula(
  db: Queryable,
  formula: { jurisdictionCode: string; effectiveFrom: string; rules: readonly ScoringRule[]; note: string | null; createdBy: number },
): Promise<FormulaRow> {
  const result = await db.query<FormulaRow>(
    `WITH f AS (
       INSERT INTO scoring_formulas (jurisdiction_code, effective_from, rules, note, created_by)
       VALUES ($1, $2::date, $3::jsonb, $4, $5) RETURNING *)
     SELECT ${FORMULA_COLUMNS} FROM f`,
    [formula.jurisdictionCode, formula.effectiveFrom, JSON.stringify(formula.rules), formula.note, formula.createdBy],
  );
  return result.rows[0]!;
}

export interface CampaignRow {
  id: number;
  name: string;
  scope: Record<string, string[] | undefined>;
  start_date: string;
  deadline: string;
  target: number | null;
  jurisdiction_code: string;
  jurisdiction_name: string;
  created_by_username: string | null;
  created_at: Date;
  is_demo: boolean;
}

const CAMPAIGN_COLUMNS = `c.id, c.name, c.scope, to_char(c.start_date, 'YYYY-MM-DD') AS start_date, to_char(c.deadline, 'YYYY-MM-DD') AS deadline,
  c.target, c.jurisdiction_code, j.name AS jurisdiction_name, (SELECT u.username FROM users u WHERE u.id = c.created_by) AS created_by_username,
  c.created_at, c.is_demo`;

export async function insertCampaign(
  db: Queryable,
  campaign: { name: string; scope: unknown; startDate: string; deadline: string; target: number | null; jurisdictionCode: string; createdBy: number | null; isDemo?: boolean },
): Promise<number> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO campaigns (name, scope, start_date, deadline, target, jurisdiction_code, created_by, is_demo)
     VALUES ($1, $2::jsonb, $3::date, $4::date, $5, $6, $7, $8) RETURNING id`,
    [campaign.name, JSON.stringify(campaign.scope), campaign.startDate, campaign.deadline, campaign.target, campaign.jurisdictionCode, campaign.createdBy, campaign.isDemo ?? false],
  );
  return result.rows[0]!.id;
}

export async function selectCampaigns(db: Queryable, limit: number, offset: number): Promise<(CampaignRow & { matched_count: number })[]> {
  const result = await db.query<CampaignRow & { matched_count: number }>(
    `SELECT ${CAMPAIGN_COLUMNS}, count(*) OVER ()::integer AS matched_count
     FROM campaigns c JOIN jurisdictions j ON j.code = c.jurisdiction_code
     ORDER BY c.deadline DESC, c.id DESC LIMIT $1 OFFSET $2`,
    [limit, offset],
  );
  return result.rows;
}

export async function selectCampaign(db: Queryable, id: number): Promise<CampaignRow | undefined> {
  const result = await db.query<CampaignRow>(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns c JOIN jurisdictions j ON j.code = c.jurisdiction_code WHERE c.id = $1`, [id]);
  return result.rows[0];
}

/** A campaign's saved filter as bind values (null = no restriction). */
export interface CampaignScopeValues {
  jurisdictions: string[];
  routes: string[] | null;
  adminClasses: string[] | null;
  categories: string[] | null;
  zones: string[] | null;
}

const SCOPE_WHERE = `f.jurisdiction_code IN (
    WITH RECURSIVE below AS (
      SELECT code FROM jurisdictions WHERE code = ANY ($1::text[])
      UNION ALL SELECT child.code FROM jurisdictions child JOIN below ON child.parent_code = below.code)
    SELECT code FROM below)
  AND ($2::text[] IS NULL OR f.route_code = ANY ($2))
  AND ($3::text[] IS NULL OR f.admin_class = ANY ($3))
  AND ($4::text[] IS NULL OR f.category = ANY ($4))
  AND ($5::text[] IS NULL OR f.zones && $5)`;

function scopeValues(scope: CampaignScopeValues): unknown[] {
  return [scope.jurisdictions, scope.routes, scope.adminClasses, scope.categories, scope.zones];
}

export interface CampaignUnitFoundRow {
  code: string;
  name: string;
  found: number;
}

/**
 * Cases in scope per district that the campaign has to deal with by `asOf`: found on or before it
 * and not already cleared before the start.
 */
export async function selectCampaignFound(db: Queryable, scope: CampaignScopeValues, startDate: string, asOf: string): Promise<CampaignUnitFoundRow[]> {
  const result = await db.query<CampaignUnitFoundRow>(
    `SELECT f.jurisdiction_code AS code, j.name, count(*)::integer AS found
     FROM management_violation_facts f JOIN jurisdictions j ON j.code = f.jurisdiction_code
     WHERE ${SCOPE_WHERE}
       AND f.reported_day <= $7::date AND (f.cleared_day IS NULL OR f.cleared_day >= $6::date)
     GROUP BY 1, 2 ORDER BY 1`,
    [...scopeValues(scope), startDate, asOf],
  );
  return result.rows;
}

export interface CampaignClearedRow {
  code: string;
  day: string;
  cleared: number;
}

export async function selectCampaignCleared(db: Queryable, scope: CampaignScopeValues, startDate: string, asOf: string): Promise<CampaignClearedRow[]> {
  const result = await db.query<CampaignClearedRow>(
    `SELECT f.jurisdiction_code AS code, to_char(f.cleared_day, 'YYYY-MM-DD') AS day, count(*)::integer AS cleared
     FROM management_violation_facts f
     WHERE ${SCOPE_WHERE}
       AND f.cleared_day BETWEEN $6::date AND $7::date AND f.reported_day <= $7::date
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [...scopeValues(scope), startDate, asOf],
  );
  return result.rows;
}
