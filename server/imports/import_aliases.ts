/**
 * Every alias the importer understands, in one place: column headers (English and the Chinese
 * headers of typical 路政 spreadsheets), category names, sides and directions. Matching is done on
 * `normalizeAliasKey` output, so full-width brackets, case and spaces do not matter.
 */
import { VIOLATION_SOURCE_LABELS } from '../domain/violation_attributes.ts';
import type { ViolationCategoryCode } from './import_types.ts';

/** NFKC folds full-width characters (（）＋，) to ASCII and ㎡/m² to `m2`; spaces and case are noise. */
export function normalizeAliasKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

export type CanonicalField =
  | 'lon'
  | 'lat'
  | 'route'
  | 'stake'
  | 'side'
  | 'offset'
  | 'direction'
  | 'category'
  | 'description'
  | 'externalId'
  | 'source'
  | 'wkt'
  | 'attributes';

// No bare x/y: in Chinese surveying X is the northing of a projected grid, not a longitude.
const FIELD_ALIASES: Record<CanonicalField, readonly string[]> = {
  // 经度（°，WGS84） is the ledger export's header (server/violations/ledger_export.ts).
  lon: ['lon', 'lng', 'long', 'longitude', '经度', '经度(°,wgs84)'],
  lat: ['lat', 'latitude', '纬度', '纬度(°,wgs84)'],
  route: ['route', 'routecode', 'route_code', '路线', '路线编号', '路线编码', '路线代码'],
  stake: ['stake', 'chainage', '桩号', '里程桩号'],
  side: ['side', '侧别', '方位', '左右侧', '位置(左/右侧)'],
  offset: ['offset', 'offset(m)', 'offset_m', 'offsetmeters', 'offset_meters', '偏距', '偏距(m)', '偏距(米)', '距中线', '距中线(m)', '距中线(米)', '距中心线(m)', '距中心线(米)'],
  direction: ['direction', '方向', '行车方向', '上下行'],
  category: ['category', 'type', '类别', '类型', '违法类别', '违法类型'],
  description: ['description', 'remark', 'note', '描述', '情况描述', '备注', '说明'],
  externalId: ['externalid', 'external_id', 'id', '外部编号', '编号', '原编号'],
  source: ['source', '来源', '线索来源', '发现方式'],
  // The full geometry as WKT (GDAL's CSV driver writes `WKT`); it wins over lon/lat columns.
  wkt: ['wkt', 'wkt_geom', 'the_geom', '几何', '图形'],
  // All attributes as one JSON object: what the ledger export writes so nothing is lost on re-import.
  attributes: ['attributes', '属性', '属性(json)'],
};

/**
 * Columns of the ledger export (server/violations/ledger_export.ts, CSV/xlsx headers and GeoJSON
 * property names) that this system derives itself (case number, status, verdict, zone, jurisdiction,
 * deadlines, counts): a re-imported record is a new finding and gets them recomputed, so these are
 * dropped without a warning on every row.
 */
const DERIVED_EXPORT_COLUMNS = new Set(
  [
    '案件编号', '记录ID', '办理状态', '是否违法', '路线名称', '里程（米）', '所在区域', '管辖单位', '违法情况', '违反条款', '处罚依据',
    '上报时间（北京时间）', '整改期限（北京时间）', '剩余天数（天）', '是否逾期', '结案时间（北京时间）', '照片数（张）',
    'caseNumber', 'status', 'routeName', 'segmentId', 'chainageMeters', 'jurisdiction', 'zones', 'primaryZone', 'verdict', 'deadline',
    'daysRemaining', 'overdue', 'reportedAt', 'updatedAt', 'closedAt', 'version', 'photoCount', 'isDemo', 'referral',
  ].map(normalizeAliasKey),
);

export function isDerivedExportColumn(header: string): boolean {
  return DERIVED_EXPORT_COLUMNS.has(normalizeAliasKey(header));
}

/**
 * Attribute columns with a known meaning: the key passed on (the keys of
 * server/domain/violation_attributes.ts, camelCase with the unit in the name) and how to read the cell.
 * `keyByCategory` exists because one spreadsheet header means different things per category:
 * 面积 is a billboard's face area but a structure's footprint. Columns not listed here pass through
 * under their original header, so the attribute validator can name them.
 */
export interface AttributeAlias {
  key: string;
  kind: 'number' | 'boolean' | 'text';
  /** Unit suffixes accepted after a number, e.g. `25 m`. */
  units: readonly string[];
  keyByCategory?: Partial<Record<ViolationCategoryCode, string>>;
}

const SQUARE_METERS = ['m2', '平方米', '平米'] as const;
const METERS = ['m', '米'] as const;
const CUBIC_METERS = ['m3', '立方米', '方'] as const;

const ATTRIBUTE_ALIASES: Record<string, AttributeAlias> = {};
function attribute(alias: AttributeAlias, headers: readonly string[]): void {
  for (const header of [alias.key, ...headers]) ATTRIBUTE_ALIASES[normalizeAliasKey(header)] = alias;
}
attribute({ key: 'areaSquareMeters', kind: 'number', units: SQUARE_METERS, keyByCategory: { billboard: 'faceAreaSquareMeters', structure: 'footprintSquareMeters' } }, [
  'area', 'area(m2)', '面积', '面积(m²)', '面积(平方米)', '面积(㎡)',
]);
attribute({ key: 'faceAreaSquareMeters', kind: 'number', units: SQUARE_METERS }, ['版面面积', '版面面积(m²)', '广告面积', '广告面积(m²)']);
attribute({ key: 'footprintSquareMeters', kind: 'number', units: SQUARE_METERS }, ['占地面积', '占地面积(m²)', '建筑面积', '建筑面积(m²)']);
attribute({ key: 'heightMeters', kind: 'number', units: METERS }, ['height', 'height(m)', '高度', '高度(m)', '高度(米)']);
attribute({ key: 'depthMeters', kind: 'number', units: METERS }, ['depth', 'depth(m)', '深度', '深度(m)', '深度(米)', '采挖深度(m)']);
attribute({ key: 'widthMeters', kind: 'number', units: METERS }, ['width', 'width(m)', '宽度', '宽度(m)', '宽度(米)']);
attribute({ key: 'volumeCubicMeters', kind: 'number', units: CUBIC_METERS }, ['volume', 'volume(m3)', '体积', '体积(m³)', '方量', '方量(m³)', '堆放量(m³)']);
attribute({ key: 'storeys', kind: 'number', units: ['层'] }, ['层数']);
attribute({ key: 'stallCount', kind: 'number', units: ['个', '处'] }, ['摊位数', '摊位数量']);
attribute({ key: 'illuminated', kind: 'boolean', units: [] }, ['是否亮化', '是否发光', '灯光']);
attribute({ key: 'structureType', kind: 'text', units: [] }, ['结构形式', '广告形式']);
attribute({ key: 'advertiser', kind: 'text', units: [] }, ['广告主', '发布单位', '广告发布者']);
attribute({ key: 'permitNumber', kind: 'text', units: [] }, ['许可证号', '审批文号', '许可编号']);
attribute({ key: 'use', kind: 'text', units: [] }, ['用途']);
attribute({ key: 'material', kind: 'text', units: [] }, ['堆放物', '堆放材料', '材料']);
attribute({ key: 'stallType', kind: 'text', units: [] }, ['摊位类型', '经营类型']);
attribute({ key: 'crop', kind: 'text', units: [] }, ['作物', '种植作物']);

const TRUE_WORDS = ['true', 'yes', 'y', '1', '是', '有'];
const FALSE_WORDS = ['false', 'no', 'n', '0', '否', '无'];
export const BOOLEAN_HINT = '是/否, yes/no, true/false or 1/0';

export function booleanValue(text: string): boolean | null {
  const key = normalizeAliasKey(text);
  if (TRUE_WORDS.includes(key)) return true;
  if (FALSE_WORDS.includes(key)) return false;
  return null;
}

export const OFFSET_UNITS: readonly string[] = METERS;

const FIELD_BY_ALIAS = new Map<string, CanonicalField>();
for (const [field, aliases] of Object.entries(FIELD_ALIASES) as [CanonicalField, readonly string[]][]) {
  for (const alias of aliases) FIELD_BY_ALIAS.set(normalizeAliasKey(alias), field);
}

export function canonicalField(header: string): CanonicalField | null {
  return FIELD_BY_ALIAS.get(normalizeAliasKey(header)) ?? null;
}

export function attributeAlias(header: string): AttributeAlias | null {
  return ATTRIBUTE_ALIASES[normalizeAliasKey(header)] ?? null;
}

const CATEGORY_ALIASES: Record<ViolationCategoryCode, readonly string[]> = {
  billboard: ['billboard', '非公路标志', '广告', '广告牌', '广告设施', '非公路标志/广告', '非公路标志、广告设施', '非公路标志广告'],
  structure: ['structure', '违法搭建', '违建', '违章建筑', '违章搭建', '违法建筑'],
  excavation: ['excavation', '违法采挖', '采挖', '违法取土', '取土'],
  piling: ['piling', '违法堆放', '堆放', '堆积物', '打场晒粮'],
  trading: ['trading', '占道经营', '摆摊', '摆摊设点', '违法占道经营', '占道经营/摆摊', '违法占道经营、摆摊设点'],
  level_crossing: ['level_crossing', '私设平交道口', '平交道口'],
  crops: ['crops', '公路用地内种植', '种植'],
};

export const CATEGORY_CODES = Object.keys(CATEGORY_ALIASES) as ViolationCategoryCode[];

const CATEGORY_BY_ALIAS = new Map<string, ViolationCategoryCode>();
for (const [code, aliases] of Object.entries(CATEGORY_ALIASES) as [ViolationCategoryCode, readonly string[]][]) {
  for (const alias of aliases) CATEGORY_BY_ALIAS.set(normalizeAliasKey(alias), code);
}

export function categoryCode(text: string): ViolationCategoryCode | null {
  return CATEGORY_BY_ALIAS.get(normalizeAliasKey(text)) ?? null;
}

export const CATEGORY_HINT =
  'billboard (非公路标志/广告), structure (违法搭建), excavation (违法采挖), piling (违法堆放), trading (占道经营/摆摊), and where enabled level_crossing (私设平交道口), crops (公路用地内种植)';

const SIDE_ALIASES: Record<'left' | 'right', readonly string[]> = {
  left: ['left', 'l', '左', '左侧', '左边'],
  right: ['right', 'r', '右', '右侧', '右边'],
};
export const SIDE_HINT = '左/左侧/L/left or 右/右侧/R/right';

export function sideValue(text: string): 'left' | 'right' | null {
  const key = normalizeAliasKey(text);
  if (SIDE_ALIASES.left.includes(key)) return 'left';
  if (SIDE_ALIASES.right.includes(key)) return 'right';
  return null;
}

/** 上行/下行 are labels whose meaning depends on the province; the caller says what 上行 means. */
export function directionValue(text: string, upboundDirection: 1 | -1): 1 | -1 | null {
  const key = normalizeAliasKey(text);
  if (['+', '1', '+1', 'increasing', 'asc'].includes(key)) return 1;
  if (['-', '-1', 'decreasing', 'desc'].includes(key)) return -1;
  if (['上行', 'up', 'upbound'].includes(key)) return upboundDirection;
  if (['下行', 'down', 'downbound'].includes(key)) return upboundDirection === 1 ? -1 : 1;
  return null;
}
export const DIRECTION_HINT = '上行/下行, +/-, or 1/-1';

/** A source code (`patrol`) or its ledger label (巡查发现) → the code; anything else is returned as written, for the service to refuse. */
export function sourceCode(text: string): string {
  const key = normalizeAliasKey(text);
  const labelled = Object.entries(VIOLATION_SOURCE_LABELS).find(([, label]) => normalizeAliasKey(label.zh) === key || normalizeAliasKey(label.en) === key);
  return labelled ? labelled[0] : text;
}
