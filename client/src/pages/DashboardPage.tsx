import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { VIOLATION_CATEGORY_RULES, type ViolationCategory } from '@domain/violation_categories';
import { CASE_STATUS_LABELS, type CaseStatus } from '@domain/case_workflow';
import { fetchDashboard, ledgerUrlOf, supervisionUrlOf, type Dashboard, type Figure } from '../api/management';
import { Header } from '../components/Header';
import { label } from '../i18n/domain_labels';
import { useI18n } from '../i18n/i18n';
import { createDensityMap } from '../management/density_map';
import { EChart } from '../management/EChart';
import { navigateTo } from '../state/navigation';
import { errorText } from '../i18n/error_text';

/** A figure as a link to the ledger list it counts. */
function FigureLink({ figure, children, className }: { figure: Figure; children: React.ReactNode; className?: string }) {
  const url = ledgerUrlOf(figure.href);
  return (
    <a
      className={className}
      href={url}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey) return;
        event.preventDefault();
        navigateTo(url);
      }}
    >
      {children}
    </a>
  );
}

function DensityMap({ cells, jurisdiction }: { cells: Dashboard['density']['cells']; jurisdiction: string }) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<ReturnType<typeof createDensityMap> | null>(null);
  useEffect(() => {
    map.current = createDensityMap(container.current!, (cell) =>
      navigateTo(`/violations?jurisdiction=${jurisdiction}&isViolation=true&status=reported,verified,notice_issued,rectifying,reminded,forced_removal&bbox=${cell.bbox.join(',')}`),
    );
    return () => map.current?.destroy();
  }, [jurisdiction]);
  useEffect(() => {
    void map.current?.setCells(cells);
  }, [cells]);
  return <div ref={container} className="mgmt-density-map" />;
}

/** 驾驶舱: the manager's home page. */
export function DashboardPage({ onLoggedOut }: { onLoggedOut: () => void }) {
  const { language, t } = useI18n();
  const [jurisdiction, setJurisdiction] = useState<string | undefined>(() => new URLSearchParams(window.location.search).get('jurisdiction') ?? undefined);
  const [data, setData] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    fetchDashboard({ jurisdiction }, controller.signal).then(setData, (problem: Error) => {
      if (problem.name !== 'AbortError') setError(errorText(problem, language));
    });
    return () => controller.abort();
  }, [jurisdiction]);

  const trendOption = useMemo(
    () =>
      data && {
        tooltip: { trigger: 'axis' },
        legend: { top: 0, data: [t('mgmt.trend.reported'), t('mgmt.trend.cleared')] },
        grid: { left: 40, right: 16, top: 36, bottom: 28 },
        xAxis: { type: 'category', data: data.trend.map((point) => point.month) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: t('mgmt.trend.reported'), type: 'bar', data: data.trend.map((point) => point.reported.value), itemStyle: { color: '#8aa39b' } },
          { name: t('mgmt.trend.cleared'), type: 'line', data: data.trend.map((point) => point.cleared.value), itemStyle: { color: '#1d5c47' } },
        ],
      },
    [data, t],
  );
  const onTrendClick = useCallback(
    (index: number, series: number) => {
      const point = data?.trend[index];
      if (point) navigateTo(ledgerUrlOf(series === 0 ? point.reported.href : point.cleared.href));
    },
    [data],
  );

  const categoryName = (category: string) => label(VIOLATION_CATEGORY_RULES[category as ViolationCategory]?.label, language, category);
  return (
    <div className="app-shell">
      <Header onLoggedOut={onLoggedOut} page="dashboard" />
      <main className="mgmt-page" aria-busy={data === null}>
        <div className="mgmt-toolbar">
          <h1>{t('mgmt.dashboard.title')}</h1>
          {data && (
            <label>
              {t('mgmt.unit')}{' '}
              <select value={jurisdiction ?? data.jurisdiction.code} onChange={(event) => setJurisdiction(event.target.value)} aria-label={t('mgmt.unit')}>
                <option value={data.jurisdiction.code}>{data.jurisdiction.name}</option>
                {data.units.map((unit) => (
                  <option key={unit.code} value={unit.code}>
                    　{unit.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          {data && <span className="mgmt-muted">{t('mgmt.period', { from: data.from, to: data.to })}</span>}
        </div>
        {error && <p role="alert">{error}</p>}
        {data && (
          <>
            <section className="mgmt-figures" aria-label={t('mgmt.dashboard.figures')}>
              <FigureLink figure={data.figures.open} className="mgmt-figure">
                <span className="mgmt-figure-value">{data.figures.open.value}</span>
                <span>{t('mgmt.figure.open')}</span>
              </FigureLink>
              <FigureLink figure={data.figures.overdue} className="mgmt-figure mgmt-figure-alert">
                <span className="mgmt-figure-value">{data.figures.overdue.value}</span>
                <span>{t('mgmt.figure.overdue')}</span>
              </FigureLink>
              <FigureLink figure={data.figures.cleared} className="mgmt-figure">
                <span className="mgmt-figure-value">{data.figures.cleared.value}</span>
                <span>{t('mgmt.figure.cleared')}</span>
              </FigureLink>
              <FigureLink figure={data.figures.clearanceRate.denominator} className="mgmt-figure">
                <span className="mgmt-figure-value">{data.figures.clearanceRate.value === null ? '—' : `${(data.figures.clearanceRate.value * 100).toFixed(1)}%`}</span>
                <span>{t('mgmt.figure.rate', { cleared: data.figures.reportedCleared.value, reported: data.figures.reported.value })}</span>
              </FigureLink>
            </section>
            <div className="mgmt-grid">
              <section className="mgmt-card">
                <h2>{t('mgmt.trend.title')}</h2>
                {trendOption && <EChart option={trendOption as never} language={language} label={t('mgmt.trend.title')} onClick={onTrendClick} />}
              </section>
              <section className="mgmt-card">
                <h2>{t('mgmt.density.title')}</h2>
                <DensityMap cells={data.density.cells} jurisdiction={data.jurisdiction.code} />
              </section>
              <section className="mgmt-card">
                <h2>{t('mgmt.median.title')}</h2>
                <table className="mgmt-table">
                  <thead>
                    <tr>
                      <th>{t('mgmt.category')}</th>
                      <th className="n">{t('mgmt.figure.cleared')}</th>
                      <th className="n">{t('mgmt.median.days')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.categories.map((row) => (
                      <tr key={row.category}>
                        <td>{categoryName(row.category)}</td>
                        <td className="n">
                          <FigureLink figure={row.cleared}>{row.cleared.value}</FigureLink>
                        </td>
                        <td className="n">{row.medianDaysToClear ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
              <section className="mgmt-card" data-testid="dashboard-supervision">
                <h2>{t('mgmt.supervision.title')}</h2>
                <p className="sup-figures">
                  {(['open', 'overdue', 'escalated'] as const).map((key) => (
                    <a key={key} href={supervisionUrlOf(data.supervision[key].href)} className={key === 'open' ? undefined : 'sup-overdue'} onClick={(event) => { event.preventDefault(); navigateTo(supervisionUrlOf(data.supervision[key].href)); }}>
                      {t(`mgmt.supervision.${key}`)} <strong>{data.supervision[key].value}</strong>
                    </a>
                  ))}
                </p>
                {data.supervision.escalatedItems.length > 0 && (
                  <ul className="sup-escalated">
                    {data.supervision.escalatedItems.map((item) => (
                      <li key={item.id}>
                        <a href={`/supervision?id=${item.id}`} onClick={(event) => { event.preventDefault(); navigateTo(`/supervision?id=${item.id}`); }}>
                          {item.supervisionNumber}
                        </a>{' '}
                        <span className="mgmt-muted">
                          {item.unit.name} · {item.responsible ? (item.responsible.name ?? item.responsible.username) : '—'} · {item.deadline}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section className="mgmt-card">
                <h2>
                  <FigureLink figure={{ value: data.figures.overdue.value, href: data.overdueList.href }}>{t('mgmt.overdue.title')}</FigureLink>
                </h2>
                <table className="mgmt-table">
                  <thead>
                    <tr>
                      <th>{t('mgmt.overdue.case')}</th>
                      <th>{t('mgmt.unit')}</th>
                      <th>{t('mgmt.overdue.person')}</th>
                      <th className="n">{t('mgmt.overdue.days')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.overdueList.items.map((item) => (
                      <tr key={item.id}>
                        <td>
                          <a href={`/violations?q=${encodeURIComponent(item.caseNumber ?? '')}`} onClick={(event) => { event.preventDefault(); navigateTo(`/violations?q=${encodeURIComponent(item.caseNumber ?? '')}`); }}>
                            {item.caseNumber ?? `#${item.id}`}
                          </a>{' '}
                          <span className="mgmt-muted">
                            {categoryName(item.category)} · {label(CASE_STATUS_LABELS[item.status as CaseStatus], language, item.status)}
                            {item.route ? ` · ${item.route} ${item.stake ?? ''}` : ''}
                          </span>
                        </td>
                        <td>{item.unit.name}</td>
                        <td>{item.responsible ? (item.responsible.name ?? item.responsible.username) : '—'}</td>
                        <td className="n">{item.daysOverdue}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            </div>
          </>
        )}
      </main>
    </div>
  );
}
