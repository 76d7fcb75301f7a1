import { useState, type CSSProperties } from 'react';
import { VIOLATION_CATEGORY_RULES } from '@domain/violation_categories';
import { importViolations, type ImportDatum, type ImportResult } from '../../api/violations';
import { label, zoneName } from '../../i18n/domain_labels';
import { formatNumber, useI18n } from '../../i18n/i18n';
import { ZONE_COLORS } from '../../map/palette';
import { errorMessage, LoadingRow, Modal } from './common';

const DATUMS: ImportDatum[] = ['WGS84', 'CGCS2000', 'GCJ02'];

/** Import a GeoJSON/CSV/xlsx file: dry run first (per-row result), then an all-or-nothing commit. */
export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const { language, t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [datum, setDatum] = useState<ImportDatum>('WGS84');
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'busy'; dryRun: boolean } | { kind: 'checked'; result: ImportResult } | { kind: 'done'; result: ImportResult } | { kind: 'error'; message: string }>({ kind: 'idle' });

  const run = async (dryRun: boolean) => {
    if (!file) {
      setState({ kind: 'error', message: t('v.import.chooseFile') });
      return;
    }
    setState({ kind: 'busy', dryRun });
    try {
      const result = await importViolations(file, datum, dryRun);
      setState({ kind: dryRun ? 'checked' : 'done', result });
      if (!dryRun) onImported();
    } catch (error) {
      setState({ kind: 'error', message: errorMessage(error) });
    }
  };

  const result = state.kind === 'checked' || state.kind === 'done' ? state.result : null;
  const hasErrors = result ? result.summary.invalid > 0 : true;
  return (
    <Modal title={t('v.import.title')} onClose={onClose} wide testId="import-dialog">
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          void run(true);
        }}
      >
        <div className="form-row">
          <label className="form-field is-grow">
            <span className="form-label">{t('v.import.file')}</span>
            <input
              type="file"
              accept=".geojson,.json,.csv,.xlsx,application/geo+json,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(event) => {
                setFile(event.target.files?.[0] ?? null);
                setState({ kind: 'idle' });
              }}
              autoFocus
            />
          </label>
          <label className="form-field">
            <span className="form-label">{t('v.import.datum')}</span>
            <select
              value={datum}
              onChange={(event) => {
                setDatum(event.target.value as ImportDatum);
                setState({ kind: 'idle' });
              }}
            >
              {DATUMS.map((value) => (
                <option key={value} value={value}>
                  {t(`v.import.datum.${value}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="form-actions is-start">
          <button type="submit" className="button-secondary" disabled={state.kind === 'busy'}>
            {t('v.import.dryRun')}
          </button>
          <button type="button" className="button-primary" disabled={state.kind !== 'checked' || hasErrors} onClick={() => void run(false)}>
            {t('v.import.commit')}
          </button>
        </div>
        {state.kind === 'busy' && <LoadingRow text={state.dryRun ? t('v.import.checking') : t('v.import.committing')} />}
        {state.kind === 'error' && (
          <div className="form-alert" role="alert">
            {state.message}
          </div>
        )}
        {result && (
          <div className="import-result" data-testid="import-result">
            <p className={`import-summary${result.summary.invalid > 0 ? ' has-errors' : ''}`} role="status">
              {t('v.import.summary', result.summary)}
              {state.kind === 'done' && <strong> · {t('v.import.created', { created: result.summary.created })}</strong>}
            </p>
            {state.kind === 'checked' && hasErrors && <p className="form-error">{t('v.import.hasErrors')}</p>}
            <div className="import-table-wrap">
              <table className="ledger-table import-table">
                <thead>
                  <tr>
                    <th scope="col">{t('v.import.col.row')}</th>
                    <th scope="col">{t('v.field.externalId')}</th>
                    <th scope="col">{t('v.import.col.result')}</th>
                    <th scope="col">{t('v.field.category')}</th>
                    <th scope="col">{t('v.ledger.col.location')}</th>
                    <th scope="col">{t('v.field.zone')}</th>
                    <th scope="col">{t('v.section.verdict')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.rows.map((row) => (
                    <tr key={row.rowNumber} className={row.ok ? '' : 'is-error'}>
                      <td className="numeric">{row.rowNumber}</td>
                      <td>{row.externalId ?? '—'}</td>
                      <td>
                        {!row.ok ? (
                          <ul className="row-errors">
                            {row.errors.map((error, index) => (
                              <li key={index}>
                                <strong>{error.field}</strong>: {error.message}
                              </li>
                            ))}
                          </ul>
                        ) : row.existingId !== null ? (
                          <span className="muted">{t('v.import.existing')}</span>
                        ) : (
                          <span className="ok-text">{t('v.import.ok')}</span>
                        )}
                      </td>
                      <td>{row.would?.category ? label(VIOLATION_CATEGORY_RULES[row.would.category]?.label, language, row.would.category) : '—'}</td>
                      <td className="numeric">
                        {row.would?.route ?? '—'} {row.would?.stake ?? ''} {row.would?.side ? t(row.would.side === 'left' ? 'side.left' : 'side.right') : ''}
                        {row.would?.offsetMeters !== null && row.would?.offsetMeters !== undefined && <span className="muted"> {t('unit.meters', { value: formatNumber(language, row.would.offsetMeters, 1) })}</span>}
                      </td>
                      <td>
                        {row.would?.primaryZone ? (
                          <span className="zone-chip" style={{ '--zone-color': ZONE_COLORS[row.would.primaryZone] } as CSSProperties}>
                            {zoneName(row.would.primaryZone, language)}
                          </span>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td>{row.would?.verdict ? (row.would.verdict.isViolation ? `${t('v.verdict.violation')} · ${row.would.verdict.article ?? ''}` : t('v.verdict.notViolation')) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        )}
        <div className="form-actions">
          <button type="button" className="button-secondary" onClick={onClose}>
            {t('v.import.close')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
