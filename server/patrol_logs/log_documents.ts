/** The patrol log as a printable, self-contained HTML page and as an xlsx sheet. */
import { writeXlsx, type ExportColumn } from '../imports/export_writers.ts';
import { escapeHtml } from '../documents/render_document.ts';
import type { PatrolLog } from './service.ts';

const SHANGHAI = { timeZone: 'Asia/Shanghai', hour12: false } as const;
const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', SHANGHAI) : '—');
const KIND_ZH = { finding: '巡查发现', lead: '线索核实', reinspection: '复查' } as const;

function headLines(log: PatrolLog): [string, string][] {
  return [
    ['日期', log.date],
    ['巡查组', log.crew.name + (log.crew.jointUnit ? `（联合：${log.crew.jointUnit}）` : '')],
    ['巡查人员', log.crew.members.map((member) => member.name).join('、')],
    ['车辆', [log.vehicle.plate, log.vehicle.description].filter(Boolean).join(' ') || '—'],
    ['开始时间', time(log.startedAt)],
    ['结束时间', time(log.endedAt)],
    ['行驶里程', `${(log.distanceMeters / 1000).toFixed(1)} 公里`],
    ['天气', log.weather ?? '—'],
    ['完成进度', `${Math.round(log.progress * 100)}%`],
  ];
}

function coveredText(segment: PatrolLog['segments'][number]): string {
  return segment.coveredStakeRanges.map((range) => `${range.from}–${range.to}`).join('，') || '未巡查';
}

export function renderPatrolLogHtml(log: PatrolLog, nonce: string): string {
  const e = escapeHtml;
  const head = headLines(log).map(([label, value]) => `<tr><th>${e(label)}</th><td>${e(value)}</td></tr>`).join('');
  const segments = log.segments
    .map((s) => `<tr><td>${e(s.route)}</td><td>${e(`${s.stakeFrom}–${s.stakeTo}`)}</td><td>${e(coveredText(s))}</td><td>${Math.round(s.coveredShare * 100)}%</td><td>${s.covered ? '已巡查' : '未完成'}</td></tr>`)
    .join('');
  const findings = log.findings
    .map((f) => `<tr><td>${e(time(f.at))}</td><td>${e(KIND_ZH[f.kind])}</td><td>${e(f.categoryLabel)}</td><td>${e([f.route, f.stake].filter(Boolean).join(' '))}</td><td>${e(f.zoneLabel ?? '—')}</td><td>${e(f.handling)}</td></tr>`)
    .join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>巡查日志 ${e(log.date)} ${e(log.crew.name)}</title>
<style>body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#000}h1{text-align:center;font-size:22px}
table{border-collapse:collapse;width:100%;margin:12px 0}th,td{border:1px solid #000;padding:4px 6px;font-size:13px;text-align:left}
th{background:#eee;width:8em}h2{font-size:16px;margin-top:18px}@media print{button{display:none}}</style></head>
<body><button id="print">打印</button><h1>巡查日志</h1><table>${head}</table>
<h2>巡查路段及桩号范围</h2><table><tr><th>路线</th><th>路段桩号</th><th>已巡查桩号范围（轨迹）</th><th>覆盖</th><th>结果</th></tr>${segments || '<tr><td colspan="5">无</td></tr>'}</table>
<h2>发现问题及处理情况</h2><table><tr><th>时间</th><th>类型</th><th>问题</th><th>位置</th><th>所在区域</th><th>处理情况</th></tr>${findings || '<tr><td colspan="6">本次巡查未发现问题</td></tr>'}</table>
<h2>备注</h2><p>${e(log.note ?? '')}</p><p>巡查人员签名：________________　　负责人签名：________________</p>
<script nonce="${nonce}">document.getElementById('print').addEventListener('click',()=>window.print())</script></body></html>`;
}

const COLUMNS: readonly ExportColumn[] = [
  { key: 'section', header: '栏目' },
  { key: 'item', header: '项目' },
  { key: 'place', header: '路线/桩号' },
  { key: 'detail', header: '内容' },
  { key: 'result', header: '处理情况/结果' },
];

export async function writePatrolLogXlsx(log: PatrolLog): Promise<Buffer> {
  const rows = [
    ...headLines(log).map(([item, detail]) => ({ section: '基本情况', item, place: '', detail, result: '' })),
    ...log.segments.map((s) => ({ section: '巡查路段', item: s.route, place: `${s.stakeFrom}–${s.stakeTo}`, detail: coveredText(s), result: `${Math.round(s.coveredShare * 100)}% ${s.covered ? '已巡查' : '未完成'}` })),
    ...log.findings.map((f) => ({ section: KIND_ZH[f.kind], item: f.categoryLabel, place: [f.route, f.stake].filter(Boolean).join(' '), detail: `${time(f.at)} ${f.zoneLabel ?? ''}`.trim(), result: f.handling })),
  ];
  return writeXlsx('巡查日志', COLUMNS, rows);
}
