import { useI18n } from '../../i18n/i18n';

/** Camera button for a form: each photo taken is kept as a Blob until the outbox uploads it. */
export function PhotoInput({ photos, onChange, testId }: { photos: Blob[]; onChange: (photos: Blob[]) => void; testId: string }) {
  const { t } = useI18n();
  return (
    <div className="crew-photos">
      <label className="crew-button crew-button-secondary">
        {t('crewApp.photo.take')}
        <input
          type="file"
          accept="image/*"
          capture="environment"
          multiple
          hidden
          data-testid={testId}
          onChange={(event) => {
            onChange([...photos, ...Array.from(event.target.files ?? [])]);
            event.target.value = '';
          }}
        />
      </label>
      <span className="crew-photo-count">{t('crewApp.photo.count', { count: photos.length })}</span>
    </div>
  );
}
