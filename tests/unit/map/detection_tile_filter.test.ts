import { describe, expect, it } from 'vitest';
import { featureFilter } from '@maplibre/maplibre-gl-style-spec';
import { detectionTileFilter, jurisdictionSubtree, withReviewed } from '../../../client/src/map/detection_tile_filter';
import type { DetectionFilters } from '../../../client/src/state/detections_query';

/** Whether MapLibre would draw a tile feature with these attributes under the filter. */
function shown(filters: DetectionFilters, properties: Record<string, unknown>, jurisdictions = LINKS): boolean {
  return featureFilter(detectionTileFilter(filters, jurisdictions) as never, 'test.filter').filter({ zoom: 14 } as never, { type: 3, properties } as never);
}

const LINKS = [
  { code: '410000', parentCode: null },
  { code: '410100', parentCode: '410000' },
  { code: '410104', parentCode: '410100' },
  { code: '410105', parentCode: '410100' },
  { code: '410200', parentCode: '410000' },
  { code: '410202', parentCode: '410200' },
];

/** A pending, in-scope detection of batch 3 in 410104 touching two zone kinds (as a tile carries it). */
const TILE_FEATURE = {
  batch_id: 3,
  review_status: 'pending',
  in_scope: true,
  jurisdiction_code: '410104',
  candidate_category: 'structure',
  zone_kinds: ',road_land,building_control,',
  confidence_millionths: 875_000,
  area_centi_square_meters: 19_650,
};
const QUEUE: DetectionFilters = { status: 'pending', includeOutOfScope: false };

describe('the review queue’s filters on detection tiles', () => {
  it('shows by default the pending detections in scope, of any batch', () => {
    expect(shown(QUEUE, TILE_FEATURE)).toBe(true);
    expect(shown(QUEUE, { ...TILE_FEATURE, review_status: 'confirmed' })).toBe(false);
    expect(shown(QUEUE, { ...TILE_FEATURE, in_scope: false })).toBe(false);
    expect(shown({ ...QUEUE, includeOutOfScope: true }, { ...TILE_FEATURE, in_scope: false })).toBe(true);
    expect(shown({ ...QUEUE, status: 'all' }, { ...TILE_FEATURE, review_status: 'rejected' })).toBe(true);
    expect(shown({ ...QUEUE, status: 'pending,field' }, { ...TILE_FEATURE, review_status: 'field' })).toBe(true);
  });

  it('filters by batch, touched zone kind (not only the primary) and category', () => {
    expect(shown({ ...QUEUE, batch: '3' }, TILE_FEATURE)).toBe(true);
    expect(shown({ ...QUEUE, batch: '4' }, TILE_FEATURE)).toBe(false);
    expect(shown({ ...QUEUE, zone: 'road_land' }, TILE_FEATURE)).toBe(true);
    expect(shown({ ...QUEUE, zone: 'building_control' }, TILE_FEATURE)).toBe(true);
    // A kind whose name is part of another's: matched whole, between the commas.
    expect(shown({ ...QUEUE, zone: 'road' }, TILE_FEATURE)).toBe(false);
    expect(shown({ ...QUEUE, zone: 'bridge_range' }, TILE_FEATURE)).toBe(false);
    expect(shown({ ...QUEUE, zone: 'road_land' }, { ...TILE_FEATURE, zone_kinds: undefined })).toBe(false);
    expect(shown({ ...QUEUE, category: 'structure' }, TILE_FEATURE)).toBe(true);
    expect(shown({ ...QUEUE, category: 'piling,structure' }, TILE_FEATURE)).toBe(true);
    expect(shown({ ...QUEUE, category: 'piling' }, TILE_FEATURE)).toBe(false);
  });

  it('filters by jurisdiction with everything below it, as the list walks parent codes', () => {
    expect(jurisdictionSubtree('410100', LINKS).sort()).toEqual(['410100', '410104', '410105']);
    expect(shown({ ...QUEUE, jurisdiction: '410000' }, TILE_FEATURE)).toBe(true);
    expect(shown({ ...QUEUE, jurisdiction: '410100' }, TILE_FEATURE)).toBe(true);
    expect(shown({ ...QUEUE, jurisdiction: '410104' }, TILE_FEATURE)).toBe(true);
    expect(shown({ ...QUEUE, jurisdiction: '410105' }, TILE_FEATURE)).toBe(false);
    expect(shown({ ...QUEUE, jurisdiction: '410200' }, TILE_FEATURE)).toBe(false);
  });

  it('bounds confidence (0–1) and area (m²) at the tiles’ integer resolution; no confidence fails a bound', () => {
    expect(shown({ ...QUEUE, minConfidence: 0.875 }, TILE_FEATURE)).toBe(true);
    expect(shown({ ...QUEUE, minConfidence: 0.8751 }, TILE_FEATURE)).toBe(false);
    expect(shown({ ...QUEUE, minConfidence: 0 }, { ...TILE_FEATURE, confidence_millionths: undefined })).toBe(false);
    expect(shown({ ...QUEUE, minArea: 196.5 }, TILE_FEATURE)).toBe(true);
    expect(shown({ ...QUEUE, minArea: 196.51 }, TILE_FEATURE)).toBe(false);
  });

  it('keeps the detections reviewed on this page, whatever the status filter says', () => {
    const filter = withReviewed(detectionTileFilter(QUEUE, LINKS), [41, 42]);
    const show = (properties: Record<string, unknown>, id: number) =>
      featureFilter(filter as never, 'test.filter').filter({ zoom: 14 } as never, { type: 3, properties, id } as never);
    expect(show({ ...TILE_FEATURE, review_status: 'confirmed' }, 41)).toBe(true);
    expect(show({ ...TILE_FEATURE, review_status: 'confirmed' }, 43)).toBe(false);
    expect(show(TILE_FEATURE, 43)).toBe(true);
    expect(withReviewed(detectionTileFilter(QUEUE, LINKS), [])).toEqual(detectionTileFilter(QUEUE, LINKS));
  });
});
