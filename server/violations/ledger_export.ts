/** The violations ledger (台账) as xlsx, CSV or GeoJSON: Chinese column headers with units. */
import { CASE_STATUS_LABELS, type CaseStatus } from '../domain/case_workflow.ts';
import { VIOLATION_SOURCE_LABELS } from '../domain/violation_attributes.ts';
import { VIOLATION_CATEGORY_RULES, isViolationCategory } from '../domain/violation_categories.ts';
import { ZONE_LABELS } from '../domain/zones.ts';
import { writeCsv, writeXlsx, type ExportColumn, type ExportRow } from '../imports/export_writers.ts';
import { attributesSummary } from '../domain/attribute_display.ts';
import type { ExportGeometryRow } from './queries.ts';
import type { ViolationFeature } from './types.ts';

export const LEDGER_FORMATS = ['xlsx', 'csv', 'geojson'] as const;
export type LedgerFormat = (typeof LEDGER_FORMATS)[number];

/** One geometry type per GeoJSON file: a Shapefile layer holds one, so ogr2ogr drops a mixed collection. */
export const LEDGER_GEOMETRY_TYPES = ['point', 'polygon'] as const;
export type LedgerGeometryType = (typeof LEDGER_GEOMETRY_TYPES)[number];

/**
 * The external id an exported record carries so its re-import is recognised: its own external id,
 * else one minted from this system's record id. A second import of the same file then finds the
 * records the first one created and skips them (violation_imports/service.ts).
 */
export function exportExternalId(properties: { id: number; externalId: string | null }): string {
  return properties.externalId ?? `luyu-violation-${properties.id}`;
}

/** More rows than this is not a ledger but a data dump: narrow the filter. */
export const LEDGER_MAXIMUM_ROWS = 50_000;

export const LEDGER_COLUMNS: readonly ExportColumn[] = [
  { key: 'caseNumber', header: '案件编号' },
  { key: 'id', header: '记录ID' },
  { key: 'category', header: '违法类型' },
  { key: 'status', header: '办理状态' },
  { key: 'isViolation', header: '是否违法' },
  { key: 'route', header: '路线编号' },
  { key: 'routeName', header: '路线名称' },
  { key: 'stake', header: '桩号' },
  { key: 'chainageMeters', header: '里程（米）' },
  { key: 'side', header: '位置（左/右侧）' },
  { key: 'offsetMeters', header: '距中心线（米）' },
  { key: 'zone', header: '所在区域' },
  { key: 'jurisdiction', header: '管辖单位' },
  { key: 'party', header: '当事人' },
  { key: 'findings', header: '违法情况' },
  { key: 'article', header: '违反条款' },
  { key: 'penaltyArticle', header: '处罚依据' },
  { key: 'source', header: '发现方式' },
  { key: 'reportedAt', header: '上报时间（北京时间）' },
  { key: 'deadline', header: '整改期限（北京时间）' },
  { key: 'daysRemaining', header: '剩余天数（天）' },
  { key: 'overdue', header: '是否逾期' },
  { key: 'closedAt', header: '结案时间（北京时间）' },
  { key: 'photoCount', header: '照片数（张）' },
  { key: 'longitude', header: '经度（°，WGS84）' },
  { key: 'latitude', header: '纬度（°，WGS84）' },
  { key: 'description', header: '描述' },
  // What a re-import needs beyond the columns above (server/imports/import_aliases.ts maps them back).
  { key: 'externalId', header: '外部编号' },
  { key: 'attributes', header: '属性（JSON）' },
  // Last, being long; GDAL reads it with -oo GEOM_POSSIBLE_NAMES=WKT.
  { key: 'wkt', header: 'WKT' },
];

function ledgerRow(feature: ViolationFeature, geometry: ExportGeometryRow | undefined): ExportRow {
  const p = feature.properties;
  return {
    caseNumber: p.caseNumber ?? '',
    id: p.id,
    category: isViolationCategory(p.category) ? VIOLATION_CATEGORY_RULES[p.category].label.zh : p.category,
    status: CASE_STATUS_LABELS[p.status as CaseStatus]?.zh ?? p.status,
    isViolation: p.verdict.isViolation ? '是' : '否（超出公路法管辖范围）',
    route: p.route ?? '',
    routeName: p.routeName ?? '',
    stake: p.stake ?? '',
    chainageMeters: p.chainageMeters,
    side: p.side === 'left' ? '左侧' : p.side === 'right' ? '右侧' : '',
    offsetMeters: p.offsetMeters,
    zone: p.primaryZone ? ZONE_LABELS[p.primaryZone].zh : '',
    jurisdiction: p.jurisdiction?.name ?? '',
    party: p.party?.name ?? '',
    findings: attributesSummary(p.attributes, 'zh-CN'),
    article: p.verdict.article ?? '',
    penaltyArticle: p.verdict.penaltyArticle ?? '',
    source: VIOLATION_SOURCE_LABELS[p.source]?.zh ?? p.source,
    reportedAt: new Date(p.reportedAt),
    deadline: p.deadline ? new Date(p.deadline) : null,
    daysRemaining: p.daysRemaining,
    overdue: p.overdue ? '是' : '否',
    closedAt: p.closedAt ? new Date(p.closedAt) : null,
    photoCount: p.photoCount,
    // The representative point lies on the surface (ST_PointOnSurface), not at a polygon's first vertex.
    longitude: geometry?.point_lon ?? null,
    latitude: geometry?.point_lat ?? null,
    description: p.description ?? '',
    externalId: exportExternalId(p),
    attributes: Object.keys(p.attributes).length > 0 ? JSON.stringify(p.attributes) : '',
    wkt: geometry?.wkt ?? '',
  };
}

export interface LedgerFile {
  body: Buffer;
  mediaType: string;
  fileName: string;
}

/** `20261122`: the Asia/Shanghai calendar date, for the file name. */
function shanghaiStamp(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

export interface LedgerInput {
  features: ViolationFeature[];
  /** By record id; CSV/xlsx only. */
  geometries: ReadonlyMap<number, ExportGeometryRow>;
  /** Set when the export was filtered to one geometry type: named in the file name. */
  geometryType?: LedgerGeometryType;
}

export async function writeLedger(format: LedgerFormat, input: LedgerInput, now = new Date()): Promise<LedgerFile> {
  const typeSuffix = input.geometryType ? `-${input.geometryType}s` : '';
  const fileName = `路域违法台账-${shanghaiStamp(now)}${typeSuffix}.${format}`;
  if (format === 'geojson') {
    // The export external id rides in properties.externalId, so the file imports back idempotently.
    const features = input.features.map((feature) => ({ ...feature, properties: { ...feature.properties, externalId: exportExternalId(feature.properties) } }));
    const body = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }), 'utf8');
    return { body, mediaType: 'application/geo+json; charset=utf-8', fileName };
  }
  const rows = input.features.map((feature) => ledgerRow(feature, input.geometries.get(feature.properties.id)));
  if (format === 'csv') return { body: writeCsv(LEDGER_COLUMNS, rows), mediaType: 'text/csv; charset=utf-8', fileName };
  return {
    body: await writeXlsx('路域违法台账', LEDGER_COLUMNS, rows),
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName,
  };
}

/** RFC 6266/5987: an ASCII fallback name plus the UTF-8 name for clients that read it. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '').replace(/^-+/, '') || 'export';
  return `attachment; filename="luyu-violations-${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
