import { hasMessage, useI18n } from '../../i18n/i18n';
import type { OutboxItem } from '../../offline/crew_store';
import { dismissRejected, keepMine, serverVersionOf, takeServers, type OutboxSnapshot } from '../../offline/outbox';

function brief(value: unknown): string {
  if (!value || typeof value !== 'object') return String(value ?? '—');
  const record = value as Record<string, unknown> & { properties?: Record<string, unknown> };
  const source = record.properties ?? record;
  const parts = ['status', 'reviewStatus', 'version', 'stake', 'declineReason'].filter((key) => source[key] !== undefined && source[key] !== null).map((key) => `${key}: ${String(source[key])}`);
  return parts.length > 0 ? parts.join(' · ') : JSON.stringify(source).slice(0, 160);
}

/** 待同步: every queued action with its state; a conflict shows both versions and asks; nothing disappears. */
export function OutboxList({ outbox }: { outbox: OutboxSnapshot }) {
  const { t } = useI18n();
  const errorText = (item: OutboxItem) => {
    const error = item.lastResult?.error;
    if (!error) return null;
    const key = `field.error.${error.code}`;
    return hasMessage(key) ? t(key) : error.message;
  };
  return (
    <section className="crew-card" aria-labelledby="crew-outbox-title" data-testid="crew-outbox">
      <h2 id="crew-outbox-title">
        {t('crewApp.outbox.title')} {outbox.syncing ? <span className="crew-muted">{t('crewApp.outbox.syncing')}</span> : null}
      </h2>
      {outbox.items.length === 0 ? <p className="crew-muted">{t('crewApp.outbox.empty')}</p> : null}
      <ol className="crew-outbox">
        {[...outbox.items].reverse().map((item) => {
          const photos = item.photoUploadIds.map((id) => outbox.photos.get(id));
          return (
            <li key={item.id} className={`crew-outbox-item crew-state-${item.state}`} data-state={item.state} data-type={item.action.type}>
              <div className="crew-outbox-row">
                <span>{item.summary}</span>
                <span className="crew-state">{t(`crewApp.state.${item.state}`)}</span>
              </div>
              {photos.length > 0 ? (
                <div className="crew-muted">
                  {t('crewApp.photo.status', { done: photos.filter((photo) => photo?.state === 'uploaded').length, total: photos.length })}
                  {photos.some((photo) => photo?.state === 'failed') ? ` · ${t('crewApp.photo.failed')}` : ''}
                </div>
              ) : null}
              {errorText(item) ? <div className="crew-error">{errorText(item)}</div> : null}
              {item.state === 'conflict' ? (
                <div className="crew-conflict" data-testid="crew-conflict">
                  <p>{t('crewApp.conflict.explain')}</p>
                  <dl>
                    <dt>{t('crewApp.conflict.mine')}</dt>
                    <dd>{brief(item.action.payload)}{item.action.baseVersion !== undefined ? ` · version: ${item.action.baseVersion}` : ''}</dd>
                    <dt>{t('crewApp.conflict.server')}</dt>
                    <dd>{brief(item.serverVersion)}</dd>
                  </dl>
                  <div className="crew-sheet-actions">
                    {serverVersionOf(item.serverVersion) !== null ? (
                      <button type="button" className="crew-button" onClick={() => void keepMine(item)}>{t('crewApp.conflict.keepMine')}</button>
                    ) : null}
                    <button type="button" className="crew-button crew-button-secondary" onClick={() => void takeServers(item)}>{t('crewApp.conflict.takeServer')}</button>
                  </div>
                </div>
              ) : null}
              {item.state === 'rejected' ? (
                <button type="button" className="crew-button crew-button-secondary" onClick={() => void dismissRejected(item)}>{t('crewApp.outbox.dismiss')}</button>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
