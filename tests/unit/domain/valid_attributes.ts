import type { ViolationCategory } from '../../../server/domain/violation_categories.ts';

/** One valid attribute set per category, written from the category table in DOMAIN.md; tests change one field at a time. */
export const VALID_ATTRIBUTES = {
  billboard: { faceAreaSquareMeters: 72, heightMeters: 18, structureType: 'tower', illuminated: true, advertiser: '某地产', permitNumber: 'P-9' },
  structure: { footprintSquareMeters: 35.5, storeys: 2, use: '仓库' },
  excavation: { areaSquareMeters: 800, depthMeters: 4 },
  piling: { material: '建筑垃圾', volumeCubicMeters: 12 },
  trading: { stallType: '瓜果摊', stallCount: 3 },
  level_crossing: { widthMeters: 6 },
  crops: { areaSquareMeters: 150, crop: '玉米' },
} as const satisfies Record<ViolationCategory, Record<string, unknown>>;
