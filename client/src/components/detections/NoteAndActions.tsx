import { useI18n } from '../../i18n/i18n';

/**
 * The end of every lead review dialog (confirm, reject, field, merge): an optional note and the
 * cancel / submit pair. One place, so the dialogs keep the same keys, order and autofocus.
 */
export function NoteAndActions({
  note,
  onNoteChange,
  onCancel,
  submitLabel,
  submitDisabled = false,
  autoFocusSubmit = false,
}: {
  note: string;
  onNoteChange: (note: string) => void;
  onCancel: () => void;
  submitLabel: string;
  submitDisabled?: boolean;
  autoFocusSubmit?: boolean;
}) {
  const { t } = useI18n();
  return (
    <>
      <label className="form-field">
        <span className="form-label">{t('v.form.note')}</span>
        <textarea name="note" rows={2} value={note} onChange={(event) => onNoteChange(event.target.value)} />
      </label>
      <div className="form-actions">
        <button type="button" className="button-secondary" onClick={onCancel}>
          {t('v.form.cancel')}
        </button>
        <button type="submit" className="button-primary" disabled={submitDisabled} data-autofocus={autoFocusSubmit ? true : undefined}>
          {submitLabel}
        </button>
      </div>
    </>
  );
}
