/**
 * Renders an enforcement document (document_templates.ts) as ONE self-contained printable HTML page:
 * inline CSS with A4 print rules, an inline SVG sketch of the road and the finding (no tiles, no
 * requests), every value HTML-escaped. The PDF is printed from this same HTML (pdf_renderer.ts).
 * Each element is a <section data-element="…"> so the template test can find it.
 */
import { REMEDY, articleText, chineseNumeral, citationText, renderCitations, renderPenaltyClause } from '../domain/statutes.ts';
import { DOCUMENT_TEMPLATES, documentNumber, type DocumentElement, type DocumentKind } from './document_templates.ts';

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const SHANGHAI_OFFSET_MILLISECONDS = 8 * 3600_000;

function shanghaiParts(instant: Date) {
  const local = new Date(instant.getTime() + SHANGHAI_OFFSET_MILLISECONDS);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), hour: local.getUTCHours(), minute: local.getUTCMinutes() };
}

/** `2026年11月29日` on the Asia/Shanghai calendar. */
export function shanghaiDateZh(instant: Date): string {
  const { year, month, day } = shanghaiParts(instant);
  return `${year}年${month}月${day}日`;
}

/** `2026年11月29日 14时05分` (Asia/Shanghai). */
export function shanghaiDateTimeZh(instant: Date): string {
  const { hour, minute } = shanghaiParts(instant);
  return `${shanghaiDateZh(instant)} ${hour}时${String(minute).padStart(2, '0')}分`;
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

export interface DocumentOfficer {
  name: string;
  certificateNumber: string | null;
}

/** Everything a document prints, gathered by the service (documents/service.ts); pure data. */
export interface DocumentContext {
  caseNumber: string;
  /** The issuing authority as printed (管城回族区交通运输综合执法大队). */
  authority: string;
  /** Short name in document numbers (管城回族区). */
  authorityShortName: string;
  party: { name: string; idTypeLabel: string | null; idNumber: string | null; address: string | null; contact: string | null } | null;
  /** When the finding was inspected on site (the verify event), else reported. */
  observedAt: Date;
  /** 郑州绕城高速（G4）K3+200 右侧 距中心线 25 米. */
  placeText: string;
  /** 非公路标志、广告设施（版面面积：60 m²；带照明：否）. */
  findingText: string;
  /** The verdict's reason (names the zone and the rule). */
  reasonText: string;
  /** Short forms from the verdict ("公路法 54"); rendered through the statute table. */
  legalBasis: string;
  penaltyArticle: string;
  deadline: Date | null;
  /** At least two are required on every document; fewer print blank lines to fill in by hand. */
  officers: DocumentOfficer[];
  issuedAt: Date;
  geometry: GeoJSON.Point | GeoJSON.Polygon;
  centreline: GeoJSON.LineString | null;
  photoCount: number;
  /** CSP nonce for the one inline script (the print button); null for the PDF (no script). */
  nonce: string | null;
}

const e = escapeHtml;
const BLANK = '<span class="blank"></span>';

function officersHtml(officers: readonly DocumentOfficer[]): string {
  const rows = [...officers];
  while (rows.length < 2) rows.push({ name: '', certificateNumber: null });
  return rows
    .map((officer) => `<span class="officer">执法人员：${officer.name ? e(officer.name) : BLANK} 执法证号：${officer.certificateNumber ? e(officer.certificateNumber) : BLANK}</span>`)
    .join('');
}

function partyHtml(party: DocumentContext['party']): string {
  if (!party) return `当事人：${BLANK} 身份证件号码／统一社会信用代码：${BLANK} 住所（地址）：${BLANK}`;
  const idLabel = party.idTypeLabel === '营业执照' ? '统一社会信用代码' : (party.idTypeLabel ?? '身份证件号码');
  return `当事人：${e(party.name)}；${e(idLabel)}：${party.idNumber ? e(party.idNumber) : BLANK}；住所（地址）：${party.address ? e(party.address) : BLANK}${party.contact ? `；联系方式：${e(party.contact)}` : ''}`;
}

function remedyHtml(title: string): string {
  return `如不服本${e(title)}，可以自收到之日起${chineseNumeral(REMEDY.reconsiderationDays)}日内依照${e(citationText(REMEDY.reconsideration))}的规定申请行政复议，或者自收到之日起${chineseNumeral(REMEDY.litigationMonths)}个月内依照${e(citationText(REMEDY.litigation))}的规定直接向人民法院提起行政诉讼。`;
}

function element(kind: DocumentKind, name: DocumentElement, context: DocumentContext, servedKind: DocumentKind): string {
  const template = DOCUMENT_TEMPLATES[kind];
  const deadline = context.deadline ? shanghaiDateZh(context.deadline) : '____年__月__日';
  switch (name) {
    case 'document_number':
      return `<p class="number">${e(documentNumber(kind, context.caseNumber, context.authorityShortName))}</p><p class="number">案件编号：${e(context.caseNumber)}</p>`;
    case 'party':
      return `<p>${partyHtml(context.party)}</p>`;
    case 'inspection':
      return `<p><span class="label">检查时间：</span>${e(shanghaiDateTimeZh(context.observedAt))}</p><p><span class="label">检查地点：</span>${e(context.placeText)}</p><p><span class="label">检查机关：</span>${e(context.authority)}</p><p><span class="label">现场照片：</span>${context.photoCount} 张（附后）</p>`;
    case 'facts':
      return `<p><span class="label">违法事实：</span>经查，${e(shanghaiDateTimeZh(context.observedAt))}，你（单位）在${e(context.placeText)}存在${e(context.findingText)}的行为。${e(context.reasonText)}。</p>`;
    case 'map':
      return `<p class="label">位置示意图：</p>${sketchSvg(context.centreline, context.geometry)}`;
    case 'legal_basis':
      return `<p><span class="label">法律依据：</span>上述行为违反了${e(renderCitations(context.legalBasis))}的规定。</p>`;
    case 'penalty':
      return `<p><span class="label">处罚依据：</span>${e(renderPenaltyClause(context.penaltyArticle))}。</p>`;
    case 'order':
      return `<p><span class="label">责令事项：</span>${e(template.orderText ?? '').replace('{deadline}', `<strong>${e(deadline)}</strong>`)}</p>`;
    case 'consequence':
      return `<p>逾期不改正的，本机关将依照${e(citationText({ statute: '行政强制法', article: 35 }))}、${e(articleText(37))}的规定催告并依法作出强制执行决定，由本机关依法拆除或者代为清除，所需费用由你（单位）承担，并依法给予行政处罚。</p>`;
    case 'remedy':
      return `<p>${remedyHtml(template.title.replace(/书$/, ''))}</p>`;
    case 'served_document':
      return `<p><span class="label">送达文书：</span>${e(DOCUMENT_TEMPLATES[servedKind].title)}（${e(documentNumber(servedKind, context.caseNumber, context.authorityShortName))}）</p>`;
    case 'officers':
      return `<p class="officers">${officersHtml(context.officers)}</p>`;
    case 'seal':
      return `<div class="seal"><div class="seal-box" aria-label="印章区">（印章）</div><p>${e(context.authority)}</p></div>`;
    case 'issue_date':
      return `<p class="date">${e(shanghaiDateZh(context.issuedAt))}</p>`;
    case 'acknowledgement':
      return `<div class="receipt"><p class="label">签收栏</p><p>当事人（签名或盖章）：${BLANK} 签收时间：${BLANK}年${BLANK}月${BLANK}日${BLANK}时</p><p>当事人拒绝签收的，由执法人员注明情况：${BLANK} 见证人（签名）：${BLANK}</p></div>`;
    case 'service':
      return `<table class="service"><tbody>
<tr><th>受送达人</th><td>${context.party ? e(context.party.name) : BLANK}</td><th>送达地点</th><td>${context.party?.address ? e(context.party.address) : BLANK}</td></tr>
<tr><th>送达时间</th><td>${BLANK}年${BLANK}月${BLANK}日${BLANK}时</td><th>送达方式</th><td>□直接送达 □留置送达 □邮寄送达 □委托送达 □公告送达</td></tr>
<tr><th>受送达人签名</th><td colspan="3">${BLANK}</td></tr>
<tr><th>拒收情况</th><td colspan="3">受送达人拒绝签收的，注明拒收事由和日期：${BLANK}；见证人（签名）：${BLANK}</td></tr>
<tr><th>送达人</th><td colspan="3">${officersHtml(context.officers)}</td></tr>
</tbody></table>`;
  }
}

const STYLE = `
  body { font-family: "Noto Serif SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Songti SC", SimSun, serif; color: #111; background: #eee; margin: 0; }
  .page { width: 210mm; min-height: 297mm; margin: 10mm auto; padding: 20mm 18mm; background: #fff; box-sizing: border-box; box-shadow: 0 0 6px rgba(0,0,0,.2); }
  h1 { text-align: center; font-size: 24px; letter-spacing: 4px; margin: 0 0 4px; }
  .authority { text-align: center; font-size: 18px; margin: 0 0 4px; }
  .number { text-align: right; margin: 0 0 14px; }
  p { line-height: 1.9; font-size: 15px; margin: 4px 0; }
  .label { font-weight: bold; }
  .blank { display: inline-block; min-width: 5em; border-bottom: 1px solid #111; }
  .officer { display: block; }
  .sketch { display: block; margin: 6px auto; }
  .seal { margin-top: 24px; text-align: right; }
  .seal-box { display: inline-block; width: 42mm; height: 42mm; border: 1px dashed #888; border-radius: 50%; text-align: center; line-height: 42mm; color: #555; }
  .date { text-align: right; }
  .receipt { margin-top: 18px; border-top: 1px solid #111; padding-top: 6px; }
  table.service { width: 100%; border-collapse: collapse; margin: 10px 0; }
  table.service th, table.service td { border: 1px solid #111; padding: 8px; font-size: 15px; text-align: left; vertical-align: top; }
  table.service th { width: 22%; font-weight: bold; }
  .toolbar { text-align: center; margin: 10px; }
  .toolbar button, .toolbar a { font-size: 16px; padding: 6px 18px; margin: 0 6px; color: #0b3d91; }
  @media screen and (max-width: 800px) { .page { width: auto; min-height: 0; margin: 0; padding: 16px; box-shadow: none; } .sketch { width: 100%; height: auto; } }
  @page { size: A4; margin: 15mm; }
  @media print {
    body { background: #fff; }
    .page { margin: 0; padding: 0; box-shadow: none; width: auto; min-height: auto; }
    .toolbar { display: none; }
    section { break-inside: avoid; }
  }
`;

/** The whole page. `servedKind` names the document a service record (送达回证) is for. */
export function renderDocument(kind: DocumentKind, context: DocumentContext, servedKind: DocumentKind = 'rectification_notice'): string {
  const template = DOCUMENT_TEMPLATES[kind];
  const sections = template.elements.map((name) => `<section data-element="${name}">${element(kind, name, context, servedKind)}</section>`).join('\n');
  const toolbar =
    context.nonce === null
      ? ''
      : `<div class="toolbar"><button type="button" id="print">打印</button><a href="?format=pdf" download>下载 PDF</a></div>`;
  const script = context.nonce === null ? '' : `<script nonce="${e(context.nonce)}">document.getElementById('print').addEventListener('click', function () { window.print(); });</script>`;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(template.title)} ${e(context.caseNumber)}</title>
<style>${STYLE}</style>
</head>
<body>
${toolbar}
<main class="page">
  <p class="authority">${e(context.authority)}</p>
  <h1>${e(template.title)}</h1>
${sections}
</main>
${script}
</body>
</html>
`;
}
