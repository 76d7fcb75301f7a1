import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { ADMIN_CLASSES, ADMIN_CLASS_LABELS } from '@domain/admin_class';
import type { CampaignProgress } from '@domain/campaign_forecast';
import { DEFAULT_VIOLATION_CATEGORIES, VIOLATION_CATEGORY_RULES } from '@domain/violation_categories';
import { campaignReportUrl, createCampaign, fetchCampaignProgress, fetchCampaigns, type Campaign } from '../api/management';
import { can, useSession } from '../auth/session_store';
import { Header } from '../components/Header';
import { label } from '../i18n/domain_labels';
import { useI18n } from '../i18n/i18n';
import { EChart } from '../management/EChart';
import { errorText } from '../i18n/error_text';

function shanghaiToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function ProgressView({ campaignId }: { campaignId: number }) {
  const { language, t } = useI18n();
  const [progress, setProgress] = useState<(CampaignProgress & { campaign: Campaign }) | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    setProgress(null);
    fetchCampaignProgress(campaignId, controller.signal).then(setProgress, () => undefined);
    return () => controller.abort();
  }, [campaignId]);
  const option = useMemo(() => {
    if (!progress) return null;
    // The actual cumulative series, then the forecast at the current pace up to the forecast date.
    const dates = progress.series.map((point) => point.date);
    const forecast: (number | null)[] = progress.series.map((point, index) => (index === progress.series.length - 1 ? point.cleared : null));
    if (progress.forecastFinishDate && progress.forecastFinishDate > progress.asOf) {
      dates.push(progress.forecastFinishDate);
      forecast.push(progress.target);
    }
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('mgmt.campaigns.cleared'), t('mgmt.campaigns.forecast', { date: '', earliest: '', latest: '' }).split('（')[0]!.split('(')[0]!.trim()] },
      grid: { left: 44, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: dates },
      yAxis: { type: 'value', minInterval: 1, max: Math.max(progress.target, progress.cleared) },
      series: [
        {
          name: t('mgmt.campaigns.cleared'),
          type: 'line',
          data: [...progress.series.map((point) => point.cleared)],
          showSymbol: false,
          itemStyle: { color: '#1d5c47' },
          markLine: { symbol: 'none', data: [{ yAxis: progress.target, name: t('mgmt.campaigns.targetLine') }, { xAxis: progress.campaign.deadline }], lineStyle: { color: '#b00020', type: 'dashed' } },
        },
        { name: t('mgmt.campaigns.forecast', { date: '', earliest: '', latest: '' }).split('（')[0]!.split('(')[0]!.trim(), type: 'line', data: forecast, connectNulls: true, lineStyle: { type: 'dashed' }, itemStyle: { color: '#e0602b' } },
      ],
    };
  }, [progress, t]);
  if (!progress) return <p role="status">…</p>;
  return (
    <section className="mgmt-card" aria-label={progress.campaign.name}>
      <h2>{progress.campaign.name}</h2>
      <p>
        {t('mgmt.campaigns.summary', { cleared: progress.cleared, target: progress.target, remaining: progress.remaining })} ·{' '}
        <strong className={progress.onTrack ? 'mgmt-ok' : 'mgmt-behind'}>{progress.onTrack ? t('mgmt.campaigns.onTrack') : t('mgmt.campaigns.behind')}</strong>
      </p>
      <p className="mgmt-forecast">
        {progress.forecastFinishDate
          ? t('mgmt.campaigns.forecast', { date: progress.forecastFinishDate, earliest: progress.earliestFinishDate ?? '—', latest: progress.latestFinishDate ?? '—' })
          : t('mgmt.campaigns.noForecast')}
      </p>
      {option && <EChart option={option as never} language={language} label={t('mgmt.campaigns.progress')} />}
      <table className="mgmt-table">
        <thead>
          <tr>
            <th>{t('mgmt.unit')}</th>
            <th className="n">{t('mgmt.campaigns.targetLine')}</th>
            <th className="n">{t('mgmt.campaigns.cleared')}</th>
            <th>{t('mgmt.campaigns.progress')}</th>
          </tr>
        </thead>
        <tbody>
          {progress.byUnit.map((unit) => (
            <tr key={unit.code}>
              <td>{unit.name}</td>
              <td className="n">{unit.target}</td>
              <td className="n">{unit.cleared}</td>
              <td className={unit.onTrack ? 'mgmt-ok' : 'mgmt-behind'}>
                {unit.onTrack ? t('mgmt.campaigns.onTrack') : t('mgmt.campaigns.behind')} {unit.forecastFinishDate ?? ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href={campaignReportUrl(progress.campaign.id, 'html')} target="_blank" rel="noreferrer">
          {t('mgmt.campaigns.report')}
        </a>{' '}
        · <a href={campaignReportUrl(progress.campaign.id, 'xlsx')}>{t('mgmt.campaigns.xlsx')}</a>
      </p>
    </section>
  );
}

function CampaignForm({ onCreated }: { onCreated: (campaign: Campaign) => void }) {
  const { language, t } = useI18n();
  const today = shanghaiToday();
  const [name, setName] = useState('');
  const [startDate, setStartDate] = useState(today);
  const [deadline, setDeadline] = useState(today);
  const [target, setTarget] = useState('');
  const [categories, setCategories] = useState<string[]>([]);
  const [adminClasses, setAdminClasses] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const toggle = (list: string[], value: string) => (list.includes(value) ? list.filter((item) => item !== value) : [...list, value]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    createCampaign({
      name,
      scope: { ...(categories.length ? { categories } : {}), ...(adminClasses.length ? { adminClasses } : {}) },
      startDate,
      deadline,
      target: target.trim() === '' ? null : Number(target),
    }).then(onCreated, (problem: Error) => setError(errorText(problem, language)));
  };
  return (
    <form className="mgmt-card mgmt-form" onSubmit={submit} aria-label={t('mgmt.campaigns.new')}>
      <h2>{t('mgmt.campaigns.new')}</h2>
      <label>
        {t('mgmt.campaigns.name')}
        <input required value={name} onChange={(event) => setName(event.target.value)} name="name" />
      </label>
      <label>
        {t('mgmt.campaigns.start')}
        <input type="date" required value={startDate} onChange={(event) => setStartDate(event.target.value)} name="startDate" />
      </label>
      <label>
        {t('mgmt.campaigns.deadline')}
        <input type="date" required value={deadline} onChange={(event) => setDeadline(event.target.value)} name="deadline" />
      </label>
      <label>
        {t('mgmt.campaigns.target')}
        <input inputMode="numeric" pattern="[0-9]*" value={target} onChange={(event) => setTarget(event.target.value)} name="target" />
      </label>
      <fieldset>
        <legend>{t('mgmt.campaigns.categories')}</legend>
        {DEFAULT_VIOLATION_CATEGORIES.map((category) => (
          <label key={category} className="mgmt-check">
            <input type="checkbox" checked={categories.includes(category)} onChange={() => setCategories(toggle(categories, category))} />
            {label(VIOLATION_CATEGORY_RULES[category].label, language)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('mgmt.campaigns.adminClasses')}</legend>
        {ADMIN_CLASSES.map((adminClass) => (
          <label key={adminClass} className="mgmt-check">
            <input type="checkbox" checked={adminClasses.includes(adminClass)} onChange={() => setAdminClasses(toggle(adminClasses, adminClass))} />
            {label(ADMIN_CLASS_LABELS[adminClass], language)}
          </label>
        ))}
      </fieldset>
      {error && <p role="alert">{error}</p>}
      <button type="submit">{t('mgmt.campaigns.create')}</button>
    </form>
  );
}

/** 专项行动: list, create form, progress chart with the forecast. */
export function CampaignsPage({ onLoggedOut }: { onLoggedOut: () => void }) {
  const { t } = useI18n();
  const session = useSession();
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const load = useCallback(() => {
    fetchCampaigns().then((result) => {
      setCampaigns(result.items);
      setSelected((current) => current ?? result.items[0]?.id ?? null);
    }, () => setCampaigns([]));
  }, []);
  useEffect(load, [load]);
  return (
    <div className="app-shell">
      <Header onLoggedOut={onLoggedOut} page="campaigns" />
      <main className="mgmt-page">
        <div className="mgmt-toolbar">
          <h1>{t('mgmt.campaigns.title')}</h1>
          {can(session, 'campaigns.manage') && (
            <button type="button" onClick={() => setCreating(!creating)}>
              {t('mgmt.campaigns.new')}
            </button>
          )}
        </div>
        {creating && (
          <CampaignForm
            onCreated={(campaign) => {
              setCreating(false);
              setSelected(campaign.id);
              load();
            }}
          />
        )}
        <div className="mgmt-grid mgmt-grid-campaigns">
          <ul className="mgmt-list mgmt-card" aria-label={t('mgmt.campaigns.title')}>
            {campaigns?.length === 0 && <li>{t('mgmt.campaigns.empty')}</li>}
            {campaigns?.map((campaign) => (
              <li key={campaign.id}>
                <button type="button" aria-current={campaign.id === selected ? 'true' : undefined} onClick={() => setSelected(campaign.id)}>
                  <strong>{campaign.name}</strong>
                  <span className="mgmt-muted">
                    {campaign.startDate} – {campaign.deadline}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {selected !== null && <ProgressView key={selected} campaignId={selected} />}
        </div>
      </main>
    </div>
  );
}
