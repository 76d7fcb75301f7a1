/**
 * Is a finding a road-law violation? Pure rules from DOMAIN.md "What is prohibited where" and the
 * Henan 2021 expressway advertising campaign. A finding that is not a violation is kept and flagged,
 * never opened as a case.
 */
import type { AdminClass } from './admin_class.ts';
import type { CategoryAttributes } from './violation_attributes.ts';
import { VIOLATION_CATEGORY_RULES, type ViolationCategory } from './violation_categories.ts';
import { LEGAL_MINIMUM_WIDTHS_METERS, ZONE_KINDS, ZONE_LABELS, type ZoneKind } from './zones.ts';

/** The campaign's document, cited as the prohibiting "article" for campaign verdicts. */
export const EXPRESSWAY_AD_CAMPAIGN_ARTICLE = '河南省清理高速公路沿线广告设施专项行动方案 (2021)';
/** The campaign's band beyond the expressway building control zone in which unapproved ads go. */
export const EXPRESSWAY_AD_CAMPAIGN_BAND_METERS = 100;

export const VERDICT_REASON_CODES = [
  'PROHIBITED_ZONE',
  'BILLBOARD_WITHOUT_PERMIT_IN_ROAD_LAND',
  'BILLBOARD_APPROVED',
  'EXPRESSWAY_AD_CAMPAIGN_CONTROL_ZONE',
  'EXPRESSWAY_AD_CAMPAIGN_BEYOND_CONTROL_ZONE',
  'OUTSIDE_ROAD_LAW_ZONES',
] as const;
export type VerdictReasonCode = (typeof VERDICT_REASON_CODES)[number];

interface VerdictContext {
  /** Zones the finding falls in (it may fall in several where polygons overlap). */
  readonly zones: readonly ZoneKind[];
  /** Class of the nearest segment; null = no road nearby. */
  readonly adminClass: AdminClass | null;
  /** Horizontal distance from the outer edge of road land; null when unknown or inside road land. */
  readonly distanceBeyondRoadLandMeters: number | null;
  /** Effective building-control width of that segment; null = use the legal minimum for its class. */
  readonly buildingControlMeters: number | null;
  /** The 2021 campaign rules apply unless switched off (default true). */
  readonly applyExpresswayAdCampaign?: boolean;
}

/** Input to {@link assessVerdict}: category and its parsed attributes travel together. */
export type VerdictInput = {
  [C in ViolationCategory]: VerdictContext & { readonly category: C; readonly attributes: CategoryAttributes[C] };
}[ViolationCategory];

export interface Verdict {
  readonly isViolation: boolean;
  /** Prohibiting article; null when not a violation. */
  readonly article: string | null;
  /** Penalty article; null when not a violation. */
  readonly penaltyArticle: string | null;
  readonly reasonCode: VerdictReasonCode;
  readonly reason: { readonly zh: string; readonly en: string };
}

function violationInZone(category: ViolationCategory, zone: ZoneKind): Verdict {
  const rule = VIOLATION_CATEGORY_RULES[category];
  return {
    isViolation: true,
    article: rule.legalBasis,
    penaltyArticle: rule.penaltyArticle,
    reasonCode: 'PROHIBITED_ZONE',
    reason: {
      zh: `${rule.label.zh}位于${ZONE_LABELS[zone].zh}内，违反${rule.legalBasis}`,
      en: `${rule.label.en} in the ${ZONE_LABELS[zone].en.toLowerCase()}, prohibited by ${rule.legalBasis}`,
    },
  };
}

function notViolation(reasonCode: VerdictReasonCode, reason: Verdict['reason']): Verdict {
  return { isViolation: false, article: null, penaltyArticle: null, reasonCode, reason };
}

const OUTSIDE_REASON = {
  zh: '不在该类违法行为的禁止区域内，超出公路法管辖范围：保留记录，不立案',
  en: 'Outside every zone where this category is prohibited: outside the jurisdiction of road law; kept, no case opened',
};
const NO_ROAD_REASON = {
  zh: '附近无公路，超出公路法管辖范围：保留记录，不立案',
  en: 'No road nearby: outside the jurisdiction of road law; kept, no case opened',
};

function campaignViolation(reasonCode: VerdictReasonCode, reason: Verdict['reason']): Verdict {
  return {
    isViolation: true,
    article: EXPRESSWAY_AD_CAMPAIGN_ARTICLE,
    penaltyArticle: VIOLATION_CATEGORY_RULES.billboard.penaltyArticle,
    reasonCode,
    reason,
  };
}

/**
 * Billboards: road land needs approval (公路法 54). Along expressways the 2021 Henan campaign also
 * removes tower and ground-mounted ads in the control zone even when approved, and unapproved ads of
 * any kind in the control zone and the next 100 m (an unapproved ad closer to the road than the band
 * cannot be tolerated when one inside the band is removed).
 */
function billboardVerdict(input: VerdictContext & { attributes: CategoryAttributes['billboard'] }, adminClass: AdminClass): Verdict {
  const hasPermit = input.attributes.permitNumber !== undefined;
  const inRoadLand = input.zones.includes('road_land');
  if (inRoadLand && !hasPermit) {
    const rule = VIOLATION_CATEGORY_RULES.billboard;
    return {
      isViolation: true,
      article: rule.legalBasis,
      penaltyArticle: rule.penaltyArticle,
      reasonCode: 'BILLBOARD_WITHOUT_PERMIT_IN_ROAD_LAND',
      reason: {
        zh: `公路用地内未经批准设置非公路标志，违反${rule.legalBasis}`,
        en: `Billboard in road land without approval, prohibited by ${rule.legalBasis}`,
      },
    };
  }
  if (adminClass === 'expressway' && input.applyExpresswayAdCampaign !== false && !inRoadLand) {
    const { structureType } = input.attributes;
    const inControlZone = input.zones.includes('building_control');
    if (inControlZone && (structureType === 'tower' || structureType === 'ground' || !hasPermit)) {
      return campaignViolation('EXPRESSWAY_AD_CAMPAIGN_CONTROL_ZONE', {
        zh: hasPermit
          ? '高速公路建筑控制区内的立柱式/落地式广告设施，专项行动要求一律拆除（即使已审批）'
          : '高速公路建筑控制区内未经审批的广告设施，专项行动要求拆除',
        en: hasPermit
          ? 'Tower or ground-mounted billboard in the expressway building control zone: removed by the 2021 campaign even when approved'
          : 'Unapproved billboard in the expressway building control zone: removed by the 2021 campaign',
      });
    }
    // Zone polygons cover road land and the control zone only, so the band beyond is found by distance.
    const controlMeters = input.buildingControlMeters ?? LEGAL_MINIMUM_WIDTHS_METERS.building_control.expressway;
    const distance = input.distanceBeyondRoadLandMeters;
    const inBand =
      !inControlZone &&
      distance !== null &&
      distance > controlMeters &&
      distance <= controlMeters + EXPRESSWAY_AD_CAMPAIGN_BAND_METERS;
    if (inBand && !hasPermit) {
      return campaignViolation('EXPRESSWAY_AD_CAMPAIGN_BEYOND_CONTROL_ZONE', {
        zh: '高速公路建筑控制区外100米范围内未经审批的广告设施，专项行动要求拆除',
        en: 'Unapproved billboard within 100 m beyond the expressway building control zone: removed by the 2021 campaign',
      });
    }
  }
  if (inRoadLand) {
    return notViolation('BILLBOARD_APPROVED', {
      zh: `公路用地内的非公路标志已经批准（${input.attributes.permitNumber ?? ''}），不属违法`,
      en: `Billboard in road land is approved (permit ${input.attributes.permitNumber ?? ''}); not a violation`,
    });
  }
  return notViolation('OUTSIDE_ROAD_LAW_ZONES', OUTSIDE_REASON);
}

/**
 * Decides whether a finding is a violation, and under which articles. Expects attributes already
 * validated with `parseAttributes`. No road nearby, or a finding outside every zone where its
 * category is prohibited, is `OUTSIDE_ROAD_LAW_ZONES`: kept, flagged, no case opened.
 */
export function assessVerdict(input: VerdictInput): Verdict {
  if (input.adminClass === null) return notViolation('OUTSIDE_ROAD_LAW_ZONES', NO_ROAD_REASON);
  if (input.category === 'billboard') return billboardVerdict(input, input.adminClass);
  const prohibited = VIOLATION_CATEGORY_RULES[input.category].prohibitedZones;
  // Report the most specific zone (ZONE_KINDS order: road land first) when several apply.
  const zone = ZONE_KINDS.find((kind) => prohibited.includes(kind) && input.zones.includes(kind));
  if (zone === undefined) return notViolation('OUTSIDE_ROAD_LAW_ZONES', OUTSIDE_REASON);
  return violationInZone(input.category, zone);
}
