/**
 * Separation of duties in the case workflow (issue 14; DOMAIN.md: a re-inspection is its own site
 * visit with its own photos; documents name at least two officers). Configurable per jurisdiction
 * (table duty_rules, migration 025); the defaults below apply where no row says otherwise. Pure:
 * the client reads the same rule names and messages.
 */
import type { CaseEvent } from './case_workflow.ts';

export interface DutyRules {
  /** 复查 not by whoever reported the clearance. */
  readonly reinspectorDiffersFromClearanceReporter: boolean;
  /** 复查合格 with an on-site photo attached by the re-inspection itself. */
  readonly reinspectionNeedsOwnPhoto: boolean;
  /** 结案 not by whoever reported the clearance. */
  readonly closerDiffersFromClearanceReporter: boolean;
  /** The notice names a second certified officer besides the one issuing it. */
  readonly noticeNeedsTwoOfficers: boolean;
}

/** What the law and practice ask for; a jurisdiction may relax a rule only by an explicit row. */
export const DEFAULT_DUTY_RULES: DutyRules = {
  reinspectorDiffersFromClearanceReporter: true,
  reinspectionNeedsOwnPhoto: true,
  closerDiffersFromClearanceReporter: true,
  noticeNeedsTwoOfficers: true,
};

/** Error codes of refusals, one per rule, so the refusal says which rule applied. */
export const DUTY_REFUSAL_CODES = [
  'DUTY_REINSPECTOR_IS_CLEARANCE_REPORTER',
  'DUTY_REINSPECTION_PHOTO_REQUIRED',
  'DUTY_CLOSER_IS_CLEARANCE_REPORTER',
  'DUTY_SECOND_OFFICER_REQUIRED',
  'DUTY_OFFICER_CERTIFICATE_MISSING',
] as const;
export type DutyRefusalCode = (typeof DUTY_REFUSAL_CODES)[number];

export const NOTICE_EVENTS: readonly CaseEvent[] = ['issue_notice', 'reissue_notice'];

/** What is known about the people on a case when an event is attempted. */
export interface DutyFacts {
  readonly event: CaseEvent;
  readonly actorUserId: number;
  /** Who sent the latest report_cleared; null if none. */
  readonly clearanceReporterUserId: number | null;
  /** "after" photos attached by this very request (not earlier ones). */
  readonly newAfterPhotoCount: number;
  readonly actorCertificateNumber: string | null;
  /** The second officer named on a notice: null when none was named. */
  readonly secondOfficer: { readonly userId: number; readonly certificateNumber: string | null } | null;
}

export interface DutyRefusal {
  readonly code: DutyRefusalCode;
  readonly status: 403 | 422;
  readonly message: string;
}

/** The first rule `facts` break under `rules`, or null. Order: who acts, then what they bring. */
export function dutyRefusal(rules: DutyRules, facts: DutyFacts): DutyRefusal | null {
  const sameAsClearance = facts.clearanceReporterUserId !== null && facts.clearanceReporterUserId === facts.actorUserId;
  if ((facts.event === 'reinspect_pass' || facts.event === 'reinspect_fail') && rules.reinspectorDiffersFromClearanceReporter && sameAsClearance) {
    return {
      code: 'DUTY_REINSPECTOR_IS_CLEARANCE_REPORTER',
      status: 403,
      message: 'The re-inspection must be done by another officer than the one who reported the clearance',
    };
  }
  if (facts.event === 'reinspect_pass' && rules.reinspectionNeedsOwnPhoto && facts.newAfterPhotoCount < 1) {
    return {
      code: 'DUTY_REINSPECTION_PHOTO_REQUIRED',
      status: 422,
      message: 'A passed re-inspection needs its own on-site photo tagged "after", attached with it; the clearance photo does not count',
    };
  }
  if (facts.event === 'close' && rules.closerDiffersFromClearanceReporter && sameAsClearance) {
    return {
      code: 'DUTY_CLOSER_IS_CLEARANCE_REPORTER',
      status: 403,
      message: 'The case must be closed by someone other than the one who reported the clearance',
    };
  }
  if (NOTICE_EVENTS.includes(facts.event) && rules.noticeNeedsTwoOfficers) {
    if (facts.actorCertificateNumber === null) {
      return {
        code: 'DUTY_OFFICER_CERTIFICATE_MISSING',
        status: 422,
        message: 'Only an officer with an enforcement certificate number in their profile may issue a notice',
      };
    }
    if (facts.secondOfficer === null || facts.secondOfficer.userId === facts.actorUserId) {
      return {
        code: 'DUTY_SECOND_OFFICER_REQUIRED',
        status: 422,
        message: 'A notice names two officers: choose a second officer (secondOfficerId) other than yourself',
      };
    }
    if (facts.secondOfficer.certificateNumber === null) {
      return {
        code: 'DUTY_OFFICER_CERTIFICATE_MISSING',
        status: 422,
        message: 'The second officer has no enforcement certificate number in their profile',
      };
    }
  }
  return null;
}
