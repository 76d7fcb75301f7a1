/** Separation-of-duties rules in effect for a jurisdiction, and the check the case workflow runs. */
import type { Queryable } from '../db/database.ts';
import { DEFAULT_DUTY_RULES, dutyRefusal, NOTICE_EVENTS, type DutyRules } from '../domain/duty_rules.ts';
import type { CaseEvent } from '../domain/case_workflow.ts';
import { AppError } from '../http/errors.ts';
import { selectEffectiveDutyRules, selectOfficers, type DutyRulesRow, type OfficerRow } from './queries.ts';

export interface EffectiveDutyRules {
  rules: DutyRules;
  /** The jurisdiction whose row applies; null = the defaults. */
  setBy: string | null;
}

export function rulesFromRow(row: DutyRulesRow): DutyRules {
  return {
    reinspectorDiffersFromClearanceReporter: row.reinspector_differs_from_clearance_reporter,
    reinspectionNeedsOwnPhoto: row.reinspection_needs_own_photo,
    closerDiffersFromClearanceReporter: row.closer_differs_from_clearance_reporter,
    noticeNeedsTwoOfficers: row.notice_needs_two_officers,
  };
}

export async function effectiveDutyRules(db: Queryable, jurisdictionCode: string | null): Promise<EffectiveDutyRules> {
  const row = jurisdictionCode === null ? null : await selectEffectiveDutyRules(db, jurisdictionCode);
  return row ? { rules: rulesFromRow(row), setBy: row.jurisdiction_code } : { rules: DEFAULT_DUTY_RULES, setBy: null };
}

export interface DutyCheckInput {
  event: CaseEvent;
  jurisdictionCode: string | null;
  actorUserId: number;
  clearanceReporterUserId: number | null;
  newAfterPhotoCount: number;
  secondOfficerId: number | null;
}

/** The officers a notice names: the issuing one first. */
export interface NoticeOfficers {
  officers: OfficerRow[];
}

/**
 * Refuses with the rule's own error code (403 who may act, 422 what is missing) and says which
 * jurisdiction set the rule. Returns the officers to name when the event issues a notice.
 */
export async function checkDuties(db: Queryable, input: DutyCheckInput): Promise<OfficerRow[]> {
  const { rules, setBy } = await effectiveDutyRules(db, input.jurisdictionCode);
  const isNotice = NOTICE_EVENTS.includes(input.event);
  // Only a notice names a second officer; on other events the field means nothing and is ignored.
  const secondOfficerId = isNotice ? input.secondOfficerId : null;
  const ids = isNotice ? [input.actorUserId, ...(secondOfficerId === null ? [] : [secondOfficerId])] : [];
  const people = await selectOfficers(db, ids);
  const actor = people.find((person) => person.id === input.actorUserId) ?? null;
  const second = secondOfficerId === null ? null : (people.find((person) => person.id === secondOfficerId) ?? null);
  if (secondOfficerId !== null && (second === null || !['officer', 'manager'].includes(second.role))) {
    throw new AppError(400, 'SECOND_OFFICER_NOT_FOUND', `No officer with id ${input.secondOfficerId} in your jurisdiction`, { secondOfficerId: input.secondOfficerId });
  }
  const refusal = dutyRefusal(rules, {
    event: input.event,
    actorUserId: input.actorUserId,
    clearanceReporterUserId: input.clearanceReporterUserId,
    newAfterPhotoCount: input.newAfterPhotoCount,
    actorCertificateNumber: actor?.enforcement_certificate_number ?? null,
    secondOfficer: second === null ? null : { userId: second.id, certificateNumber: second.enforcement_certificate_number },
  });
  if (refusal) throw new AppError(refusal.status, refusal.code, refusal.message, { rule: refusal.code, rulesSetBy: setBy });
  if (!isNotice) return [];
  return [actor, second].filter((person): person is OfficerRow => person !== null);
}
