import { useEffect, useState } from 'react';
import { DETECTION_CRS, fetchBatch, uploadBatch, type DetectionBatch, type DetectionCrs } from '../../api/detections';
import { useI18n } from '../../i18n/i18n';
import { errorMessage, Modal } from '../violations/common';
import { statusLabel } from './detection_format';

const SOURCES = ['GF-2', 'GF-1', 'ZY-3', 'Sentinel-2', 'Landsat-8', 'UAV'];

/** Upload a detection batch (GeoJSON / zipped Shapefile / FlatGeobuf), then follow its progress. */
export function BatchUploadDialog({ onClose, onDone }: { onClose: () => void; onDone: (batchId: number) => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [source, setSource] = useState('GF-2');
  const [beforeDate, setBeforeDate] = useState('');
  const [afterDate, setAfterDate] = useState('');
  const [crs, setCrs] = useState<DetectionCrs>('WGS84');
  const [beforeTileUrl, setBeforeTileUrl] = useState('');
  const [afterTileUrl, setAfterTileUrl] = useState('');
  const [state, setState] = useState<{ kind: 'form' } | { kind: 'uploading' } | { kind: 'error'; message: string } | { kind: 'progress'; batch: DetectionBatch }>({ kind: 'form' });
  const [batchId, setBatchId] = useState<number | null>(null);

  // Poll the batch every second until it is done or failed.
  useEffect(() => {
    if (!batchId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const batch = await fetchBatch(batchId);
        if (stopped) return;
        setState({ kind: 'progress', batch });
        if (batch.status === 'done' || batch.status === 'failed') return;
      } catch (error) {
        if (stopped) return;
        setState({ kind: 'error', message: errorMessage(error) });
        return;
      }
      timer = setTimeout(() => void poll(), 1000);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [batchId]);

  const batch = state.kind === 'progress' ? state.batch : null;
  const total = batch?.total ?? 0;
  const fraction = batch ? (batch.status === 'done' ? 1 : total > 0 ? Math.min(1, batch.processed / total) : 0) : 0;

  return (
    <Modal title={t('det.upload')} onClose={onClose} testId="det-upload-dialog" wide>
      {batchId === null || state.kind === 'uploading' || (state.kind === 'error' && batchId === null) ? (
        <form
          className="form"
          onSubmit={async (event) => {
            event.preventDefault();
            if (!file || !beforeDate || !afterDate) return;
            setState({ kind: 'uploading' });
            try {
              const answer = await uploadBatch({ file, source, beforeDate, afterDate, crs, beforeTileUrl: beforeTileUrl.trim() || undefined, afterTileUrl: afterTileUrl.trim() || undefined });
              setBatchId(answer.id);
            } catch (error) {
              setState({ kind: 'error', message: errorMessage(error) });
            }
          }}
        >
          <label className="form-field">
            <span className="form-label">{t('det.u.file')} *</span>
            <input type="file" name="file" accept=".geojson,.json,.zip,.fgb,application/geo+json,application/zip" required onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
            <span className="form-hint">{t('det.u.fileHint')}</span>
          </label>
          <div className="form-row">
            <label className="form-field">
              <span className="form-label">{t('det.u.source')} *</span>
              <input name="source" list="det-sources" value={source} onChange={(event) => setSource(event.target.value)} required />
              <datalist id="det-sources">
                {SOURCES.map((value) => (
                  <option key={value} value={value} />
                ))}
              </datalist>
            </label>
            <label className="form-field">
              <span className="form-label">{t('det.u.crs')} *</span>
              <select name="crs" value={crs} onChange={(event) => setCrs(event.target.value as DetectionCrs)}>
                {DETECTION_CRS.map((value) => (
                  <option key={value} value={value}>
                    {t(`det.crs.${value}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="form-row">
            <label className="form-field">
              <span className="form-label">{t('det.u.beforeDate')} *</span>
              <input type="date" name="beforeDate" value={beforeDate} onChange={(event) => setBeforeDate(event.target.value)} required />
            </label>
            <label className="form-field">
              <span className="form-label">{t('det.u.afterDate')} *</span>
              <input type="date" name="afterDate" value={afterDate} onChange={(event) => setAfterDate(event.target.value)} required />
            </label>
          </div>
          <label className="form-field">
            <span className="form-label">{t('det.u.beforeTileUrl')}</span>
            <input name="beforeTileUrl" value={beforeTileUrl} placeholder="https://…/{z}/{x}/{y}.png" onChange={(event) => setBeforeTileUrl(event.target.value)} />
          </label>
          <label className="form-field">
            <span className="form-label">{t('det.u.afterTileUrl')}</span>
            <input name="afterTileUrl" value={afterTileUrl} placeholder="https://…/{z}/{x}/{y}.png" onChange={(event) => setAfterTileUrl(event.target.value)} />
          </label>
          {state.kind === 'error' && (
            <div className="form-alert" role="alert">
              {t('v.error.generic', { message: state.message })}
            </div>
          )}
          <div className="form-actions">
            <button type="button" className="button-secondary" onClick={onClose}>
              {t('v.form.cancel')}
            </button>
            <button type="submit" className="button-primary" disabled={state.kind === 'uploading' || !file}>
              {state.kind === 'uploading' ? t('det.u.uploading') : t('det.u.submit')}
            </button>
          </div>
        </form>
      ) : (
        <div className="det-progress" data-testid="det-progress" data-status={batch?.status ?? 'queued'}>
          <p>
            {t('det.u.batch')} <code>{batchId}</code> · <strong>{statusLabel(`batch_${batch?.status ?? 'queued'}`, t)}</strong>
          </p>
          <div className="det-bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(fraction * 100)} aria-label={t('det.u.progress')}>
            <span className={`det-bar-fill${batch?.status === 'failed' ? ' is-failed' : ''}`} style={{ width: `${fraction * 100}%` }} />
          </div>
          <p className="numeric">
            {t('det.u.processed', { processed: batch?.processed ?? 0, total: batch?.total ?? '?' })} · {t('det.u.repaired', { count: batch?.repaired ?? 0 })}
          </p>
          {batch?.status === 'done' && batch.counts && (
            <p className="numeric" data-testid="det-upload-summary">
              {t('det.u.summary', { inScope: batch.counts.inScope, outOfScope: batch.counts.outOfScope, known: batch.counts.known, recurring: batch.counts.recurring })}
            </p>
          )}
          {state.kind === 'error' && (
            <div className="form-alert" role="alert">
              {t('v.error.generic', { message: state.message })}
            </div>
          )}
          {batch?.status === 'failed' && (
            <div className="form-alert" role="alert" data-testid="det-rejected">
              <strong>{t('det.u.failed')}</strong>
              <ul>
                {batch.rejected.slice(0, 50).map((row) => (
                  <li key={row.featureIndex}>
                    {t('det.u.feature', { index: row.featureIndex })}
                    {row.externalId ? ` (${row.externalId})` : ''}: {row.reason}
                  </li>
                ))}
              </ul>
              {batch.rejected.length > 50 && <p>{t('det.u.more', { count: batch.rejected.length - 50 })}</p>}
            </div>
          )}
          <div className="form-actions">
            <button type="button" className="button-secondary" onClick={onClose}>
              {t('panel.close')}
            </button>
            {batch?.status === 'done' && (
              <button type="button" className="button-primary" onClick={() => onDone(batch.id)} data-testid="det-show-batch" autoFocus>
                {t('det.u.show')}
              </button>
            )}
          </div>
        </div>
      )}
    </Modal>
  );
}
