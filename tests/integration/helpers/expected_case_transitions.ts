/**
 * The enforcement lifecycle as the tests expect it, typed out by hand from DOMAIN.md "Enforcement
 * flow" and the roles' intent (officers enforce, managers step in for them, patrol crews may only
 * report a site cleared from the field, a rejected finding is reopened by a manager only; admin,
 * dispatcher and viewer never act on cases). It is deliberately NOT read from
 * server/domain/case_workflow.ts: a change there must be matched here by a person.
 *
 * One line per allowed transition: from, event, to, the roles allowed.
 */
const TABLE = `
reported        verify                  verified        officer manager
reported        reject                  rejected        officer manager
verified        reject                  rejected        officer manager
verified        issue_notice            notice_issued   officer manager
notice_issued   reissue_notice          notice_issued   officer manager
notice_issued   start_rectification     rectifying      officer manager
notice_issued   report_cleared          cleared         officer manager patrol
notice_issued   send_reminder           reminded        officer manager
rectifying      reissue_notice          rectifying      officer manager
rectifying      report_cleared          cleared         officer manager patrol
rectifying      send_reminder           reminded        officer manager
reminded        reissue_notice          reminded        officer manager
reminded        report_cleared          cleared         officer manager patrol
reminded        decide_forced_removal   forced_removal  officer manager
forced_removal  report_cleared          cleared         officer manager patrol
cleared         reinspect_pass          reinspected     officer manager
cleared         reinspect_fail          rectifying      officer manager
reinspected     close                   closed          officer manager
closed          reopen                  verified        officer manager
rejected        reopen                  reported        manager
`;

interface ExpectedRow {
  to: string;
  roles: string[];
}

const ROWS = new Map<string, ExpectedRow>(
  TABLE.trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .map(([from, event, to, ...roles]) => [`${from} ${event}`, { to: to!, roles }]),
);

/** What the service must answer: the new status, or the refusal code (no row: not allowed; row without the role: role). */
export function expectedTransition(from: string, event: string, role: string): { ok: true; to: string } | { ok: false; code: 'TRANSITION_NOT_ALLOWED' | 'ROLE_NOT_ALLOWED' } {
  const row = ROWS.get(`${from} ${event}`);
  if (!row) return { ok: false, code: 'TRANSITION_NOT_ALLOWED' };
  if (!row.roles.includes(role)) return { ok: false, code: 'ROLE_NOT_ALLOWED' };
  return { ok: true, to: row.to };
}

/** Number of allowed (from, event) pairs, to check the table was read whole. */
export const EXPECTED_TRANSITION_COUNT = ROWS.size;
