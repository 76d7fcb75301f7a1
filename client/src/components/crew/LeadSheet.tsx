import { useMemo, useState, type FormEvent } from 'react';
import { DETECTION_REJECT_REASONS } from '@domain/detection_rules';
import { DEFAULT_VIOLATION_CATEGORIES, VIOLATION_CATEGORY_RULES, type ViolationCategory } from '@domain/violation_categories';
import { label } from '../../i18n/domain_labels';
import { hasMessage, useI18n } from '../../i18n/i18n';
import { enqueueAction } from '../../offline/outbox';
import { attributeErrors, attributeFields, attributesFromForm } from '../../violations/attribute_fields';
import { AttributeInputs } from '../violations/AttributeInputs';
import { PhotoInput } from './PhotoInput';

/** 核查卫片线索 on site: confirm (category + attributes) or reject (reason), always with an on-site photo. */
export function LeadSheet({ detectionId, candidateCategory, onDone }: { detectionId: number; candidateCategory: string | null; onDone: () => void }) {
  const { t, language } = useI18n();
  const initial = (DEFAULT_VIOLATION_CATEGORIES as readonly string[]).includes(candidateCategory ?? '') ? (candidateCategory as ViolationCategory) : DEFAULT_VIOLATION_CATEGORIES[0]!;
  const [decision, setDecision] = useState<'confirm' | 'reject'>('confirm');
  const [category, setCategory] = useState<ViolationCategory>(initial);
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [rejectReason, setRejectReason] = useState<string>(DETECTION_REJECT_REASONS[0]);
  const [photos, setPhotos] = useState<Blob[]>([]);
  const [submitted, setSubmitted] = useState(false);
  const fields = useMemo(() => attributeFields(category), [category]);
  const attributes = attributesFromForm(category, values);
  const errors = decision === 'confirm' ? attributeErrors(category, attributes) : {};

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(errors).length > 0 || photos.length === 0) return;
    await enqueueAction({
      type: 'lead.verify',
      summary: `${t(decision === 'confirm' ? 'crewApp.lead.confirmed' : 'crewApp.lead.rejected')} #${detectionId}`,
      payload: decision === 'confirm' ? { detectionId, decision, category, attributes } : { detectionId, decision, rejectReason },
      photos: photos.map((blob) => ({ blob, tag: 'before' as const })),
    });
    onDone();
  };

  return (
    <form className="crew-sheet" data-testid="crew-lead-form" onSubmit={submit} noValidate>
      <h2>{t('crewApp.lead.title', { id: detectionId })}</h2>
      <div className="crew-choice" role="radiogroup">
        {(['confirm', 'reject'] as const).map((option) => (
          <button key={option} type="button" role="radio" aria-checked={decision === option} className={`crew-button ${decision === option ? '' : 'crew-button-secondary'}`} data-testid={`crew-lead-${option}`} onClick={() => setDecision(option)}>
            {t(option === 'confirm' ? 'crewApp.lead.confirm' : 'crewApp.lead.reject')}
          </button>
        ))}
      </div>
      {decision === 'confirm' ? (
        <>
          <label className="form-field">
            <span className="form-label">{t('crewApp.finding.category')}</span>
            <select value={category} onChange={(event) => { setCategory(event.target.value as ViolationCategory); setValues({}); }}>
              {DEFAULT_VIOLATION_CATEGORIES.map((option) => (
                <option key={option} value={option}>{label(VIOLATION_CATEGORY_RULES[option].label, language)}</option>
              ))}
            </select>
          </label>
          <AttributeInputs fields={fields} valueOf={(key) => values[key]} onChange={(key, value) => setValues((old) => ({ ...old, [key]: value }))} errors={errors} showErrors={submitted} />
        </>
      ) : (
        <label className="form-field">
          <span className="form-label">{t('det.rejectReason')}</span>
          <select value={rejectReason} onChange={(event) => setRejectReason(event.target.value)}>
            {DETECTION_REJECT_REASONS.map((reason) => {
              const key = `det.reason.${reason}`;
              return <option key={reason} value={reason}>{hasMessage(key) ? t(key) : reason}</option>;
            })}
          </select>
        </label>
      )}
      <PhotoInput photos={photos} onChange={setPhotos} testId="crew-lead-photo" />
      {submitted && photos.length === 0 ? <p className="crew-error">{t('crewApp.photo.required')}</p> : null}
      <div className="crew-sheet-actions">
        <button type="button" className="crew-button crew-button-secondary" onClick={onDone}>{t('crewApp.cancel')}</button>
        <button type="submit" className="crew-button" data-testid="crew-lead-save">{t('crewApp.save')}</button>
      </div>
    </form>
  );
}
