import type { SessionUser } from '../auth/session_user.ts';
import type { Queryable } from '../db/database.ts';
import { AppError } from '../http/errors.ts';
import { selectJurisdiction, type JurisdictionRow } from '../auth/queries.ts';

/**
 * The unit a manager looks at: their own (default) or any unit below it. Another branch of the
 * tree is 403, like a finding outside the user's jurisdiction. Checked against the session's scope
 * list, without a query.
 */
export function assertUnitInScope(user: SessionUser, code: string | undefined): string {
  const wanted = code ?? user.jurisdiction.code;
  if (!user.scopeCodes.includes(wanted)) {
    throw new AppError(403, 'OUTSIDE_JURISDICTION', `Unit ${wanted} is not ${user.jurisdiction.name} (${user.jurisdiction.code}) or below it`, { jurisdiction: wanted });
  }
  return wanted;
}

export function unitNotFound(code: string): AppError {
  return new AppError(404, 'JURISDICTION_NOT_FOUND', `No unit has the code ${code}`, { jurisdiction: code });
}

/** {@link assertUnitInScope} and the unit's row. */
export async function resolveUnit(db: Queryable, user: SessionUser, code: string | undefined): Promise<JurisdictionRow> {
  const wanted = assertUnitInScope(user, code);
  const unit = await selectJurisdiction(db, wanted);
  if (!unit) throw unitNotFound(wanted);
  return unit;
}
