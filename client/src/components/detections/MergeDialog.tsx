import { useEffect, useState } from 'react';
import { CASE_STATUS_LABELS, OPEN_STATUSES } from '@domain/case_workflow';
import type { DetectionFeature } from '../../api/detections';
import { fetchViolations, type ViolationFeature } from '../../api/violations';
import { useI18n } from '../../i18n/i18n';
import { errorMessage, Modal } from '../violations/common';
import { categoryLabel } from './detection_format';
import { submitOnEnter } from './dialog_keys';
import { NoteAndActions } from './NoteAndActions';
import { boxAround, distanceToLead, MERGE_SEARCH_RADIUS_METERS } from './merge_candidates';

/** What the lead is merged into: a case picked from the list (by id) or a 统一编号 typed as printed. */
export type MergeTarget = { violationId: number } | { caseNumber: string };

type Candidates = { status: 'loading' } | { status: 'error'; message: string } | { status: 'done'; cases: { feature: ViolationFeature; distanceMeters: number }[] };

/**
 * 合并: the officer picks one of the open cases near the lead (nearest first; the overlapping one
 * preselected) or types the case number (统一编号, e.g. 410104-2026-000123) as it is printed.
 */
export function MergeDialog({ feature, onClose, onSubmit }: { feature: DetectionFeature; onClose: () => void; onSubmit: (target: MergeTarget, note: string) => void }) {
  const { language, t } = useI18n();
  const match = feature.properties.match?.kind === 'violation' ? feature.properties.match.id : null;
  const [pickedId, setPickedId] = useState<number | null>(match);
  const [caseNumber, setCaseNumber] = useState('');
  const [note, setNote] = useState('');
  const [candidates, setCandidates] = useState<Candidates>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    fetchViolations({ bbox: boxAround(feature, MERGE_SEARCH_RADIUS_METERS), status: [...OPEN_STATUSES], limit: 50 }, controller.signal)
      .then((collection) => {
        const cases = collection.features
          .map((violation) => ({ feature: violation, distanceMeters: distanceToLead(feature, violation) }))
          .sort((a, b) => a.distanceMeters - b.distanceMeters)
          .slice(0, 8);
        setCandidates({ status: 'done', cases });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setCandidates({ status: 'error', message: errorMessage(error) });
      });
    return () => controller.abort();
  }, [feature]);

  const typed = caseNumber.trim();
  const target: MergeTarget | null = typed ? { caseNumber: typed } : pickedId !== null ? { violationId: pickedId } : null;

  return (
    <Modal title={t('det.a.merge')} onClose={onClose} testId="det-merge-dialog">
      <form
        className="form"
        onKeyDown={submitOnEnter}
        onSubmit={(event) => {
          event.preventDefault();
          if (target) onSubmit(target, note.trim());
        }}
      >
        {match !== null && <p className="form-hint">{t('det.mergeMatched', { id: match })}</p>}
        <fieldset className="det-merge-cases" data-testid="det-merge-cases">
          <legend className="form-label">{t('det.mergeNearby', { meters: MERGE_SEARCH_RADIUS_METERS })}</legend>
          {candidates.status === 'loading' && <p className="muted">{t('det.mergeLoading')}</p>}
          {candidates.status === 'error' && <p className="form-error">{candidates.message}</p>}
          {candidates.status === 'done' && candidates.cases.length === 0 && <p className="muted">{t('det.mergeNone')}</p>}
          {candidates.status === 'done' &&
            candidates.cases.map(({ feature: violation, distanceMeters }) => {
              const p = violation.properties;
              return (
                <label key={violation.id} className="det-merge-case" data-id={violation.id}>
                  <input
                    type="radio"
                    name="mergeCase"
                    value={String(violation.id)}
                    checked={!typed && pickedId === Number(violation.id)}
                    onChange={() => {
                      setPickedId(Number(violation.id));
                      setCaseNumber('');
                    }}
                  />
                  <span className="det-merge-case-main">
                    <strong className="numeric">{p.caseNumber ?? t('det.mergeUnnumbered', { id: violation.id! })}</strong>{' '}
                    {categoryLabel(p.category, language, t)} · {CASE_STATUS_LABELS[p.status][language === 'en' ? 'en' : 'zh']}
                    <span className="muted numeric">
                      {' '}
                      · {p.route ? `${p.route} ${p.stake ?? ''} · ` : ''}
                      {t('det.mergeDistance', { value: Math.round(distanceMeters) })}
                    </span>
                  </span>
                </label>
              );
            })}
        </fieldset>
        <label className="form-field">
          <span className="form-label">{t('det.caseNumber')}</span>
          <input
            name="caseNumber"
            autoComplete="off"
            spellCheck={false}
            placeholder="410104-2026-000123"
            value={caseNumber}
            onChange={(event) => setCaseNumber(event.target.value)}
          />
          <span className="form-hint">{t('det.caseNumberHint')}</span>
        </label>
        <NoteAndActions note={note} onNoteChange={setNote} onCancel={onClose} submitLabel={t('det.a.merge')} submitDisabled={!target} autoFocusSubmit />
      </form>
    </Modal>
  );
}
