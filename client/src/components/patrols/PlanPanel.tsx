import { useEffect, useMemo, useRef, useState } from 'react';
import { ASSIGNMENT_STATUS_LABELS } from '@domain/patrol_assignment_workflow';
import { PATROL_TASK_KIND_LABELS, type PatrolTaskKind } from '@domain/patrol_rules';
import { ApiError } from '../../api/api_error';
import { createPlan, fetchLatestPlan, fetchPlan, patchPlan, publishPlan, type PatrolPlan, type PlanPatch } from '../../api/patrol_plans';
import { formatNumber, hasMessage, useI18n, type MessageKey } from '../../i18n/i18n';
import { crewColor } from '../../map/overlays/patrol_routes_overlay';
import { Modal } from '../violations/common';
import { errorText } from '../../i18n/error_text';

/** How often a running generation is asked for its progress. */
const POLL_MILLISECONDS = 1000;

function hoursMinutes(minutes: number): string {
  const whole = Math.round(minutes);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/**
 * The plan of a date and jurisdiction (巡查计划 page): generate it (with progress), read it per
 * crew (distance, duration, how full the shift is), see what is unassigned and why, move a segment
 * to another crew, lock a crew, re-plan the rest, publish. The map shows the same plan; the page
 * owns the selected segment so a click on the map or in the list selects the same one.
 */
export function PlanPanel({
  date,
  jurisdiction,
  isToday,
  selectedSegmentId,
  onSelectSegment,
  onPlan,
}: {
  date: string;
  jurisdiction: string;
  isToday: boolean;
  selectedSegmentId: number | null;
  onSelectSegment: (id: number | null) => void;
  onPlan: (plan: PatrolPlan | null) => void;
}) {
  const { t, language } = useI18n();
  const lang = language === 'en' ? 'en' : 'zh';
  const [plan, setPlan] = useState<PatrolPlan | null>(null);
  const [loading, setLoading] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [moveTo, setMoveTo] = useState<number | ''>('');
  const [confirmPublish, setConfirmPublish] = useState(false);

  const show = (next: PatrolPlan | null) => {
    setPlan(next);
    onPlan(next);
  };

  const explain = (caught: unknown) => {
    const key = caught instanceof ApiError ? `plan.error.${caught.code}` : '';
    setError(hasMessage(key) ? t(key as MessageKey) : errorText(caught, language));
  };

  // The newest plan of the date and jurisdiction.
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    show(null);
    fetchLatestPlan(date, jurisdiction || undefined, controller.signal)
      .then((latest) => show(latest))
      .catch((caught: unknown) => controller.signal.aborted || explain(caught))
      .finally(() => controller.signal.aborted || setLoading(false));
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload on the date and jurisdiction only
  }, [date, jurisdiction]);

  // While it generates, ask for progress.
  const generatingId = plan?.status === 'generating' ? plan.id : null;
  useEffect(() => {
    if (generatingId === null) return;
    const timer = window.setInterval(() => {
      fetchPlan(generatingId)
        .then((next) => show(next))
        .catch(explain);
    }, POLL_MILLISECONDS);
    return () => window.clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one timer per generating plan
  }, [generatingId]);

  const run = async (work: () => Promise<PatrolPlan>) => {
    setBusy(true);
    setError(null);
    try {
      show(await work());
    } catch (caught) {
      explain(caught);
      // A stale version or a changed plan: show the plan as it is now.
      if (plan && caught instanceof ApiError && caught.status === 409) fetchPlan(plan.id).then(show).catch(() => undefined);
    } finally {
      setBusy(false);
    }
  };

  const generate = () =>
    run(async () => {
      const created = await createPlan({ date, ...(jurisdiction ? { jurisdiction } : {}) });
      return fetchPlan(created.id);
    });
  const edit = (patch: Omit<PlanPatch, 'version'>) => plan && run(() => patchPlan(plan.id, { ...patch, version: plan.version }));

  const owner = useMemo(() => plan?.assignments.find((assignment) => assignment.segments.some((segment) => segment.segmentId === selectedSegmentId)) ?? null, [plan, selectedSegmentId]);
  const selectedSegment = owner?.segments.find((segment) => segment.segmentId === selectedSegmentId) ?? null;
  // A segment picked (in the list or on the map) puts the keyboard on "move to crew" next.
  const moveTargetRef = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    setMoveTo('');
    if (selectedSegmentId !== null) moveTargetRef.current?.focus();
  }, [selectedSegmentId]);

  const editable = plan?.status === 'ready';
  const reasonText = (reason: string) => (hasMessage(`plan.reason.${reason}`) ? t(`plan.reason.${reason}` as MessageKey) : reason);

  return (
    <div className="plan-panel" data-testid="plan-panel" aria-busy={busy || plan?.status === 'generating'}>
      <div className="ledger-toolbar">
        <h2 className="patrol-subtitle">{t('plan.title')}</h2>
        <div className="ledger-tools">
          {plan && editable && (
            <>
              <button type="button" className="button-secondary" disabled={busy} onClick={() => edit({ replan: true })} data-testid="plan-replan">
                {t('plan.replan')}
              </button>
              <button type="button" className="button-primary" disabled={busy} onClick={() => setConfirmPublish(true)} data-testid="plan-publish">
                {t('plan.publish')}
              </button>
            </>
          )}
          {(!plan || plan.status === 'failed' || plan.status === 'published') && !loading && (
            <button type="button" className={plan ? 'button-secondary' : 'button-primary plan-generate-prominent'} disabled={busy} onClick={() => void generate()} data-testid="plan-generate">
              {plan ? t('plan.generateAgain') : isToday ? t('plan.generateToday') : t('plan.generate')}
            </button>
          )}
        </div>
      </div>

      {error && (
        <p className="form-error" role="alert" data-testid="plan-error">
          {error}
        </p>
      )}
      {loading && <p className="form-hint">{t('plan.loading')}</p>}
      {!loading && !plan && <p className="form-hint" data-testid="plan-none">{t('plan.none')}</p>}

      {plan?.status === 'generating' && (
        <div className="plan-progress" data-testid="plan-progress">
          <progress max={plan.progress.total ?? 100} value={plan.progress.done} aria-label={t('plan.generating')} />
          <span className="form-hint">
            {t('plan.generating')} {Math.round((plan.progress.done / (plan.progress.total ?? 100)) * 100)}%
          </span>
        </div>
      )}
      {plan?.status === 'failed' && <p className="form-error">{t('plan.failed', { message: plan.error?.message ?? '' })}</p>}

      {plan && (plan.status === 'ready' || plan.status === 'published') && (
        <>
          <p className="form-hint" data-testid="plan-summary">
            {t(plan.status === 'published' ? 'plan.statusPublished' : 'plan.statusDraft')} · {t('plan.summary', {
              km: formatNumber(language, plan.distanceMeters / 1000, 1),
              bound: formatNumber(language, (plan.lowerBoundMeters ?? 0) / 1000, 1),
              ratio: plan.ratioToLowerBound === null ? '—' : formatNumber(language, plan.ratioToLowerBound, 2),
            })}
          </p>

          {selectedSegment && owner && editable && (
            <form
              className="plan-move"
              data-testid="plan-move"
              onSubmit={(event) => {
                event.preventDefault();
                if (moveTo !== '') void edit({ moves: [{ segmentId: selectedSegment.segmentId, toCrewId: moveTo }] });
              }}
            >
              <span>
                {t('plan.moveWhat', { route: selectedSegment.route, from: selectedSegment.stakeFrom, to: selectedSegment.stakeTo, crew: owner.crewName })}
              </span>
              <label className="filter-field">
                <span>{t('plan.moveTo')}</span>
                <select ref={moveTargetRef} value={moveTo} onChange={(event) => setMoveTo(event.target.value === '' ? '' : Number(event.target.value))} data-testid="plan-move-target">
                  <option value="">{t('plan.pickCrew')}</option>
                  {plan.assignments
                    .filter((assignment) => assignment.crewId !== owner.crewId && !assignment.locked)
                    .map((assignment) => (
                      <option key={assignment.crewId} value={assignment.crewId}>
                        {assignment.crewName}
                      </option>
                    ))}
                </select>
              </label>
              <button type="submit" className="button-primary" disabled={busy || moveTo === '' || owner.locked} data-testid="plan-move-submit">
                {t('plan.move')}
              </button>
              {owner.locked && <span className="form-hint">{t('plan.lockedHint')}</span>}
            </form>
          )}

          <ul className="plan-crews" data-testid="plan-crews">
            {plan.assignments.map((assignment, index) => {
              const fill = assignment.shiftMinutes ? assignment.durationMinutes / assignment.shiftMinutes : 0;
              return (
                <li key={assignment.id} className="plan-crew" data-testid={`plan-crew-${assignment.crewId}`}>
                  <div className="plan-crew-head">
                    <span className="patrol-swatch" style={{ background: crewColor(index) }} aria-hidden="true" />
                    <strong>{assignment.crewName}</strong>
                    <span className="form-hint">
                      {t('plan.crewFigures', {
                        km: formatNumber(language, assignment.distanceMeters / 1000, 1),
                        duration: hoursMinutes(assignment.durationMinutes),
                        shift: assignment.shiftMinutes ? hoursMinutes(assignment.shiftMinutes) : '—',
                        segments: assignment.segments.length,
                        tasks: assignment.tasks.length,
                      })}
                    </span>
                    {editable ? (
                      <label className="plan-lock">
                        <input type="checkbox" checked={assignment.locked} disabled={busy} onChange={(event) => void edit({ locks: [{ crewId: assignment.crewId, locked: event.target.checked }] })} data-testid={`plan-lock-${assignment.crewId}`} />
                        {t('plan.lock')}
                      </label>
                    ) : (
                      <span className="det-chip">{ASSIGNMENT_STATUS_LABELS[assignment.status][lang]}</span>
                    )}
                  </div>
                  <div className={`plan-fill${fill > 1 ? ' is-over' : ''}`} role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fill * 100)} aria-label={t('plan.fill', { percent: Math.round(fill * 100) })} title={t('plan.fill', { percent: Math.round(fill * 100) })}>
                    <span style={{ width: `${Math.min(100, fill * 100)}%`, background: fill > 1 ? undefined : crewColor(index) }} />
                  </div>
                  <ol className="plan-segments">
                    {assignment.segments.map((segment) => (
                      <li key={segment.segmentId}>
                        <button
                          type="button"
                          className={`plan-segment${segment.segmentId === selectedSegmentId ? ' is-selected' : ''}`}
                          aria-pressed={segment.segmentId === selectedSegmentId}
                          onClick={() => onSelectSegment(segment.segmentId === selectedSegmentId ? null : segment.segmentId)}
                          data-testid={`plan-segment-${segment.segmentId}`}
                        >
                          {segment.order}. {segment.route} {segment.stakeFrom}–{segment.stakeTo}
                        </button>
                      </li>
                    ))}
                  </ol>
                </li>
              );
            })}
          </ul>

          {plan.unassigned.length > 0 && (
            <details className="plan-unassigned" data-testid="plan-unassigned">
              <summary>{t('plan.unassigned', { count: plan.unassigned.filter((item) => !item.partial).length })}</summary>
              <ul>
                {plan.unassigned.map((item, index) => (
                  <li key={`${item.kind}:${item.segmentId ?? item.taskId}:${index}`}>
                    {item.kind === 'segment' ? `${item.route ?? ''} ${item.stakeFrom ?? ''}–${item.stakeTo ?? ''}` : `${PATROL_TASK_KIND_LABELS[item.taskKind as PatrolTaskKind]?.[lang] ?? item.taskKind} ${item.route ?? ''} ${item.stake ?? ''}`}
                    {' · '}
                    {reasonText(item.reason)}
                    {item.partial && ` (${t('plan.partial')})`}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}

      {confirmPublish && plan && (
        <Modal title={t('plan.publishTitle')} onClose={() => setConfirmPublish(false)} testId="plan-publish-dialog">
          <p>{t('plan.publishConfirm', { crews: plan.assignments.length, date: plan.date })}</p>
          <div className="form-actions">
            <button type="button" className="button-secondary" onClick={() => setConfirmPublish(false)}>
              {t('v.form.cancel')}
            </button>
            <button
              type="button"
              className="button-primary"
              data-autofocus
              disabled={busy}
              onClick={() => {
                setConfirmPublish(false);
                void run(() => publishPlan(plan.id, plan.version));
              }}
              data-testid="plan-publish-confirm"
            >
              {t('plan.publish')}
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}
