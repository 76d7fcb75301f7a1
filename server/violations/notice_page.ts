/**
 * The rectification notice (限期整改通知书) as one self-contained, printable HTML page: inline CSS
 * with print rules, an inline SVG sketch of the road and the finding (no tiles, no requests), every
 * value HTML-escaped.
 */
import { VIOLATION_CATEGORY_RULES, isViolationCategory } from '../domain/violation_categories.ts';
import type { ViolationProperties } from './types.ts';

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const SHANGHAI_OFFSET_MILLISECONDS = 8 * 3600_000;

/** `2026年11月29日` on the Asia/Shanghai calendar. */
export function shanghaiDateZh(instant: Date): string {
  const local = new Date(instant.getTime() + SHANGHAI_OFFSET_MILLISECONDS);
  return `${local.getUTCFullYear()}年${local.getUTCMonth() + 1}月${local.getUTCDate()}日`;
}

const ATTRIBUTE_LABELS: Readonly<Record<string, string>> = {
  faceAreaSquareMeters: '版面面积（m²）',
  heightMeters: '高度（m）',
  structureType: '结构形式',
  illuminated: '是否亮化',
  advertiser: '广告主',
  permitNumber: '许可编号',
  footprintSquareMeters: '占地面积（m²）',
  storeys: '层数',
  use: '用途',
  areaSquareMeters: '面积（m²）',
  depthMeters: '深度（m）',
  material: '堆放物',
  volumeCubicMeters: '体积（m³）',
  stallType: '摊点类型',
  stallCount: '摊点数',
  widthMeters: '宽度（m）',
  crop: '作物',
};

const VALUE_LABELS: Readonly<Record<string, string>> = { tower: '立柱式', ground: '落地式', wall: '附墙式', banner: '横幅', true: '是', false: '否' };

export function attributesSummaryZh(attributes: Record<string, unknown>): string {
  return Object.entries(attributes)
    .map(([key, value]) => `${ATTRIBUTE_LABELS[key] ?? key}：${VALUE_LABELS[String(value)] ?? String(value)}`)
    .join('；');
}

/** Inline SVG: the segment centreline and the finding in a ±150 m frame around the finding. */
function sketchSvg(centreline: GeoJSON.LineString | null, finding: GeoJSON.Point | GeoJSON.Polygon): string {
  const findingRing = finding.type === 'Point' ? [finding.coordinates] : (finding.coordinates[0] ?? []);
  const lons = findingRing.map((position) => position[0]!);
  const lats = findingRing.map((position) => position[1]!);
  const centreLon = (Math.min(...lons) + Math.max(...lons)) / 2;
  const centreLat = (Math.min(...lats) + Math.max(...lats)) / 2;
  // Local equirectangular metres are exact enough for a 300 m sketch.
  const metersPerDegreeLon = 111_320 * Math.cos((centreLat * Math.PI) / 180);
  const metersPerDegreeLat = 110_540;
  const halfExtentMeters = Math.max(150, ...findingRing.map((p) => Math.abs(p[0]! - centreLon) * metersPerDegreeLon * 1.3), ...findingRing.map((p) => Math.abs(p[1]! - centreLat) * metersPerDegreeLat * 1.3));
  const size = 300;
  const scale = size / (2 * halfExtentMeters);
  const toSvg = (position: GeoJSON.Position) =>
    `${((position[0]! - centreLon) * metersPerDegreeLon * scale + size / 2).toFixed(1)},${(size / 2 - (position[1]! - centreLat) * metersPerDegreeLat * scale).toFixed(1)}`;
  const road = centreline ? `<polyline points="${centreline.coordinates.map(toSvg).join(' ')}" fill="none" stroke="#555" stroke-width="6" stroke-linecap="round"/>` : '';
  const mark =
    finding.type === 'Point'
      ? `<circle cx="${toSvg(finding.coordinates).split(',')[0]}" cy="${toSvg(finding.coordinates).split(',')[1]}" r="7" fill="#d32f2f" stroke="#fff" stroke-width="2"/>`
      : `<polygon points="${findingRing.map(toSvg).join(' ')}" fill="rgba(211,47,47,0.35)" stroke="#d32f2f" stroke-width="2"/>`;
  const barMeters = 50;
  const barPixels = barMeters * scale;
  return `<svg class="sketch" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}" role="img" aria-label="位置示意图">
  <rect width="${size}" height="${size}" fill="#f7f7f2" stroke="#999"/>
  ${road}
  ${mark}
  <text x="${size - 18}" y="22" font-size="14" text-anchor="middle">北</text>
  <path d="M${size - 18} 28 l-6 14 h12 z" fill="#333"/>
  <line x1="12" y1="${size - 14}" x2="${(12 + barPixels).toFixed(1)}" y2="${size - 14}" stroke="#333" stroke-width="3"/>
  <text x="12" y="${size - 20}" font-size="11">${barMeters} m</text>
</svg>`;
}

export interface NoticeInput {
  properties: ViolationProperties;
  geometry: GeoJSON.Point | GeoJSON.Polygon;
  centreline: GeoJSON.LineString | null;
  issuedAt: Date;
  issuingUnitSuffix: string;
  /** CSP nonce for the one inline script (the print button). */
  nonce: string;
}

export function renderNoticePage(input: NoticeInput): string {
  const p = input.properties;
  const rule = isViolationCategory(p.category) ? VIOLATION_CATEGORY_RULES[p.category] : null;
  const side = p.side === 'left' ? '左侧' : p.side === 'right' ? '右侧' : '';
  const place = p.route
    ? `${p.routeName ?? ''}（${p.route}）${p.stake ?? ''} ${side}${p.offsetMeters !== null ? ` 距中心线 ${p.offsetMeters} 米` : ''}`
    : '（不在公路网范围内）';
  const party = p.party;
  const partyLine = party ? `${party.name}${party.contact ? `（联系方式：${party.contact}）` : ''}${party.idNumber ? `，证件号码：${party.idNumber}` : ''}` : '';
  const unit = `${p.jurisdiction?.name ?? ''}${input.issuingUnitSuffix}`;
  const deadline = p.deadline ? shanghaiDateZh(new Date(p.deadline)) : '';
  const finding = `${rule?.label.zh ?? p.category}${Object.keys(p.attributes).length ? `（${attributesSummaryZh(p.attributes)}）` : ''}`;
  const e = escapeHtml;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>限期整改通知书 ${e(p.caseNumber)}</title>
<style>
  body { font-family: "Noto Serif SC", "Songti SC", SimSun, serif; color: #111; background: #eee; margin: 0; }
  .page { width: 190mm; min-height: 270mm; margin: 10mm auto; padding: 16mm 18mm; background: #fff; box-sizing: border-box; box-shadow: 0 0 6px rgba(0,0,0,.2); }
  h1 { text-align: center; font-size: 26px; letter-spacing: 6px; margin: 0 0 4px; }
  .number { text-align: center; margin-bottom: 18px; }
  p { line-height: 1.9; font-size: 16px; margin: 6px 0; }
  .label { font-weight: bold; }
  .sketch { display: block; margin: 8px auto; }
  .seal { margin-top: 36px; text-align: right; }
  .toolbar { text-align: center; margin: 10px; }
  button { font-size: 16px; padding: 6px 18px; }
  @media print {
    body { background: #fff; }
    .page { margin: 0; box-shadow: none; width: auto; min-height: auto; }
    .toolbar { display: none; }
    @page { size: A4; margin: 12mm; }
  }
</style>
</head>
<body>
<div class="toolbar"><button type="button" id="print">打印通知书</button></div>
<div class="page">
  <h1>限期整改通知书</h1>
  <div class="number">编号：${e(p.caseNumber)}</div>
  <p><span class="label">当事人：</span>${e(partyLine)}</p>
  <p><span class="label">违法地点：</span>${e(place)}</p>
  ${sketchSvg(input.centreline, input.geometry)}
  <p><span class="label">违法事实：</span>经查，你（单位）在上述地点存在${e(finding)}的行为。${e(p.verdict.reason.zh)}。</p>
  <p><span class="label">法律依据：</span>上述行为违反了《${e(p.verdict.article ?? rule?.legalBasis ?? '')}》的规定，依据《${e(p.verdict.penaltyArticle ?? rule?.penaltyArticle ?? '')}》${e(rule ? `（${rule.maximumFine.zh}）` : '')}。</p>
  <p><span class="label">整改要求：</span>责令你（单位）于 <strong>${e(deadline)}</strong> 前自行改正（拆除、清除），逾期不改正的，本机关将依法处理。</p>
  <p>如不服本通知，可依法申请行政复议或者提起行政诉讼。</p>
  <div class="seal">
    <p>${e(unit)}</p>
    <p>${e(shanghaiDateZh(input.issuedAt))}</p>
  </div>
</div>
<script nonce="${e(input.nonce)}">document.getElementById('print').addEventListener('click', function () { window.print(); });</script>
</body>
</html>
`;
}
