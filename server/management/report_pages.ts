/**
 * Printable pages (A4, print CSS) and xlsx workbooks: the campaign progress report and the
 * quarterly bulletin (季通报). Self-contained HTML: inline styles and SVG, no scripts.
 */
import ExcelJS from 'exceljs';
import type { CampaignProgress } from '../domain/campaign_forecast.ts';
import type { Rankings } from './rankings_service.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!);
}

const PAGE_STYLE = `
  @page { size: A4; margin: 16mm 14mm; }
  body { font-family: "Noto Sans SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #111; font-size: 11pt; margin: 0 auto; max-width: 182mm; }
  h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm; }
  .meta { text-align: center; color: #444; margin-bottom: 6mm; }
  table { border-collapse: collapse; width: 100%; margin: 4mm 0; }
  th, td { border: 1px solid #444; padding: 1.5mm 2mm; text-align: left; }
  td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
  .behind { color: #b00020; font-weight: 600; }
  .ok { color: #1b5e20; }
  svg { width: 100%; height: auto; }
  footer { margin-top: 8mm; color: #555; font-size: 9pt; }
  @media print { a { color: inherit; text-decoration: none; } }`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${PAGE_STYLE}</style></head><body>${body}</body></html>`;
}

/** The cumulative series as a small SVG line with the target line. */
function seriesSvg(progress: CampaignProgress): string {
  const width = 600;
  const height = 180;
  const points = progress.series;
  const top = Math.max(progress.target, points.at(-1)?.cleared ?? 0, 1);
  const x = (index: number) => (points.length <= 1 ? 0 : (index / (points.length - 1)) * (width - 20)) + 10;
  const y = (value: number) => height - 10 - (value / top) * (height - 20);
  const line = points.map((point, index) => `${x(index).toFixed(1)},${y(point.cleared).toFixed(1)}`).join(' ');
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="累计清理">
    <line x1="10" x2="${width - 10}" y1="${y(progress.target)}" y2="${y(progress.target)}" stroke="#b00020" stroke-dasharray="4 3"/>
    <polyline fill="none" stroke="#1565c0" stroke-width="2" points="${line}"/></svg>`;
}

export function renderCampaignReport(progress: CampaignProgress & { campaign: { name: string; startDate: string; deadline: string; jurisdiction: { name: string } } }): string {
  const campaign = progress.campaign;
  const rows = progress.byUnit
    .map(
      (unit) =>
        `<tr><td>${escapeHtml(unit.name)}</td><td class="n">${unit.target}</td><td class="n">${unit.cleared}</td><td class="n">${unit.remaining}</td><td>${unit.forecastFinishDate ?? '—'}</td><td class="${unit.onTrack ? 'ok' : 'behind'}">${unit.onTrack ? '按期' : '滞后'}</td></tr>`,
    )
    .join('');
  return page(
    `${campaign.name} 进度报告`,
    `<h1>${escapeHtml(campaign.name)} 进度报告</h1>
    <div class="meta">${escapeHtml(campaign.jurisdiction.name)} · ${campaign.startDate} 至 ${campaign.deadline} · 截至 ${progress.asOf}</div>
    <table><tr><th>目标</th><td class="n">${progress.target}</td><th>已清理</th><td class="n">${progress.cleared}</td><th>剩余</th><td class="n">${progress.remaining}</td><th>完成率</th><td class="n">${(progress.progress * 100).toFixed(1)}%</td></tr></table>
    ${seriesSvg(progress)}
    <p>按当前进度（日均 ${progress.ratePerDay === null ? '—' : progress.ratePerDay.toFixed(2)} 处）预计完成日期：<strong>${progress.forecastFinishDate ?? '无法预测（尚无清理）'}</strong>
    ${progress.earliestFinishDate ? `（90% 区间 ${progress.earliestFinishDate} 至 ${progress.latestFinishDate ?? '不确定'}）` : ''}，
    <span class="${progress.onTrack ? 'ok' : 'behind'}">${progress.onTrack ? '可按期完成' : '按当前进度无法按期完成'}</span>。</p>
    <table><thead><tr><th>单位</th><th class="n">目标</th><th class="n">已清理</th><th class="n">剩余</th><th>预计完成</th><th>进度</th></tr></thead><tbody>${rows}</tbody></table>
    <footer>预测方法：按活动开始以来的日均清理数（泊松过程）外推，90% 区间取计数的正态近似 k ± 1.645√k。</footer>`,
  );
}

export async function campaignWorkbook(progress: CampaignProgress & { campaign: { name: string } }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const units = workbook.addWorksheet('分单位进度');
  units.columns = [
    { header: '单位代码', key: 'code', width: 12 },
    { header: '单位', key: 'name', width: 20 },
    { header: '目标', key: 'target', width: 10 },
    { header: '已清理', key: 'cleared', width: 10 },
    { header: '剩余', key: 'remaining', width: 10 },
    { header: '预计完成', key: 'forecastFinishDate', width: 14 },
    { header: '按期', key: 'onTrack', width: 8 },
  ];
  for (const unit of progress.byUnit) units.addRow({ ...unit, onTrack: unit.onTrack ? '是' : '否' });
  units.addRow({ code: '合计', target: progress.target, cleared: progress.cleared, remaining: progress.remaining, forecastFinishDate: progress.forecastFinishDate, onTrack: progress.onTrack ? '是' : '否' });
  const series = workbook.addWorksheet('累计清理');
  series.columns = [
    { header: '日期', key: 'date', width: 14 },
    { header: '累计清理', key: 'cleared', width: 12 },
  ];
  for (const point of progress.series) series.addRow(point);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function renderBulletin(rankings: Rankings): string {
  const rules = rankings.units[0]?.lost ?? [];
  const head = rules.map((rule) => `<th class="n">${escapeHtml(rule.label.zh)}</th>`).join('');
  const rows = rankings.units
    .map(
      (unit) =>
        `<tr><td class="n">${unit.rank}</td><td>${escapeHtml(unit.name)}</td><td class="n"><strong>${unit.score.toFixed(2)}</strong></td>${unit.lost
          .map((item) => `<td class="n">${item.neutral ? '—' : item.points > 0 ? `−${item.points.toFixed(2)}（${item.count}）` : '0'}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  const kind = rankings.period.includes('Q') ? '季度通报' : '月度督查通报';
  return page(
    `${rankings.jurisdiction.name} ${rankings.period} ${kind}`,
    `<h1>${escapeHtml(rankings.jurisdiction.name)}路域环境管理${kind}</h1>
    <div class="meta">${rankings.period}（${rankings.from} 至 ${rankings.to}）· 评分办法第 ${rankings.formulaVersions.map((item) => `${item.version}`).filter((value, index, all) => all.indexOf(value) === index).join('、')} 版</div>
    <table><thead><tr><th class="n">名次</th><th>单位</th><th class="n">得分</th>${head}</tr></thead><tbody>${rows}</tbody></table>
    <footer>满分 100 分，各项扣分后括号内为涉及记录数；“—”表示该项暂无数据（巡查、督办模块上线后计分）。季度得分为各月得分的平均值，各月按当月有效的评分办法计分。</footer>`,
  );
}

export async function bulletinWorkbook(rankings: Rankings): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(`${rankings.period} 排名`);
  const rules = rankings.units[0]?.lost ?? [];
  sheet.columns = [
    { header: '名次', key: 'rank', width: 8 },
    { header: '单位代码', key: 'code', width: 12 },
    { header: '单位', key: 'name', width: 20 },
    { header: '得分', key: 'score', width: 10 },
    ...rules.flatMap((rule) => [
      { header: `${rule.label.zh}扣分`, key: `${rule.rule}_points`, width: 14 },
      { header: `${rule.label.zh}记录数`, key: `${rule.rule}_count`, width: 14 },
    ]),
  ];
  for (const unit of rankings.units) {
    sheet.addRow({
      rank: unit.rank,
      code: unit.code,
      name: unit.name,
      score: unit.score,
      ...Object.fromEntries(unit.lost.flatMap((item) => [[`${item.rule}_points`, item.points], [`${item.rule}_count`, item.count]])),
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
