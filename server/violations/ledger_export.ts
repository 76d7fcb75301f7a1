/** The violations ledger (台账) as xlsx, CSV or GeoJSON: Chinese column headers with units. */
import { CASE_STATUS_LABELS, type CaseStatus } from '../domain/case_workflow.ts';
import { VIOLATION_SOURCE_LABELS } from '../domain/violation_attributes.ts';
import { VIOLATION_CATEGORY_RULES, isViolationCategory } from '../domain/violation_categories.ts';
import { ZONE_LABELS } from '../domain/zones.ts';
import { writeCsv, writeXlsx, type ExportColumn, type ExportRow } from '../imports/export_writers.ts';
import { attributesSummary } from '../domain/attribute_display.ts';
import type { ViolationFeature } from './types.ts';

export const LEDGER_FORMATS = ['xlsx', 'csv', 'geojson'] as const;
export type LedgerFormat = (typeof LEDGER_FORMATS)[number];

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
];

function ledgerRow(feature: ViolationFeature): ExportRow {
  const p = feature.properties;
  const anchor = feature.geometry.type === 'Point' ? feature.geometry.coordinates : (feature.geometry.coordinates[0]?.[0] ?? []);
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
    longitude: anchor[0] ?? null,
    latitude: anchor[1] ?? null,
    description: p.description ?? '',
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

export async function writeLedger(format: LedgerFormat, features: ViolationFeature[], now = new Date()): Promise<LedgerFile> {
  const fileName = `路域违法台账-${shanghaiStamp(now)}.${format}`;
  if (format === 'geojson') {
    const body = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }), 'utf8');
    return { body, mediaType: 'application/geo+json; charset=utf-8', fileName };
  }
  const rows = features.map(ledgerRow);
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
