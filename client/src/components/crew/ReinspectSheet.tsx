import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n';
import { enqueueAction } from '../../offline/outbox';
import type { Fix } from '../../offline/track_recorder';
import { PhotoInput } from './PhotoInput';

/** 复查 a case on site: pass or fail with an after photo, on the case version the phone holds (baseVersion). */
export function ReinspectSheet({ violationId, caseVersion, caseLabel, fix, onDone }: { violationId: number; caseVersion: number | null; caseLabel: string; fix: Fix | null; onDone: () => void }) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState<'pass' | 'fail'>('pass');
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<Blob[]>([]);
  const [submitted, setSubmitted] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (photos.length === 0) return;
    await enqueueAction({
      type: 'case.reinspect',
      summary: `${t(outcome === 'pass' ? 'crewApp.reinspect.pass' : 'crewApp.reinspect.fail')} · ${caseLabel}`,
      payload: { violationId, outcome, note: note.trim() || null, ...(fix ? { location: { type: 'Point', coordinates: [fix.lon, fix.lat] } } : {}) },
      ...(caseVersion !== null ? { baseVersion: caseVersion } : {}),
      photos: photos.map((blob) => ({ blob, tag: 'after' as const })),
    });
    onDone();
  };

  return (
    <form className="crew-sheet" data-testid="crew-reinspect-form" onSubmit={submit} noValidate>
      <h2>{t('crewApp.reinspect.title', { case: caseLabel })}</h2>
      <div className="crew-choice" role="radiogroup">
        {(['pass', 'fail'] as const).map((option) => (
          <button key={option} type="button" role="radio" aria-checked={outcome === option} className={`crew-button ${outcome === option ? '' : 'crew-button-secondary'}`} onClick={() => setOutcome(option)}>
            {t(option === 'pass' ? 'crewApp.reinspect.pass' : 'crewApp.reinspect.fail')}
          </button>
        ))}
      </div>
      <label className="form-field">
        <span className="form-label">{t('crewApp.finding.description')}</span>
        <textarea rows={2} value={note} onChange={(event) => setNote(event.target.value)} />
      </label>
      <PhotoInput photos={photos} onChange={setPhotos} testId="crew-reinspect-photo" />
      {submitted && photos.length === 0 ? <p className="crew-error">{t('crewApp.photo.required')}</p> : null}
      <div className="crew-sheet-actions">
        <button type="button" className="crew-button crew-button-secondary" onClick={onDone}>{t('crewApp.cancel')}</button>
        <button type="submit" className="crew-button">{t('crewApp.save')}</button>
      </div>
    </form>
  );
}
