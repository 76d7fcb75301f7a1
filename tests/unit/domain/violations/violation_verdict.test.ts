import { describe, expect, it } from 'vitest';
import type { AdminClass } from '../../../../server/domain/admin_class.ts';
import type { CategoryAttributes } from '../../../../server/domain/violation_attributes.ts';
import { assessVerdict, EXPRESSWAY_AD_CAMPAIGN_ARTICLE, type VerdictInput } from '../../../../server/domain/violation_verdict.ts';
import type { ZoneKind } from '../../../../server/domain/zones.ts';

const where = (zones: ZoneKind[], adminClass: AdminClass | null = 'national') => ({
  zones,
  adminClass,
  distanceBeyondRoadLandMeters: null,
  buildingControlMeters: null,
});

const ATTRIBUTES: { [C in Exclude<VerdictInput['category'], 'billboard'>]: CategoryAttributes[C] } = {
  structure: { footprintSquareMeters: 40, storeys: 1 },
  excavation: { areaSquareMeters: 200, depthMeters: 3 },
  piling: { material: '秸秆', volumeCubicMeters: 5 },
  trading: { stallType: '水果摊', stallCount: 2 },
  level_crossing: { widthMeters: 4 },
  crops: { crop: '玉米' },
};

function verdict(category: Exclude<VerdictInput['category'], 'billboard'>, zones: ZoneKind[], adminClass: AdminClass | null = 'national') {
  return assessVerdict({ category, attributes: ATTRIBUTES[category], ...where(zones, adminClass) } as VerdictInput);
}

describe('categories in and out of their prohibited zones', () => {
  it.each([
    ['structure', ['building_control'], '公路安全保护条例 13; 公路法 56', '公路法 81 / 公路安全保护条例 56'],
    ['structure', ['road_land'], '公路安全保护条例 13; 公路法 56', '公路法 81 / 公路安全保护条例 56'],
    ['excavation', ['excavation_ban'], '公路安全保护条例 17; 公路法 47', '公路法 76'],
    ['excavation', ['bridge_range'], '公路安全保护条例 17; 公路法 47', '公路法 76'],
    ['excavation', ['tunnel_range'], '公路安全保护条例 17; 公路法 47', '公路法 76'],
    ['excavation', ['road_land'], '公路安全保护条例 17; 公路法 47', '公路法 76'],
    ['piling', ['road_land'], '公路安全保护条例 16; 公路法 46', '公路法 77'],
    ['trading', ['road_land'], '公路安全保护条例 16; 公路法 46', '公路法 77'],
    ['level_crossing', ['road_land'], '公路法 55', '公路法 80'],
    ['crops', ['road_land'], '公路安全保护条例 16; 公路法 46', '公路法 77'],
  ] as const)('%s in %j is a violation', (category, zones, article, penaltyArticle) => {
    expect(verdict(category, [...zones])).toMatchObject({ isViolation: true, article, penaltyArticle, reasonCode: 'PROHIBITED_ZONE' });
  });

  it.each([
    ['structure', ['excavation_ban', 'settlement_setback']],
    ['structure', []],
    ['excavation', ['building_control']],
    ['piling', ['building_control', 'excavation_ban']],
    ['trading', ['building_control']],
    ['level_crossing', ['building_control']],
    ['crops', ['building_control', 'excavation_ban']],
  ] as const)('%s in %j is outside road law', (category, zones) => {
    expect(verdict(category, [...zones])).toMatchObject({
      isViolation: false,
      article: null,
      penaltyArticle: null,
      reasonCode: 'OUTSIDE_ROAD_LAW_ZONES',
    });
  });

  it('reports the most specific zone when several apply', () => {
    expect(verdict('structure', ['building_control', 'road_land']).reason.en).toContain('road land');
  });

  it('no road nearby is outside road law even inside a stale zone list', () => {
    const result = verdict('piling', ['road_land'], null);
    expect(result).toMatchObject({ isViolation: false, reasonCode: 'OUTSIDE_ROAD_LAW_ZONES' });
    expect(result.reason.en).toContain('No road nearby');
  });

  it('gives a bilingual reason', () => {
    const result = verdict('piling', ['road_land']);
    expect(result.reason.zh).toContain('公路用地');
    expect(result.reason.en).toContain('road land');
  });
});

describe('billboards', () => {
  const board = (attributes: Partial<CategoryAttributes['billboard']> = {}): CategoryAttributes['billboard'] => ({
    faceAreaSquareMeters: 60,
    heightMeters: 12,
    structureType: 'tower',
    illuminated: false,
    ...attributes,
  });
  const billboard = (
    attributes: CategoryAttributes['billboard'],
    zones: ZoneKind[],
    adminClass: AdminClass | null,
    distanceBeyondRoadLandMeters: number | null = null,
    buildingControlMeters: number | null = null,
  ) => assessVerdict({ category: 'billboard', attributes, zones, adminClass, distanceBeyondRoadLandMeters, buildingControlMeters });

  it('in road land without a permit is a violation of 公路法 54', () => {
    expect(billboard(board(), ['road_land'], 'national')).toMatchObject({
      isViolation: true,
      article: '公路法 54',
      penaltyArticle: '公路法 79',
      reasonCode: 'BILLBOARD_WITHOUT_PERMIT_IN_ROAD_LAND',
    });
  });
  it('in road land with a permit is approved', () => {
    expect(billboard(board({ permitNumber: '豫路许 2025-17' }), ['road_land'], 'national')).toMatchObject({
      isViolation: false,
      reasonCode: 'BILLBOARD_APPROVED',
    });
  });
  it('in road land of an expressway with a permit is approved (the campaign targets the control zone)', () => {
    expect(billboard(board({ permitNumber: 'P-1' }), ['road_land'], 'expressway')).toMatchObject({ isViolation: false });
  });
  it('in road land of an expressway without a permit cites 公路法 54, not the campaign', () => {
    expect(billboard(board(), ['road_land'], 'expressway')).toMatchObject({ isViolation: true, article: '公路法 54' });
  });
  describe('building control zone (DOMAIN.md: ground and tower billboards are ground structures, 条例 13)', () => {
    it.each(['national', 'county', 'township', 'expressway'] as const)('a tower billboard in the control zone of a %s road cites 条例 13 and 条例 56', (adminClass) => {
      expect(billboard(board({ structureType: 'tower' }), ['building_control'], adminClass, 5)).toMatchObject({
        isViolation: true,
        article: '公路安全保护条例 13',
        penaltyArticle: '公路安全保护条例 56',
        reasonCode: 'BILLBOARD_GROUND_STRUCTURE_IN_CONTROL_ZONE',
      });
    });
    it('a ground billboard with a road-land permit is still a ground structure in the control zone', () => {
      const result = billboard(board({ structureType: 'ground', permitNumber: 'P-1' }), ['building_control'], 'national', 5);
      expect(result).toMatchObject({ isViolation: true, reasonCode: 'BILLBOARD_GROUND_STRUCTURE_IN_CONTROL_ZONE' });
      expect(result.reason.zh).toContain('《公路安全保护条例》第十三条');
      expect(result.reason.zh).toContain('建筑控制区');
    });
    it.each(['wall', 'banner'] as const)('a %s sign on a building in the control zone of a national road is not a violation, and says it is in the control zone', (structureType) => {
      const result = billboard(board({ structureType }), ['building_control'], 'national', 5);
      expect(result).toMatchObject({ isViolation: false, reasonCode: 'BILLBOARD_ON_BUILDING_IN_CONTROL_ZONE' });
      // Never contradicts the zone shown next to it.
      expect(result.reason.zh).toContain('建筑控制区');
      expect(result.reason.zh).not.toContain('超出公路法管辖范围');
    });
    it('just beyond the control zone (no zone) a tower billboard on a national road is outside road law', () => {
      expect(billboard(board({ structureType: 'tower' }), [], 'national', 21)).toMatchObject({ isViolation: false, reasonCode: 'OUTSIDE_ROAD_LAW_ZONES' });
    });
    it('in the excavation ban zone only, the outside-road-law reason names that zone', () => {
      const result = billboard(board({ structureType: 'tower' }), ['excavation_ban'], 'national', 50);
      expect(result).toMatchObject({ isViolation: false, reasonCode: 'OUTSIDE_ROAD_LAW_ZONES' });
      expect(result.reason.zh).toContain('禁采区');
    });
  });

  describe('Henan 2021 expressway campaign', () => {
    it('a permitted wall billboard in the expressway control zone stays', () => {
      expect(billboard(board({ structureType: 'wall', permitNumber: 'P-1' }), ['building_control'], 'expressway', 12)).toMatchObject({
        isViolation: false,
        reasonCode: 'BILLBOARD_ON_BUILDING_IN_CONTROL_ZONE',
      });
    });
    it('an unapproved wall billboard in the expressway control zone is a violation', () => {
      expect(billboard(board({ structureType: 'wall' }), ['building_control'], 'expressway', 12)).toMatchObject({
        isViolation: true,
        reasonCode: 'EXPRESSWAY_AD_CAMPAIGN_CONTROL_ZONE',
      });
    });
    it('an unapproved billboard 60 m beyond road land (30 m control + 30 m) is a violation', () => {
      expect(billboard(board(), [], 'expressway', 60)).toMatchObject({
        isViolation: true,
        article: EXPRESSWAY_AD_CAMPAIGN_ARTICLE,
        reasonCode: 'EXPRESSWAY_AD_CAMPAIGN_BEYOND_CONTROL_ZONE',
      });
    });
    it('the band ends 100 m beyond the control zone: 130 m is in, 131 m is out', () => {
      expect(billboard(board(), [], 'expressway', 130).isViolation).toBe(true);
      expect(billboard(board(), [], 'expressway', 131)).toMatchObject({ isViolation: false, reasonCode: 'OUTSIDE_ROAD_LAW_ZONES' });
    });
    it('the band starts at a configured wider control zone', () => {
      expect(billboard(board(), [], 'expressway', 145, 50).isViolation).toBe(true);
      expect(billboard(board(), [], 'expressway', 151, 50).isViolation).toBe(false);
    });
    it('an approved billboard in the band stays', () => {
      expect(billboard(board({ permitNumber: 'P-1' }), [], 'expressway', 60).isViolation).toBe(false);
    });
    it('the band does not apply to national roads', () => {
      expect(billboard(board(), [], 'national', 60).isViolation).toBe(false);
    });
    it('can be switched off (an unapproved wall sign in the control zone then stays)', () => {
      const result = assessVerdict({
        category: 'billboard',
        attributes: board({ structureType: 'wall' }),
        zones: ['building_control'],
        adminClass: 'expressway',
        distanceBeyondRoadLandMeters: 12,
        buildingControlMeters: null,
        applyExpresswayAdCampaign: false,
      });
      expect(result.isViolation).toBe(false);
    });
  });

  it('no road nearby is outside road law', () => {
    expect(billboard(board(), ['road_land'], null)).toMatchObject({ isViolation: false, reasonCode: 'OUTSIDE_ROAD_LAW_ZONES' });
  });
});
