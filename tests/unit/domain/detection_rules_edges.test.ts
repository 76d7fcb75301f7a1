import { describe, expect, it } from 'vitest';
import {
  candidateCategory,
  CONFIDENCE_BANDS,
  DETECTION_REVIEW_ACTIONS,
  DETECTION_REVIEW_STATUSES,
  normalizeChangeType,
  normalizeConfidence,
  REVIEWABLE_STATUSES,
  STATUS_AFTER_ACTION,
} from '../../../server/domain/detection_rules.ts';

describe('provider values at their edges', () => {
  it('change types: spaces and dashes of any length, and padding around a Chinese label', () => {
    expect(normalizeChangeType('  Bare  Soil ')).toBe('bare_soil');
    expect(normalizeChangeType('excavation - pit')).toBe('excavation_pit');
    expect(normalizeChangeType(' 采挖坑 ')).toBe('excavation_pit');
  });
  it('confidence: 0 and 100 are in range; blanks, booleans and null are no confidence', () => {
    expect(normalizeConfidence(0)).toBe(0);
    expect(normalizeConfidence(100)).toBe(1);
    expect(normalizeConfidence('82')).toBe(0.82);
    expect(normalizeConfidence(100.5)).toBeNull();
    for (const missing of [' ', '', null, undefined, true, Number.POSITIVE_INFINITY]) expect(normalizeConfidence(missing)).toBeNull();
  });
});

describe('candidate categories the docs name (docs/detections_api.md "Classification")', () => {
  it('new building, extension and temporary structure in road land or the control zone are structures', () => {
    for (const changeType of ['new_building', 'building_extension', 'temporary_structure'] as const) {
      expect(candidateCategory(changeType, ['road_land'])).toBe('structure');
      expect(candidateCategory(changeType, ['building_control'])).toBe('structure');
    }
  });
  it('bare soil and a pit in a bridge or tunnel range are excavation', () => {
    for (const changeType of ['bare_soil', 'excavation_pit'] as const) {
      expect(candidateCategory(changeType, ['bridge_range'])).toBe('excavation');
      expect(candidateCategory(changeType, ['tunnel_range'])).toBe('excavation');
    }
    expect(candidateCategory('excavation_pit', ['excavation_ban'])).toBe('excavation');
  });
  it('vegetation loss is read as digging only where digging is banned around structures (the table\'s choice, not the docs\')', () => {
    expect(candidateCategory('vegetation_loss', ['bridge_range'])).toBe('excavation');
    expect(candidateCategory('vegetation_loss', ['tunnel_range'])).toBe('excavation');
    expect(candidateCategory('vegetation_loss', ['road_land', 'building_control'])).toBeNull();
  });
});

describe('review', () => {
  it('review only from pending or field', () => {
    expect([...REVIEWABLE_STATUSES].sort()).toEqual(['field', 'pending']);
  });
  it('each action leads to its status: confirmed, rejected, field (a task for patrols), merged', () => {
    expect(STATUS_AFTER_ACTION).toEqual({ confirm: 'confirmed', reject: 'rejected', field: 'field', merge: 'merged' });
    for (const action of DETECTION_REVIEW_ACTIONS) expect(DETECTION_REVIEW_STATUSES).toContain(STATUS_AFTER_ACTION[action]);
  });
});

describe('confidence bands of the precision statistics', () => {
  it('cover 0–1 without gaps or overlaps, lower bound inclusive, keyed by their bounds', () => {
    expect(CONFIDENCE_BANDS.length).toBeGreaterThan(1);
    expect(CONFIDENCE_BANDS[0]!.from).toBe(0);
    expect(CONFIDENCE_BANDS.at(-1)!.to).toBeGreaterThan(1);
    for (const [index, band] of CONFIDENCE_BANDS.entries()) {
      expect(band.to).toBeGreaterThan(band.from);
      if (index > 0) expect(band.from).toBe(CONFIDENCE_BANDS[index - 1]!.to);
      expect(band.key).toBe(`${band.from.toFixed(1)}-${Math.min(1, band.to).toFixed(1)}`);
    }
    for (let confidence = 0; confidence <= 1; confidence += 0.05) {
      expect(CONFIDENCE_BANDS.filter((band) => confidence >= band.from && confidence < band.to)).toHaveLength(1);
    }
    expect(CONFIDENCE_BANDS.filter((band) => 1 >= band.from && 1 < band.to)).toHaveLength(1);
  });
});
