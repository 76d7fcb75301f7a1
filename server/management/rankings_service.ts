/**
 * Monthly and quarterly unit scores (月督查、季通报) from the management aggregates, each month by
 * the formula version in force then. A quarter's score is the mean of its months' scores (so each
 * month keeps its own formula); its points lost per rule are the months' mean, counts their sum.
 */
import type { SessionUser } from '../auth/session_user.ts';
import type { Queryable } from '../db/database.ts';
import {
  NEUTRAL_RULES,
  rankByScore,
  roundPoints,
  scoreUnitMonth,
  SCORING_RULE_LABELS,
  type ScoringRule,
  type ScoringRuleKind,
  type UnitMonthMeasures,
} from '../domain/scoring_formula.ts';
import { AppError } from '../http/errors.ts';
import { readFresh, type AggregateReads } from './aggregates.ts';
import { detectionsHref, supervisionsHref, NOT_CLEARED_STATUSES, CASE_STATUSES_COUNTED, REVIEWED_LEAD_STATUSES, violationsHref } from './ledger_links.ts';
import { monthEnd, parsePeriod, shanghaiToday, type Period } from './periods.ts';
import { selectRankings, type FormulaRow, type RankingsRow } from './queries.ts';
import { assertUnitInScope, unitNotFound } from './scope.ts';

/** The version in force for `month` (YYYY-MM): latest effective on or before it. */
export function formulaForMonth<Version extends Pick<FormulaRow, 'version' | 'effective_from' | 'rules'>>(versions: readonly Version[], month: string): Version {
  const formula = versions.find((version) => version.effective_from <= `${month}-01`);
  if (!formula) throw new Error(`no scoring formula in force for ${month} (the default is seeded by migration 015)`);
  return formula;
}

function lostHref(rule: ScoringRule, unitCode: string, period: Period, periodTo: string): string | null {
  const jurisdiction = unitCode;
  switch (rule.rule) {
    case 'closure_rate':
      return violationsHref({ jurisdiction, reportedFrom: period.from, reportedTo: periodTo, status: NOT_CLEARED_STATUSES });
    case 'on_time_rate':
      return violationsHref({ jurisdiction, clearedFrom: period.from, clearedTo: periodTo, clearedLate: true });
    case 'overdue_cases':
      return violationsHref({ jurisdiction, deadlineFrom: period.from, deadlineTo: periodTo, overdue: true });
    case 'recurrence':
      return violationsHref({ jurisdiction, reopenedFrom: period.from, reopenedTo: periodTo, status: CASE_STATUSES_COUNTED });
    case 'supervision_on_time':
      return supervisionsHref({ unit: jurisdiction, deadlineFrom: period.from, deadlineTo: periodTo, late: true });
    case 'leads_review':
      return detectionsHref({ jurisdiction, createdFrom: period.from, createdTo: periodTo, reviewLateDays: rule.withinDays ?? 0, status: REVIEWED_LEAD_STATUSES });
    default:
      return null;
  }
}

const EMPTY: UnitMonthMeasures = { reported: 0, openReported: 0, cleared: 0, clearedLate: 0, overdue: 0, reopened: 0, leadsLateByDays: {}, supervisionsJudged: 0, supervisionsLate: 0 };

export interface RankedUnit {
  code: string;
  name: string;
  score: number;
  rank: number;
  lost: { rule: ScoringRuleKind; label: { zh: string; en: string }; points: number; count: number; href: string | null; neutral: boolean }[];
}

export interface Rankings {
  period: string;
  from: string;
  to: string;
  jurisdiction: { code: string; name: string };
  formulaVersion: number;
  formulaVersions: { month: string; version: number }[];
  units: RankedUnit[];
}

export async function getRankings(
  db: Queryable,
  user: SessionUser,
  request: { period: string; jurisdiction?: string },
  reads: AggregateReads,
  now: Date = new Date(),
): Promise<Rankings> {
  const today = shanghaiToday(now);
  const period = parsePeriod(request.period, today);
  if (!period) throw new AppError(400, 'VALIDATION_FAILED', 'period must be a month (2026-10) or a quarter (2026-Q3)', [{ path: 'period', message: 'YYYY-MM or YYYY-Qn' }]);
  if (period.from > today) throw new AppError(400, 'PERIOD_IN_FUTURE', `${period.label} has not begun yet (today is ${today})`, { period: period.label, today });
  const parentCode = assertUnitInScope(user, request.jurisdiction);
  const lastMonth = period.months.at(-1)!;
  const periodTo = monthEnd(lastMonth);
  const row: RankingsRow = await readFresh(db, reads, () => selectRankings(db, parentCode, period.from, periodTo, today));
  if (!row.parent) throw unitNotFound(parentCode);
  const parent = row.parent;
  const units = row.units;
  const monthFormulas = period.months.map((month) => ({ month, formula: formulaForMonth(row.versions, month) }));
  const measureRows = row.measures;
  const leadRows = row.late_leads;

  const measures = new Map<string, UnitMonthMeasures>();
  const key = (code: string, month: string) => `${code}/${month}`;
  for (const row of measureRows) {
    measures.set(key(row.unit_code, row.month), {
      reported: row.reported,
      openReported: row.open_reported,
      cleared: row.cleared,
      clearedLate: row.cleared_late,
      overdue: row.overdue,
      reopened: row.reopened,
      leadsLateByDays: {},
      supervisionsJudged: 0,
      supervisionsLate: 0,
    });
  }
  for (const item of row.supervision) {
    const current = measures.get(key(item.unit_code, item.month)) ?? { ...EMPTY, leadsLateByDays: {} };
    measures.set(key(item.unit_code, item.month), { ...current, supervisionsJudged: item.judged, supervisionsLate: item.late });
  }
  for (const row of leadRows) {
    const current = measures.get(key(row.unit_code, row.month)) ?? { ...EMPTY, leadsLateByDays: {} };
    measures.set(key(row.unit_code, row.month), { ...current, leadsLateByDays: { ...current.leadsLateByDays, [row.within_days]: row.late } });
  }

  const lastFormula = monthFormulas.at(-1)!.formula;
  const scored = units.map((unit) => {
    const monthly = monthFormulas.map(({ month, formula }) => scoreUnitMonth(formula.rules, measures.get(key(unit.code, month)) ?? EMPTY));
    // Rules in the order of the latest formula, then any only earlier months had.
    const ruleOrder = [...new Set([...lastFormula.rules.map((rule) => rule.rule), ...monthFormulas.flatMap(({ formula }) => formula.rules.map((rule) => rule.rule))])];
    const lost = ruleOrder.map((ruleKind) => {
      const items = monthly.flatMap((month) => month.lost.filter((item) => item.rule === ruleKind));
      const rule = [...monthFormulas].reverse().map(({ formula }) => formula.rules.find((candidate) => candidate.rule === ruleKind)).find(Boolean)!;
      return {
        rule: ruleKind,
        label: SCORING_RULE_LABELS[ruleKind],
        points: roundPoints(items.reduce((sum, item) => sum + item.points, 0) / monthly.length),
        count: items.reduce((sum, item) => sum + item.count, 0),
        href: NEUTRAL_RULES.includes(ruleKind) ? null : lostHref(rule, unit.code, period, periodTo),
        neutral: NEUTRAL_RULES.includes(ruleKind),
      };
    });
    return { code: unit.code, name: unit.name, score: roundPoints(monthly.reduce((sum, month) => sum + month.score, 0) / monthly.length), lost };
  });
  return {
    period: period.label,
    from: period.from,
    to: periodTo,
    jurisdiction: { code: parent.code, name: parent.name },
    formulaVersion: lastFormula.version,
    formulaVersions: monthFormulas.map(({ month, formula }) => ({ month, version: formula.version })),
    units: rankByScore(scored),
  };
}
