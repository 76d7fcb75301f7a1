/**
 * Validation of what a finding records about itself: category attributes, the responsible party and
 * where the finding came from. Pure (zod only) so the client validates forms with the same rules.
 */
import { z } from 'zod';
import type { ViolationCategory } from './violation_categories.ts';

/** A positive number with an upper bound; the message says the valid range and unit. */
function positiveNumber(field: string, unit: string, maximum: number) {
  const valid = `${field} must be a positive number of ${unit}, at most ${maximum.toLocaleString('en-US')}`;
  return z.number(valid).positive(valid).max(maximum, valid);
}

function positiveInteger(field: string, maximum: number) {
  const valid = `${field} must be a whole number from 1 to ${maximum.toLocaleString('en-US')}`;
  return z.number(valid).int(valid).min(1, valid).max(maximum, valid);
}

/** Trimmed, non-empty free text; an empty string is an error rather than "absent" so forms send undefined. */
function text(field: string, maximumLength: number) {
  const valid = `${field} must be text of 1 to ${maximumLength} characters`;
  return z.string(valid).trim().min(1, valid).max(maximumLength, valid);
}

/** How a billboard stands: the expressway campaign removes tower and ground-mounted ones outright. */
export const BILLBOARD_STRUCTURE_TYPES = ['tower', 'ground', 'wall', 'banner'] as const;
export type BillboardStructureType = (typeof BILLBOARD_STRUCTURE_TYPES)[number];

// Maxima are sanity bounds against unit mistakes (cm typed as m), not legal limits.
export const BILLBOARD_ATTRIBUTES = z.strictObject({
  faceAreaSquareMeters: positiveNumber('faceAreaSquareMeters', 'm²', 2_000),
  heightMeters: positiveNumber('heightMeters', 'm', 100),
  structureType: z.enum(BILLBOARD_STRUCTURE_TYPES, `structureType must be one of ${BILLBOARD_STRUCTURE_TYPES.join(', ')}`),
  illuminated: z.boolean('illuminated must be true or false'),
  advertiser: text('advertiser', 200).optional(),
  /** Approval number from the road authority (公路法 54); its presence is what "approved" means here. */
  permitNumber: text('permitNumber', 100).optional(),
});

export const STRUCTURE_ATTRIBUTES = z.strictObject({
  footprintSquareMeters: positiveNumber('footprintSquareMeters', 'm²', 100_000),
  storeys: positiveInteger('storeys', 100),
  use: text('use', 200).optional(),
});

export const EXCAVATION_ATTRIBUTES = z.strictObject({
  areaSquareMeters: positiveNumber('areaSquareMeters', 'm²', 1_000_000),
  depthMeters: positiveNumber('depthMeters', 'm', 500),
});

export const PILING_ATTRIBUTES = z.strictObject({
  material: text('material', 100),
  volumeCubicMeters: positiveNumber('volumeCubicMeters', 'm³', 1_000_000),
});

export const TRADING_ATTRIBUTES = z.strictObject({
  stallType: text('stallType', 100),
  stallCount: positiveInteger('stallCount', 1_000),
});

export const LEVEL_CROSSING_ATTRIBUTES = z.strictObject({
  widthMeters: positiveNumber('widthMeters', 'm', 100).optional(),
});

export const CROPS_ATTRIBUTES = z.strictObject({
  areaSquareMeters: positiveNumber('areaSquareMeters', 'm²', 1_000_000).optional(),
  crop: text('crop', 100).optional(),
});

/** One schema per category; strict, so an unknown key is an error (usually a field of another category). */
export const CATEGORY_ATTRIBUTE_SCHEMAS = {
  billboard: BILLBOARD_ATTRIBUTES,
  structure: STRUCTURE_ATTRIBUTES,
  excavation: EXCAVATION_ATTRIBUTES,
  piling: PILING_ATTRIBUTES,
  trading: TRADING_ATTRIBUTES,
  level_crossing: LEVEL_CROSSING_ATTRIBUTES,
  crops: CROPS_ATTRIBUTES,
} as const satisfies Record<ViolationCategory, z.ZodType>;

/** Parsed attributes per category. */
export type CategoryAttributes = { [C in ViolationCategory]: z.output<(typeof CATEGORY_ATTRIBUTE_SCHEMAS)[C]> };

/** Validates `value` as the attributes of `category`; returns zod's safeParse result. */
export function parseAttributes<C extends ViolationCategory>(
  category: C,
  value: unknown,
): z.ZodSafeParseResult<CategoryAttributes[C]> {
  // The cast only re-attaches the per-category type that indexing a record by a generic key loses.
  return CATEGORY_ATTRIBUTE_SCHEMAS[category].safeParse(value) as z.ZodSafeParseResult<CategoryAttributes[C]>;
}

export const PARTY_ID_TYPES = ['resident_id', 'business_license', 'other'] as const;
export type PartyIdType = (typeof PARTY_ID_TYPES)[number];

/**
 * The responsible party (当事人) a rectification notice names. An id number without its type cannot
 * be checked or printed correctly, so it is refused.
 */
export const RESPONSIBLE_PARTY = z
  .strictObject({
    name: text('name', 100),
    contact: text('contact', 100).optional(),
    /** Address (住所/地址): enforcement documents are served there. */
    address: text('address', 200).optional(),
    idType: z.enum(PARTY_ID_TYPES, `idType must be one of ${PARTY_ID_TYPES.join(', ')}`).optional(),
    idNumber: text('idNumber', 50).optional(),
  })
  .refine((party) => party.idNumber === undefined || party.idType !== undefined, {
    message: `idNumber needs idType (one of ${PARTY_ID_TYPES.join(', ')})`,
    path: ['idType'],
  });
export type ResponsibleParty = z.output<typeof RESPONSIBLE_PARTY>;

/** How a finding reached the system (DOMAIN.md "Discovery"). A satellite lead is not evidence. */
export const VIOLATION_SOURCES = ['patrol', 'complaint', 'satellite_lead', 'import', 'referral'] as const;
export type ViolationSource = (typeof VIOLATION_SOURCES)[number];
export const VIOLATION_SOURCE = z.enum(VIOLATION_SOURCES, `source must be one of ${VIOLATION_SOURCES.join(', ')}`);

export const VIOLATION_SOURCE_LABELS: Readonly<Record<ViolationSource, { zh: string; en: string }>> = {
  patrol: { zh: '巡查发现', en: 'Patrol' },
  complaint: { zh: '群众举报', en: 'Public complaint' },
  satellite_lead: { zh: '卫星线索', en: 'Satellite lead' },
  import: { zh: '批量导入', en: 'Import' },
  referral: { zh: '部门移交', en: 'Referral' },
};
