import { useState, type FormEvent } from 'react';
import { ApiError } from '../../api/api_error';
import { createCrew, fetchMemberChoices, updateCrew, type Crew, type CrewInput } from '../../api/patrols';
import { useQuery } from '../../api/query_cache';
import { MIN_CREW_MEMBERS, formatShiftMinutes } from '@domain/patrol_rules';
import { ROLE_LABELS, isRole } from '@domain/roles';
import { hasMessage, useI18n } from '../../i18n/i18n';
import { Modal } from '../violations/common';
import { errorText } from '../../i18n/error_text';

type FieldName = 'name' | 'members' | 'lon' | 'lat' | 'shift';

function parseTime(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return Number(match[2]) < 60 && minutes <= 36 * 60 ? minutes : null;
}

/**
 * Create or edit a crew: every field a labelled native control (Tab order, Enter saves, Esc
 * closes), problems shown beside the field in the user's language, server refusals by code.
 */
export function CrewForm({ crew, jurisdiction, onSaved, onClose }: { crew: Crew | null; jurisdiction: string; onSaved: (crew: Crew) => void; onClose: () => void }) {
  const { t, language } = useI18n();
  const choices = useQuery(`crew-member-choices:${jurisdiction}`, () => fetchMemberChoices(jurisdiction));
  const [name, setName] = useState(crew?.name ?? '');
  const [memberIds, setMemberIds] = useState<number[]>(crew?.members.map((member) => member.id) ?? []);
  const [plate, setPlate] = useState(crew?.vehicle.plate ?? '');
  const [lon, setLon] = useState(crew ? String(crew.base.coordinates[0]) : '');
  const [lat, setLat] = useState(crew ? String(crew.base.coordinates[1]) : '');
  const [baseName, setBaseName] = useState(crew?.baseName ?? '');
  const [start, setStart] = useState(formatShiftMinutes(crew?.shiftStartMinutes ?? 8 * 60));
  const [end, setEnd] = useState(formatShiftMinutes(crew?.shiftEndMinutes ?? 17 * 60 + 30));
  const [jointUnit, setJointUnit] = useState(crew?.jointUnit ?? '');
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const toggleMember = (id: number) => setMemberIds((ids) => (ids.includes(id) ? ids.filter((other) => other !== id) : [...ids, id]));

  const validate = (): { input: CrewInput } | null => {
    const problems: Partial<Record<FieldName, string>> = {};
    if (!name.trim()) problems.name = t('crew.error.nameRequired');
    if (memberIds.length < MIN_CREW_MEMBERS) problems.members = t('crew.error.CREW_TOO_FEW_MEMBERS', { minimum: MIN_CREW_MEMBERS });
    const lonValue = Number(lon);
    const latValue = Number(lat);
    if (lon.trim() === '' || !Number.isFinite(lonValue) || lonValue < -180 || lonValue > 180) problems.lon = t('crew.error.lon');
    if (lat.trim() === '' || !Number.isFinite(latValue) || latValue < -90 || latValue > 90) problems.lat = t('crew.error.lat');
    const startMinutes = parseTime(start);
    const endMinutes = parseTime(end);
    if (startMinutes === null || endMinutes === null || endMinutes <= startMinutes || startMinutes >= 24 * 60) problems.shift = t('crew.error.CREW_SHIFT_INVALID');
    setErrors(problems);
    if (Object.keys(problems).length > 0) return null;
    return {
      input: {
        name: name.trim(),
        memberIds,
        vehicle: { plate: plate.trim() || null, description: crew?.vehicle.description ?? null },
        base: { type: 'Point', coordinates: [lonValue, latValue] },
        baseName: baseName.trim() || null,
        shiftStartMinutes: startMinutes!,
        shiftEndMinutes: endMinutes!,
        jointUnit: jointUnit.trim() || null,
      },
    };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setServerError(null);
    const valid = validate();
    if (!valid) return;
    setSaving(true);
    try {
      onSaved(crew ? await updateCrew(crew.id, crew.version, valid.input) : await createCrew(valid.input));
    } catch (error) {
      const key = error instanceof ApiError ? `crew.error.${error.code}` : '';
      setServerError(hasMessage(key) ? t(key, { minimum: MIN_CREW_MEMBERS }) : errorText(error, language));
    } finally {
      setSaving(false);
    }
  };

  const invalid = (field: FieldName) => (errors[field] ? { 'aria-invalid': true as const, 'aria-describedby': `crew-${field}-error` } : {});
  const fieldError = (field: FieldName) =>
    errors[field] ? (
      <span className="form-error" id={`crew-${field}-error`} role="alert">
        {errors[field]}
      </span>
    ) : null;

  return (
    <Modal title={crew ? t('crew.edit') : t('crew.create')} onClose={onClose} testId="crew-form">
      <form className="form crew-form" onSubmit={submit} noValidate>
        <label className="form-field">
          <span>{t('crew.name')}</span>
          <input data-autofocus value={name} onChange={(event) => setName(event.target.value)} maxLength={100} {...invalid('name')} data-testid="crew-name" />
          {fieldError('name')}
        </label>
        <fieldset className="form-field crew-members" {...invalid('members')}>
          <legend>{t('crew.members', { minimum: MIN_CREW_MEMBERS })}</legend>
          {choices.status === 'loading' && <span className="form-hint">{t('crew.loading')}</span>}
          {(choices.data?.items ?? []).map((user) => (
            <label key={user.id} className="crew-member-choice">
              <input type="checkbox" checked={memberIds.includes(user.id)} onChange={() => toggleMember(user.id)} data-testid={`crew-member-${user.username}`} />
              {user.displayName ?? user.username}
              <span className="form-hint"> · {isRole(user.role) ? ROLE_LABELS[user.role][language === 'en' ? 'en' : 'zh'] : user.role}</span>
            </label>
          ))}
          {fieldError('members')}
        </fieldset>
        <label className="form-field">
          <span>{t('crew.vehicle')}</span>
          <input value={plate} onChange={(event) => setPlate(event.target.value)} maxLength={20} placeholder="豫A·J0000" />
        </label>
        <div className="crew-row">
          <label className="form-field">
            <span>{t('crew.baseLon')}</span>
            <input inputMode="decimal" value={lon} onChange={(event) => setLon(event.target.value)} {...invalid('lon')} data-testid="crew-lon" />
            {fieldError('lon')}
          </label>
          <label className="form-field">
            <span>{t('crew.baseLat')}</span>
            <input inputMode="decimal" value={lat} onChange={(event) => setLat(event.target.value)} {...invalid('lat')} data-testid="crew-lat" />
            {fieldError('lat')}
          </label>
        </div>
        <label className="form-field">
          <span>{t('crew.baseName')}</span>
          <input value={baseName} onChange={(event) => setBaseName(event.target.value)} maxLength={200} />
        </label>
        <div className="crew-row">
          <label className="form-field">
            <span>{t('crew.shiftStart')}</span>
            <input value={start} onChange={(event) => setStart(event.target.value)} placeholder="08:00" {...invalid('shift')} data-testid="crew-start" />
          </label>
          <label className="form-field">
            <span>{t('crew.shiftEnd')}</span>
            <input value={end} onChange={(event) => setEnd(event.target.value)} placeholder="17:30" {...invalid('shift')} data-testid="crew-end" />
          </label>
        </div>
        {fieldError('shift')}
        <label className="form-field">
          <span>{t('crew.jointUnit')}</span>
          <input value={jointUnit} onChange={(event) => setJointUnit(event.target.value)} maxLength={200} placeholder={t('crew.jointUnitHint')} />
        </label>
        {serverError && (
          <p className="form-error" role="alert" data-testid="crew-server-error">
            {serverError}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="button-secondary" onClick={onClose}>
            {t('v.form.cancel')}
          </button>
          <button type="submit" className="button-primary" disabled={saving} data-testid="crew-save">
            {t('crew.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
