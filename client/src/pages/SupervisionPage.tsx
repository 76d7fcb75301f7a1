import { useEffect, useState, type FormEvent } from 'react';
import {
  OPEN_SUPERVISION_STATUSES,
  SATISFACTION_LABELS,
  SATISFACTION_LEVELS,
  SUPERVISION_EVENT_LABELS,
  SUPERVISION_STATUS_LABELS,
  SUPERVISION_STATUSES,
  SUPERVISION_WORKFLOW,
  type Satisfaction,
  type SupervisionEvent,
} from '@domain/supervision_workflow';
import { ApiError } from '../api/api_error';
import { fetchJurisdictions } from '../api/endpoints';
import { invalidateCached, useQuery } from '../api/query_cache';
import { createSupervision, fetchSupervision, fetchSupervisions, transitionSupervision, type NewSupervision, type Supervision, type SupervisionDetail } from '../api/supervisions';
import { can, useSession } from '../auth/session_store';
import { Header } from '../components/Header';
import { label } from '../i18n/domain_labels';
import { formatDateTime } from '../i18n/format_time';
import { useI18n } from '../i18n/i18n';
import { navigateTo } from '../state/navigation';
import { errorText as translateError } from '../i18n/error_text';

/** The server's message in the UI language when the catalogue has the code (v.error.<CODE>), else its own text. */
function useErrorText() {
  const { language } = useI18n();
  return (error: unknown) => translateError(error, language);
}

function todayInShanghai(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function plusDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * 督办: managers issue and follow supervision items (交办 → 承办 → 督办 → 办结 → 回访); the officer
 * named responsible sees theirs ("mine") and answers them. A case's drawer links here with
 * `?violationId=` (its items) and `?create=case&violationId=` (supervise it).
 */
export function SupervisionPage({ onLoggedOut }: { onLoggedOut: () => void }) {
  const { language, t } = useI18n();
  const session = useSession();
  const isManager = can(session, 'supervisions.manage');
  const params = new URLSearchParams(window.location.search);
  const violationId = params.get('violationId') ? Number(params.get('violationId')) : undefined;
  const escalatedWithin = params.get('escalatedWithin') ?? undefined;
  const [status, setStatus] = useState(params.get('status') ?? '');
  const [overdue, setOverdue] = useState(params.get('overdue') === 'true');
  const [mine, setMine] = useState(params.get('mine') === 'true' || (!isManager && params.get('mine') !== 'false'));
  const [unit, setUnit] = useState(params.get('unit') ?? '');
  const [selected, setSelected] = useState<number | null>(params.get('id') ? Number(params.get('id')) : null);
  const [creating, setCreating] = useState(isManager && params.get('create') !== null);
  const [reload, setReload] = useState(0);
  const [list, setList] = useState<{ items: Supervision[]; numberMatched: number; numberMatchedIsEstimate?: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const errorText = useErrorText();
  const jurisdictions = useQuery('jurisdictions:supervision', () => fetchJurisdictions());

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    fetchSupervisions({ status: status || undefined, overdue: overdue || undefined, mine: mine || undefined, unit: unit || undefined, violationId, escalatedWithin }, controller.signal).then(setList, (problem: Error) => {
      if (problem.name !== 'AbortError') setError(errorText(problem));
    });
    return () => controller.abort();
    // errorText is recreated per render; the language switch re-renders the list anyway.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [status, overdue, mine, unit, violationId, escalatedWithin, reload]);

  const units = jurisdictions.status === 'success' ? jurisdictions.data.features.map((feature) => feature.properties) : [];
  const statusName = (value: string) => label(SUPERVISION_STATUS_LABELS[value as keyof typeof SUPERVISION_STATUS_LABELS], language, value);
  return (
    <div className="app-shell">
      <Header onLoggedOut={onLoggedOut} page="supervision" />
      <main className="mgmt-page">
        <div className="mgmt-toolbar">
          <h1>{t('sup.title')}</h1>
          <label>
            {t('sup.filter.status')}{' '}
            <select value={status} onChange={(event) => setStatus(event.target.value)} aria-label={t('sup.filter.status')}>
              <option value="">{t('sup.filter.all')}</option>
              <option value={OPEN_SUPERVISION_STATUSES.join(',')}>{t('sup.filter.open')}</option>
              {SUPERVISION_STATUSES.map((value) => (
                <option key={value} value={value}>
                  {statusName(value)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('mgmt.unit')}{' '}
            <select value={unit} onChange={(event) => setUnit(event.target.value)} aria-label={t('mgmt.unit')}>
              <option value="">{t('sup.filter.all')}</option>
              {units.map((item) => (
                <option key={item.code} value={item.code}>
                  {item.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input type="checkbox" checked={overdue} onChange={(event) => setOverdue(event.target.checked)} /> {t('sup.filter.overdue')}
          </label>
          <label>
            <input type="checkbox" checked={mine} onChange={(event) => setMine(event.target.checked)} /> {t('sup.filter.mine')}
          </label>
          {violationId !== undefined && <span className="mgmt-muted">{t('sup.filter.case', { id: violationId })}</span>}
          {escalatedWithin !== undefined && <span className="mgmt-muted">{t('mgmt.supervision.escalated')}</span>}
          {isManager && (
            <button type="button" className="button-primary" onClick={() => setCreating(true)}>
              {t('sup.new')}
            </button>
          )}
        </div>
        {error && <p role="alert">{error}</p>}
        {creating && (
          <CreateSupervisionForm
            violationId={params.get('create') === 'case' ? violationId : undefined}
            units={units}
            onCancel={() => setCreating(false)}
            onCreated={(created) => {
              setCreating(false);
              setSelected(created.id);
              setReload((n) => n + 1);
            }}
          />
        )}
        <div className="sup-layout">
          <section className="mgmt-card" aria-label={t('sup.list')}>
            {list && <p className="mgmt-muted">{t(list.numberMatchedIsEstimate ? 'sup.countEstimate' : 'sup.count', { count: list.numberMatched })}</p>}
            {list && list.items.length === 0 && <p className="mgmt-muted">{t('sup.empty')}</p>}
            <table className="mgmt-table sup-table">
              <thead>
                <tr>
                  <th>{t('sup.number')}</th>
                  <th>{t('sup.subject')}</th>
                  <th>{t('sup.responsible')}</th>
                  <th>{t('sup.deadline')}</th>
                  <th>{t('sup.status')}</th>
                </tr>
              </thead>
              <tbody>
                {list?.items.map((item) => (
                  <tr key={item.id} className={item.id === selected ? 'is-selected' : undefined} data-testid="supervision-row">
                    <td>
                      <button type="button" className="link-button" onClick={() => setSelected(item.id)}>
                        {item.supervisionNumber}
                      </button>
                      {item.assignedToMe && <span className="sup-badge">{t('sup.mine')}</span>}
                    </td>
                    <td>{item.case ? t('sup.subject.case', { number: item.case.caseNumber ?? `#${item.case.id}` }) : t('sup.subject.backlog', { count: item.backlog?.casesWhenIssued ?? 0 })}</td>
                    <td>
                      {item.responsibleUnit.name} · {item.responsible.name ?? item.responsible.username}
                    </td>
                    <td className={item.overdue ? 'sup-overdue' : undefined}>
                      {item.deadline}
                      {item.overdue && ` · ${t('sup.overdue')}`}
                      {item.escalatedTo && <span className="mgmt-muted"> {t('sup.escalatedTo', { unit: item.escalatedTo.name })}</span>}
                    </td>
                    <td>{statusName(item.status)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {selected !== null && <SupervisionDetailPanel id={selected} key={`${selected}:${reload}`} onChanged={() => setReload((n) => n + 1)} />}
        </div>
      </main>
    </div>
  );
}

function CreateSupervisionForm({
  violationId,
  units,
  onCancel,
  onCreated,
}: {
  violationId: number | undefined;
  units: { code: string; name: string }[];
  onCancel: () => void;
  onCreated: (created: SupervisionDetail) => void;
}) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [subject, setSubject] = useState<'case' | 'backlog'>(violationId !== undefined ? 'case' : 'backlog');
  const [caseId, setCaseId] = useState(violationId !== undefined ? String(violationId) : '');
  const [jurisdiction, setJurisdiction] = useState('');
  const [responsibleUsername, setResponsibleUsername] = useState('');
  const [deadline, setDeadline] = useState(plusDays(todayInShanghai(), 7));
  const [instructions, setInstructions] = useState('');
  const [candidates, setCandidates] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const body: NewSupervision =
      subject === 'case'
        ? { subject, violationId: Number(caseId), responsibleUsername, deadline, instructions }
        : { subject, jurisdiction, backlog: { overdue: true }, responsibleUsername, deadline, instructions };
    try {
      onCreated(await createSupervision(body));
    } catch (error) {
      setProblem(errorText(error));
      // The server names who may be responsible: offer them.
      if (error instanceof ApiError && error.code === 'RESPONSIBLE_PERSON_INVALID') setCandidates(((error.details as { candidates?: string[] })?.candidates ?? []) as string[]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="mgmt-card sup-form" onSubmit={submit} aria-label={t('sup.new')}>
      <h2>{t('sup.new')}</h2>
      <fieldset>
        <legend>{t('sup.subject')}</legend>
        <label>
          <input type="radio" name="subject" checked={subject === 'case'} onChange={() => setSubject('case')} /> {t('sup.subject.caseOption')}
        </label>
        <label>
          <input type="radio" name="subject" checked={subject === 'backlog'} onChange={() => setSubject('backlog')} /> {t('sup.subject.backlogOption')}
        </label>
      </fieldset>
      {subject === 'case' ? (
        <label>
          {t('sup.form.case')} <input value={caseId} onChange={(event) => setCaseId(event.target.value)} inputMode="numeric" required />
        </label>
      ) : (
        <label>
          {t('mgmt.unit')}{' '}
          <select value={jurisdiction} onChange={(event) => setJurisdiction(event.target.value)} required>
            <option value="" />
            {units.map((item) => (
              <option key={item.code} value={item.code}>
                {item.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t('sup.form.responsible')} <input value={responsibleUsername} onChange={(event) => setResponsibleUsername(event.target.value)} list="sup-candidates" required />
        <datalist id="sup-candidates">
          {candidates.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </label>
      <label>
        {t('sup.deadline')} <input type="date" value={deadline} min={todayInShanghai()} onChange={(event) => setDeadline(event.target.value)} required />
      </label>
      <label className="sup-wide">
        {t('sup.form.instructions')} <textarea value={instructions} onChange={(event) => setInstructions(event.target.value)} rows={3} maxLength={4000} required />
      </label>
      {problem && (
        <p role="alert" className="sup-error">
          {problem}
          {candidates.length > 0 && ` ${t('sup.form.candidates', { names: candidates.join('、') })}`}
        </p>
      )}
      <div className="action-buttons">
        <button type="submit" className="button-primary" disabled={busy}>
          {t('sup.form.submit')}
        </button>
        <button type="button" className="button-secondary" onClick={onCancel}>
          {t('sup.form.cancel')}
        </button>
      </div>
    </form>
  );
}

function SupervisionDetailPanel({ id, onChanged }: { id: number; onChanged: () => void }) {
  const { language, t } = useI18n();
  const errorText = useErrorText();
  const [detail, setDetail] = useState<SupervisionDetail | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [satisfaction, setSatisfaction] = useState<Satisfaction | ''>('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    fetchSupervision(id, controller.signal).then(setDetail, (error: Error) => {
      if (error.name !== 'AbortError') setProblem(errorText(error));
    });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);
  if (!detail) return <section className="mgmt-card">{problem ? <p role="alert">{problem}</p> : t('sup.loading')}</section>;

  const send = async (event: SupervisionEvent) => {
    setBusy(true);
    setProblem(null);
    try {
      const changed = await transitionSupervision(detail.id, { event, expectedVersion: detail.version, note: note.trim() || undefined, satisfaction: satisfaction || undefined });
      setDetail({ ...detail, ...changed });
      setNote('');
      setSatisfaction('');
      // The navigation badge counts open items naming the user.
      invalidateCached('supervisions:');
      onChanged();
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setBusy(false);
    }
  };
  // The buttons come from the same table as the server's (supervision_workflow.ts); the server also
  // says which of them this user may press (an officer only on items naming them).
  const needs = (event: SupervisionEvent) => {
    const step = SUPERVISION_WORKFLOW.nextTransition(detail.status, event, 'manager');
    return step.ok ? step.requires : [];
  };
  const needsNote = detail.allowedEvents.some((event) => needs(event).includes('note'));
  const needsSatisfaction = detail.allowedEvents.some((event) => needs(event).includes('satisfaction'));
  return (
    <section className="mgmt-card sup-detail" aria-label={detail.supervisionNumber} data-testid="supervision-detail">
      <h2>
        {detail.supervisionNumber} · {label(SUPERVISION_STATUS_LABELS[detail.status], language, detail.status)}
      </h2>
      <dl className="sup-facts">
        <dt>{t('sup.subject')}</dt>
        <dd>
          {detail.case ? (
            <a
              href={`/violations?q=${encodeURIComponent(detail.case.caseNumber ?? '')}`}
              onClick={(event) => {
                event.preventDefault();
                navigateTo(`/violations?q=${encodeURIComponent(detail.case?.caseNumber ?? '')}`);
              }}
            >
              {t('sup.subject.case', { number: detail.case.caseNumber ?? `#${detail.case.id}` })}
            </a>
          ) : (
            t('sup.subject.backlog', { count: detail.backlog?.casesWhenIssued ?? 0 })
          )}
        </dd>
        <dt>{t('sup.issuedBy')}</dt>
        <dd>{detail.issuingUnit.name}</dd>
        <dt>{t('sup.responsible')}</dt>
        <dd>
          {detail.responsibleUnit.name} · {detail.responsible.name ?? detail.responsible.username}
        </dd>
        <dt>{t('sup.deadline')}</dt>
        <dd className={detail.overdue ? 'sup-overdue' : undefined}>
          {detail.deadline}
          {detail.overdue && ` · ${t('sup.overdue')}`}
          {detail.escalatedTo && ` · ${t('sup.escalatedTo', { unit: detail.escalatedTo.name })}`}
        </dd>
        <dt>{t('sup.instructions')}</dt>
        <dd>{detail.instructions}</dd>
        {detail.urgeCount > 0 && (
          <>
            <dt>{t('sup.urged')}</dt>
            <dd>{detail.urgeCount}</dd>
          </>
        )}
        {detail.satisfaction && (
          <>
            <dt>{t('sup.satisfaction')}</dt>
            <dd>{label(SATISFACTION_LABELS[detail.satisfaction], language, detail.satisfaction)}</dd>
          </>
        )}
      </dl>
      <h3>{t('sup.timeline')}</h3>
      <ol className="sup-timeline">
        {detail.events.map((event) => (
          <li key={event.id}>
            <strong>{event.event === 'assign' ? t('sup.event.assign') : label(SUPERVISION_EVENT_LABELS[event.event as SupervisionEvent], language, event.event)}</strong>{' '}
            <span className="mgmt-muted">
              {formatDateTime(event.occurredAt, language)} · {event.actor}
            </span>
            {event.note && <div>{event.note}</div>}
          </li>
        ))}
      </ol>
      {detail.allowedEvents.length > 0 && (
        <div className="sup-actions" data-testid="supervision-actions">
          {needsNote && (
            <label className="sup-wide">
              {t('sup.note')} <textarea value={note} onChange={(event) => setNote(event.target.value)} rows={2} maxLength={4000} />
            </label>
          )}
          {needsSatisfaction && (
            <label>
              {t('sup.satisfaction')}{' '}
              <select value={satisfaction} onChange={(event) => setSatisfaction(event.target.value as Satisfaction | '')} aria-label={t('sup.satisfaction')}>
                <option value="" />
                {SATISFACTION_LEVELS.map((level) => (
                  <option key={level} value={level}>
                    {label(SATISFACTION_LABELS[level], language, level)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <div className="action-buttons">
            {detail.allowedEvents.map((event, index) => (
              <button key={event} type="button" className={index === 0 ? 'button-primary' : 'button-secondary'} disabled={busy} data-event={event} onClick={() => void send(event)}>
                {label(SUPERVISION_EVENT_LABELS[event], language, event)}
              </button>
            ))}
          </div>
        </div>
      )}
      {problem && (
        <p role="alert" className="sup-error">
          {problem}
        </p>
      )}
    </section>
  );
}
