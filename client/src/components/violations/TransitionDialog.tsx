import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { CASE_EVENT_LABELS, defaultDeadline, REJECT_REASONS, REQUIREMENT_LABELS, type RejectReason, type Requirement } from '@domain/case_workflow';
import { PARTY_ID_TYPES, RESPONSIBLE_PARTY, type PartyIdType } from '@domain/violation_attributes';
import { VIOLATION_CATEGORY_RULES } from '@domain/violation_categories';
import { ApiError } from '../../api/api_error';
import { getSession } from '../../auth/session_store';
import { isSubmitShortcut } from '../../violations/submit_shortcut';
import { listCertifiedOfficers, transitionViolation, uploadPhoto, type CertifiedOfficer, PHOTO_TAGS, type AllowedEvent, type Party, type PhotoTag, type TransitionBody, type ViolationDetail } from '../../api/violations';
import { label } from '../../i18n/domain_labels';
import { chinaDate, endOfChinaDay } from '../../i18n/format_time';
import { useI18n } from '../../i18n/i18n';
import { errorMessage, Modal } from './common';

type Outcome = { kind: 'idle' } | { kind: 'saving'; uploading: boolean } | { kind: 'changed' } | { kind: 'missing'; missing: string[] } | { kind: 'error'; message: string };

/**
 * The form for one transition: asks exactly for what the workflow row requires (note, deadline,
 * party, reject reason, photos) and posts it with the version the user saw.
 */
export function TransitionDialog({ detail, allowed, onClose, onDone, onReload }: { detail: ViolationDetail; allowed: AllowedEvent; onClose: () => void; onDone: () => void; onReload: () => void }) {
  const { language, t } = useI18n();
  const id = useId();
  const p = detail.properties;
  const requires = new Set<Requirement>(allowed.requires);
  const afterPhotos = detail.photos.filter((photo) => photo.tag === 'after').length;
  const needsPhoto = requires.has('photo') || requires.has('site_photo_for_satellite_lead');
  const needsAfter = requires.has('after_photo');
  const photoRequired = (needsPhoto && detail.photos.length === 0) || (needsAfter && afterPhotos === 0) || allowed.event === 'reinspect_pass';
  const showPhoto = needsPhoto || needsAfter;
  const needsNote = requires.has('note');
  const needsDeadline = requires.has('deadline');
  const needsParty = requires.has('party');
  const needsReject = requires.has('reject_reason');
  // Separation of duties: a notice names two officers; a passed re-inspection brings its own photo.
  const namesOfficers = allowed.event === 'issue_notice' || allowed.event === 'reissue_notice';
  const ownPhotoRequired = allowed.event === 'reinspect_pass';

  const defaultDay = useMemo(() => chinaDate(p.deadline ?? defaultDeadline(p.category, new Date())), [p.deadline, p.category]);
  const [note, setNote] = useState('');
  const [deadline, setDeadline] = useState(defaultDay);
  const [party, setParty] = useState<{ name: string; contact: string; address: string; idType: string; idNumber: string }>({
    name: p.party?.name ?? '',
    contact: p.party?.contact ?? '',
    address: p.party?.address ?? '',
    idType: p.party?.idType ?? '',
    idNumber: p.party?.idNumber ?? '',
  });
  const [rejectReason, setRejectReason] = useState<RejectReason | ''>('');
  const [files, setFiles] = useState<File[]>([]);
  const [tag, setTag] = useState<PhotoTag>(needsAfter ? 'after' : 'before');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [officers, setOfficers] = useState<CertifiedOfficer[]>([]);
  const [secondOfficerId, setSecondOfficerId] = useState('');
  const session = getSession();
  const myUsername = session.status === 'authenticated' ? session.user.username : null;
  useEffect(() => {
    if (!namesOfficers) return;
    const controller = new AbortController();
    listCertifiedOfficers(controller.signal).then(
      (items) => setOfficers(items.filter((officer) => officer.username !== myUsername)),
      () => setOfficers([]),
    );
    return () => controller.abort();
  }, [namesOfficers, myUsername]);

  const title = label(CASE_EVENT_LABELS[allowed.event], language, allowed.event);
  const saving = outcome.kind === 'saving';

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (saving) return;
    const errors: Record<string, string> = {};
    const body: TransitionBody = { event: allowed.event, expectedVersion: p.version };
    if (note.trim()) body.note = note.trim();
    else if (needsNote || (needsReject && rejectReason === 'other')) errors.note = t('v.create.required');
    if (needsDeadline) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(deadline)) errors.deadline = t('v.create.required');
      else body.deadline = endOfChinaDay(deadline);
    }
    if (needsParty) {
      const candidate: Party = { name: party.name.trim() };
      if (party.contact.trim()) candidate.contact = party.contact.trim();
      if (party.address.trim()) candidate.address = party.address.trim();
      if (party.idType) candidate.idType = party.idType as PartyIdType;
      if (party.idNumber.trim()) candidate.idNumber = party.idNumber.trim();
      const parsed = RESPONSIBLE_PARTY.safeParse(candidate);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) errors[`party.${String(issue.path[0] ?? 'name')}`] ??= issue.message;
      } else body.party = candidate;
    }
    if (needsReject) {
      if (!rejectReason) errors.rejectReason = t('v.create.required');
      else body.rejectReason = rejectReason;
    }
    if (namesOfficers) {
      if (!secondOfficerId) errors.secondOfficer = t('v.create.required');
      else body.secondOfficerId = Number(secondOfficerId);
    }
    if (photoRequired && files.length === 0) errors.photo = t('v.create.required');
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    try {
      if (files.length > 0) {
        setOutcome({ kind: 'saving', uploading: true });
        const uploaded = [];
        for (const file of files) uploaded.push(await uploadPhoto(file, tag));
        body.photoIds = uploaded.map((photo) => photo.id);
      }
      setOutcome({ kind: 'saving', uploading: false });
      await transitionViolation(p.id, body);
      onDone();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'CASE_CHANGED') setOutcome({ kind: 'changed' });
      else if (error instanceof ApiError && error.code === 'REQUIREMENTS_MISSING') {
        const missing = ((error.details as { missing?: string[] } | null)?.missing ?? []).map((item) =>
          item in REQUIREMENT_LABELS ? label(REQUIREMENT_LABELS[item as Requirement], language) : item,
        );
        setOutcome({ kind: 'missing', missing });
      } else setOutcome({ kind: 'error', message: errorMessage(error) });
    }
  }

  const err = (key: string) =>
    fieldErrors[key] ? (
      <span className="form-error" id={`${id}-${key}-error`}>
        {fieldErrors[key]}
      </span>
    ) : null;

  return (
    <Modal title={title} onClose={onClose} testId="transition-dialog">
      <form className="form" onSubmit={submit} noValidate>
        {allowed.requires.length > 0 && (
          <p className="form-hint">{t('v.form.requires', { items: allowed.requires.map((item) => label(REQUIREMENT_LABELS[item], language, item)).join(t('list.separator')) })}</p>
        )}
        {needsReject && (
          <label className="form-field">
            <span className="form-label">{t('v.form.rejectReason')} *</span>
            <select value={rejectReason} onChange={(event) => setRejectReason(event.target.value as RejectReason)} aria-invalid={Boolean(fieldErrors.rejectReason)} autoFocus>
              <option value="">—</option>
              {REJECT_REASONS.map((reason) => (
                <option key={reason} value={reason}>
                  {t(`v.reject.${reason}`)}
                </option>
              ))}
            </select>
            {err('rejectReason')}
          </label>
        )}
        {needsParty && (
          <fieldset className="form-group">
            <legend className="form-label">{t('v.section.party')} *</legend>
            <label className="form-field">
              <span className="form-label">{t('v.field.partyName')} *</span>
              <input name="partyName" value={party.name} onChange={(event) => setParty({ ...party, name: event.target.value })} aria-invalid={Boolean(fieldErrors['party.name'])} autoFocus={!needsReject} autoComplete="off" />
              {err('party.name')}
            </label>
            <label className="form-field">
              <span className="form-label">{t('v.field.partyContact')}</span>
              <input name="partyContact" value={party.contact} onChange={(event) => setParty({ ...party, contact: event.target.value })} autoComplete="off" />
            </label>
            <label className="form-field">
              <span className="form-label">{t('v.field.partyAddress')}</span>
              <input name="partyAddress" value={party.address} onChange={(event) => setParty({ ...party, address: event.target.value })} autoComplete="off" />
            </label>
            <div className="form-row">
              <label className="form-field">
                <span className="form-label">{t('v.field.partyIdType')}</span>
                <select value={party.idType} onChange={(event) => setParty({ ...party, idType: event.target.value })} aria-invalid={Boolean(fieldErrors['party.idType'])}>
                  <option value="">—</option>
                  {PARTY_ID_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {t(`v.idType.${type}`)}
                    </option>
                  ))}
                </select>
                {err('party.idType')}
              </label>
              <label className="form-field">
                <span className="form-label">{t('v.field.partyIdNumber')}</span>
                <input value={party.idNumber} onChange={(event) => setParty({ ...party, idNumber: event.target.value })} autoComplete="off" />
              </label>
            </div>
          </fieldset>
        )}
        {namesOfficers && (
          <label className="form-field">
            <span className="form-label">{t('v.form.secondOfficer')} *</span>
            <select name="secondOfficer" value={secondOfficerId} onChange={(event) => setSecondOfficerId(event.target.value)} aria-invalid={Boolean(fieldErrors.secondOfficer)}>
              <option value="">—</option>
              {officers.map((officer) => (
                <option key={officer.id} value={officer.id}>
                  {officer.displayName ?? officer.username}（{t('v.form.certificate')} {officer.certificateNumber}）
                </option>
              ))}
            </select>
            <span className="form-hint">{t('v.form.secondOfficerHint')}</span>
            {err('secondOfficer')}
          </label>
        )}
        {needsDeadline && (
          <label className="form-field">
            <span className="form-label">{t('v.form.deadline')} *</span>
            <input type="date" name="deadline" value={deadline} min={chinaDate(new Date())} onChange={(event) => setDeadline(event.target.value)} aria-invalid={Boolean(fieldErrors.deadline)} />
            <span className="form-hint">{t('v.form.deadlineHint', { days: VIOLATION_CATEGORY_RULES[p.category].defaultDeadlineDays })}</span>
            {err('deadline')}
          </label>
        )}
        {showPhoto && (
          <div className="form-row">
            <label className="form-field is-grow">
              <span className="form-label">
                {t('v.form.photo')}
                {photoRequired ? ' *' : ''}
              </span>
              <input type="file" name="photo" accept="image/jpeg,image/png,image/heic,image/webp" multiple onChange={(event) => setFiles([...(event.target.files ?? [])])} aria-invalid={Boolean(fieldErrors.photo)} />
              <span className="form-hint">{ownPhotoRequired ? t('v.form.reinspectionPhotoHint') : needsAfter && afterPhotos > 0 ? t('v.form.useExistingAfter', { count: afterPhotos }) : t('v.form.photoHint')}</span>
              {err('photo')}
            </label>
            <label className="form-field">
              <span className="form-label">{t('v.form.photoTag')}</span>
              <select name="photoTag" value={tag} onChange={(event) => setTag(event.target.value as PhotoTag)}>
                {PHOTO_TAGS.map((value) => (
                  <option key={value} value={value}>
                    {t(`v.tag.${value}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
        )}
        <label className="form-field">
          <span className="form-label">
            {t('v.form.note')}
            {needsNote ? ' *' : ''}
          </span>
          <textarea
            name="note"
            rows={3}
            value={note}
            onChange={(event) => setNote(event.target.value)}
            aria-invalid={Boolean(fieldErrors.note)}
            autoFocus={!needsReject && !needsParty}
            aria-describedby={`${id}-note-keys`}
            onKeyDown={(event) => {
              if (isSubmitShortcut({ key: event.key, ctrlKey: event.ctrlKey, metaKey: event.metaKey, isComposing: event.nativeEvent.isComposing })) {
                event.preventDefault();
                event.currentTarget.form?.requestSubmit();
              }
            }}
          />
          <span className="form-hint" id={`${id}-note-keys`}>{t('v.form.noteKeys')}</span>
          {err('note')}
        </label>

        {outcome.kind === 'changed' && (
          <div className="form-alert" role="alert">
            <strong>{t('v.error.CASE_CHANGED')}</strong>
            <button type="button" className="button-secondary" onClick={onReload}>
              {t('v.error.reload')}
            </button>
          </div>
        )}
        {outcome.kind === 'missing' && (
          <div className="form-alert" role="alert">
            <strong>{t('v.error.REQUIREMENTS_MISSING')}</strong>
            <ul>
              {outcome.missing.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          </div>
        )}
        {outcome.kind === 'error' && (
          <div className="form-alert" role="alert">
            {t('v.error.generic', { message: outcome.message })}
          </div>
        )}
        <div className="form-actions">
          <button type="button" className="button-secondary" onClick={onClose}>
            {t('v.form.cancel')}
          </button>
          <button type="submit" className="button-primary" disabled={saving}>
            {saving ? (outcome.uploading ? t('v.form.uploading') : t('v.form.saving')) : title}
          </button>
        </div>
      </form>
    </Modal>
  );
}
