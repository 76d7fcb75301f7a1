/**
 * How a finding's attributes read to people — ONE formatter for the drawer, the documents and the
 * ledger, so an unchecked 带照明 reads 否 everywhere (it read "—" in the drawer and "否" on the
 * notice). Pure, shared with the client.
 */
export type DisplayLanguage = 'zh-CN' | 'en';

export const ATTRIBUTE_LABELS: Readonly<Record<string, { zh: string; en: string }>> = {
  faceAreaSquareMeters: { zh: '版面面积', en: 'Face area' },
  heightMeters: { zh: '高度', en: 'Height' },
  structureType: { zh: '结构形式', en: 'Structure' },
  illuminated: { zh: '带照明', en: 'Illuminated' },
  advertiser: { zh: '广告主', en: 'Advertiser' },
  permitNumber: { zh: '审批文号', en: 'Permit number' },
  footprintSquareMeters: { zh: '占地面积', en: 'Footprint' },
  storeys: { zh: '层数', en: 'Storeys' },
  use: { zh: '用途', en: 'Use' },
  areaSquareMeters: { zh: '面积', en: 'Area' },
  depthMeters: { zh: '深度', en: 'Depth' },
  material: { zh: '堆放物', en: 'Material' },
  volumeCubicMeters: { zh: '体积', en: 'Volume' },
  stallType: { zh: '经营类型', en: 'Stall type' },
  stallCount: { zh: '摊位数', en: 'Stalls' },
  widthMeters: { zh: '宽度', en: 'Width' },
  crop: { zh: '作物', en: 'Crop' },
};

const ENUM_LABELS: Readonly<Record<string, Readonly<Record<string, { zh: string; en: string }>>>> = {
  structureType: {
    tower: { zh: '立柱式', en: 'Tower' },
    ground: { zh: '落地式', en: 'Ground-mounted' },
    wall: { zh: '墙体', en: 'On a wall' },
    banner: { zh: '横幅', en: 'Banner' },
  },
};

function unitOf(key: string): string {
  if (key.endsWith('SquareMeters')) return 'm²';
  if (key.endsWith('CubicMeters')) return 'm³';
  if (key.endsWith('Meters')) return 'm';
  return '';
}

const pick = (text: { zh: string; en: string }, language: DisplayLanguage) => (language === 'en' ? text.en : text.zh);

export function attributeLabel(key: string, language: DisplayLanguage): string {
  const label = ATTRIBUTE_LABELS[key];
  return label ? pick(label, language) : key;
}

/** `true` → 是, `false` → 否 (never "—": false is an answer), enums by label, numbers with unit. */
export function formatAttributeValue(key: string, value: unknown, language: DisplayLanguage): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'boolean') return language === 'en' ? (value ? 'Yes' : 'No') : value ? '是' : '否';
  const enumLabel = ENUM_LABELS[key]?.[String(value)];
  if (enumLabel) return pick(enumLabel, language);
  if (typeof value === 'number') {
    const text = new Intl.NumberFormat(language === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 1 }).format(value);
    const unit = unitOf(key);
    return unit ? `${text} ${unit}` : text;
  }
  return String(value);
}

/** `版面面积：60 m²；带照明：否` — every attribute present, in the given order. */
export function attributesSummary(attributes: Record<string, unknown>, language: DisplayLanguage): string {
  const separator = language === 'en' ? '; ' : '；';
  const colon = language === 'en' ? ': ' : '：';
  return Object.entries(attributes)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => `${attributeLabel(key, language)}${colon}${formatAttributeValue(key, value, language)}`)
    .join(separator);
}
