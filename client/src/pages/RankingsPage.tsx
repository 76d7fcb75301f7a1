import { useEffect, useState } from 'react';
import { bulletinUrl, fetchRankings, ledgerUrlOf, type Rankings } from '../api/management';
import { Header } from '../components/Header';
import { label } from '../i18n/domain_labels';
import { useI18n } from '../i18n/i18n';
import { navigateTo } from '../state/navigation';
import { errorText } from '../i18n/error_text';

function lastMonth(): string {
  const now = new Date(Date.now() + 8 * 3_600_000);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

/** 排名: unit scores for a month or quarter; each lost point opens the records behind it. */
export function RankingsPage({ onLoggedOut }: { onLoggedOut: () => void }) {
  const { language, t } = useI18n();
  const [period, setPeriod] = useState(() => new URLSearchParams(window.location.search).get('period') ?? lastMonth());
  const [data, setData] = useState<Rankings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  useEffect(() => {
    if (!/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/.test(period)) return;
    const controller = new AbortController();
    setError(null);
    fetchRankings(period, undefined, controller.signal).then(setData, (problem: Error) => {
      if (problem.name !== 'AbortError') setError(errorText(problem, language));
    });
    return () => controller.abort();
  }, [period]);
  return (
    <div className="app-shell">
      <Header onLoggedOut={onLoggedOut} page="rankings" />
      <main className="mgmt-page">
        <div className="mgmt-toolbar">
          <h1>{t('mgmt.rankings.title')}</h1>
          <label>
            {t('mgmt.rankings.period')} <input value={period} onChange={(event) => setPeriod(event.target.value.trim())} size={8} aria-label={t('mgmt.rankings.period')} placeholder="2026-10 / 2026-Q3" />
          </label>
          {data && <span className="mgmt-muted">{t('mgmt.rankings.formula', { version: data.formulaVersion })}</span>}
          {data && (
            <a href={bulletinUrl(data.period, 'html')} target="_blank" rel="noreferrer">
              {t('mgmt.rankings.bulletin')}
            </a>
          )}
          {data && <a href={bulletinUrl(data.period, 'xlsx')}>xlsx</a>}
        </div>
        {error && <p role="alert">{error}</p>}
        {data && (
          <table className="mgmt-table mgmt-rankings">
            <thead>
              <tr>
                <th className="n">{t('mgmt.rankings.rank')}</th>
                <th>{t('mgmt.unit')}</th>
                <th className="n">{t('mgmt.rankings.score')}</th>
                <th>{t('mgmt.rankings.lost')}</th>
              </tr>
            </thead>
            <tbody>
              {data.units.map((unit) => (
                <tr key={unit.code}>
                  <td className="n">{unit.rank}</td>
                  <td>
                    <button type="button" className="mgmt-link" aria-expanded={open === unit.code} onClick={() => setOpen(open === unit.code ? null : unit.code)}>
                      {unit.name}
                    </button>
                  </td>
                  <td className="n">
                    <strong>{unit.score.toFixed(2)}</strong>
                  </td>
                  <td>
                    <ul className="mgmt-lost">
                      {unit.lost
                        .filter((item) => open === unit.code || item.points > 0)
                        .map((item) => (
                          <li key={item.rule}>
                            {label(item.label, language)}{' '}
                            {item.neutral ? (
                              <span className="mgmt-muted">{t('mgmt.rankings.neutral')}</span>
                            ) : item.href && item.count > 0 ? (
                              <a
                                href={ledgerUrlOf(item.href)}
                                onClick={(event) => {
                                  event.preventDefault();
                                  navigateTo(ledgerUrlOf(item.href!));
                                }}
                              >
                                −{item.points.toFixed(2)}（{item.count}）
                              </a>
                            ) : (
                              <span>−{item.points.toFixed(2)}</span>
                            )}
                          </li>
                        ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
    </div>
  );
}
