import { describe, expect, it } from 'vitest';
import { formatHash, parseHash } from './url_hash';

describe('URL hash', () => {
  it('round-trips view, segment and language', () => {
    const state = { viewport: { zoom: 13.5, lat: 34.705, lon: 113.74 }, segmentId: 42, language: 'en' as const };
    const hash = formatHash(state);
    expect(hash).toBe('#map=13.5/34.7050/113.7400&seg=42&lang=en');
    expect(parseHash(hash)).toEqual(state);
  });

  it('leaves the default language out and adds decimals when zoomed in', () => {
    expect(formatHash({ viewport: { zoom: 17, lat: 34.7, lon: 113.7 }, segmentId: null, language: 'zh-CN' })).toBe('#map=17/34.70000/113.70000');
  });

  it('carries the open violation', () => {
    const hash = formatHash({ viewport: null, segmentId: null, language: null, violationId: 159 });
    expect(hash).toBe('#v=159');
    expect(parseHash(hash).violationId).toBe(159);
    expect(parseHash('#v=x').violationId).toBeUndefined();
  });

  it('drops invalid parts without failing', () => {
    expect(parseHash('#map=99/1/2&seg=abc&lang=fr')).toEqual({ viewport: null, segmentId: null, language: null });
    expect(parseHash('')).toEqual({ viewport: null, segmentId: null, language: null });
  });
});
