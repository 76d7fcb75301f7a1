import { useMemo, useState, type FormEvent } from 'react';
import { DEFAULT_VIOLATION_CATEGORIES, VIOLATION_CATEGORY_RULES, type ViolationCategory } from '@domain/violation_categories';
import { label } from '../../i18n/domain_labels';
import { useI18n } from '../../i18n/i18n';
import { enqueueAction } from '../../offline/outbox';
import type { Fix } from '../../offline/track_recorder';
import { attributeErrors, attributeFields, attributesFromForm } from '../../violations/attribute_fields';
import { AttributeInputs } from '../violations/AttributeInputs';
import { PhotoInput } from './PhotoInput';

/**
 * 现场发现: category, its attributes (the report form's AttributeInputs), photos; the place is the
 * phone's GPS fix. Stake, side, zone and verdict are filled in by the server on sync.
 */
export function FindingSheet({ fix, onDone }: { fix: Fix | null; onDone: () => void }) {
  const { t, language } = useI18n();
  const [category, setCategory] = useState<ViolationCategory>(DEFAULT_VIOLATION_CATEGORIES[0]!);
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [description, setDescription] = useState('');
  const [photos, setPhotos] = useState<Blob[]>([]);
  const [submitted, setSubmitted] = useState(false);
  const fields = useMemo(() => attributeFields(category), [category]);
  const attributes = attributesFromForm(category, values);
  const errors = attributeErrors(category, attributes);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!fix || Object.keys(errors).length > 0 || photos.length === 0) return;
    await enqueueAction({
      type: 'finding.create',
      summary: `${t('crewApp.finding.summary')} · ${label(VIOLATION_CATEGORY_RULES[category].label, language)}`,
      payload: {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [fix.lon, fix.lat] },
        properties: { category, attributes, source: 'patrol', description: description.trim() || null },
      },
      photos: photos.map((blob) => ({ blob, tag: 'before' as const })),
    });
    onDone();
  };

  return (
    <form className="crew-sheet" data-testid="crew-finding-form" onSubmit={submit} noValidate>
      <h2>{t('crewApp.finding.title')}</h2>
      <p className="crew-hint" data-testid="crew-finding-location">
        {fix ? t('crewApp.finding.location', { lon: fix.lon.toFixed(5), lat: fix.lat.toFixed(5), accuracy: Math.round(fix.accuracyMeters) }) : t('crewApp.finding.noFix')}
      </p>
      <label className="form-field">
        <span className="form-label">{t('crewApp.finding.category')}</span>
        <select name="category" value={category} onChange={(event) => { setCategory(event.target.value as ViolationCategory); setValues({}); }}>
          {DEFAULT_VIOLATION_CATEGORIES.map((option) => (
            <option key={option} value={option}>{label(VIOLATION_CATEGORY_RULES[option].label, language)}</option>
          ))}
        </select>
      </label>
      <AttributeInputs fields={fields} valueOf={(key) => values[key]} onChange={(key, value) => setValues((old) => ({ ...old, [key]: value }))} errors={errors} showErrors={submitted} />
      <label className="form-field">
        <span className="form-label">{t('crewApp.finding.description')}</span>
        <textarea name="description" rows={2} value={description} onChange={(event) => setDescription(event.target.value)} />
      </label>
      <PhotoInput photos={photos} onChange={setPhotos} testId="crew-finding-photo" />
      {submitted && photos.length === 0 ? <p className="crew-error">{t('crewApp.photo.required')}</p> : null}
      <div className="crew-sheet-actions">
        <button type="button" className="crew-button crew-button-secondary" onClick={onDone}>{t('crewApp.cancel')}</button>
        <button type="submit" className="crew-button" disabled={!fix} data-testid="crew-finding-save">{t('crewApp.finding.save')}</button>
      </div>
    </form>
  );
}
