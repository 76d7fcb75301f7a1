import { batchesOf, type BatchList, type CountBy, type PrecisionRow } from '../../api/detections';
import { formatDateTime } from '../../i18n/format_time';
import { useI18n } from '../../i18n/i18n';
import { Modal } from '../violations/common';
import { categoryLabel, percent, statusLabel, zoneLabel } from './detection_format';

/** Per batch counts by zone, category and review status; precision by batch, source and confidence band. */
export function BatchStatsPanel({ list, loading, onClose }: { list: BatchList | undefined; loading: boolean; onClose: () => void }) {
  const { language, t } = useI18n();
  const batches = batchesOf(list);
  const precision = list && !Array.isArray(list) ? list.precision : undefined;
  return (
    <Modal title={t('det.stats')} onClose={onClose} wide testId="det-stats">
      <div className="det-stats" aria-busy={loading} data-loading={loading}>
        {precision && (
          <div className="det-stats-precision">
            <PrecisionChart title={t('det.s.byBatch')} rows={precision.byBatch} shortKey />
            <PrecisionChart title={t('det.s.bySource')} rows={precision.bySource} />
            <PrecisionChart title={t('det.s.byBand')} rows={precision.byConfidenceBand} />
          </div>
        )}
        {batches.length === 0 && <p className="muted">{t('det.s.none')}</p>}
        {batches.map((batch) => (
          <section key={batch.id} className="det-stats-batch">
            <h3 className="det-subtitle">
              {batch.source} · {batch.beforeDate ?? '?'} → {batch.afterDate ?? '?'} <span className="muted numeric">#{batch.id}</span>{' '}
              <span className={`det-chip is-batch-${batch.status}`}>{statusLabel(`batch_${batch.status}`, t)}</span>
              <span className="muted numeric"> {formatDateTime(batch.createdAt, language)}</span>
            </h3>
            {batch.counts ? (
              <div className="det-stats-grid">
                <Bars title={t('det.s.byZone')} counts={batch.counts.byZone} name={(key) => zoneLabel(key === 'none' ? null : key, language, t)} />
                <Bars title={t('det.s.byCategory')} counts={batch.counts.byCategory} name={(key) => categoryLabel(key === 'none' ? null : key, language, t)} />
                <Bars title={t('det.s.byStatus')} counts={batch.counts.byReviewStatus} name={(key) => statusLabel(key, t)} />
              </div>
            ) : (
              <p className="muted">{t('det.s.noCounts')}</p>
            )}
          </section>
        ))}
      </div>
    </Modal>
  );
}

function Bars({ title, counts, name }: { title: string; counts: CountBy; name: (key: string) => string }) {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...entries.map(([, value]) => value));
  return (
    <figure className="det-bars">
      <figcaption>{title}</figcaption>
      {entries.map(([key, value]) => (
        <div key={key} className="det-bar-row">
          <span className="det-bar-label">{name(key)}</span>
          <span className="det-bar-track">
            <span className="det-bar-value" style={{ width: `${(value / max) * 100}%` }} />
          </span>
          <span className="numeric">{value}</span>
        </div>
      ))}
    </figure>
  );
}

function PrecisionChart({ title, rows, shortKey = false }: { title: string; rows: PrecisionRow[]; shortKey?: boolean }) {
  const { t } = useI18n();
  return (
    <figure className="det-bars">
      <figcaption>{title}</figcaption>
      {rows.length === 0 && <span className="muted">{t('det.s.noReviews')}</span>}
      {rows.map((row) => (
        <div key={row.key} className="det-bar-row" title={t('det.s.precisionOf', { confirmed: row.confirmed, reviewed: row.reviewed })}>
          <span className="det-bar-label">{shortKey ? `#${row.key}` : row.key}</span>
          <span className="det-bar-track">
            <span className="det-bar-value is-precision" style={{ width: `${(row.precision ?? 0) * 100}%` }} />
          </span>
          <span className="numeric">
            {percent(row.precision)} <span className="muted">({row.confirmed}/{row.reviewed})</span>
          </span>
        </div>
      ))}
    </figure>
  );
}
