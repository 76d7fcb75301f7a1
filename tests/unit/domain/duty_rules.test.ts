import { describe, expect, it } from 'vitest';
import { CASE_EVENTS, type CaseEvent } from '../../../server/domain/case_workflow.ts';
import { DEFAULT_DUTY_RULES, DUTY_REFUSAL_CODES, dutyRefusal, NOTICE_EVENTS, type DutyFacts, type DutyRules } from '../../../server/domain/duty_rules.ts';

// Separation of duties (issue 14; DOMAIN.md: a re-inspection is its own site visit with its own
// photos, documents name at least two officers). Officer 1 reported the clearance; 2 and 3 are others.
const ALL_OFF: DutyRules = {
  reinspectorDiffersFromClearanceReporter: false,
  reinspectionNeedsOwnPhoto: false,
  closerDiffersFromClearanceReporter: false,
  noticeNeedsTwoOfficers: false,
};
const fine: Omit<DutyFacts, 'event'> = {
  actorUserId: 2,
  clearanceReporterUserId: 1,
  newAfterPhotoCount: 1,
  actorCertificateNumber: '豫交执 41010001',
  secondOfficer: { userId: 3, certificateNumber: '豫交执 41010002' },
};
const codeOf = (event: CaseEvent, facts: Partial<DutyFacts> = {}, rules: DutyRules = DEFAULT_DUTY_RULES) => dutyRefusal(rules, { ...fine, event, ...facts })?.code ?? null;

describe('defaults: what the law and practice ask for', () => {
  it('every rule is on unless a jurisdiction relaxes it', () => {
    expect(DEFAULT_DUTY_RULES).toEqual({
      reinspectorDiffersFromClearanceReporter: true,
      reinspectionNeedsOwnPhoto: true,
      closerDiffersFromClearanceReporter: true,
      noticeNeedsTwoOfficers: true,
    });
  });
  it('notices are the issue and the re-issue', () => {
    expect([...NOTICE_EVENTS].sort()).toEqual(['issue_notice', 'reissue_notice']);
  });
  it('nothing is refused when the people and photos are right, for any event', () => {
    for (const event of CASE_EVENTS) expect(codeOf(event), event).toBeNull();
  });
});

describe('who acts', () => {
  it('the re-inspection (pass or fail) is not by the clearance reporter', () => {
    for (const event of ['reinspect_pass', 'reinspect_fail'] as const) {
      const refusal = dutyRefusal(DEFAULT_DUTY_RULES, { ...fine, event, actorUserId: 1 });
      expect(refusal).toMatchObject({ code: 'DUTY_REINSPECTOR_IS_CLEARANCE_REPORTER', status: 403 });
      expect(refusal?.message).toMatch(/re-inspection/);
      expect(codeOf(event, { actorUserId: 1 }, { ...DEFAULT_DUTY_RULES, reinspectorDiffersFromClearanceReporter: false })).toBeNull();
    }
  });
  it('closing is not by the clearance reporter', () => {
    const refusal = dutyRefusal(DEFAULT_DUTY_RULES, { ...fine, event: 'close', actorUserId: 1 });
    expect(refusal).toMatchObject({ code: 'DUTY_CLOSER_IS_CLEARANCE_REPORTER', status: 403 });
    expect(refusal?.message).toMatch(/closed/);
    expect(codeOf('close', { actorUserId: 1 }, { ...DEFAULT_DUTY_RULES, closerDiffersFromClearanceReporter: false })).toBeNull();
  });
  it('without a clearance report anyone may re-inspect or close', () => {
    expect(codeOf('reinspect_fail', { clearanceReporterUserId: null, actorUserId: 1 })).toBeNull();
    expect(codeOf('close', { clearanceReporterUserId: null, actorUserId: 1 })).toBeNull();
  });
  it('the same person may do other events (the rule is about those two)', () => {
    for (const event of CASE_EVENTS.filter((candidate) => !['reinspect_pass', 'reinspect_fail', 'close'].includes(candidate))) {
      expect(codeOf(event, { actorUserId: 1 }), event).toBeNull();
    }
  });
});

describe('what they bring', () => {
  it('a passed re-inspection needs its own "after" photo; a failed one does not', () => {
    const refusal = dutyRefusal(DEFAULT_DUTY_RULES, { ...fine, event: 'reinspect_pass', newAfterPhotoCount: 0 });
    expect(refusal).toMatchObject({ code: 'DUTY_REINSPECTION_PHOTO_REQUIRED', status: 422 });
    expect(refusal?.message).toMatch(/photo/);
    expect(codeOf('reinspect_fail', { newAfterPhotoCount: 0 })).toBeNull();
    expect(codeOf('reinspect_pass', { newAfterPhotoCount: 0 }, { ...DEFAULT_DUTY_RULES, reinspectionNeedsOwnPhoto: false })).toBeNull();
  });
  it('who acts is checked before what they bring', () => {
    expect(codeOf('reinspect_pass', { actorUserId: 1, newAfterPhotoCount: 0 })).toBe('DUTY_REINSPECTOR_IS_CLEARANCE_REPORTER');
  });
  it('a notice: a certified issuer, a second officer other than the issuer, certified too', () => {
    for (const event of ['issue_notice', 'reissue_notice'] as const) {
      const uncertified = dutyRefusal(DEFAULT_DUTY_RULES, { ...fine, event, actorCertificateNumber: null });
      expect(uncertified).toMatchObject({ code: 'DUTY_OFFICER_CERTIFICATE_MISSING', status: 422 });
      expect(uncertified?.message).toMatch(/certificate/);
      const alone = dutyRefusal(DEFAULT_DUTY_RULES, { ...fine, event, secondOfficer: null });
      expect(alone).toMatchObject({ code: 'DUTY_SECOND_OFFICER_REQUIRED', status: 422 });
      expect(alone?.message).toMatch(/secondOfficerId/);
      expect(codeOf(event, { secondOfficer: { userId: 2, certificateNumber: 'x' } })).toBe('DUTY_SECOND_OFFICER_REQUIRED');
      const secondUncertified = dutyRefusal(DEFAULT_DUTY_RULES, { ...fine, event, secondOfficer: { userId: 3, certificateNumber: null } });
      expect(secondUncertified).toMatchObject({ code: 'DUTY_OFFICER_CERTIFICATE_MISSING', status: 422 });
      expect(secondUncertified?.message).toMatch(/second officer/);
      expect(codeOf(event, { actorCertificateNumber: null, secondOfficer: null }, { ...DEFAULT_DUTY_RULES, noticeNeedsTwoOfficers: false })).toBeNull();
    }
  });
  it('with every rule relaxed nothing is refused', () => {
    const worst = { actorUserId: 1, clearanceReporterUserId: 1, newAfterPhotoCount: 0, actorCertificateNumber: null, secondOfficer: null };
    for (const event of CASE_EVENTS) expect(codeOf(event, worst, ALL_OFF), event).toBeNull();
  });
  it('has one refusal code per rule', () => {
    expect(new Set(DUTY_REFUSAL_CODES).size).toBe(5);
  });
});
