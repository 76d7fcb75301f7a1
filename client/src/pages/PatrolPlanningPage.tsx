import { useMemo, useState } from 'react';
import { PATROL_TASK_KIND_LABELS, SEGMENT_DUE_REASON_LABELS, formatShiftMinutes, shanghaiDate, type SegmentDueReason } from '@domain/patrol_rules';
import { ADMIN_CLASS_LABELS } from '@domain/admin_class';
import { fetchJurisdictions, recentArchivePeriod, unitArchiveUrl } from '../api/endpoints';
import { fetchCrews, fetchDueSegments, fetchDueTasks, type Crew } from '../api/patrols';
import { useQuery } from '../api/query_cache';
import type { JurisdictionCollection } from '../api/types';
import { useSession } from '../auth/session_store';
import { Header } from '../components/Header';
import { CrewForm } from '../components/patrols/CrewForm';
import { LiveCrewsPanel, useLiveCrews } from '../components/patrols/LiveCrewsPanel';
import { PatrolDueMap } from '../components/patrols/PatrolDueMap';
import { PlanPanel } from '../components/patrols/PlanPanel';
import type { PatrolPlan } from '../api/patrol_plans';
import type { DueSegmentCollection } from '../api/patrols';
import { patrolRouteFeatures } from '../map/overlays/patrol_routes_overlay';
import { ListQueryStates } from '../components/violations/common';
import { formatNumber, useI18n } from '../i18n/i18n';
import { DUE_COLOURS } from '../map/overlays/patrol_due_overlay';

function reasonColour(reasons: readonly SegmentDueReason[]): string {
  if (reasons.includes('overdue')) return DUE_COLOURS.overdue;
  if (reasons.includes('never_patrolled')) return DUE_COLOURS.never_patrolled;
  if (reasons.includes('interval_elapsed')) return DUE_COLOURS.interval_elapsed;
  return DUE_COLOURS.task;
}

/** 巡查计划: what is due on a date in a jurisdiction (map and list, with why) and the crews who patrol it. */
export function PatrolPlanningPage({ onLoggedOut }: { onLoggedOut: () => void }) {
  const { t, language, direction } = useI18n();
  const session = useSession();
  const own = session.status === 'authenticated' ? session.user.jurisdiction : null;
  const [date, setDate] = useState(shanghaiDate());
  const [jurisdiction, setJurisdiction] = useState(own?.code ?? '');
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [editing, setEditing] = useState<Crew | 'new' | null>(null);
  const [plan, setPlan] = useState<PatrolPlan | null>(null);
  const lang = language === 'en' ? 'en' : 'zh';

  // The query cache refetches on a new key: a save or a retry bumps the revision.
  const [revision, setRevision] = useState(0);
  const key = `${date}:${jurisdiction}:${revision}`;
  const due = useQuery(`patrol-due:${key}`, () => fetchDueSegments(date, jurisdiction || undefined));
  const tasks = useQuery(`patrol-tasks:${key}`, () => fetchDueTasks(date, jurisdiction || undefined));
  const crews = useQuery(`crews:${key}`, () => fetchCrews(date, jurisdiction || undefined));
  const districts = useQuery<JurisdictionCollection>('jurisdictions:0', () => fetchJurisdictions());
  const districtOptions = useMemo(() => {
    const below = (districts.data?.features ?? []).map((feature) => feature.properties).filter((properties) => own && own.level !== 'district' && properties.code !== own.code);
    return [...(own ? [{ code: own.code, name: own.name }] : []), ...below.sort((a, b) => a.code.localeCompare(b.code))];
  }, [districts.data, own]);

  const rows = due.data?.features ?? [];
  const totalKm = rows.reduce((sum, feature) => sum + feature.properties.lengthMeters, 0) / 1000;
  const overdueCount = rows.filter((feature) => feature.properties.reasons.includes('overdue')).length;
  const reload = () => setRevision((value) => value + 1);
  // Crews under way exist only today: the live layer and list show on today's plan.
  const isToday = date === shanghaiDate();
  const live = useLiveCrews(jurisdiction, isToday);

  // With a plan on the map, the due overlay keeps only what the plan leaves unassigned; the routes
  // overlay draws the rest in the crews' colours.
  const shownPlan = plan && (plan.status === 'ready' || plan.status === 'published') ? plan : null;
  const routes = useMemo(() => {
    if (!shownPlan) return undefined;
    const lines = new Map((due.data?.features ?? []).map((feature) => [feature.properties.id, feature.geometry]));
    return patrolRouteFeatures(shownPlan.assignments, lines);
  }, [shownPlan, due.data]);
  const mapSegments = useMemo<DueSegmentCollection | undefined>(() => {
    if (!shownPlan || !due.data) return due.data;
    const served = new Set(shownPlan.assignments.flatMap((assignment) => assignment.segments.map((segment) => segment.segmentId)));
    return { ...due.data, features: due.data.features.filter((feature) => !served.has(feature.properties.id)) };
  }, [shownPlan, due.data]);

  return (
    <div className="app-shell">
      <Header onLoggedOut={onLoggedOut} page="patrols" />
      <main className="det-page patrol-page" data-testid="patrol-planning">
        <section className="det-queue" aria-label={t('patrol.due')}>
          <div className="ledger-toolbar">
            <h1 className="ledger-title">{t('patrol.title')}</h1>
            <span className="ledger-total" data-testid="patrol-due-total">
              {due.status === 'success' ? t('patrol.summary', { count: rows.length, km: formatNumber(language, totalKm, 1), overdue: overdueCount, tasks: tasks.data?.features.length ?? 0 }) : '\u00a0'}
            </span>
          </div>
          <form className="ledger-filters det-filters" aria-label={t('patrol.filters')} onSubmit={(event) => event.preventDefault()}>
            <label className="filter-field">
              <span>{t('patrol.date')}</span>
              <input type="date" value={date} onChange={(event) => event.target.value && setDate(event.target.value)} data-testid="patrol-date" />
            </label>
            <label className="filter-field">
              <span>{t('patrol.jurisdiction')}</span>
              <select value={jurisdiction} onChange={(event) => setJurisdiction(event.target.value)} data-testid="patrol-jurisdiction">
                {districtOptions.map((option) => (
                  <option key={option.code} value={option.code}>
                    {option.name}
                  </option>
                ))}
              </select>
            </label>
          </form>
          {jurisdiction && (
            <p className="form-hint" data-testid="unit-archive">
              {t('archive.unit')}{' '}
              <a href={unitArchiveUrl(jurisdiction, 'html', recentArchivePeriod(30))} target="_blank" rel="noreferrer">
                {t('archive.print')}
              </a>{' '}
              · <a href={unitArchiveUrl(jurisdiction, 'xlsx', recentArchivePeriod(30))}>{t('archive.xlsx')}</a>
            </p>
          )}

          <PlanPanel date={date} jurisdiction={jurisdiction} isToday={isToday} selectedSegmentId={selectedId} onSelectSegment={setSelectedId} onPlan={setPlan} />

          <div className="patrol-legend" aria-label={t('patrol.legend')}>
            {(['overdue', 'never_patrolled', 'interval_elapsed'] as const).map((reason) => (
              <span key={reason} className="patrol-legend-item">
                <span className="patrol-swatch" style={{ background: DUE_COLOURS[reason] }} aria-hidden="true" />
                {SEGMENT_DUE_REASON_LABELS[reason][lang]}
              </span>
            ))}
            <span className="patrol-legend-item">
              <span className="patrol-swatch" style={{ background: DUE_COLOURS.task }} aria-hidden="true" />
              {t('patrol.tasksOnly')}
            </span>
          </div>

          <div className="det-list-wrap">
            <ListQueryStates
              status={due.status}
              error={due.error}
              isEmpty={rows.length === 0}
              onRetry={reload}
              emptyTestId="patrol-due-empty"
              text={{ loading: t('patrol.loading'), error: (message) => t('patrol.loadFailed', { message }), retry: t('patrol.retry'), emptyTitle: t('patrol.noneDue'), emptyHint: t('patrol.noneDueHint') }}
            />
            <ul className="patrol-due-list" data-testid="patrol-due-list">
              {rows.map(({ properties: segment }) => (
                <li key={segment.id}>
                  <button type="button" className={`patrol-due-row${segment.id === selectedId ? ' is-selected' : ''}`} aria-pressed={segment.id === selectedId} onClick={() => setSelectedId(segment.id)}>
                    <span className="patrol-swatch" style={{ background: reasonColour(segment.reasons) }} aria-hidden="true" />
                    <span className="patrol-due-where">
                      <strong>{segment.route}</strong> {direction(segment.direction)} {segment.stakeFrom}–{segment.stakeTo}
                      <span className="form-hint"> · {ADMIN_CLASS_LABELS[segment.adminClass][lang]}</span>
                    </span>
                    <span className="patrol-due-why">
                      {segment.reasons.map((reason) => SEGMENT_DUE_REASON_LABELS[reason][lang]).join('、')}
                      {segment.overdueDays > 0 && ` (${t('patrol.overdueDays', { days: segment.overdueDays })})`}
                      {' · '}
                      {segment.lastPatrolledAt ? t('patrol.lastPatrol', { days: segment.daysSincePatrol ?? 0 }) : t('patrol.neverPatrolled')}
                      {' · '}
                      {t('patrol.interval', { days: segment.intervalDays })}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            {(tasks.data?.features.length ?? 0) > 0 && (
              <>
                <h2 className="patrol-subtitle">{t('patrol.pointTasks')}</h2>
                <ul className="patrol-due-list" data-testid="patrol-task-list">
                  {tasks.data!.features.map(({ properties: task }) => (
                    <li key={task.id} className="patrol-task-row">
                      <span className="patrol-swatch is-round" style={{ background: DUE_COLOURS.task }} aria-hidden="true" />
                      <span>
                        <strong>{PATROL_TASK_KIND_LABELS[task.kind][lang]}</strong> {task.route ?? ''} {task.stake ?? ''} {task.caseNumber ? `· ${task.caseNumber}` : ''}
                        {task.overdueDays > 0 && <span className="form-hint"> · {t('patrol.overdueDays', { days: task.overdueDays })}</span>}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        </section>

        <section className="det-review patrol-side" aria-label={t('patrol.map.label')}>
          <PatrolDueMap segments={mapSegments} tasks={tasks.data} selectedId={selectedId} onSelect={setSelectedId} routes={routes} liveCrews={live.crews} />
          <div className="det-detail" data-testid="crew-panel">
            {isToday && <LiveCrewsPanel live={live} />}
            <div className="ledger-toolbar">
              <h2 className="patrol-subtitle">{t('crew.title')}</h2>
              <div className="ledger-tools">
                <button type="button" className="button-primary" onClick={() => setEditing('new')} data-testid="crew-create">
                  {t('crew.create')}
                </button>
              </div>
            </div>
            <ul className="crew-list" data-testid="crew-list">
              {(crews.data?.items ?? []).map((crew) => (
                <li key={crew.id} className="crew-row">
                  <div>
                    <strong>{crew.name}</strong>
                    {crew.jointUnit && <span className="det-chip is-field"> {t('crew.joint', { unit: crew.jointUnit })}</span>}
                    {crew.onDate && !crew.onDate.available && <span className="det-chip"> {t('crew.unavailable')}</span>}
                    <div className="form-hint">
                      {crew.members.map((member) => member.displayName ?? member.username).join('、')} · {crew.vehicle.plate ?? '—'} · {formatShiftMinutes(crew.shiftStartMinutes)}–{formatShiftMinutes(crew.shiftEndMinutes)}
                      {crew.baseName ? ` · ${crew.baseName}` : ''}
                      {crew.baseNode ? ` (${t('crew.snapped', { meters: Math.round(crew.baseNode.distanceMeters) })})` : ''}
                    </div>
                  </div>
                  <button type="button" className="button-secondary" onClick={() => setEditing(crew)} data-testid={`crew-edit-${crew.id}`}>
                    {t('crew.editShort')}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        </section>
      </main>
      {editing && (
        <CrewForm
          crew={editing === 'new' ? null : editing}
          jurisdiction={editing === 'new' ? jurisdiction : editing.jurisdiction}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            reload();
          }}
        />
      )}
    </div>
  );
}
