import type { AdminClass } from './admin_class.ts';

/**
 * Legal protection zones along a road (DOMAIN.md). Widths are the legal MINIMUMS; a deployment may
 * widen them by configuration, never narrow them.
 */
export const ZONE_KINDS = [
  'road_land',
  'building_control',
  'bridge_range',
  'tunnel_range',
  'excavation_ban',
  'settlement_setback',
] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];

/** Zone kinds whose width is set per admin class (the others come from structures or the segment). */
export const CLASS_WIDTH_ZONE_KINDS = ['building_control', 'excavation_ban', 'settlement_setback'] as const;
export type ClassWidthZoneKind = (typeof CLASS_WIDTH_ZONE_KINDS)[number];

/** Zone kinds that are drawn around bridges and tunnels rather than along segments. */
export const STRUCTURE_ZONE_KINDS = ['bridge_range', 'tunnel_range'] as const;
export type StructureZoneKind = (typeof STRUCTURE_ZONE_KINDS)[number];

export const ZONE_LABELS: Readonly<Record<ZoneKind, { zh: string; en: string }>> = {
  road_land: { zh: '公路用地', en: 'Road land' },
  building_control: { zh: '建筑控制区', en: 'Building control zone' },
  bridge_range: { zh: '桥梁安全保护范围', en: 'Bridge protection range' },
  tunnel_range: { zh: '隧道安全保护范围', en: 'Tunnel protection range' },
  excavation_ban: { zh: '禁采区', en: 'Excavation ban zone' },
  settlement_setback: { zh: '村镇学校市场退让区', en: 'Settlement setback' },
};

/** Where each width is measured from and its legal source, for panels and documentation. */
export const ZONE_RULES: Readonly<Record<ZoneKind, { measuredFrom: string; source: string }>> = {
  road_land: { measuredFrom: 'centreline (half-width)', source: '公路法 第三十四条；河南省农村公路条例 第三十七条' },
  building_control: { measuredFrom: 'outer edge of road land', source: '公路安全保护条例 第十一条；公路法 第五十六条' },
  bridge_range: { measuredFrom: 'the bridge', source: '公路安全保护条例 第十七条；公路法 第四十七条' },
  tunnel_range: { measuredFrom: 'the tunnel and its portals', source: '公路安全保护条例 第十七条；公路法 第四十七条' },
  excavation_ban: { measuredFrom: 'outer edge of road land', source: '公路安全保护条例 第十七条；公路法 第四十七条' },
  settlement_setback: { measuredFrom: 'outer edge of the building control zone', source: '公路安全保护条例 第十四条' },
};

/**
 * Legal minimum widths in metres per admin class. 0 = the law sets no zone for that class.
 * Expressways are national or provincial highways, so the excavation ban (national/provincial/
 * county: 100 m) and the settlement setback (national/provincial: 50 m) apply to them.
 * Village roads: building control 3 m is Henan's rule; the laws set no excavation ban or setback.
 */
export const LEGAL_MINIMUM_WIDTHS_METERS: Readonly<Record<ClassWidthZoneKind, Readonly<Record<AdminClass, number>>>> = {
  building_control: { expressway: 30, national: 20, provincial: 15, county: 10, township: 5, village: 3 },
  excavation_ban: { expressway: 100, national: 100, provincial: 100, county: 100, township: 50, village: 0 },
  settlement_setback: { expressway: 50, national: 50, provincial: 50, county: 20, township: 20, village: 0 },
};

/** Ranges around structures: 200 m around medium and larger bridges; 100 m beyond tunnel portals. */
export const LEGAL_MINIMUM_STRUCTURE_RANGE_METERS: Readonly<Record<StructureZoneKind, number>> = {
  bridge_range: 200,
  tunnel_range: 100,
};

/** Bridge size classes the 200 m range applies to (JTG D60: medium and larger). */
export const BRIDGE_CLASSES_WITH_RANGE = ['medium', 'large', 'extra_large'] as const;

/** Narrower zones are more specific: the first kind a point falls in is "its" zone. */
export function mostSpecificZone(kinds: readonly ZoneKind[]): ZoneKind | null {
  for (const kind of ZONE_KINDS) if (kinds.includes(kind)) return kind;
  return null;
}

export type WidthOverrides = Partial<Record<ClassWidthZoneKind, Partial<Record<AdminClass, number>>>>;

export class ZoneWidthTooNarrowError extends Error {
  constructor(
    readonly kind: ClassWidthZoneKind,
    readonly adminClass: AdminClass,
    readonly requestedMeters: number,
    readonly minimumMeters: number,
  ) {
    super(`${kind} width for ${adminClass} roads must be at least ${minimumMeters} m (law), got ${requestedMeters} m`);
  }
}

/** Effective widths: the legal minimum unless configuration widens it; narrowing throws. */
export function effectiveZoneWidths(overrides: WidthOverrides = {}): Record<ClassWidthZoneKind, Record<AdminClass, number>> {
  const result = {} as Record<ClassWidthZoneKind, Record<AdminClass, number>>;
  for (const kind of Object.keys(LEGAL_MINIMUM_WIDTHS_METERS) as ClassWidthZoneKind[]) {
    const minimums = LEGAL_MINIMUM_WIDTHS_METERS[kind];
    const widths = { ...minimums };
    for (const [adminClass, requested] of Object.entries(overrides[kind] ?? {}) as [AdminClass, number][]) {
      if (requested < minimums[adminClass]) throw new ZoneWidthTooNarrowError(kind, adminClass, requested, minimums[adminClass]);
      widths[adminClass] = requested;
    }
    result[kind] = widths;
  }
  return result;
}

const LANE_WIDTH_METERS = 3.75;
/** Shoulder (hard + soft) per side by class, typical of JTG B01 cross-sections. */
const SHOULDER_METERS: Readonly<Record<AdminClass, number>> = {
  expressway: 3.75,
  national: 3,
  provincial: 2.5,
  county: 1.5,
  township: 0.75,
  village: 0.5,
};
const DITCH_AND_SLOPE_METERS = 2;
/** Road land reaches at least 1 m beyond the ditch (公路法 34); Henan rural roads 1.5 m (农村公路条例 37). */
const BEYOND_DITCH_METERS: Readonly<Record<AdminClass, number>> = {
  expressway: 1,
  national: 1,
  provincial: 1,
  county: 1.5,
  township: 1.5,
  village: 1.5,
};
const DEFAULT_LANES: Readonly<Record<AdminClass, { oneway: number; twoWay: number }>> = {
  expressway: { oneway: 2, twoWay: 4 },
  national: { oneway: 2, twoWay: 4 },
  provincial: { oneway: 1, twoWay: 2 },
  county: { oneway: 1, twoWay: 2 },
  township: { oneway: 1, twoWay: 1 },
  village: { oneway: 1, twoWay: 1 },
};

/**
 * Road-land half-width (centreline → road-land edge) when no survey exists: the carriageway's
 * lanes, shoulder, ditch and slope, and the legal margin beyond the ditch. For a divided road
 * each carriageway is its own segment, so `lanes` counts that carriageway only.
 */
export function defaultRoadLandHalfWidthMeters(input: { adminClass: AdminClass; lanes: number | null; isOneway: boolean }): number {
  const lanes = input.lanes ?? (input.isOneway ? DEFAULT_LANES[input.adminClass].oneway : DEFAULT_LANES[input.adminClass].twoWay);
  const halfWidth =
    (lanes * LANE_WIDTH_METERS) / 2 +
    SHOULDER_METERS[input.adminClass] +
    DITCH_AND_SLOPE_METERS +
    BEYOND_DITCH_METERS[input.adminClass];
  return Math.round(halfWidth * 100) / 100;
}
