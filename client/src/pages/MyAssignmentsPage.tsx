import { useState } from 'react';
import { allowedAssignmentEvents, ASSIGNMENT_EVENT_LABELS, ASSIGNMENT_STATUS_LABELS, type AssignmentEvent } from '@domain/patrol_assignment_workflow';
import { PATROL_TASK_KIND_LABELS, shanghaiDate, type PatrolTaskKind } from '@domain/patrol_rules';
import { isRole } from '@domain/roles';
import { ApiError } from '../api/api_error';
import { fetchAssignments, transitionAssignment, type Assignment } from '../api/patrol_plans';
import { useQuery } from '../api/query_cache';
import { useSession } from '../auth/session_store';
import { Header } from '../components/Header';
import { ListQueryStates } from '../components/violations/common';
import { formatNumber, hasMessage, useI18n, type MessageKey } from '../i18n/i18n';
import { errorText } from '../i18n/error_text';

/** Stored task kinds (PATROL_CONTRACT.md) → the due rules' kinds, whose labels the domain has. */
const TASK_KIND_OF_STORED: Readonly<Record<string, PatrolTaskKind>> = { lead_verification: 'field_verification', reinspection: 'reinspection', deadline_check: 'notice_deadline' };

function hoursMinutes(minutes: number): string {
  const whole = Math.round(minutes);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** One assignment with the buttons its status allows the user's role (the workflow's own table). */
function AssignmentCard({ assignment, role, onChanged }: { assignment: Assignment; role: string; onChanged: () => void }) {
  const { t, language } = useI18n();
  const lang = language === 'en' ? 'en' : 'zh';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const events = isRole(role) ? allowedAssignmentEvents(assignment.status, role) : [];

  const send = async (event: AssignmentEvent, withReason?: string) => {
    setBusy(true);
    setError(null);
    try {
      await transitionAssignment(assignment.id, { event, expectedVersion: assignment.version, ...(withReason ? { reason: withReason } : {}) });
      setDeclining(false);
      onChanged();
    } catch (caught) {
      const key = caught instanceof ApiError ? `plan.error.${caught.code}` : '';
      setError(hasMessage(key) ? t(key as MessageKey) : errorText(caught, language));
      if (caught instanceof ApiError && caught.status === 409) onChanged();
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="assignment-card" data-testid={`assignment-${assignment.id}`}>
      <div className="plan-crew-head">
        <strong>{assignment.crewName}</strong>
        <span className="det-chip" data-testid="assignment-status">
          {ASSIGNMENT_STATUS_LABELS[assignment.status][lang]}
        </span>
        <span className="form-hint">
          {assignment.date} ·{' '}
          {t('myAssignments.figures', {
            km: formatNumber(language, assignment.distanceMeters / 1000, 1),
            duration: hoursMinutes(assignment.durationMinutes),
            segments: assignment.segments.length,
            tasks: assignment.tasks.length,
          })}
        </span>
      </div>
      {assignment.declineReason && <p className="form-hint">{t('myAssignments.declined', { reason: assignment.declineReason })}</p>}
      <details>
        <summary>{t('myAssignments.route')}</summary>
        <ol className="plan-segments">
          {assignment.segments.map((segment) => (
            <li key={segment.segmentId}>
              {segment.route} {segment.stakeFrom}–{segment.stakeTo}
            </li>
          ))}
          {assignment.tasks.map((task) => (
            <li key={`task-${task.id}`}>{PATROL_TASK_KIND_LABELS[TASK_KIND_OF_STORED[task.kind] ?? 'field_verification'][lang]}</li>
          ))}
        </ol>
      </details>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions assignment-actions">
        {events
          .filter((event) => event !== 'decline')
          .map((event) => (
            <button key={event} type="button" className={event === 'cancel' ? 'button-secondary' : 'button-primary'} disabled={busy} onClick={() => void send(event)} data-testid={`assignment-${event}`}>
              {ASSIGNMENT_EVENT_LABELS[event][lang]}
            </button>
          ))}
        {events.includes('decline') && !declining && (
          <button type="button" className="button-secondary" disabled={busy} onClick={() => setDeclining(true)} data-testid="assignment-decline">
            {ASSIGNMENT_EVENT_LABELS.decline[lang]}
          </button>
        )}
      </div>
      {declining && (
        <form
          className="assignment-decline"
          onSubmit={(event) => {
            event.preventDefault();
            if (reason.trim()) void send('decline', reason.trim());
          }}
        >
          <label className="filter-field">
            <span>{t('myAssignments.declineReason')}</span>
            <input value={reason} onChange={(event) => setReason(event.target.value)} placeholder={t('myAssignments.declinePlaceholder')} maxLength={1000} required autoFocus data-testid="assignment-decline-reason" />
          </label>
          <button type="submit" className="button-primary" disabled={busy || !reason.trim()} data-testid="assignment-decline-submit">
            {ASSIGNMENT_EVENT_LABELS.decline[lang]}
          </button>
          <button type="button" className="button-secondary" onClick={() => setDeclining(false)}>
            {t('v.form.cancel')}
          </button>
        </form>
      )}
    </li>
  );
}

/** 我的任务: the published patrol assignments of the user's crews on a date, with the actions the workflow allows. */
export function MyAssignmentsPage({ onLoggedOut }: { onLoggedOut: () => void }) {
  const { t } = useI18n();
  const session = useSession();
  const role = session.status === 'authenticated' ? session.user.role : '';
  const [date, setDate] = useState(shanghaiDate());
  const [revision, setRevision] = useState(0);
  const assignments = useQuery(`assignments:${date}:${revision}`, () => fetchAssignments(date));
  const rows = assignments.data?.assignments ?? [];
  const reload = () => setRevision((value) => value + 1);

  return (
    <div className="app-shell">
      <Header onLoggedOut={onLoggedOut} page="assignments" />
      <main className="my-assignments-page" data-testid="my-assignments">
        <div className="ledger-toolbar">
          <h1 className="ledger-title">{t('myAssignments.title')}</h1>
          <label className="filter-field">
            <span>{t('myAssignments.date')}</span>
            <input type="date" value={date} onChange={(event) => event.target.value && setDate(event.target.value)} data-testid="assignments-date" />
          </label>
        </div>
        <ListQueryStates
          status={assignments.status}
          error={assignments.error}
          isEmpty={rows.length === 0}
          onRetry={reload}
          emptyTestId="assignments-empty"
          text={{ loading: t('myAssignments.loading'), error: (message) => t('myAssignments.loadFailed', { message }), retry: t('patrol.retry'), emptyTitle: t('myAssignments.none'), emptyHint: t('myAssignments.noneHint') }}
        />
        <ul className="assignment-list" data-testid="assignment-list">
          {rows.map((assignment) => (
            <AssignmentCard key={`${assignment.id}:${assignment.version}`} assignment={assignment} role={role} onChanged={reload} />
          ))}
        </ul>
      </main>
    </div>
  );
}
