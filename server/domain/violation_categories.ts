/**
 * Violation categories (DOMAIN.md "What is prohibited where"). Pure: shared with the client through
 * the `@domain` alias, so no Node or database imports here.
 */
import type { ZoneKind } from './zones.ts';

/** Every category the system knows, in display order: Henan's "四违", billboards, then the campaign extras. */
export const VIOLATION_CATEGORIES = [
  'billboard',
  'structure',
  'excavation',
  'piling',
  'trading',
  'level_crossing',
  'crops',
] as const;
export type ViolationCategory = (typeof VIOLATION_CATEGORIES)[number];

/** Categories a deployment can switch on by configuration (DOMAIN.md: "campaigns add …"). */
export const OPTIONAL_VIOLATION_CATEGORIES = ['level_crossing', 'crops'] as const;
export type OptionalViolationCategory = (typeof OPTIONAL_VIOLATION_CATEGORIES)[number];

/** What the law says about one category. Article strings keep DOMAIN.md's short form ("公路法 54"). */
export interface ViolationCategoryRule {
  readonly label: { readonly zh: string; readonly en: string };
  /** Zones in which the category is prohibited; outside all of them a finding is not a road-law violation. */
  readonly prohibitedZones: readonly ZoneKind[];
  /** The article that prohibits it. */
  readonly legalBasis: string;
  /** The article that sets the penalty (order to correct, fine). */
  readonly penaltyArticle: string;
  readonly maximumFine: { readonly zh: string; readonly en: string };
  /** Practice default for the rectification deadline, calendar days; configurable. */
  readonly defaultDeadlineDays: number;
  /** True when the category is on without configuration. */
  readonly inDefaultSet: boolean;
}

export const VIOLATION_CATEGORY_RULES: Readonly<Record<ViolationCategory, ViolationCategoryRule>> = {
  billboard: {
    label: { zh: '非公路标志、广告设施', en: 'Non-highway sign / billboard' },
    prohibitedZones: ['road_land'],
    legalBasis: '公路法 54',
    penaltyArticle: '公路法 79',
    maximumFine: { zh: '限期拆除，罚款 ≤ ¥20,000', en: 'removal within a deadline, fine ≤ ¥20,000' },
    defaultDeadlineDays: 7,
    inDefaultSet: true,
  },
  structure: {
    label: { zh: '违法搭建', en: 'Illegal structure' },
    prohibitedZones: ['road_land', 'building_control'],
    legalBasis: '公路安全保护条例 13; 公路法 56',
    penaltyArticle: '公路法 81 / 公路安全保护条例 56',
    maximumFine: { zh: '限期拆除，罚款 ≤ ¥50,000', en: 'demolition within a deadline, fine ≤ ¥50,000' },
    defaultDeadlineDays: 15,
    inDefaultSet: true,
  },
  excavation: {
    // Road land is included: digging in the road's own land is at least as harmful as in the ban zone.
    label: { zh: '违法采挖', en: 'Illegal excavation' },
    prohibitedZones: ['road_land', 'excavation_ban', 'bridge_range', 'tunnel_range'],
    legalBasis: '公路安全保护条例 17; 公路法 47',
    penaltyArticle: '公路法 76',
    maximumFine: { zh: '责令停止，罚款 ≤ ¥30,000', en: 'stop order, fine ≤ ¥30,000' },
    defaultDeadlineDays: 15,
    inDefaultSet: true,
  },
  piling: {
    label: { zh: '违法堆放', en: 'Illegal piling' },
    prohibitedZones: ['road_land'],
    legalBasis: '公路安全保护条例 16; 公路法 46',
    penaltyArticle: '公路法 77',
    maximumFine: { zh: '罚款 ≤ ¥5,000', en: 'fine ≤ ¥5,000' },
    defaultDeadlineDays: 3,
    inDefaultSet: true,
  },
  trading: {
    label: { zh: '违法占道经营、摆摊设点', en: 'Illegal roadside trading / occupation' },
    prohibitedZones: ['road_land'],
    legalBasis: '公路安全保护条例 16; 公路法 46',
    penaltyArticle: '公路法 77',
    maximumFine: { zh: '罚款 ≤ ¥5,000', en: 'fine ≤ ¥5,000' },
    defaultDeadlineDays: 3,
    inDefaultSet: true,
  },
  level_crossing: {
    // DOMAIN.md lists private level crossings only as a campaign item without articles. 公路法 55 is the
    // article that requires approval for adding a level crossing to a road, and 公路法 80 is its
    // penalty (restore the original state, fine ≤ ¥50,000); 46/77 would understate it. The crossing
    // joins the road, so it is always in road land. Deadline 15 days (practice choice): closing a
    // crossing is earthwork comparable to demolishing a structure.
    label: { zh: '私设平交道口', en: 'Private level crossing' },
    prohibitedZones: ['road_land'],
    legalBasis: '公路法 55',
    penaltyArticle: '公路法 80',
    maximumFine: { zh: '责令恢复原状，罚款 ≤ ¥50,000', en: 'restore the original state, fine ≤ ¥50,000' },
    defaultDeadlineDays: 15,
    inDefaultSet: false,
  },
  crops: {
    // 公路安全保护条例 16 names 种植作物 among the acts banned in road land, next to piling and
    // 打场晒粮; 公路法 46 is the statute it implements and 77 its penalty, as for piling. Deadline 7 days (practice choice): harvest or clearing takes longer
    // than moving a pile but is not demolition.
    label: { zh: '公路用地内种植', en: 'Crops planted in road land' },
    prohibitedZones: ['road_land'],
    legalBasis: '公路安全保护条例 16; 公路法 46',
    penaltyArticle: '公路法 77',
    maximumFine: { zh: '罚款 ≤ ¥5,000', en: 'fine ≤ ¥5,000' },
    defaultDeadlineDays: 7,
    inDefaultSet: false,
  },
};

/** Categories that are on without configuration. */
export const DEFAULT_VIOLATION_CATEGORIES: readonly ViolationCategory[] = VIOLATION_CATEGORIES.filter(
  (category) => VIOLATION_CATEGORY_RULES[category].inDefaultSet,
);

export function isViolationCategory(value: string): value is ViolationCategory {
  return (VIOLATION_CATEGORIES as readonly string[]).includes(value);
}

/**
 * The default set plus the optional categories named in `extra` (configuration), in display order.
 * An unknown or non-optional name throws, so a typo in configuration fails at start-up instead of
 * silently leaving a campaign category off.
 */
export function enabledCategories(extra: readonly string[]): readonly ViolationCategory[] {
  for (const name of extra) {
    if (!(OPTIONAL_VIOLATION_CATEGORIES as readonly string[]).includes(name)) {
      throw new RangeError(
        `"${name}" is not an optional violation category; valid: ${OPTIONAL_VIOLATION_CATEGORIES.join(', ')}`,
      );
    }
  }
  return VIOLATION_CATEGORIES.filter((category) => VIOLATION_CATEGORY_RULES[category].inDefaultSet || extra.includes(category));
}
