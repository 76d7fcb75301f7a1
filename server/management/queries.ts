import type { Queryable } from '../db/database.ts';
import type { ScoringRule } from '../domain/scoring_formula.ts';
import { boundedCount, type MatchedCount } from '../paging/queries.ts';

/** Folds waiting marks (or everything) into the aggregates; -1 when another refresh runs. */
export async function refreshAggregates(db: Queryable, maxMarks: number, fullRebuild: boolean): Promise<number> {
  const result = await db.query<{ taken: number }>('SELECT luyu_refresh_management_aggregates($1, $2) AS taken', [maxMarks, fullRebuild]);
  return result.rows[0]?.taken ?? 0;
}

/** Removes finished jobs of one kind older than `olderThanMinutes` (a recurring job's trail). */
export async function deleteFinishedJobs(db: Queryable, kind: string, olderThanMinutes: number): Promise<void> {
  await db.query(
    `DELETE FROM jobs WHERE kind = $1 AND status IN ('done', 'failed', 'cancelled') AND finished_at < now() - make_interval(mins => $2)`,
    [kind, olderThanMinutes],
  );
}

export async function marksWaiting(db: Queryable): Promise<boolean> {
  const result = await db.query<{ waiting: boolean }>('SELECT luyu_management_marks_waiting() AS waiting');
  return result.rows[0]?.waiting ?? false;
}

/**
 * The codes of a unit and every unit below it as one array, read once per statement. Aggregate
 * predicates compare `jurisdiction_code = ANY (<this>)`: an index condition on every aggregate's
 * primary key, so only the unit's own rows reach the row-level security check.
 */
const SCOPE_CTE = `RECURSIVE below AS (
    SELECT code FROM jurisdictions WHERE code = $1
    UNION ALL SELECT child.code FROM jurisdictions child JOIN below ON child.parent_code = below.code
  ), scope AS MATERIALIZED (SELECT array_agg(code) AS codes FROM below)`;
const IN_SCOPE = 'jurisdiction_code = ANY ((SELECT codes FROM scope)::text[])';

/** Which aggregate rows a dashboard period reads (server/management/periods.ts splitPeriod). */
export interface DashboardRanges {
  from: string;
  to: string;
  today: string;
  /** Whole months read from the per-unit monthly snapshot (first days), or null. */
  monthFrom: string | null;
  monthTo: string | null;
  /** At most two runs of days outside those months, read from the daily rows. */
  days: readonly [string | null, string | null, string | null, string | null];
  /** Trend: months from the snapshot, then the days of a last partial month from the daily rows. */
  trendMonthFrom: string;
  trendMonthTo: string | null;
  trendDaysFrom: string | null;
  overdueLimit: number;
}

export interface DashboardRow {
  unit: { code: string; name: string; level: string } | null;
  units: { code: string; name: string }[];
  totals: { open: number; overdue: number; cleared: number; cleared_late: number; reported: number; reported_cleared: number };
  medians: { category: string; cleared: number; median_days: number }[];
  trend: { month: string; reported: number; cleared: number }[];
  grid: 0 | 1;
  cells: { cell_x: number; cell_y: number; cases: number }[];
  overdue: {
    id: number;
    case_number: string | null;
    category: string;
    status: string;
    route_code: string | null;
    chainage_meters: number | null;
    jurisdiction_code: string;
    jurisdiction_name: string;
    deadline_at: string;
    days_overdue: number;
    responsible_username: string | null;
    responsible_name: string | null;
  }[];
  supervision_totals: { open: number; overdue: number; escalated: number };
  escalated: {
    id: number;
    supervision_number: string;
    deadline: string;
    status: string;
    unit_code: string;
    unit_name: string;
    escalated_to_code: string | null;
    escalated_to_name: string | null;
    responsible_username: string | null;
    responsible_name: string | null;
  }[];
  refreshed_at: string | null;
  marks_waiting: boolean;
}

/**
 * Every figure of the dashboard of `unit` in ONE statement (one round trip, one plan):
 * - open/overdue now: per-unit totals minus the running deadlines still ahead (few daily rows);
 * - the period: whole months from management_unit_months, edge days from management_daily;
 * - medians (percentile_disc 0.5 over whole days to clear), the 12-month trend, open-case cells
 *   (0.2° for a province, 0.02° below), the longest-overdue cases with the person responsible
 *   (who issued the notice or the last reminder), the child units, and how fresh the figures are.
 * `unit` null: no such unit.
 */
export async function selectDashboard(db: Queryable, unitCode: string, ranges: DashboardRanges): Promise<DashboardRow> {
  const result = await db.query<DashboardRow>(
    `WITH ${SCOPE_CTE},
     unit AS (SELECT code, name, level FROM jurisdictions WHERE code = $1),
     grid AS (SELECT CASE WHEN (SELECT level FROM unit) = 'province' THEN 1 ELSE 0 END::smallint AS grid),
     now_totals AS (SELECT coalesce(sum(open), 0) AS open, coalesce(sum(running), 0) AS running FROM management_unit_totals WHERE ${IN_SCOPE}),
     not_due AS (SELECT coalesce(sum(running_due), 0) AS running FROM management_daily WHERE running_due > 0 AND day >= $4::date AND ${IN_SCOPE}),
     period AS (
       SELECT coalesce(sum(cleared), 0) AS cleared, coalesce(sum(cleared_late), 0) AS cleared_late,
              coalesce(sum(reported), 0) AS reported, coalesce(sum(reported - open_reported), 0) AS reported_cleared
       FROM (
         SELECT cleared, cleared_late, reported, open_reported FROM management_unit_months WHERE ${IN_SCOPE} AND month BETWEEN $5::date AND $6::date
         UNION ALL
         SELECT cleared, cleared_late, reported, open_reported FROM management_daily WHERE ${IN_SCOPE} AND day BETWEEN $7::date AND $8::date
         UNION ALL
         SELECT cleared, cleared_late, reported, open_reported FROM management_daily WHERE ${IN_SCOPE} AND day BETWEEN $9::date AND $10::date
       ) rows),
     clear_counts AS (
       SELECT category, days_to_clear, sum(cases) AS cases FROM management_clear_days
       WHERE ${IN_SCOPE} AND day BETWEEN $2::date AND $3::date GROUP BY 1, 2),
     clear_running AS (
       SELECT category, days_to_clear, sum(cases) OVER (PARTITION BY category ORDER BY days_to_clear) AS running_cases,
              sum(cases) OVER (PARTITION BY category) AS total_cases
       FROM clear_counts),
     medians AS (
       SELECT category, max(total_cases)::integer AS cleared, min(days_to_clear) FILTER (WHERE running_cases * 2 >= total_cases) AS median_days
       FROM clear_running GROUP BY category),
     trend AS (
       SELECT month, sum(reported)::integer AS reported, sum(cleared)::integer AS cleared FROM (
         SELECT to_char(month, 'YYYY-MM') AS month, reported, cleared FROM management_unit_months
         WHERE ${IN_SCOPE} AND month BETWEEN $11::date AND $12::date
         UNION ALL
         SELECT to_char(day, 'YYYY-MM'), reported, cleared FROM management_daily
         WHERE ${IN_SCOPE} AND day BETWEEN $13::date AND $3::date
       ) rows GROUP BY 1),
     cells AS (
       SELECT cell_x, cell_y, sum(cases)::integer AS cases FROM management_open_cells
       WHERE ${IN_SCOPE} AND grid = (SELECT grid FROM grid) GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 2000),
     overdue AS (
       SELECT v.id, v.case_number, v.category, v.status, v.route_code, v.chainage_meters, v.jurisdiction_code, j.name AS jurisdiction_name,
              v.deadline_at, ($4::date - (v.deadline_at AT TIME ZONE 'Asia/Shanghai')::date) AS days_overdue,
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
         AND v.deadline_at < ($4::date::timestamp AT TIME ZONE 'Asia/Shanghai')
         AND v.${IN_SCOPE}
       ORDER BY v.deadline_at, v.id
       LIMIT $14),
     open_supervisions AS (
       SELECT s.id, s.supervision_number, to_char(s.deadline, 'YYYY-MM-DD') AS deadline, s.status, s.deadline < $4::date AS overdue,
              s.responsible_jurisdiction_code <> $1 AS below_unit, rj.code AS unit_code, rj.name AS unit_name,
              rj.parent_code AS escalated_to_code, pj.name AS escalated_to_name, ru.username AS responsible_username, ru.display_name AS responsible_name
       FROM supervisions s
       JOIN jurisdictions rj ON rj.code = s.responsible_jurisdiction_code
       LEFT JOIN jurisdictions pj ON pj.code = rj.parent_code
       LEFT JOIN users ru ON ru.id = s.responsible_user_id
       WHERE s.status IN ('assigned', 'accepted', 'supervising') AND s.responsible_jurisdiction_code = ANY ((SELECT codes FROM scope)::text[])),
     escalated AS (
       SELECT * FROM open_supervisions WHERE overdue AND below_unit ORDER BY deadline, id LIMIT 10)
     SELECT (SELECT row_to_json(unit) FROM unit) AS unit,
            (SELECT json_build_object('open', count(*), 'overdue', count(*) FILTER (WHERE overdue), 'escalated', count(*) FILTER (WHERE overdue AND below_unit))
             FROM open_supervisions) AS supervision_totals,
            coalesce((SELECT json_agg(e ORDER BY e.deadline, e.id) FROM escalated e), '[]') AS escalated,
            coalesce((SELECT json_agg(json_build_object('code', code, 'name', name) ORDER BY code) FROM jurisdictions WHERE parent_code = $1), '[]') AS units,
            (SELECT json_build_object('open', t.open, 'overdue', t.running - n.running, 'cleared', p.cleared, 'cleared_late', p.cleared_late,
                                      'reported', p.reported, 'reported_cleared', p.reported_cleared)
             FROM now_totals t, not_due n, period p) AS totals,
            coalesce((SELECT json_agg(m ORDER BY m.category) FROM medians m), '[]') AS medians,
            coalesce((SELECT json_agg(t ORDER BY t.month) FROM trend t), '[]') AS trend,
            (SELECT grid FROM grid) AS grid,
            coalesce((SELECT json_agg(c ORDER BY c.cases DESC, c.cell_x, c.cell_y) FROM cells c), '[]') AS cells,
            coalesce((SELECT json_agg(o ORDER BY o.deadline_at, o.id) FROM overdue o), '[]') AS overdue,
            (SELECT refreshed_at FROM management_refresh_state) AS refreshed_at,
            luyu_management_marks_waiting() AS marks_waiting`,
    [
      unitCode,
      ranges.from,
      ranges.to,
      ranges.today,
      ranges.monthFrom,
      ranges.monthTo,
      ...ranges.days,
      ranges.trendMonthFrom,
      ranges.trendMonthTo,
      ranges.trendDaysFrom,
      ranges.overdueLimit,
    ],
  );
  return result.rows[0]!;
}

export interface RankingsRow {
  parent: { code: string; name: string; level: string } | null;
  /** The child units (or the parent itself when it has none). */
  units: { code: string; name: string }[];
  versions: { version: number; jurisdiction_code: string | null; effective_from: string; rules: ScoringRule[] }[];
  measures: { unit_code: string; month: string; reported: number; open_reported: number; cleared: number; cleared_late: number; overdue: number; reopened: number }[];
  late_leads: { unit_code: string; month: string; within_days: number; late: number }[];
  /** Supervision items by deadline month: judged (done, or deadline passed) and late among them. */
  supervision: { unit_code: string; month: string; judged: number; late: number }[];
  marks_waiting: boolean;
}

/**
 * Everything a ranking of the units below `parent` needs for the months from `from` to `to`
 * (first and last day of whole months) in ONE statement: the units, every formula version that can
 * apply (own, ancestors', default; newest first), each unit's monthly measures summed over the
 * districts below it from the per-unit snapshot (overdue = the month's running deadlines minus
 * those falling today or later), the leads not reviewed within each leads_review rule's days, and
 * the supervision items due in each month and those not handled by their deadline.
 */
export async function selectRankings(db: Queryable, parentCode: string, from: string, to: string, today: string): Promise<RankingsRow> {
  const result = await db.query<RankingsRow>(
    `WITH RECURSIVE parent AS (SELECT code, name, level FROM jurisdictions WHERE code = $1),
     units AS (
       SELECT code, name FROM jurisdictions WHERE parent_code = $1
       UNION ALL SELECT code, name FROM parent WHERE NOT EXISTS (SELECT 1 FROM jurisdictions WHERE parent_code = $1)),
     below AS (
       SELECT code AS unit_code, code FROM units
       UNION ALL SELECT below.unit_code, child.code FROM jurisdictions child JOIN below ON child.parent_code = below.code),
     scope AS MATERIALIZED (SELECT array_agg(code) AS codes FROM below),
     above AS (
       SELECT code, parent_code FROM jurisdictions WHERE code = $1
       UNION ALL SELECT j.code, j.parent_code FROM jurisdictions j JOIN above ON j.code = above.parent_code),
     versions AS (
       SELECT f.version, f.jurisdiction_code, to_char(f.effective_from, 'YYYY-MM-DD') AS effective_from, f.rules
       FROM scoring_formulas f WHERE f.jurisdiction_code IS NULL OR f.jurisdiction_code IN (SELECT code FROM above)),
     within AS (
       SELECT DISTINCT coalesce((rule->>'withinDays')::integer, 0) AS within_days
       FROM versions, jsonb_array_elements(versions.rules) AS rule WHERE rule->>'rule' = 'leads_review'),
     not_due AS (
       SELECT b.unit_code, to_char(d.day, 'YYYY-MM') AS month, sum(d.running_due) AS running
       FROM management_daily d JOIN below b ON b.code = d.jurisdiction_code
       WHERE d.${IN_SCOPE} AND d.running_due > 0 AND d.day >= $4::date AND d.day BETWEEN $2::date AND $3::date
       GROUP BY 1, 2),
     months AS (
       SELECT b.unit_code, to_char(m.month, 'YYYY-MM') AS month,
              sum(m.reported) AS reported, sum(m.open_reported) AS open_reported, sum(m.cleared) AS cleared,
              sum(m.cleared_late) AS cleared_late, sum(m.running_due) AS running_due, sum(m.reopened) AS reopened
       FROM management_unit_months m JOIN below b ON b.code = m.jurisdiction_code
       WHERE m.${IN_SCOPE} AND m.month BETWEEN $2::date AND $3::date
       GROUP BY 1, 2),
     measures AS (
       SELECT m.unit_code, m.month, m.reported::integer, m.open_reported::integer, m.cleared::integer, m.cleared_late::integer,
              (m.running_due - coalesce(n.running, 0))::integer AS overdue, m.reopened::integer
       FROM months m LEFT JOIN not_due n ON n.unit_code = m.unit_code AND n.month = m.month),
     late_leads AS (
       SELECT b.unit_code, to_char(l.day, 'YYYY-MM') AS month, w.within_days, sum(l.leads)::integer AS late
       FROM management_lead_days l JOIN below b ON b.code = l.jurisdiction_code CROSS JOIN within w
       WHERE l.${IN_SCOPE} AND l.day BETWEEN $2::date AND $3::date
         AND (l.review_days > w.within_days OR (l.review_days = -1 AND l.day < $4::date - w.within_days))
       GROUP BY 1, 2, 3),
     supervision AS (
       SELECT b.unit_code, to_char(s.deadline, 'YYYY-MM') AS month,
              count(*) FILTER (WHERE s.done_at IS NOT NULL OR s.deadline < $4::date)::integer AS judged,
              count(*) FILTER (WHERE (s.done_at IS NOT NULL AND (s.done_at AT TIME ZONE 'Asia/Shanghai')::date > s.deadline)
                                  OR (s.done_at IS NULL AND s.deadline < $4::date))::integer AS late
       FROM supervisions s JOIN below b ON b.code = s.responsible_jurisdiction_code
       WHERE s.deadline BETWEEN $2::date AND $3::date
       GROUP BY 1, 2)
     SELECT (SELECT row_to_json(parent) FROM parent) AS parent,
            coalesce((SELECT json_agg(u ORDER BY u.code) FROM units u), '[]') AS units,
            coalesce((SELECT json_agg(v ORDER BY v.effective_from DESC, v.version DESC) FROM versions v), '[]') AS versions,
            coalesce((SELECT json_agg(m) FROM measures m), '[]') AS measures,
            coalesce((SELECT json_agg(l) FROM late_leads l), '[]') AS late_leads,
            coalesce((SELECT json_agg(x) FROM supervision x), '[]') AS supervision,
            luyu_management_marks_waiting() AS marks_waiting`,
    [parentCode, from, to, today],
  );
  return result.rows[0]!;
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

/** `limit` campaigns and one more (server/paging offsetPage), latest deadline first. */
export async function selectCampaigns(db: Queryable, limit: number, offset: number): Promise<CampaignRow[]> {
  const result = await db.query<CampaignRow>(
    `SELECT ${CAMPAIGN_COLUMNS}
     FROM campaigns c JOIN jurisdictions j ON j.code = c.jurisdiction_code
     ORDER BY c.deadline DESC, c.id DESC LIMIT $1 OFFSET $2`,
    [limit + 1, offset],
  );
  return result.rows;
}

/** How many campaigns the user sees (exact up to EXACT_COUNT_LIMIT, then estimated). */
export async function countCampaigns(db: Queryable): Promise<MatchedCount> {
  return boundedCount(db, 'FROM campaigns c', []);
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
