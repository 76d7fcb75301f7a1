/** The versioned scoring formula: read the history, add a version effective from a month. */
import type { SessionUser } from '../auth/session_user.ts';
import type { Queryable } from '../db/database.ts';
import { formulaProblem, type ScoringRule } from '../domain/scoring_formula.ts';
import { AppError } from '../http/errors.ts';
import { shanghaiToday } from './periods.ts';
import { insertFormula, selectFormulaVersions, type FormulaRow } from './queries.ts';
import { formulaForMonth } from './rankings_service.ts';
import { resolveUnit } from './scope.ts';

function toFormula(row: FormulaRow) {
  return {
    version: row.version,
    jurisdiction: row.jurisdiction_code,
    effectiveFrom: row.effective_from.slice(0, 7),
    rules: row.rules,
    note: row.note,
    createdBy: row.created_by_username,
    createdAt: row.created_at.toISOString(),
  };
}

export async function getScoringFormula(db: Queryable, user: SessionUser, request: { jurisdiction?: string }, now: Date = new Date()) {
  const unit = await resolveUnit(db, user, request.jurisdiction);
  const versions = await selectFormulaVersions(db, unit.code);
  const current = formulaForMonth(versions, shanghaiToday(now).slice(0, 7));
  return { jurisdiction: unit.code, current: toFormula(current), versions: versions.map(toFormula) };
}

/**
 * A new version for the user's unit (or one below), in force from `effectiveFrom` (YYYY-MM). Past
 * months keep the formula they were scored by: a version may not start before the current month.
 */
export async function putScoringFormula(
  db: Queryable,
  user: SessionUser,
  input: { jurisdiction?: string; effectiveFrom: string; rules: ScoringRule[]; note?: string | null },
  now: Date = new Date(),
) {
  const unit = await resolveUnit(db, user, input.jurisdiction);
  const currentMonth = shanghaiToday(now).slice(0, 7);
  if (input.effectiveFrom < currentMonth) {
    throw new AppError(400, 'FORMULA_EFFECTIVE_IN_PAST', `A new formula may take effect from ${currentMonth} on, not ${input.effectiveFrom}: past months keep the formula they were scored by`, {
      effectiveFrom: input.effectiveFrom,
      earliest: currentMonth,
    });
  }
  const problem = formulaProblem(input.rules);
  if (problem) throw new AppError(400, 'FORMULA_INVALID', problem, { rules: input.rules });
  const row = await insertFormula(db, { jurisdictionCode: unit.code, effectiveFrom: `${input.effectiveFrom}-01`, rules: input.rules, note: input.note ?? null, createdBy: user.id });
  return toFormula(row);
}
