import { describe, expect, it } from 'vitest';
import { CASE_EVENT_LABELS, CASE_EVENTS, CASE_STATUS_LABELS, CASE_STATUSES, REQUIREMENT_LABELS, REQUIREMENTS } from '../../../server/domain/case_workflow.ts';
import { CHANGE_TYPE_LABELS, CHANGE_TYPES } from '../../../server/domain/detection_rules.ts';
import { ASSIGNMENT_EVENT_LABELS, ASSIGNMENT_EVENTS, ASSIGNMENT_STATUS_LABELS, ASSIGNMENT_STATUSES } from '../../../server/domain/patrol_assignment_workflow.ts';
import {
  SATISFACTION_LABELS,
  SATISFACTION_LEVELS,
  SUPERVISION_EVENT_LABELS,
  SUPERVISION_EVENTS,
  SUPERVISION_STATUS_LABELS,
  SUPERVISION_STATUSES,
} from '../../../server/domain/supervision_workflow.ts';
import { VIOLATION_SOURCE_LABELS, VIOLATION_SOURCES } from '../../../server/domain/violation_attributes.ts';
import { ZONE_KINDS, ZONE_LABELS } from '../../../server/domain/zones.ts';
import { expectBilingualLabels } from './label_tables.ts';

// What users read: every status, event and kind named in both languages, none blank, none shared.
describe('label tables', () => {
  it('cases', () => {
    expectBilingualLabels(CASE_STATUSES, CASE_STATUS_LABELS);
    expectBilingualLabels(CASE_EVENTS, CASE_EVENT_LABELS);
  });
  it('case requirements read as the object of "needs …"', () => {
    expect(Object.keys(REQUIREMENT_LABELS).sort()).toEqual([...REQUIREMENTS].sort());
    for (const requirement of REQUIREMENTS) {
      expect(REQUIREMENT_LABELS[requirement].zh, requirement).toMatch(/^\p{Script=Han}/u);
      expect(REQUIREMENT_LABELS[requirement].en, requirement).toMatch(/^[a-z]+ [a-z]/);
    }
    expect(new Set(REQUIREMENTS.map((requirement) => REQUIREMENT_LABELS[requirement].en)).size).toBe(REQUIREMENTS.length);
    expect(new Set(REQUIREMENTS.map((requirement) => REQUIREMENT_LABELS[requirement].zh)).size).toBe(REQUIREMENTS.length);
    // the reject reasons the label lists are the ones accepted
    expect(REQUIREMENT_LABELS.reject_reason.en).toContain('not_violation, duplicate or other');
  });
  it('patrol assignments', () => {
    expectBilingualLabels(ASSIGNMENT_STATUSES, ASSIGNMENT_STATUS_LABELS);
    expectBilingualLabels(ASSIGNMENT_EVENTS, ASSIGNMENT_EVENT_LABELS);
  });
  it('supervision (交办、承办、督办、办结、回访)', () => {
    expectBilingualLabels(SUPERVISION_STATUSES, SUPERVISION_STATUS_LABELS);
    expectBilingualLabels(SUPERVISION_EVENTS, SUPERVISION_EVENT_LABELS);
    expectBilingualLabels(SATISFACTION_LEVELS, SATISFACTION_LABELS);
    expect(SUPERVISION_STATUS_LABELS.assigned.zh).toBe('交办');
    expect(SUPERVISION_STATUS_LABELS.done.zh).toBe('办结');
  });
  it('detections, sources and zones', () => {
    expectBilingualLabels(CHANGE_TYPES, CHANGE_TYPE_LABELS);
    expectBilingualLabels(VIOLATION_SOURCES, VIOLATION_SOURCE_LABELS);
    expectBilingualLabels(ZONE_KINDS, ZONE_LABELS);
    // DOMAIN.md's names of the zones
    expect(ZONE_LABELS.road_land.zh).toBe('公路用地');
    expect(ZONE_LABELS.building_control.zh).toBe('建筑控制区');
  });
});
