import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { displayedSide } from '@domain/side_display';
import { allowedEvents, CASE_EVENT_LABELS, CASE_STATUSES, CASE_STATUS_LABELS, defaultDeadline, REJECT_REASONS, type CaseEvent, type RejectReason } from '@domain/case_workflow';
import { VIOLATION_CATEGORIES, VIOLATION_CATEGORY_RULES } from '@domain/violation_categories';
import { VIOLATION_SOURCES, VIOLATION_SOURCE_LABELS } from '@domain/violation_attributes';
import { parseStake } from '@domain/stake';
import { ApiError } from '../api/api_error';
import { fetchJurisdictions } from '../api/endpoints';
import { invalidateCached, useQuery } from '../api/query_cache';
import type { JurisdictionCollection } from '../api/types';
import { bulkTransition, exportUrl, fetchViolations, type SortKey, type ViolationCollection, type ViolationFeature, type ViolationFilters } from '../api/violations';
import { can, useSession } from '../auth/session_store';
import { Header } from '../components/Header';
import { ImportDialog } from '../components/violations/ImportDialog';
import { pageStart, rememberNextCursor, usePageCursors } from '../state/list_paging';
import { CategoryName, DeadlineText, errorMessage, ListQueryStates, Modal, Pager, StatusBadge } from '../components/violations/common';
import { ViolationDrawer } from '../components/violations/ViolationDrawer';
import { label } from '../i18n/domain_labels';
import { chinaDate, endOfChinaDay, formatDateTime } from '../i18n/format_time';
import { useI18n } from '../i18n/i18n';
import { mapUrl, showOnMap } from '../state/navigation';
import { violationActions, useViolationsState } from '../state/violations_store';

const PAGE_SIZES = [50, 100, 200] as const;

interface LedgerView {
  filters: ViolationFilters;
  sort: SortKey;
  order: 'asc' | 'desc';
  page: number;
  size: number;
}

const SORT_KEYS: SortKey[] = ['reportedAt', 'deadline', 'stake', 'caseNumber', 'category', 'status'];

/** The ledger's view from the URL query (so a filtered view can be shared). */
export function parseLedgerQuery(search: string): LedgerView {
  const params = new URLSearchParams(search);
  const list = (key: string) => (params.get(key) ? params.get(key)!.split(',').filter(Boolean) : undefined);
  const text = (key: string) => params.get(key) || undefined;
  const sort = params.get('sort') as SortKey | null;
  const size = Number(params.get('size'));
  const page = Number(params.get('page'));
  return {
    filters: {
      category: list('category'),
      status: list('status'),
      overdue: params.get('overdue') === 'true' || undefined,
      route: text('route'),
      stakeFrom: text('stakeFrom'),
      stakeTo: text('stakeTo'),
      jurisdiction: text('jurisdiction'),
      source: text('source'),
      reportedFrom: text('reportedFrom'),
      reportedTo: text('reportedTo'),
      clearedFrom: text('clearedFrom'),
      clearedTo: text('clearedTo'),
      clearedLate: params.has('clearedLate') ? params.get('clearedLate') === 'true' : undefined,
      deadlineFrom: text('deadlineFrom'),
      deadlineTo: text('deadlineTo'),
      reopenedFrom: text('reopenedFrom'),
      reopenedTo: text('reopenedTo'),
      isViolation: params.has('isViolation') ? params.get('isViolation') === 'true' : undefined,
      q: text('q'),
    },
    sort: sort && SORT_KEYS.includes(sort) ? sort : 'reportedAt',
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
    page: Number.isInteger(page) && page > 0 ? page : 1,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : 50,
  };
}

export function formatLedgerQuery(view: LedgerView): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(view.filters)) {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  if (view.sort !== 'reportedAt') params.set('sort', view.sort);
  if (view.order !== 'desc') params.set('order', view.order);
  if (view.page !== 1) params.set('page', String(view.page));
  if (view.size !== 50) params.set('size', String(view.size));
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** 违法台账: filters, a sortable paged table, bulk transitions, export and import. */
export function LedgerPage({ onLoggedOut }: { onLoggedOut: () => void }) {
  const { language, t } = useI18n();
  const session = useSession();
  const [view, setView] = useState<LedgerView>(() => parseLedgerQuery(window.location.search));
  const [draft, setDraft] = useState<ViolationFilters>(view.filters);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [bulkEvent, setBulkEvent] = useState<CaseEvent | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [reload, setReload] = useState(0);
  const version = useViolationsState((s) => s.dataVersion);
  const openId = useViolationsState((s) => s.selectedId);
  const role = session.status === 'authenticated' ? session.user.role : null;
  const mayTransition = can(session, 'cases.transition');
  const mayImport = can(session, 'findings.record');

  useEffect(() => {
    document.title = `${t('app.name')} · ${t('v.ledger.title')}`;
  }, [t]);

  // Back/forward between ledger views.
  useEffect(() => {
    const onPop = () => {
      const next = parseLedgerQuery(window.location.search);
      setView(next);
      setDraft(next.filters);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const apply = (next: LedgerView, push = true) => {
    setView(next);
    setSelected(new Set());
    const url = `${window.location.pathname}${formatLedgerQuery(next)}${window.location.hash}`;
    if (push) window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  };

  // Past the first pages, "next" follows the previous page's links.next (state/list_paging.ts).
  const cursors = usePageCursors();
  const listKey = formatLedgerQuery({ ...view, page: 1 });
  const start = pageStart(cursors, listKey, view.page, view.size);
  const key = `violations:ledger:${formatLedgerQuery(view)}:${start.cursor ?? ''}:${version}:${reload}`;
  const query = useQuery<ViolationCollection>(key, () => fetchViolations({ ...view.filters, sort: view.sort, order: view.order, limit: view.size, ...start }));
  if (query.data) rememberNextCursor(cursors, listKey, view.page, query.data.links);
  const jurisdictions = useQuery<JurisdictionCollection>('jurisdictions:ledger', () => fetchJurisdictions());

  const rows = query.data?.features ?? [];
  const total = query.data?.numberMatched ?? 0;
  const pages = Math.max(1, Math.ceil(total / view.size));
  const selectedRows = rows.filter((row) => selected.has(row.properties.id));
  const commonEvents = useMemo(() => {
    if (!role || selectedRows.length === 0) return [];
    const sets = selectedRows.map((row) => new Set(allowedEvents(row.properties.status, role)));
    return [...sets[0]!].filter((event) => sets.every((set) => set.has(event)));
  }, [role, selectedRows]);

  const sortBy = (sort: SortKey) => apply({ ...view, sort, order: view.sort === sort && view.order === 'desc' ? 'asc' : 'desc', page: 1 });
  const stakeError = (value: string | undefined) => Boolean(value) && !parseStake(value!).ok;

  const submitFilters = (event: FormEvent) => {
    event.preventDefault();
    if (stakeError(draft.stakeFrom) || stakeError(draft.stakeTo)) return;
    apply({ ...view, filters: draft, page: 1 });
  };

  const sortHeader = (sort: SortKey, text: string) => (
    <th scope="col" aria-sort={view.sort === sort ? (view.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort-button" onClick={() => sortBy(sort)}>
        {text}
        <span className="sort-mark" aria-hidden="true">
          {view.sort === sort ? (view.order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );

  const districtOptions = (jurisdictions.data?.features ?? []).map((feature) => feature.properties).sort((a, b) => a.code.localeCompare(b.code));

  return (
    <div className="app-shell">
      <Header onLoggedOut={onLoggedOut} page="ledger" />
      <main className="ledger" data-testid="ledger">
        <div className="ledger-main">
        <div className="ledger-toolbar">
          <h1 className="ledger-title">{t('v.ledger.title')}</h1>
          <span className="ledger-total" data-testid="ledger-total">
            {query.status === 'success' ? t(query.data?.numberMatchedIsEstimate ? 'v.ledger.totalEstimate' : 'v.ledger.total', { count: total }) : '\u00a0'}
          </span>
          <div className="ledger-tools">
            <span className="ledger-export-label">{t('v.ledger.export')}</span>
            {(['xlsx', 'csv'] as const).map((format) => (
              <a key={format} className="button-secondary" href={exportUrl(format, view.filters, view.sort, view.order)} download>
                {format.toUpperCase()}
              </a>
            ))}
            {(['point', 'polygon'] as const).map((geometryType) => (
              <a key={geometryType} className="button-secondary" href={exportUrl('geojson', view.filters, view.sort, view.order, geometryType)} download>
                {t(geometryType === 'point' ? 'v.ledger.exportGeojsonPoints' : 'v.ledger.exportGeojsonPolygons')}
              </a>
            ))}
            {mayImport && (
              <button type="button" className="button-primary" onClick={() => setImportOpen(true)}>
                {t('v.ledger.import')}
              </button>
            )}
          </div>
        </div>

        <form className="ledger-filters" onSubmit={submitFilters} aria-label={t('v.ledger.filters')}>
          <FilterField label={t('v.ledger.q')} wide>
            <input type="search" value={draft.q ?? ''} placeholder={t('v.ledger.qPlaceholder')} onChange={(event) => setDraft({ ...draft, q: event.target.value || undefined })} />
          </FilterField>
          <FilterField label={t('v.field.category')}>
            <select value={draft.category?.[0] ?? ''} onChange={(event) => setDraft({ ...draft, category: event.target.value ? [event.target.value] : undefined })}>
              <option value="">{t('v.ledger.allCategories')}</option>
              {VIOLATION_CATEGORIES.map((category) => (
                <option key={category} value={category}>
                  {label(VIOLATION_CATEGORY_RULES[category].label, language)}
                </option>
              ))}
            </select>
          </FilterField>
          <FilterField label={t('v.field.status')}>
            <select value={draft.status?.[0] ?? ''} onChange={(event) => setDraft({ ...draft, status: event.target.value ? [event.target.value] : undefined })}>
              <option value="">{t('v.ledger.allStatuses')}</option>
              {CASE_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {label(CASE_STATUS_LABELS[status], language)}
                </option>
              ))}
            </select>
          </FilterField>
          <FilterField label={t('v.ledger.route')}>
            <input value={draft.route ?? ''} placeholder="G310" size={6} onChange={(event) => setDraft({ ...draft, route: event.target.value.toUpperCase() || undefined })} />
          </FilterField>
          <FilterField label={t('v.ledger.stakeFrom')} error={stakeError(draft.stakeFrom) ? t('search.error.STAKE_INVALID', { stake: draft.stakeFrom ?? '' }) : undefined}>
            <input value={draft.stakeFrom ?? ''} placeholder="K0+000" size={8} onChange={(event) => setDraft({ ...draft, stakeFrom: event.target.value.toUpperCase() || undefined })} aria-invalid={stakeError(draft.stakeFrom)} />
          </FilterField>
          <FilterField label={t('v.ledger.stakeTo')} error={stakeError(draft.stakeTo) ? t('search.error.STAKE_INVALID', { stake: draft.stakeTo ?? '' }) : undefined}>
            <input value={draft.stakeTo ?? ''} placeholder="K9+999" size={8} onChange={(event) => setDraft({ ...draft, stakeTo: event.target.value.toUpperCase() || undefined })} aria-invalid={stakeError(draft.stakeTo)} />
          </FilterField>
          <FilterField label={t('v.field.jurisdiction')}>
            <select value={draft.jurisdiction ?? ''} onChange={(event) => setDraft({ ...draft, jurisdiction: event.target.value || undefined })}>
              <option value="">{t('v.ledger.allJurisdictions')}</option>
              {districtOptions.map((district) => (
                <option key={district.code} value={district.code}>
                  {district.name}
                </option>
              ))}
            </select>
          </FilterField>
          <FilterField label={t('v.field.source')}>
            <select value={draft.source ?? ''} onChange={(event) => setDraft({ ...draft, source: event.target.value || undefined })}>
              <option value="">{t('v.ledger.allSources')}</option>
              {VIOLATION_SOURCES.map((source) => (
                <option key={source} value={source}>
                  {label(VIOLATION_SOURCE_LABELS[source], language)}
                </option>
              ))}
            </select>
          </FilterField>
          <FilterField label={t('v.ledger.reportedFrom')}>
            <input type="date" value={draft.reportedFrom ?? ''} onChange={(event) => setDraft({ ...draft, reportedFrom: event.target.value || undefined })} />
          </FilterField>
          <FilterField label={t('v.ledger.reportedTo')}>
            <input type="date" value={draft.reportedTo ?? ''} onChange={(event) => setDraft({ ...draft, reportedTo: event.target.value || undefined })} />
          </FilterField>
          <label className="filter-check">
            <input type="checkbox" checked={draft.overdue === true} onChange={(event) => setDraft({ ...draft, overdue: event.target.checked || undefined })} />
            {t('v.ledger.overdueOnly')}
          </label>
          <div className="filter-actions">
            <button type="submit" className="button-primary">
              {t('v.ledger.apply')}
            </button>
            <button
              type="button"
              className="button-secondary"
              onClick={() => {
                setDraft({});
                apply({ ...view, filters: {}, page: 1 });
              }}
            >
              {t('v.ledger.reset')}
            </button>
          </div>
        </form>

        {selected.size > 0 && (
          <div className="bulk-bar" role="region" aria-label={t('v.ledger.selected', { count: selected.size })}>
            <strong>{t('v.ledger.selected', { count: selected.size })}</strong>
            {mayTransition && commonEvents.length === 0 && <span className="muted">{t('v.ledger.bulkNone')}</span>}
            {mayTransition &&
              commonEvents.map((event) => (
                <button key={event} type="button" className="button-secondary" onClick={() => setBulkEvent(event)}>
                  {t('v.ledger.bulk', { action: label(CASE_EVENT_LABELS[event], language) })}
                </button>
              ))}
            <button type="button" className="link-button" onClick={() => setSelected(new Set())}>
              {t('search.clear')}
            </button>
          </div>
        )}

        <div className="ledger-table-wrap" aria-busy={query.status === 'loading'}>
          <ListQueryStates
            status={query.status}
            error={query.error}
            isEmpty={rows.length === 0}
            text={{
              loading: t('v.ledger.loading'),
              error: (message) => t('v.ledger.error', { message }),
              retry: t('v.ledger.retry'),
              emptyTitle: t('v.ledger.empty'),
              emptyHint: t('v.ledger.emptyHint'),
            }}
            onRetry={() => {
              invalidateCached('violations:ledger');
              setReload((n) => n + 1);
            }}
            emptyTestId="ledger-empty"
          />
          {query.status === 'success' && rows.length > 0 && (
            <table className="ledger-table" data-testid="ledger-table">
              <thead>
                <tr>
                  <th scope="col" className="col-check">
                    <input
                      type="checkbox"
                      aria-label={t('v.ledger.selectAll')}
                      checked={rows.every((row) => selected.has(row.properties.id))}
                      onChange={(event) => setSelected(event.target.checked ? new Set(rows.map((row) => row.properties.id)) : new Set())}
                    />
                  </th>
                  {sortHeader('caseNumber', t('v.ledger.col.caseNumber'))}
                  {sortHeader('category', t('v.ledger.col.category'))}
                  {sortHeader('status', t('v.ledger.col.status'))}
                  {sortHeader('stake', t('v.ledger.col.location'))}
                  <th scope="col">{t('v.ledger.col.jurisdiction')}</th>
                  {sortHeader('deadline', t('v.ledger.col.deadline'))}
                  {sortHeader('reportedAt', t('v.ledger.col.reportedAt'))}
                  <th scope="col">{t('v.ledger.col.source')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <LedgerRow
                    key={row.properties.id}
                    row={row}
                    checked={selected.has(row.properties.id)}
                    active={openId === row.properties.id}
                    onCheck={(checked) => {
                      const next = new Set(selected);
                      if (checked) next.add(row.properties.id);
                      else next.delete(row.properties.id);
                      setSelected(next);
                    }}
                  />
                ))}
              </tbody>
            </table>
          )}
        </div>

        <Pager
          page={view.page}
          pages={pages}
          size={view.size}
          sizes={PAGE_SIZES}
          hasNext={query.data ? Boolean(query.data.links?.next) : false}
          pagesEstimated={Boolean(query.data?.numberMatchedIsEstimate)}
          onChange={(next) => apply({ ...view, ...next })}
        />
        </div>

        {openId !== null && <ViolationDrawer key={openId} id={openId} onClose={() => violationActions.select(null)} floating={false} />}
      </main>
      {bulkEvent && (
        <BulkDialog
          event={bulkEvent}
          rows={selectedRows}
          onClose={() => setBulkEvent(null)}
          onDone={() => {
            setBulkEvent(null);
            setSelected(new Set());
            invalidateCached('violations:');
            violationActions.changed();
          }}
        />
      )}
      {importOpen && (
        <ImportDialog
          onClose={() => setImportOpen(false)}
          onImported={() => {
            invalidateCached('violations:');
            violationActions.changed();
          }}
        />
      )}
    </div>
  );
}

function FilterField({ label: text, children, wide = false, error }: { label: string; children: ReactNode; wide?: boolean; error?: string }) {
  return (
    <label className={`filter-field${wide ? ' is-wide' : ''}`}>
      <span className="form-label">{text}</span>
      {children}
      {error && <span className="form-error">{error}</span>}
    </label>
  );
}

function LedgerRow({ row, checked, active, onCheck }: { row: ViolationFeature; checked: boolean; active: boolean; onCheck: (checked: boolean) => void }) {
  const { language, t } = useI18n();
  const p = row.properties;
  const name = p.caseNumber ?? `#${p.id}`;
  const center = row.geometry.type === 'Point' ? (row.geometry.coordinates as [number, number]) : (row.geometry.coordinates[0]?.[0] as [number, number] | undefined);
  return (
    <tr className={`${checked ? 'is-selected' : ''}${active ? ' is-active' : ''}`} data-id={p.id}>
      <td className="col-check">
        <input type="checkbox" checked={checked} onChange={(event) => onCheck(event.target.checked)} aria-label={t('v.ledger.selectRow', { name })} />
      </td>
      <td>
        <button type="button" className="link-button case-link" onClick={() => violationActions.select(p.id)}>
          {p.caseNumber ?? <span className="muted">{t('v.drawer.noCase')} #{p.id}</span>}
        </button>
      </td>
      <td>
        <CategoryName category={p.category} withIcon status={p} />
      </td>
      <td>
        <StatusBadge properties={p} />
      </td>
      <td className="numeric">
        {p.route ? (
          <>
            <strong>{p.route}</strong> {p.stake} {displayedSide(p.side, p.offsetMeters) ? t(p.side === 'left' ? 'side.left' : 'side.right') : ''}
          </>
        ) : (
          '—'
        )}
        {center && (
          <a
            className="map-link"
            href={mapUrl({ center, violationId: p.id })}
            title={t('v.ledger.showOnMap')}
            aria-label={`${t('v.ledger.showOnMap')} ${name}`}
            onClick={(event) => {
              event.preventDefault();
              showOnMap(center, p.id);
            }}
          >
            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path d="M12 21s7-7.5 7-12a7 7 0 0 0-14 0c0 4.5 7 12 7 12z" />
              <circle cx="12" cy="9" r="2.5" />
            </svg>
          </a>
        )}
      </td>
      <td>{p.jurisdiction?.name ?? '—'}</td>
      <td>
        {p.deadline ? (
          <>
            <span className="numeric">{chinaDate(p.deadline)}</span> <DeadlineText daysRemaining={p.daysRemaining} deadline={p.deadline} />
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="numeric">{formatDateTime(p.reportedAt, language)}</td>
      <td>{label(VIOLATION_SOURCE_LABELS[p.source], language, p.source)}</td>
    </tr>
  );
}

function BulkDialog({ event, rows, onClose, onDone }: { event: CaseEvent; rows: ViolationFeature[]; onClose: () => void; onDone: () => void }) {
  const { language, t } = useI18n();
  const [note, setNote] = useState('');
  const [deadline, setDeadline] = useState(() => chinaDate(defaultDeadline(rows[0]?.properties.category ?? 'billboard', new Date())));
  const [rejectReason, setRejectReason] = useState<RejectReason | ''>('');
  const [state, setState] = useState<{ kind: 'idle' | 'saving' } | { kind: 'failed'; failures: { id: number; code: string; message: string }[] } | { kind: 'error'; message: string }>({ kind: 'idle' });
  const needsDeadline = event === 'issue_notice' || event === 'send_reminder' || event === 'reissue_notice';
  const needsReject = event === 'reject';
  const title = t('v.ledger.bulk', { action: label(CASE_EVENT_LABELS[event], language) });
  const byId = new Map(rows.map((row) => [row.properties.id, row.properties.caseNumber ?? `#${row.properties.id}`]));
  return (
    <Modal title={title} onClose={onClose} testId="bulk-dialog">
      <form
        className="form"
        onSubmit={async (submitEvent) => {
          submitEvent.preventDefault();
          if (needsReject && !rejectReason) return;
          setState({ kind: 'saving' });
          try {
            await bulkTransition({
              ids: rows.map((row) => row.properties.id),
              event,
              note: note.trim() || undefined,
              deadline: needsDeadline ? endOfChinaDay(deadline) : undefined,
              rejectReason: rejectReason || undefined,
            });
            onDone();
          } catch (error) {
            const failures = error instanceof ApiError ? (error.details as { failures?: { id: number; code: string; message: string }[] } | null)?.failures : undefined;
            setState(failures ? { kind: 'failed', failures } : { kind: 'error', message: errorMessage(error) });
          }
        }}
      >
        <p className="form-hint">{t('v.ledger.selected', { count: rows.length })}</p>
        {needsReject && (
          <label className="form-field">
            <span className="form-label">{t('v.form.rejectReason')} *</span>
            <select value={rejectReason} onChange={(changeEvent) => setRejectReason(changeEvent.target.value as RejectReason)} required autoFocus>
              <option value="">—</option>
              {REJECT_REASONS.map((reason) => (
                <option key={reason} value={reason}>
                  {t(`v.reject.${reason}`)}
                </option>
              ))}
            </select>
          </label>
        )}
        {needsDeadline && (
          <label className="form-field">
            <span className="form-label">{t('v.form.deadline')} *</span>
            <input type="date" value={deadline} onChange={(changeEvent) => setDeadline(changeEvent.target.value)} required />
          </label>
        )}
        <label className="form-field">
          <span className="form-label">{t('v.form.note')}</span>
          <textarea rows={3} value={note} onChange={(changeEvent) => setNote(changeEvent.target.value)} autoFocus={!needsReject} />
        </label>
        {state.kind === 'failed' && (
          <div className="form-alert" role="alert" data-testid="bulk-failures">
            <strong>{t('v.ledger.bulkFailed')}</strong>
            <ul>
              {state.failures.map((failure) => (
                <li key={failure.id}>
                  <strong>{byId.get(failure.id) ?? `#${failure.id}`}</strong>: {failure.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        {state.kind === 'error' && (
          <div className="form-alert" role="alert">
            {t('v.error.generic', { message: state.message })}
          </div>
        )}
        <div className="form-actions">
          <button type="button" className="button-secondary" onClick={onClose}>
            {t('v.form.cancel')}
          </button>
          <button type="submit" className="button-primary" disabled={state.kind === 'saving'}>
            {state.kind === 'saving' ? t('v.form.saving') : title}
          </button>
        </div>
      </form>
    </Modal>
  );
}
