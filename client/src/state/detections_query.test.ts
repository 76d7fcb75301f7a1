import { describe, expect, it } from 'vitest';
import { formatQueueQuery, parseQueueQuery } from './detections_query';

describe('detections queue URL query', () => {
  it('defaults to pending, in scope, first page of 50', () => {
    expect(parseQueueQuery('')).toEqual({ filters: { status: 'pending', includeOutOfScope: false, batch: undefined, zone: undefined, category: undefined, jurisdiction: undefined, minConfidence: undefined, minArea: undefined }, page: 1, size: 50 });
    expect(formatQueueQuery(parseQueueQuery(''))).toBe('');
  });

  it('round-trips every filter', () => {
    const search = '?batch=7&zone=road_land&category=structure&jurisdiction=410104&minConfidence=0.6&minArea=50&status=pending%2Cfield&includeOutOfScope=true&page=3&size=100';
    const view = parseQueueQuery(search);
    expect(view.filters).toMatchObject({ batch: '7', minConfidence: 0.6, minArea: 50, status: 'pending,field', includeOutOfScope: true });
    expect(parseQueueQuery(formatQueueQuery(view))).toEqual(view);
  });

  it('ignores bad numbers and page sizes', () => {
    const view = parseQueueQuery('?minConfidence=abc&size=7&page=-2');
    expect(view.filters.minConfidence).toBeUndefined();
    expect(view.size).toBe(50);
    expect(view.page).toBe(1);
  });
});
