import { describe, expect, it } from 'vitest';
import { defaultDeadline, missingRequirements, type CaseEvidence, type RejectReason } from '../../../server/domain/case_workflow.ts';

// Requirement checks at their edges: one photo is enough, a missing note is no note, only the
// reason "other" asks for a note, an unknown reason is no reason, a one-day deadline is allowed.
const complete: CaseEvidence = {
  photoCount: 1,
  afterPhotoCount: 1,
  hasParty: true,
  deadline: new Date('2026-03-01T00:00:00Z'),
  note: 'checked on site',
  rejectReason: 'duplicate',
  source: 'patrol',
};

describe('missingRequirements at the edges', () => {
  it('one photo is a photo, for a patrol finding and for a satellite lead checked on site', () => {
    expect(missingRequirements({ requires: ['photo', 'site_photo_for_satellite_lead'] }, complete)).toEqual([]);
    expect(missingRequirements({ requires: ['photo', 'site_photo_for_satellite_lead'] }, { ...complete, source: 'satellite_lead' })).toEqual([]);
    expect(missingRequirements({ requires: ['after_photo'] }, complete)).toEqual([]);
  });
  it('a note that is absent (null) is missing, not an error', () => {
    expect(missingRequirements({ requires: ['note'] }, { ...complete, note: null })).toEqual(['note']);
    expect(missingRequirements({ requires: ['photo'] }, { ...complete, note: null })).toEqual([]);
  });
  it('only the reason "other" needs a note', () => {
    for (const reason of ['duplicate', 'not_violation'] as const) {
      expect(missingRequirements({ requires: ['reject_reason'] }, { ...complete, rejectReason: reason, note: null })).toEqual([]);
    }
    expect(missingRequirements({ requires: ['reject_reason'] }, { ...complete, rejectReason: 'other', note: null })).toEqual(['note']);
  });
  it('a reason outside the list is no reason', () => {
    expect(missingRequirements({ requires: ['reject_reason'] }, { ...complete, rejectReason: 'because' as RejectReason })).toEqual(['reject_reason']);
  });
  it('names a missing note once even when two requirements ask for it', () => {
    expect(missingRequirements({ requires: ['reject_reason', 'note'] }, { ...complete, rejectReason: 'other', note: ' ' })).toEqual(['note']);
  });
});

describe('defaultDeadline at its edge', () => {
  it('a configured deadline of one day is allowed', () => {
    const from = new Date('2026-03-10T00:00:00Z');
    expect(defaultDeadline('piling', from, { piling: 1 }).toISOString()).toBe('2026-03-11T00:00:00.000Z');
    expect(() => defaultDeadline('piling', from, { piling: 1.5 })).toThrow(RangeError);
  });
});
