/** SQL of the separation-of-duties rules (migration 025) and the officers named on documents. */
import type { Queryable } from '../db/database.ts';

export interface DutyRulesRow {
  jurisdiction_code: string;
  reinspector_differs_from_clearance_reporter: boolean;
  reinspection_needs_own_photo: boolean;
  closer_differs_from_clearance_reporter: boolean;
  notice_needs_two_officers: boolean;
  updated_at: Date;
  updated_by_username: string | null;
}

/** The most specific rules row on the way up from `jurisdictionCode` (itself first), or null. */
export async function selectEffectiveDutyRules(db: Queryable, jurisdictionCode: string): Promise<DutyRulesRow | null> {
  const result = await db.query<DutyRulesRow>(
    `WITH RECURSIVE up AS (
       SELECT j.code, j.parent_code, 0 AS depth FROM jurisdictions j WHERE j.code = $1
       UNION ALL
       SELECT p.code, p.parent_code, up.depth + 1 FROM jurisdictions p JOIN up ON p.code = up.parent_code WHERE up.depth < 10
     )
     SELECT r.jurisdiction_code, r.reinspector_differs_from_clearance_reporter, r.reinspection_needs_own_photo,
            r.closer_differs_from_clearance_reporter, r.notice_needs_two_officers, r.updated_at, r.updated_by_username
     FROM up JOIN duty_rules r ON r.jurisdiction_code = up.code
     ORDER BY up.depth LIMIT 1`,
    [jurisdictionCode],
  );
  return result.rows[0] ?? null;
}

export async function upsertDutyRules(
  db: Queryable,
  row: Omit<DutyRulesRow, 'updated_at'>,
): Promise<DutyRulesRow | null> {
  const result = await db.query<DutyRulesRow>(
    `INSERT INTO duty_rules (jurisdiction_code, reinspector_differs_from_clearance_reporter, reinspection_needs_own_photo,
                             closer_differs_from_clearance_reporter, notice_needs_two_officers, updated_by_username)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (jurisdiction_code) DO UPDATE SET
       reinspector_differs_from_clearance_reporter = EXCLUDED.reinspector_differs_from_clearance_reporter,
       reinspection_needs_own_photo = EXCLUDED.reinspection_needs_own_photo,
       closer_differs_from_clearance_reporter = EXCLUDED.closer_differs_from_clearance_reporter,
       notice_needs_two_officers = EXCLUDED.notice_needs_two_officers,
       updated_at = now(), updated_by_username = EXCLUDED.updated_by_username
     RETURNING *`,
    [
      row.jurisdiction_code,
      row.reinspector_differs_from_clearance_reporter,
      row.reinspection_needs_own_photo,
      row.closer_differs_from_clearance_reporter,
      row.notice_needs_two_officers,
      row.updated_by_username,
    ],
  );
  return result.rows[0] ?? null;
}

export interface OfficerRow {
  id: number;
  username: string;
  display_name: string | null;
  role: string;
  jurisdiction_code: string;
  enforcement_certificate_number: string | null;
}

/** Users among `ids` the request may see (row-level security), with their certificate numbers. */
export async function selectOfficers(db: Queryable, ids: readonly number[]): Promise<OfficerRow[]> {
  if (ids.length === 0) return [];
  const result = await db.query<OfficerRow>(
    `SELECT id::integer AS id, username, display_name, role, jurisdiction_code, enforcement_certificate_number
     FROM users WHERE id = ANY($1::bigint[]) AND disabled_at IS NULL ORDER BY id`,
    [ids],
  );
  return result.rows;
}

/** Officers and managers in scope holding a certificate: who can be named second on a notice. */
export async function selectCertifiedOfficers(db: Queryable): Promise<OfficerRow[]> {
  const result = await db.query<OfficerRow>(
    `SELECT id::integer AS id, username, display_name, role, jurisdiction_code, enforcement_certificate_number
     FROM users
     WHERE disabled_at IS NULL AND role IN ('officer', 'manager') AND enforcement_certificate_number IS NOT NULL
       AND luyu_in_scope(jurisdiction_code)
     ORDER BY username LIMIT 500`,
  );
  return result.rows;
}
