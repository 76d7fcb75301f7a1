import type { AdminClass } from '@domain/admin_class';
import type { ZoneKind } from '@domain/zones';

/**
 * Colours by administrative class, after the convention of Chinese road atlases
 * (expressway green, national red, provincial orange …), tuned to stay apart from each other
 * and from the zone fills on a light basemap.
 */
export const ADMIN_CLASS_COLORS: Record<AdminClass, string> = {
  expressway: '#0b7a53',
  national: '#d43a2f',
  provincial: '#e8870e',
  county: '#2f6fc0',
  township: '#8a4fbf',
  village: '#6f7a82',
};

/** The − direction is the same hue, lighter: visible when looked for, quiet otherwise. */
export const ADMIN_CLASS_COLORS_NEGATIVE: Record<AdminClass, string> = {
  expressway: '#3fa57d',
  national: '#e8726a',
  provincial: '#f2a94d',
  county: '#6b9ad6',
  township: '#ad82d6',
  village: '#98a1a8',
};

export const ZONE_COLORS: Record<ZoneKind, string> = {
  road_land: '#c2410c',
  building_control: '#d97706',
  excavation_ban: '#7c3aed',
  bridge_range: '#0e7490',
  tunnel_range: '#475569',
  settlement_setback: '#be185d',
};

/**
 * Draw order of zone fills, bottom first: the widest bands underneath so the narrow ones
 * (road land) stay visible on top.
 */
export const ZONE_DRAW_ORDER: readonly ZoneKind[] = [
  'settlement_setback',
  'excavation_ban',
  'bridge_range',
  'tunnel_range',
  'building_control',
  'road_land',
];

export const ZONE_FILL_OPACITY: Record<ZoneKind, number> = {
  road_land: 0.32,
  building_control: 0.2,
  excavation_ban: 0.1,
  bridge_range: 0.09,
  tunnel_range: 0.12,
  settlement_setback: 0.08,
};

export const SELECTION_COLOR = '#0f172a';
export const MARKER_COLOR = '#e11d48';

export const BASEMAP_COLORS = {
  background: '#f2efe8',
  districtFill: '#f7f5ef',
  districtLine: '#9d8fb0',
  districtLabel: '#6a5d7b',
  roadLabel: '#5a5245',
  labelHalo: '#fbfaf7',
} as const;

/** OSM highway → fill and casing colours of the basemap roads (muted: our segments go on top). */
export const BASEMAP_ROAD_COLORS: Record<string, { fill: string; casing: string }> = {
  motorway: { fill: '#f3cd8a', casing: '#c9974a' },
  trunk: { fill: '#f7d9a0', casing: '#cfa666' },
  primary: { fill: '#fbe6b2', casing: '#d2b985' },
  secondary: { fill: '#fdf6d8', casing: '#cbbf9c' },
  tertiary: { fill: '#ffffff', casing: '#c8c1b3' },
};

/** Satellite detections by review status; the one under review is magenta (apart from zones and classes). */
export const DETECTION_COLORS = {
  pending: '#7c3aed',
  field: '#0e7490',
  confirmed: '#15803d',
  rejected: '#6b7280',
  other: '#94a3b8',
  current: '#db2777',
} as const;

/** One colour per crew of a patrol plan, in crew order: far apart in hue, none a class or due colour. */
export const CREW_COLORS = ['#1565c0', '#d81b60', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#5d4037', '#9e9d24'] as const;
