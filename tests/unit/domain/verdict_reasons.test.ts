import { describe, expect, it } from 'vitest';
import { assessVerdict, type VerdictInput } from '../../../server/domain/violation_verdict.ts';
import type { ZoneKind } from '../../../server/domain/zones.ts';

// The reasons a user reads next to a verdict, written out in full: zone names as DOMAIN.md gives
// them, articles as a document prints them (《…》第…条).
const at = (zones: ZoneKind[]) => ({ zones, adminClass: 'national' as const, distanceBeyondRoadLandMeters: null, buildingControlMeters: null });

describe('outside the zones where the category is prohibited', () => {
  it('names the zones the finding is in and the ones where the category is prohibited', () => {
    const verdict = assessVerdict({ category: 'excavation', attributes: { areaSquareMeters: 50, depthMeters: 2 }, ...at(['settlement_setback', 'building_control']) } as VerdictInput);
    expect(verdict.reason).toEqual({
      zh: '位于建筑控制区、村镇学校市场退让区内，但违法采挖仅在公路用地、禁采区、桥梁安全保护范围、隧道安全保护范围内禁止（《公路安全保护条例》第十七条、《中华人民共和国公路法》第四十七条）：不构成违法，保留记录，不立案',
      en: 'In the building control zone, settlement setback, but illegal excavation is prohibited only in the road land, excavation ban zone, bridge protection range, tunnel protection range: not a violation; kept, no case opened',
    });
  });
});

describe('billboards in the building control zone (条例 13: ground structures)', () => {
  const billboard = (structureType: 'tower' | 'ground' | 'wall') =>
    assessVerdict({ category: 'billboard', attributes: { faceAreaSquareMeters: 20, heightMeters: 8, structureType, illuminated: false, permitNumber: 'P-1' }, ...at(['building_control']) } as VerdictInput);
  it('a tower billboard', () => {
    expect(billboard('tower').reason).toEqual({
      zh: '建筑控制区内的立柱式广告设施属地面构筑物，违反《公路安全保护条例》第十三条',
      en: 'Tower billboard in the building control zone is a ground structure, prohibited by 公路安全保护条例 13',
    });
  });
  it('a ground-mounted billboard', () => {
    expect(billboard('ground').reason).toEqual({
      zh: '建筑控制区内的落地式广告设施属地面构筑物，违反《公路安全保护条例》第十三条',
      en: 'Ground-mounted billboard in the building control zone is a ground structure, prohibited by 公路安全保护条例 13',
    });
  });
  it('a sign on a wall is not a ground structure', () => {
    expect(billboard('wall')).toMatchObject({ isViolation: false, reasonCode: 'BILLBOARD_ON_BUILDING_IN_CONTROL_ZONE' });
    expect(billboard('wall').reason).toEqual({
      zh: '位于建筑控制区内，但附着于既有建筑物的标志不属地面构筑物，《公路安全保护条例》第十三条不适用：不构成违法，保留记录，不立案',
      en: 'In the building control zone, but a sign fixed to an existing building is not a ground structure (公路安全保护条例 13 does not apply): not a violation; kept, no case opened',
    });
  });
});
