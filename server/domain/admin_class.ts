/** Administrative classes of roads (GB/T 917 route letters map onto them); the law's widths key on these. */
export const ADMIN_CLASSES = ['expressway', 'national', 'provincial', 'county', 'township', 'village'] as const;
export type AdminClass = (typeof ADMIN_CLASSES)[number];

export const ADMIN_CLASS_LABELS: Readonly<Record<AdminClass, { zh: string; en: string }>> = {
  expressway: { zh: '高速公路', en: 'Expressway' },
  national: { zh: '国道', en: 'National road' },
  provincial: { zh: '省道', en: 'Provincial road' },
  county: { zh: '县道', en: 'County road' },
  township: { zh: '乡道', en: 'Township road' },
  village: { zh: '村道', en: 'Village road' },
};

/** Route codes: one letter of GB/T 917 and 1–4 digits (G4, G0511, S1, X901). */
export const ROUTE_CODE_PATTERN = /^[GSXYCZ]\d{1,4}$/;

export function isAdminClass(value: string): value is AdminClass {
  return (ADMIN_CLASSES as readonly string[]).includes(value);
}
