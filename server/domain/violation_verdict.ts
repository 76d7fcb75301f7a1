/**
 * Is a finding a road-law violation? Pure rules from DOMAIN.md "What is prohibited where" and the
 * Henan 2021 expressway advertising campaign. A finding that is not a violation is kept and flagged,
 * never opened as a case.
 */
import type { AdminClass } from './admin_class.ts';
import type { CategoryAttributes } from './violation_attributes.ts';
import { renderCitations } from './statutes.ts';
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
  'BILLBOARD_GROUND_STRUCTURE_IN_CONTROL_ZONE',
  'BILLBOARD_ON_BUILDING_IN_CONTROL_ZONE',
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
      zh: `${rule.label.zh}位于${ZONE_LABELS[zone].zh}内，违反${renderCitations(rule.legalBasis)}`,
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

/**
 * "Outside road law" that names the zones the finding IS in, so the verdict never reads as if it
 * contradicted the zone chip next to it (建筑控制区 next to a bare "不在公路法管控范围").
 */
function outsideReason(category: ViolationCategory, zones: readonly ZoneKind[]): Verdict['reason'] {
  const shown = ZONE_KINDS.filter((kind) => zones.includes(kind));
  if (shown.length === 0) return OUTSIDE_REASON;
  const rule = VIOLATION_CATEGORY_RULES[category];
  const prohibitedZh = rule.prohibitedZones.map((kind) => ZONE_LABELS[kind].zh).join('、');
  const prohibitedEn = rule.prohibitedZones.map((kind) => ZONE_LABELS[kind].en.toLowerCase()).join(', ');
  return {
    zh: `位于${shown.map((kind) => ZONE_LABELS[kind].zh).join('、')}内，但${rule.label.zh}仅在${prohibitedZh}内禁止（${renderCitations(rule.legalBasis)}）：不构成违法，保留记录，不立案`,
    en: `In the ${shown.map((kind) => ZONE_LABELS[kind].en.toLowerCase()).join(', ')}, but ${rule.label.en.toLowerCase()} is prohibited only in the ${prohibitedEn}: not a violation; kept, no case opened`,
  };
}
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

/** 条例 13 (control zone, ground structures) and its penalty 条例 56 (DOMAIN.md, billboards). */
const GROUND_STRUCTURE_ARTICLE = '公路安全保护条例 13';
const GROUND_STRUCTURE_PENALTY_ARTICLE = '公路安全保护条例 56';

/**
 * Billboards (DOMAIN.md): road land needs approval (公路法 54, penalty 公路法 79). In the building
 * control zone of ANY road a ground-mounted or tower billboard is a ground structure (地面构筑物),
 * prohibited by 条例 13 with penalty 条例 56 — a road-land permit does not make it lawful there; a
 * sign fixed to an existing building (wall, banner) is not a ground structure. Along expressways
 * the 2021 Henan campaign also removes unapproved signs of any kind in the control zone and in the
 * 100 m beyond it.
 */
function billboardVerdict(input: VerdictContext & { attributes: CategoryAttributes['billboard'] }, adminClass: AdminClass): Verdict {
  const hasPermit = input.attributes.permitNumber !== undefined;
  const inRoadLand = input.zones.includes('road_land');
  const inControlZone = input.zones.includes('building_control');
  const { structureType } = input.attributes;
  const isGroundStructure = structureType === 'tower' || structureType === 'ground';
  const rule = VIOLATION_CATEGORY_RULES.billboard;
  if (inRoadLand && !hasPermit) {
    return {
      isViolation: true,
      article: rule.legalBasis,
      penaltyArticle: rule.penaltyArticle,
      reasonCode: 'BILLBOARD_WITHOUT_PERMIT_IN_ROAD_LAND',
      reason: {
        zh: `公路用地内未经批准设置非公路标志，违反${renderCitations(rule.legalBasis)}`,
        en: `Billboard in road land without approval, prohibited by ${rule.legalBasis}`,
      },
    };
  }
  if (inControlZone && !inRoadLand && isGroundStructure) {
    return {
      isViolation: true,
      article: GROUND_STRUCTURE_ARTICLE,
      penaltyArticle: GROUND_STRUCTURE_PENALTY_ARTICLE,
      reasonCode: 'BILLBOARD_GROUND_STRUCTURE_IN_CONTROL_ZONE',
      reason: {
        zh: `建筑控制区内的${structureType === 'tower' ? '立柱式' : '落地式'}广告设施属地面构筑物，违反${renderCitations(GROUND_STRUCTURE_ARTICLE)}`,
        en: `${structureType === 'tower' ? 'Tower' : 'Ground-mounted'} billboard in the building control zone is a ground structure, prohibited by ${GROUND_STRUCTURE_ARTICLE}`,
      },
    };
  }
  if (adminClass === 'expressway' && input.applyExpresswayAdCampaign !== false && !inRoadLand && !hasPermit) {
    if (inControlZone) {
      return campaignViolation('EXPRESSWAY_AD_CAMPAIGN_CONTROL_ZONE', {
        zh: '高速公路建筑控制区内未经审批的广告设施，专项行动要求拆除',
        en: 'Unapproved billboard in the expressway building control zone: removed by the 2021 campaign',
      });
    }
    // Zone polygons cover road land and the control zone only, so the band beyond is found by distance.
    const controlMeters = input.buildingControlMeters ?? LEGAL_MINIMUM_WIDTHS_METERS.building_control.expressway;
    const distance = input.distanceBeyondRoadLandMeters;
    if (distance !== null && distance > controlMeters && distance <= controlMeters + EXPRESSWAY_AD_CAMPAIGN_BAND_METERS) {
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
  if (inControlZone) {
    return notViolation('BILLBOARD_ON_BUILDING_IN_CONTROL_ZONE', {
      zh: `位于建筑控制区内，但附着于既有建筑物的标志不属地面构筑物，${renderCitations(GROUND_STRUCTURE_ARTICLE)}不适用：不构成违法，保留记录，不立案`,
      en: `In the building control zone, but a sign fixed to an existing building is not a ground structure (${GROUND_STRUCTURE_ARTICLE} does not apply): not a violation; kept, no case opened`,
    });
  }
  return notViolation('OUTSIDE_ROAD_LAW_ZONES', outsideReason('billboard', input.zones));
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
  if (zone === undefined) return notViolation('OUTSIDE_ROAD_LAW_ZONES', outsideReason(input.category, input.zones));
  return violationInZone(input.category, zone);
}
