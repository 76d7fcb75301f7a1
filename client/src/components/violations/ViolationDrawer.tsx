import { useEffect, useId, useState, type CSSProperties } from 'react';
import { displayedSide } from '@domain/side_display';
import { CASE_EVENT_LABELS, CASE_STATUS_LABELS, type CaseStatus } from '@domain/case_workflow';
import { VIOLATION_SOURCE_LABELS } from '@domain/violation_attributes';
import { invalidateCached, useQuery } from '../../api/query_cache';
import { formatAttributeValue } from '@domain/attribute_display';
import { documentUrl, DOCUMENT_KINDS, fetchViolation, type AllowedEvent, type PhotoSummary, type TimelineEntry, type ViolationDetail } from '../../api/violations';
import { label, zoneName } from '../../i18n/domain_labels';
import { formatDateTime } from '../../i18n/format_time';
import { formatNumber, hasMessage, useI18n } from '../../i18n/i18n';
import { ZONE_COLORS } from '../../map/palette';
import { violationActions, useViolationsState } from '../../state/violations_store';
import { attributeFields } from '../../violations/attribute_fields';
import { CategoryName, DeadlineText, errorMessage, Field, LoadingRow, StatusBadge } from './common';
import { TransitionDialog } from './TransitionDialog';
import { CaseSupervisions } from '../../supervision/CaseSupervisions';

/** The case of the selected violation: verdict, place, details, photos, timeline and next steps. */
export function ViolationDrawer({ id, onClose, floating = true }: { id: number; onClose: () => void; floating?: boolean }) {
  const { t } = useI18n();
  const headingId = useId();
  const version = useViolationsState((s) => s.dataVersion);
  const [reload, setReload] = useState(0);
  const key = `violation:${id}:${version}:${reload}`;
  const query = useQuery<ViolationDetail>(key, () => fetchViolation(id));
  const [action, setAction] = useState<AllowedEvent | null>(null);

  // Where the steps happened, numbered in timeline order, drawn by the map.
  useEffect(() => {
    if (query.status !== 'success') return;
    // A step recorded at the finding itself is already marked by its symbol.
    const geometry = query.data.geometry;
    const at = geometry.type === 'Point' ? geometry.coordinates.join(',') : null;
    const places = query.data.timeline
      .map((entry, index) => ({ entry, index }))
      .filter(({ entry }) => entry.location && entry.location.coordinates.join(',') !== at)
      .map(({ entry, index }) => ({ point: entry.location!, label: String(index + 1) }));
    violationActions.setTimelinePlaces(places);
  }, [query.status, query.data]);
  useEffect(() => () => violationActions.setTimelinePlaces([]), []);

  const reloadCase = () => {
    invalidateCached(`violation:${id}:`);
    setAction(null);
    setReload((n) => n + 1);
  };

  return (
    <aside
      className={`side-panel is-open violation-drawer${floating ? '' : ' is-docked'}`}
      aria-labelledby={headingId}
      data-testid="violation-drawer"
      onKeyDown={(event) => {
        // Esc closes the drawer; inside a dialog the dialog handles it first.
        if (event.key === 'Escape' && !action && !(event.target as HTMLElement).closest('dialog')) onClose();
      }}
    >
      <div className="panel-grip" aria-hidden="true" />
      <header className="panel-header">
        <h2 id={headingId} className="panel-title">
          {t('v.drawer.title')}
        </h2>
        <button type="button" className="icon-button" aria-label={t('v.drawer.close')} title={t('v.drawer.close')} onClick={onClose}>
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6 6l12 12M18 6L6 18" />
          </svg>
        </button>
      </header>
      <div className="panel-body" aria-busy={query.status === 'loading'}>
        {(query.status === 'loading' || query.status === 'idle') && <LoadingRow text={t('v.drawer.loading')} />}
        {query.status === 'error' && (
          <div className="panel-error" role="alert">
            <p className="panel-error-title">{t('panel.error.other')}</p>
            <p className="panel-error-message">{errorMessage(query.error)}</p>
            <button type="button" className="button-secondary" onClick={reloadCase}>
              {t('v.drawer.reload')}
            </button>
          </div>
        )}
        {query.status === 'success' && <CaseView detail={query.data} onAction={setAction} />}
      </div>
      {action && query.status === 'success' && (
        <TransitionDialog
          detail={query.data}
          allowed={action}
          onClose={() => setAction(null)}
          onReload={reloadCase}
          onDone={() => {
            setAction(null);
            invalidateCached('violations:');
            invalidateCached(`violation:${id}:`);
            violationActions.changed();
          }}
        />
      )}
    </aside>
  );
}

function CaseView({ detail, onAction }: { detail: ViolationDetail; onAction: (action: AllowedEvent) => void }) {
  const { language, t } = useI18n();
  const p = detail.properties;
  const noticeIssued = detail.timeline.some((entry) => entry.event === 'issue_notice' || entry.event === 'reissue_notice');
  return (
    <div className="case" data-testid="case-view" data-version={p.version} data-status={p.status}>
      <section className="case-head">
        <div className="case-number" data-testid="case-number">
          {p.caseNumber ?? <span className="muted">{t('v.drawer.noCase')}</span>}
        </div>
        <div className="case-meta">
          <CategoryName category={p.category} withIcon status={p} />
          <StatusBadge properties={p} />
        </div>
      </section>

      <section className="panel-section">
        <h3 className="section-title">{t('v.section.verdict')}</h3>
        {p.verdict.isViolation ? (
          <dl className="fields">
            <Field label={t('v.field.article')}>{p.verdict.article ?? '—'}</Field>
            <Field label={t('v.field.penaltyArticle')}>{p.verdict.penaltyArticle ?? '—'}</Field>
            <Field label={t('v.field.reason')}>{label(p.verdict.reason, language)}</Field>
          </dl>
        ) : (
          <p className="verdict-void" data-testid="verdict-void">
            <strong>{t('v.verdict.notViolation')}</strong>
            <span className="field-note">{label(p.verdict.reason, language)}</span>
          </p>
        )}
      </section>

      <section className="panel-section">
        <h3 className="section-title">{t('v.section.location')}</h3>
        <dl className="fields">
          <Field label={t('v.field.route')}>
            {p.route ? (
              <>
                <strong>{p.route}</strong> {p.routeName && <span className="muted">{p.routeName}</span>}
              </>
            ) : (
              '—'
            )}
          </Field>
          <Field label={t('v.field.stake')}>
            <span className="numeric stake-inline">{p.stake ?? '—'}</span>
            {displayedSide(p.side, p.offsetMeters) && <span className="field-note">{t(p.side === 'left' ? 'side.left' : 'side.right')}</span>}
          </Field>
          <Field label={t('v.field.offset')}>
            <span className="numeric">{p.offsetMeters === null ? '—' : t('unit.meters', { value: formatNumber(language, p.offsetMeters, 1) })}</span>
          </Field>
          <Field label={t('v.field.zone')}>
            {p.primaryZone ? (
              <span className="zone-chip" style={{ '--zone-color': ZONE_COLORS[p.primaryZone] } as CSSProperties}>
                {zoneName(p.primaryZone, language)}
              </span>
            ) : (
              <span className="muted-strong">{t('zone.none')}</span>
            )}
          </Field>
          <Field label={t('v.field.jurisdiction')}>{p.jurisdiction?.name ?? '—'}</Field>
        </dl>
      </section>

      <section className="panel-section">
        <h3 className="section-title">{t('v.section.attributes')}</h3>
        <dl className="fields">
          {attributeFields(p.category).map((field) => {
            const value = p.attributes[field.key];
            if (value === undefined || value === null) return null;
            const attrKey = `attr.${field.key}`;
            // One formatter with the documents (server/domain/attribute_display.ts): false reads 否, not —.
            const text = formatAttributeValue(field.key, value, language);
            return (
              <Field key={field.key} label={hasMessage(attrKey) ? t(attrKey) : field.key}>
                {text}
              </Field>
            );
          })}
          <Field label={t('v.field.source')}>{label(VIOLATION_SOURCE_LABELS[p.source], language, p.source)}</Field>
          {p.description && <Field label={t('v.field.description')}>{p.description}</Field>}
          <Field label={t('v.field.reportedAt')}>
            <span className="numeric">{formatDateTime(p.reportedAt, language)}</span>
          </Field>
        </dl>
      </section>

      {(p.party || p.deadline) && (
        <section className="panel-section">
          <h3 className="section-title">{t('v.section.party')}</h3>
          <dl className="fields">
            {p.party && (
              <Field label={t('v.field.partyName')}>
                {p.party.name}
                {p.party.contact && <span className="field-note">{p.party.contact}</span>}
                {p.party.idType && (
                  <span className="field-note">
                    {t(`v.idType.${p.party.idType}`)} {p.party.idNumber ?? ''}
                  </span>
                )}
              </Field>
            )}
            <Field label={t('v.field.deadline')}>
              {p.deadline && <span className="numeric">{formatDateTime(p.deadline, language)} </span>}
              <DeadlineText daysRemaining={p.daysRemaining} deadline={p.deadline} />
            </Field>
          </dl>
        </section>
      )}

      <section className="panel-section">
        <h3 className="section-title">
          {t('v.section.photos')}
          <span className="section-meta">{detail.photos.length}</span>
        </h3>
        {detail.photos.length === 0 ? <p className="muted">{t('v.photos.none')}</p> : <PhotoStrip photos={detail.photos} />}
      </section>

      <section className="panel-section">
        <h3 className="section-title">{t('v.section.timeline')}</h3>
        {detail.timeline.length === 0 ? <p className="muted">{t('v.timeline.empty')}</p> : <Timeline entries={detail.timeline} />}
        {detail.timeline.some((entry) => entry.location) && <p className="field-note">{t('v.timeline.placesNote')}</p>}
      </section>

      <CaseSupervisions violationId={p.id} caseOpen={p.verdict.isViolation && !['closed', 'rejected'].includes(p.status)} />

      <section className="panel-section case-actions" data-testid="case-actions">
        <h3 className="section-title">{t('v.section.actions')}</h3>
        {detail.allowedEvents.length === 0 && <p className="muted">{t('v.actions.none')}</p>}
        <div className="action-buttons">
          {orderActions(detail.allowedEvents).map((allowed, index) => (
            <button key={allowed.event} type="button" className={index === 0 && !BACKWARD_EVENTS.has(allowed.event) ? 'button-primary' : 'button-secondary'} data-event={allowed.event} onClick={() => onAction(allowed)}>
              {label(CASE_EVENT_LABELS[allowed.event], language, allowed.event)}
            </button>
          ))}
        </div>
      </section>
      {p.caseNumber && (
        <section className="panel-section" data-testid="case-documents">
          <h3 className="section-title">{t('v.documents.title')}</h3>
          <ul className="document-links">
            {DOCUMENT_KINDS.filter((kind) => noticeIssued || (kind !== 'rectification_notice' && kind !== 'service_record')).map((kind) => (
              <li key={kind}>
                <a href={documentUrl(p.id, kind)} target="_blank" rel="noopener" data-testid={kind === 'rectification_notice' ? 'notice-link' : `document-${kind}`}>
                  {t(`v.documents.${kind}`)}
                </a>
                <a className="document-pdf" href={documentUrl(p.id, kind, 'pdf')} aria-label={`${t(`v.documents.${kind}`)} PDF`}>
                  {t('v.documents.pdf')}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

/** Events that undo or refuse; they never get the primary button. */
const BACKWARD_EVENTS = new Set<string>(['reject', 'reinspect_fail', 'reopen']);

/** Forward steps first (the usual next step is the primary button), refusals last. */
function orderActions(events: AllowedEvent[]): AllowedEvent[] {
  return [...events.filter((e) => !BACKWARD_EVENTS.has(e.event)), ...events.filter((e) => BACKWARD_EVENTS.has(e.event))];
}

function PhotoStrip({ photos }: { photos: PhotoSummary[] }) {
  const { language, t } = useI18n();
  return (
    <ul className="photo-strip">
      {photos.map((photo) => (
        <li key={photo.id}>
          <a href={photo.originalUrl} target="_blank" rel="noopener" title={`${t('v.photos.open')} · ${formatDateTime(photo.takenAt ?? photo.uploadedAt, language)}`}>
            <img src={photo.thumbnailUrl} alt={`${t(`v.tag.${photo.tag}`)} ${formatDateTime(photo.takenAt ?? photo.uploadedAt, language)}`} loading="lazy" width={76} height={76} />
            <span className={`photo-tag is-${photo.tag}`}>{t(`v.tag.${photo.tag}`)}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

function Timeline({ entries }: { entries: TimelineEntry[] }) {
  const { language, t } = useI18n();
  return (
    <ol className="timeline" data-testid="timeline">
      {entries.map((entry, index) => {
        const eventLabel =
          entry.event in CASE_EVENT_LABELS
            ? label(CASE_EVENT_LABELS[entry.event as keyof typeof CASE_EVENT_LABELS], language)
            : entry.event === 'create' || entry.fromStatus === null
              ? t('v.timeline.create')
              : entry.event;
        return (
          <li key={entry.id} className="timeline-item" data-event={entry.event}>
            <span className="timeline-dot" aria-hidden="true">
              {index + 1}
            </span>
            <div className="timeline-body">
              <div className="timeline-head">
                <strong className="timeline-event">{eventLabel}</strong>
                <span className="timeline-status">→ {label(CASE_STATUS_LABELS[entry.toStatus as CaseStatus], language, entry.toStatus)}</span>
              </div>
              <div className="timeline-meta">
                <span className="timeline-actor">{entry.actor?.username ?? t('v.timeline.system')}</span> · <span className="numeric">{formatDateTime(entry.occurredAt, language)}</span>
              </div>
              {entry.note && <p className="timeline-note">{entry.note}</p>}
              {entry.photos.length > 0 && <PhotoStrip photos={entry.photos} />}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
