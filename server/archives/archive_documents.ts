/** The archives as printable, self-contained HTML pages and as xlsx sheets (like the patrol log's). */
import { writeXlsx, type ExportColumn } from '../imports/export_writers.ts';
import { escapeHtml } from '../documents/render_document.ts';
import type { ArchiveEntry, SegmentArchive, UnitArchive } from './service.ts';

const SHANGHAI = { timeZone: 'Asia/Shanghai', hour12: false } as const;
const time = (iso: string) => new Date(iso).toLocaleString('zh-CN', SHANGHAI);

function headLines(archive: SegmentArchive | UnitArchive): [string, string][] {
  const period: [string, string] = ['期间', `${archive.from} 至 ${archive.to}`];
  if (archive.archive === 'unit') return [['单位', `${archive.unit.name}（${archive.unit.code}）`], period, ...countLines(archive)];
  const s = archive.segment;
  return [
    ['路线', [s.route, s.routeName].filter(Boolean).join(' ')],
    ['路段桩号', `${s.stakeFrom}–${s.stakeTo}（${s.direction === 1 ? '上行' : '下行'}，${(s.lengthMeters / 1000).toFixed(1)} 公里）`],
    ['管理单位', s.unitName ?? '—'],
    period,
    ...countLines(archive),
  ];
}

function countLines(archive: SegmentArchive | UnitArchive): [string, string][] {
  const parts = Object.entries(archive.counts)
    .filter(([, count]) => count > 0)
    .map(([kind]) => archive.entries.find((item) => item.kind === kind)!.kindLabel + ' ' + archive.counts[kind as ArchiveEntry['kind']]);
  return [['记录数', parts.join('，') || '0']];
}

export function renderArchiveHtml(archive: SegmentArchive | UnitArchive, nonce: string): string {
  const e = escapeHtml;
  const head = headLines(archive).map(([label, value]) => `<tr><th>${e(label)}</th><td>${e(value)}</td></tr>`).join('');
  const rows = archive.entries
    .map((item) => `<tr><td>${e(time(item.at))}</td><td>${e(item.kindLabel)}</td><td>${e(item.title)}</td><td>${e(item.place)}</td><td>${e(item.detail)}</td><td>${e(item.result)}</td></tr>`)
    .join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${e(archive.title)} ${e(archive.from)}–${e(archive.to)}</title>
<style>body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#000}h1{text-align:center;font-size:22px}
table{border-collapse:collapse;width:100%;margin:12px 0}th,td{border:1px solid #000;padding:4px 6px;font-size:13px;text-align:left;vertical-align:top}
th{background:#eee}.head th{width:8em}@media print{button{display:none}}</style></head>
<body><button id="print">打印</button><h1>${e(archive.title)}</h1><table class="head">${head}</table>
<table><tr><th>时间</th><th>类型</th><th>事项</th><th>位置</th><th>情况</th><th>结果</th></tr>${rows || '<tr><td colspan="6">本期间无记录</td></tr>'}</table>
<p>填表人：________________　　审核人：________________</p>
<script nonce="${nonce}">document.getElementById('print').addEventListener('click',()=>window.print())</script></body></html>`;
}

const COLUMNS: readonly ExportColumn[] = [
  { key: 'time', header: '时间' },
  { key: 'kind', header: '类型' },
  { key: 'title', header: '事项' },
  { key: 'place', header: '位置' },
  { key: 'detail', header: '情况' },
  { key: 'result', header: '结果' },
];

export async function writeArchiveXlsx(archive: SegmentArchive | UnitArchive): Promise<Buffer> {
  const rows = [
    ...headLines(archive).map(([label, value]) => ({ time: '', kind: '基本情况', title: label, place: '', detail: value, result: '' })),
    ...archive.entries.map((item) => ({ time: time(item.at), kind: item.kindLabel, title: item.title, place: item.place, detail: item.detail, result: item.result })),
  ];
  return writeXlsx(archive.title, COLUMNS, rows);
}
