/**
 * The manager's dashboard (驾驶舱): every figure read from the management aggregates, each with
 * the ledger list that shows the same records.
 */
import type { SessionUser } from '../auth/session_user.ts';
import type { Queryable } from '../db/database.ts';
import { formatStake } from '../domain/stake.ts';
import { AppError } from '../http/errors.ts';
import { refreshIfStale } from './aggregates.ts';
import { CASE_STATUSES_COUNTED, NOT_CLEARED_STATUSES, violationsHref } from './ledger_links.ts';
import { addMonths, monthEnd, monthStart, shanghaiToday } from './periods.ts';
import {
  selectCategoryMedians,
  selectChildUnits,
  selectDashboardTotals,
  selectMonthlyTrend,
  selectOpenCells,
  selectOverdueCases,
  selectRefreshedAt,
} from './queries.ts';
import { resolveUnit } from './scope.ts';

export interface Figure {
  value: number;
  href: string;
}

/** Grids of the density map, degrees (must match management_open_cells in migration 014). */
export const DENSITY_CELL_DEGREES = { 0: 0.02, 1: 0.2 } as const;
const OVERDUE_LIST_LENGTH = 20;

export async function getDashboard(db: Queryable, user: SessionUser, request: { jurisdiction?: string; from?: string; to?: string }, now: Date = new Date()) {
  const today = shanghaiToday(now);
  const from = request.from ?? monthStart(today);
  const to = request.to ?? today;
  if (from > to) throw new AppError(400, 'VALIDATION_FAILED', `from (${from}) must not be after to (${to})`, [{ path: 'from', message: 'from must not be after to' }]);
  const unit = await resolveUnit(db, user, request.jurisdiction);
  await refreshIfStale(db);

  const jurisdiction = unit.code;
  const trendFrom = `${addMonths(to, -11)}-01`;
  // One transaction is one connection: queries run one after another (pg queues them anyway).
  const totals = await selectDashboardTotals(db, jurisdiction, from, to, today);
  const medians = await selectCategoryMedians(db, jurisdiction, from, to);
  const trend = await selectMonthlyTrend(db, jurisdiction, trendFrom, to);
  // A province sees coarse cells (a few hundred points), a city or district the fine ones.
  const grid = unit.level === 'province' ? 1 : 0;
  const cellDegrees = DENSITY_CELL_DEGREES[grid];
  const cells = await selectOpenCells(db, jurisdiction, grid);
  const overdue = await selectOverdueCases(db, jurisdiction, OVERDUE_LIST_LENGTH);
  const units = await selectChildUnits(db, jurisdiction);
  const refreshedAt = await selectRefreshedAt(db);
  const figure = (value: number, params: Parameters<typeof violationsHref>[0]): Figure => ({ value, href: violationsHref({ jurisdiction, ...params }) });
  const inPeriod = { reportedFrom: from, reportedTo: to };
  const reported = figure(totals.reported, { ...inPeriod, status: CASE_STATUSES_COUNTED });
  const reportedCleared = figure(totals.reported_cleared, { ...inPeriod, status: ['cleared', 'reinspected', 'closed'] });

  const months: string[] = [];
  for (let month = trendFrom.slice(0, 7); month <= to.slice(0, 7); month = addMonths(month, 1)) months.push(month);
  const trendByMonth = new Map(trend.map((row) => [row.month, row]));

  return {
    jurisdiction: { code: unit.code, name: unit.name, level: unit.level },
    units: units.map((child) => ({ code: child.code, name: child.name })),
    from,
    to,
    today,
    refreshedAt: refreshedAt?.toISOString() ?? null,
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
    categories: medians.map((row) => ({
      category: row.category,
      cleared: figure(row.cleared, { clearedFrom: from, clearedTo: to, category: [row.category] }),
      medianDaysToClear: row.median_days,
    })),
    trend: months.map((month) => {
      const row = trendByMonth.get(month);
      const monthTo = monthEnd(month) < to ? monthEnd(month) : to;
      return {
        month,
        reported: figure(row?.reported ?? 0, { reportedFrom: `${month}-01`, reportedTo: monthTo, status: CASE_STATUSES_COUNTED }),
        cleared: figure(row?.cleared ?? 0, { clearedFrom: `${month}-01`, clearedTo: monthTo }),
      };
    }),
    density: {
      cellDegrees,
      cells: cells.map((cell) => {
        const west = cell.cell_x * cellDegrees;
        const south = cell.cell_y * cellDegrees;
        return {
          center: [Number((west + cellDegrees / 2).toFixed(4)), Number((south + cellDegrees / 2).toFixed(4))],
          bbox: [Number(west.toFixed(4)), Number(south.toFixed(4)), Number((west + cellDegrees).toFixed(4)), Number((south + cellDegrees).toFixed(4))],
          open: cell.cases,
        };
      }),
    },
    overdueList: {
      href: violationsHref({ jurisdiction, overdue: true, sort: 'deadline', order: 'asc' }),
      items: overdue.map((row) => ({
        id: row.id,
        caseNumber: row.case_number,
        category: row.category,
        status: row.status,
        route: row.route_code,
        stake: row.chainage_meters === null ? null : formatStake(row.chainage_meters),
        unit: { code: row.jurisdiction_code, name: row.jurisdiction_name },
        responsible: row.responsible_username === null ? null : { username: row.responsible_username, name: row.responsible_name },
        deadline: row.deadline_at.toISOString(),
        daysOverdue: row.days_overdue,
      })),
    },
  };
}
