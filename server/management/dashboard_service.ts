/**
 * The manager's dashboard (驾驶舱): every figure read from the management aggregates, each with
 * the ledger list that shows the same records.
 */
import type { SessionUser } from '../auth/session_user.ts';
import type { Queryable } from '../db/database.ts';
import { formatStake } from '../domain/stake.ts';
import { AppError } from '../http/errors.ts';
import { readFresh, type AggregateReads } from './aggregates.ts';
import { OPEN_SUPERVISION_STATUSES } from '../domain/supervision_workflow.ts';
import { CASE_STATUSES_COUNTED, NOT_CLEARED_STATUSES, supervisionsHref, violationsHref } from './ledger_links.ts';
import { addMonths, monthEnd, monthStart, shanghaiToday, splitPeriod } from './periods.ts';
import { selectDashboard, type DashboardRanges } from './queries.ts';
import { assertUnitInScope, unitNotFound } from './scope.ts';

export interface Figure {
  value: number;
  href: string;
}

/** Grids of the density map, degrees (must match management_open_cells in migration 014). */
export const DENSITY_CELL_DEGREES = { 0: 0.02, 1: 0.2 } as const;
const OVERDUE_LIST_LENGTH = 20;

/** The rows a dashboard of [from, to] reads: whole months from the snapshot, the rest by day (periods.ts). */
export function dashboardRanges(from: string, to: string, today: string): DashboardRanges {
  const trendFrom = `${addMonths(to, -11)}-01`;
  const period = splitPeriod(from, to, today);
  // The trend's last month comes from the snapshot when it is whole, else by day.
  const lastMonthWhole = splitPeriod(monthStart(to), to, today).monthFrom !== null;
  return {
    from,
    to,
    today,
    monthFrom: period.monthFrom,
    monthTo: period.monthTo,
    days: period.days,
    trendMonthFrom: trendFrom,
    trendMonthTo: lastMonthWhole ? monthStart(to) : `${addMonths(to, -1)}-01`,
    trendDaysFrom: lastMonthWhole ? null : monthStart(to),
    overdueLimit: OVERDUE_LIST_LENGTH,
  };
}

export async function getDashboard(
  db: Queryable,
  user: SessionUser,
  request: { jurisdiction?: string; from?: string; to?: string },
  reads: AggregateReads,
  now: Date = new Date(),
) {
  const today = shanghaiToday(now);
  const from = request.from ?? monthStart(today);
  const to = request.to ?? today;
  if (from > to) throw new AppError(400, 'VALIDATION_FAILED', `from (${from}) must not be after to (${to})`, [{ path: 'from', message: 'from must not be after to' }]);
  const jurisdiction = assertUnitInScope(user, request.jurisdiction);
  const ranges = dashboardRanges(from, to, today);
  const trendFrom = ranges.trendMonthFrom;
  const row = await readFresh(db, reads, () => selectDashboard(db, jurisdiction, ranges));
  if (!row.unit) throw unitNotFound(jurisdiction);
  const unit = row.unit;
  const totals = row.totals;
  const cellDegrees = DENSITY_CELL_DEGREES[row.grid];
  const figure = (value: number, params: Parameters<typeof violationsHref>[0]): Figure => ({ value, href: violationsHref({ jurisdiction, ...params }) });
  const inPeriod = { reportedFrom: from, reportedTo: to };
  const reported = figure(totals.reported, { ...inPeriod, status: CASE_STATUSES_COUNTED });
  const reportedCleared = figure(totals.reported_cleared, { ...inPeriod, status: ['cleared', 'reinspected', 'closed'] });

  const months: string[] = [];
  for (let month = trendFrom.slice(0, 7); month <= to.slice(0, 7); month = addMonths(month, 1)) months.push(month);
  const trendByMonth = new Map(row.trend.map((point) => [point.month, point]));

  return {
    jurisdiction: { code: unit.code, name: unit.name, level: unit.level },
    units: row.units,
    from,
    to,
    today,
    refreshedAt: row.refreshed_at === null ? null : new Date(row.refreshed_at).toISOString(),
    /** Changes recorded but not folded in yet (the refresh job takes them within seconds). */
    pending: row.marks_waiting,
    figures: {
      open: figure(totals.open, { status: NOT_CLEARED_STATUSES }),
      overdue: figure(totals.overdue, { overdue: true }),
      cleared: figure(totals.cleared, { clearedFrom: from, clearedTo: to }),
      clearedLate: figure(totals.cleared_late, { clearedFrom: from, clearedTo: to, clearedLate: true }),
      reported,
      reportedCleared,
      /** Share of the cases reported in the period that are cleared now. */
      clearanceRate: { value: totals.reported === 0 ? null : totals.reported_cleared / totals.reported, numerator: reportedCleared, denominator: reported },
    },
    categories: row.medians.map((median) => ({
      category: median.category,
      cleared: figure(median.cleared, { clearedFrom: from, clearedTo: to, category: [median.category] }),
      medianDaysToClear: median.median_days,
    })),
    trend: months.map((month) => {
      const point = trendByMonth.get(month);
      const monthTo = monthEnd(month) < to ? monthEnd(month) : to;
      return {
        month,
        reported: figure(point?.reported ?? 0, { reportedFrom: `${month}-01`, reportedTo: monthTo, status: CASE_STATUSES_COUNTED }),
        cleared: figure(point?.cleared ?? 0, { clearedFrom: `${month}-01`, clearedTo: monthTo }),
      };
    }),
    density: {
      cellDegrees,
      cells: row.cells.map((cell) => {
        const west = cell.cell_x * cellDegrees;
        const south = cell.cell_y * cellDegrees;
        return {
          center: [Number((west + cellDegrees / 2).toFixed(4)), Number((south + cellDegrees / 2).toFixed(4))],
          bbox: [Number(west.toFixed(4)), Number(south.toFixed(4)), Number((west + cellDegrees).toFixed(4)), Number((south + cellDegrees).toFixed(4))],
          open: cell.cases,
        };
      }),
    },
    /** Supervision (督办) of the unit and below; overdue items below the unit are escalated to it (one level up) or to a unit between. */
    supervision: {
      open: { value: row.supervision_totals.open, href: supervisionsHref({ unit: jurisdiction, status: OPEN_SUPERVISION_STATUSES }) },
      overdue: { value: row.supervision_totals.overdue, href: supervisionsHref({ unit: jurisdiction, overdue: true }) },
      escalated: { value: row.supervision_totals.escalated, href: supervisionsHref({ escalatedWithin: jurisdiction }) },
      escalatedItems: row.escalated.map((item) => ({
        id: item.id,
        supervisionNumber: item.supervision_number,
        deadline: item.deadline,
        status: item.status,
        unit: { code: item.unit_code, name: item.unit_name },
        escalatedTo: item.escalated_to_code === null ? null : { code: item.escalated_to_code, name: item.escalated_to_name },
        responsible: item.responsible_username === null ? null : { username: item.responsible_username, name: item.responsible_name },
      })),
    },
    overdueList: {
      href: violationsHref({ jurisdiction, overdue: true, sort: 'deadline', order: 'asc' }),
      items: row.overdue.map((item) => ({
        id: item.id,
        caseNumber: item.case_number,
        category: item.category,
        status: item.status,
        route: item.route_code,
        stake: item.chainage_meters === null ? null : formatStake(item.chainage_meters),
        unit: { code: item.jurisdiction_code, name: item.jurisdiction_name },
        responsible: item.responsible_username === null ? null : { username: item.responsible_username, name: item.responsible_name },
        deadline: new Date(item.deadline_at).toISOString(),
        daysOverdue: item.days_overdue,
      })),
    },
  };
}
