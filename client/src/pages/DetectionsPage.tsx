import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { displayedSide } from '@domain/side_display';
import { DEFAULT_VIOLATION_CATEGORIES, VIOLATION_CATEGORIES, type ViolationCategory } from '@domain/violation_categories';
import { ZONE_KINDS } from '@domain/zones';
import { isPermission } from '@domain/roles';
import { ApiError } from '../api/api_error';
import { fetchJurisdictions } from '../api/endpoints';
import { invalidateCached, useQuery } from '../api/query_cache';
import type { JurisdictionCollection } from '../api/types';
import {
  batchesOf,
  DETECTION_REJECT_REASONS,
  fetchBatches,
  fetchDetection,
  fetchDetections,
  reviewDetection,
  type BatchList,
  type DetectionCollection,
  type DetectionFeature,
  type DetectionProperties,
  type DetectionRejectReason,
  type ReviewAction,
  type ReviewBody,
} from '../api/detections';
import { can, useSession, type SessionState } from '../auth/session_store';
import { Header } from '../components/Header';
import { BatchStatsPanel } from '../components/detections/BatchStatsPanel';
import { BatchUploadDialog } from '../components/detections/BatchUploadDialog';
import { DetectionMap } from '../components/detections/DetectionMap';
import { ImageryPanel } from '../components/detections/ImageryPanel';
import { MergeDialog } from '../components/detections/MergeDialog';
import { submitOnEnter } from '../components/detections/dialog_keys';
import { NoteAndActions } from '../components/detections/NoteAndActions';
import { categoryLabel, changeTypeLabel, percent, squareMeters, stakeRange, statusLabel, zoneLabel } from '../components/detections/detection_format';
import { errorMessage, ListQueryStates, Modal, Pager } from '../components/violations/common';
import { pageStart, rememberNextCursor, usePageCursors } from '../state/list_paging';
import { formatDateTime } from '../i18n/format_time';
import { useI18n, type Translate } from '../i18n/i18n';
import { AttributeInputs } from '../components/violations/AttributeInputs';
import { attributeErrors, attributeFields, attributesFromForm } from '../violations/attribute_fields';
import { LEDGER_PATH, navigateTo } from '../state/navigation';
import { violationActions } from '../state/violations_store';
import { formatQueueQuery, PAGE_SIZES, parseQueueQuery, type DetectionFilters, type QueueView } from '../state/detections_query';

const STATUS_OPTIONS = ['pending', 'field', 'pending,field', 'confirmed', 'merged', 'rejected', 'known', 'all'] as const;
const OPEN_STATUSES = new Set(['pending', 'field']);

/** Permissions the detections server adds (issue 5); checked by name so the client builds before it lands. */
export function canDetections(session: SessionState, permission: 'detections.read' | 'detections.ingest' | 'detections.review'): boolean {
  const name: string = permission;
  return isPermission(name) && can(session, name);
}

type Dialog = { kind: 'confirm' | 'reject' | 'merge' | 'field'; id: number } | { kind: 'upload' } | { kind: 'stats' } | null;

/** 卫星线索: the review queue of satellite change detections, beside a map of the current one. */
export function DetectionsPage({ onLoggedOut }: { onLoggedOut: () => void }) {
  const { language, t } = useI18n();
  const session = useSession();
  const mayReview = canDetections(session, 'detections.review');
  const mayIngest = canDetections(session, 'detections.ingest');
  const [view, setView] = useState<QueueView>(() => parseQueueQuery(window.location.search));
  const [draft, setDraft] = useState<DetectionFilters>(view.filters);
  const [reload, setReload] = useState(0);
  const [currentId, setCurrentId] = useState<number | null>(null);
  // A detection picked on the map that is not on the queue's page (the map draws every one in view).
  const [picked, setPicked] = useState<DetectionFeature | null>(null);
  // Bumped when a review is answered: the map's tiles are fetched anew with the new status.
  const [tileVersion, setTileVersion] = useState(0);
  // Below 1280 px list, map and detail are tabs (the map covered the list and clipped the review
  // buttons); at full width all three show side by side and the tabs are hidden by CSS.
  const [pane, setPane] = useState<DetectionPane>('list');
  const [overrides, setOverrides] = useState<Map<number, DetectionProperties>>(new Map());
  const [busy, setBusy] = useState<Set<number>>(new Set());
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    document.title = `${t('app.name')} · ${t('det.title')}`;
  }, [t]);

  useEffect(() => {
    const onPop = () => {
      const next = parseQueueQuery(window.location.search);
      setView(next);
      setDraft(next.filters);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const apply = useCallback((next: QueueView) => {
    setView(next);
    setOverrides(new Map());
    setPicked(null);
    window.history.pushState(null, '', `${window.location.pathname}${formatQueueQuery(next)}`);
  }, []);

  const f = view.filters;
  // Past the first pages, "next" follows the previous page's links.next (state/list_paging.ts).
  const cursors = usePageCursors();
  const listKey = formatQueueQuery({ ...view, page: 1 });
  const start = pageStart(cursors, listKey, view.page, view.size);
  const key = `detections:queue:${formatQueueQuery(view)}:${start.cursor ?? ''}:${reload}`;
  const query = useQuery<DetectionCollection>(key, () =>
    fetchDetections({
      batch: f.batch,
      zone: f.zone,
      category: f.category,
      jurisdiction: f.jurisdiction,
      minConfidence: f.minConfidence,
      minArea: f.minArea,
      status: f.status === 'all' ? undefined : f.status.split(','),
      includeOutOfScope: f.includeOutOfScope,
      sort: 'priority',
      order: 'desc',
      limit: view.size,
      ...start,
    }),
  );
  if (query.data) rememberNextCursor(cursors, listKey, view.page, query.data.links);
  // Reviews change the statistics: opening them asks the server again (statsOpened is in the key).
  const [statsOpened, setStatsOpened] = useState(0);
  const batches = useQuery<BatchList>(`detection-batches:list:${reload}:${statsOpened}`, () => fetchBatches());
  const lastBatches = useRef<BatchList | undefined>(undefined);
  if (batches.data) lastBatches.current = batches.data;
  const jurisdictions = useQuery<JurisdictionCollection>('jurisdictions:ledger', () => fetchJurisdictions());
  const batchList = batchesOf(batches.data);

  // The page's detections with local (optimistic or answered) changes on top.
  const rows: DetectionFeature[] = useMemo(
    () => (query.data?.features ?? []).map((feature) => (overrides.has(feature.properties.id) ? { ...feature, properties: overrides.get(feature.properties.id)! } : feature)),
    [query.data, overrides],
  );
  const total = query.data?.numberMatched ?? 0;
  const pages = Math.max(1, Math.ceil(total / view.size));
  const findDetection = useCallback(
    (id: number | null): DetectionFeature | null => {
      if (id === null) return null;
      const row = rows.find((candidate) => candidate.properties.id === id);
      if (row) return row;
      if (picked?.properties.id !== id) return null;
      return overrides.has(id) ? { ...picked, properties: overrides.get(id)! } : picked;
    },
    [rows, picked, overrides],
  );
  const current = findDetection(currentId);
  const reviewedIds = useMemo(() => [...overrides.keys()], [overrides]);
  const jurisdictionLinks = useMemo(() => (jurisdictions.data?.features ?? []).map((feature) => feature.properties), [jurisdictions.data]);

  /** A click on the map: a detection of the page becomes current at once, another one once fetched. */
  const selectOnMap = useCallback(
    (id: number) => {
      if (rows.some((row) => row.properties.id === id)) {
        setCurrentId(id);
        return;
      }
      fetchDetection(id).then(
        (feature) => {
          setPicked(feature);
          setCurrentId(id);
        },
        (error: unknown) => setNotice({ kind: 'error', text: errorMessage(error) }),
      );
    },
    [rows],
  );
  const reviewedHere = rows.filter((row) => !OPEN_STATUSES.has(row.properties.reviewStatus) && overrides.has(row.properties.id)).length;

  // The first row is current when the page loads (or the current one left the page).
  useEffect(() => {
    if (query.status !== 'success') return;
    if (currentId === null || (!rows.some((row) => row.properties.id === currentId) && picked?.properties.id !== currentId)) setCurrentId(rows[0]?.properties.id ?? null);
  }, [query.status, rows, currentId, picked]);

  useEffect(() => {
    if (currentId === null) return;
    listRef.current?.querySelector(`[data-id="${currentId}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [currentId]);

  const move = useCallback(
    (step: 1 | -1) => {
      if (rows.length === 0) return;
      const index = rows.findIndex((row) => row.properties.id === currentId);
      const next = rows[Math.min(rows.length - 1, Math.max(0, index + step))];
      if (next) setCurrentId(next.properties.id);
    },
    [rows, currentId],
  );

  /** After a review: the next open detection below (then above); none left → fetch the page again. */
  const advanceFrom = useCallback(
    (id: number, list: DetectionFeature[]) => {
      const index = list.findIndex((row) => row.properties.id === id);
      const open = (row: DetectionFeature) => OPEN_STATUSES.has(row.properties.reviewStatus) && row.properties.id !== id;
      const next = list.slice(index + 1).find(open) ?? list.slice(0, Math.max(0, index)).find(open);
      if (next) setCurrentId(next.properties.id);
      else if (f.status !== 'all') {
        setNotice({ kind: 'info', text: t('det.pageDone') });
        setOverrides(new Map());
        invalidateCached('detections:queue');
        setReload((n) => n + 1);
      }
    },
    [f.status, t],
  );

  const review = useCallback(
    async (feature: DetectionFeature, body: ReviewBody) => {
      const p = feature.properties;
      const id = p.id;
      const optimistic: DetectionProperties = {
        ...p,
        reviewStatus: body.action === 'confirm' ? 'confirmed' : body.action === 'reject' ? 'rejected' : body.action === 'merge' ? 'merged' : 'field',
        violationId: body.action === 'merge' ? body.violationId ?? null : p.violationId,
      };
      const previous = overrides.get(id);
      setOverrides((map) => new Map(map).set(id, optimistic));
      setBusy((set) => new Set(set).add(id));
      setNotice(null);
      advanceFrom(id, rows.map((row) => (row.properties.id === id ? { ...row, properties: optimistic } : row)));
      try {
        const answer = await reviewDetection(id, { ...body, expectedStatus: p.reviewStatus });
        setOverrides((map) => new Map(map).set(id, answer.properties));
        setTileVersion((version) => version + 1);
        if (body.action === 'confirm' || body.action === 'merge') invalidateCached('violations:');
        invalidateCached('detection-batches');
      } catch (error) {
        if (error instanceof ApiError && error.code === 'DETECTION_ALREADY_REVIEWED') {
          // Someone else was quicker: show the detection as it is now.
          setNotice({ kind: 'error', text: t('det.alreadyReviewed', { id }) });
          try {
            const fresh = await fetchDetection(id);
            setOverrides((map) => new Map(map).set(id, fresh.properties));
            setTileVersion((version) => version + 1);
          } catch {
            setOverrides((map) => {
              const next = new Map(map);
              next.delete(id);
              return next;
            });
          }
        } else {
          setOverrides((map) => {
            const next = new Map(map);
            if (previous) next.set(id, previous);
            else next.delete(id);
            return next;
          });
          setCurrentId(id);
          setNotice({ kind: 'error', text: t('det.reviewFailed', { id, message: errorMessage(error) }) });
        }
      } finally {
        setBusy((set) => {
          const next = new Set(set);
          next.delete(id);
          return next;
        });
      }
    },
    [overrides, rows, advanceFrom, t],
  );

  const startAction = useCallback(
    (action: ReviewAction) => {
      if (!current || !mayReview || !OPEN_STATUSES.has(current.properties.reviewStatus)) return;
      // Sending to the field is a decision too (a crew drives out): it asks first, like the others.
      if (action === 'field' && current.properties.reviewStatus === 'field') return;
      setDialog({ kind: action, id: current.properties.id });
    },
    [current, mayReview, review],
  );

  // Keyboard: J/K ↓/↑ move, C R F M act (dialogs take over while open).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
      if (document.querySelector('dialog[open]')) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName))) return;
      if (target?.closest('.maplibregl-map') && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) return;
      const k = event.key.toLowerCase();
      if (k === 'j' || event.key === 'ArrowDown') move(1);
      else if (k === 'k' || event.key === 'ArrowUp') move(-1);
      else if (k === 'c') startAction('confirm');
      else if (k === 'r') startAction('reject');
      else if (k === 'f') startAction('field');
      else if (k === 'm') startAction('merge');
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [move, startAction]);

  const submitFilters = (event: FormEvent) => {
    event.preventDefault();
    apply({ ...view, filters: draft, page: 1 });
  };

  const selectedBatch = batchList.find((batch) => String(batch.id) === String(current?.properties.batchId ?? f.batch));
  const counts = batchList.find((batch) => String(batch.id) === f.batch)?.counts ?? null;
  const districtOptions = (jurisdictions.data?.features ?? []).map((feature) => feature.properties).sort((a, b) => a.code.localeCompare(b.code));
  const dialogFeature = dialog && 'id' in dialog ? findDetection(dialog.id) : null;

  return (
    <div className="app-shell">
      <Header onLoggedOut={onLoggedOut} page="detections" />
      <main className={`det-page det-pane-${pane}`} data-testid="detections">
        <div className="det-tabs" role="tablist" aria-label={t('det.tabs')}>
          {DETECTION_PANES.map((name) => (
            <button key={name} type="button" role="tab" aria-selected={pane === name} className={pane === name ? 'is-active' : ''} data-pane={name} onClick={() => setPane(name)}>
              {t(`det.tab.${name}`)}
            </button>
          ))}
        </div>
        <section className="det-queue" aria-label={t('det.queue')}>
          <div className="ledger-toolbar det-toolbar">
            <h1 className="ledger-title">{t('det.title')}</h1>
            <span className="ledger-total" data-testid="det-total">
              {query.status === 'success' ? t(query.data?.numberMatchedIsEstimate ? 'det.totalEstimate' : 'det.total', { count: total }) : '\u00a0'}
              {reviewedHere > 0 && <span className="det-reviewed"> · {t('det.reviewedHere', { count: reviewedHere })}</span>}
            </span>
            <div className="ledger-tools">
              <button type="button" className="button-secondary" onClick={() => {
                  setStatsOpened((count) => count + 1);
                  setDialog({ kind: 'stats' });
                }} data-testid="det-stats-button">
                {t('det.stats')}
              </button>
              {mayIngest && (
                <button type="button" className="button-primary" onClick={() => setDialog({ kind: 'upload' })} data-testid="det-upload-button">
                  {t('det.upload')}
                </button>
              )}
            </div>
          </div>
          {counts && (
            <div className="det-counts" data-testid="det-counts">
              {Object.entries(counts.byReviewStatus).map(([status, count]) => (
                <span key={status} className={`det-chip is-${status}`}>
                  {statusLabel(status, t)} <strong className="numeric">{count}</strong>
                </span>
              ))}
              {counts.byReviewStatus.out_of_scope === undefined && (
                <span className="det-chip">
                  {t('det.outOfScope')} <strong className="numeric">{counts.outOfScope}</strong>
                </span>
              )}
            </div>
          )}

          <form className="ledger-filters det-filters" onSubmit={submitFilters} aria-label={t('det.filters')}>
            <FilterField label={t('det.f.batch')}>
              <select value={draft.batch ?? ''} onChange={(event) => setDraft({ ...draft, batch: event.target.value || undefined })} data-testid="det-filter-batch">
                <option value="">{t('det.f.allBatches')}</option>
                {batchList.map((batch) => (
                  <option key={batch.id} value={batch.id}>
                    #{batch.id} {batch.source} {batch.afterDate ?? ''}
                  </option>
                ))}
              </select>
            </FilterField>
            <FilterField label={t('det.f.zone')}>
              <select value={draft.zone ?? ''} onChange={(event) => setDraft({ ...draft, zone: event.target.value || undefined })}>
                <option value="">{t('det.f.all')}</option>
                {ZONE_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {zoneLabel(kind, language, t)}
                  </option>
                ))}
              </select>
            </FilterField>
            <FilterField label={t('det.f.category')}>
              <select value={draft.category ?? ''} onChange={(event) => setDraft({ ...draft, category: event.target.value || undefined })}>
                <option value="">{t('det.f.all')}</option>
                {VIOLATION_CATEGORIES.map((category) => (
                  <option key={category} value={category}>
                    {categoryLabel(category, language, t)}
                  </option>
                ))}
              </select>
            </FilterField>
            <FilterField label={t('det.f.jurisdiction')}>
              <select value={draft.jurisdiction ?? ''} onChange={(event) => setDraft({ ...draft, jurisdiction: event.target.value || undefined })}>
                <option value="">{t('det.f.all')}</option>
                {districtOptions.map((district) => (
                  <option key={district.code} value={district.code}>
                    {district.name}
                  </option>
                ))}
              </select>
            </FilterField>
            <FilterField label={t('det.f.minConfidence')}>
              <input type="number" min={0} max={1} step={0.05} size={4} value={draft.minConfidence ?? ''} onChange={(event) => setDraft({ ...draft, minConfidence: event.target.value === '' ? undefined : Number(event.target.value) })} />
            </FilterField>
            <FilterField label={t('det.f.minArea')}>
              <input type="number" min={0} step={10} size={5} value={draft.minArea ?? ''} onChange={(event) => setDraft({ ...draft, minArea: event.target.value === '' ? undefined : Number(event.target.value) })} />
            </FilterField>
            <FilterField label={t('det.f.status')}>
              <select value={draft.status} onChange={(event) => setDraft({ ...draft, status: event.target.value })} data-testid="det-filter-status">
                {STATUS_OPTIONS.map((status) => (
                  <option key={status} value={status}>
                    {status === 'all' ? t('det.f.all') : status.split(',').map((s) => statusLabel(s, t)).join(' + ')}
                  </option>
                ))}
              </select>
            </FilterField>
            <label className="filter-check">
              <input type="checkbox" checked={draft.includeOutOfScope} onChange={(event) => setDraft({ ...draft, includeOutOfScope: event.target.checked })} />
              {t('det.f.includeOutOfScope')}
            </label>
            <div className="filter-actions">
              <button type="submit" className="button-primary">
                {t('v.ledger.apply')}
              </button>
              <button
                type="button"
                className="button-secondary"
                onClick={() => {
                  const reset: DetectionFilters = { status: 'pending', includeOutOfScope: false };
                  setDraft(reset);
                  apply({ ...view, filters: reset, page: 1 });
                }}
              >
                {t('v.ledger.reset')}
              </button>
            </div>
          </form>

          {notice && (
            <div className={notice.kind === 'error' ? 'form-alert det-notice' : 'det-notice is-info'} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="det-notice">
              {notice.text}
              <button type="button" className="link-button" onClick={() => setNotice(null)}>
                {t('panel.close')}
              </button>
            </div>
          )}

          <div className="det-list-wrap" aria-busy={query.status === 'loading'}>
            <ListQueryStates
              status={query.status}
              error={query.error}
              isEmpty={rows.length === 0}
              text={{
                loading: t('det.loading'),
                error: (message) => t('det.loadError', { message }),
                retry: t('v.ledger.retry'),
                emptyTitle: t('det.empty'),
                emptyHint: t('det.emptyHint'),
              }}
              onRetry={() => {
                invalidateCached('detections:');
                setReload((n) => n + 1);
              }}
              emptyTestId="det-empty"
            />
            {rows.length > 0 && (
              <ol className="det-list" ref={listRef} data-testid="det-list">
                {rows.map((row) => (
                  <DetectionCard key={row.properties.id} feature={row} current={row.properties.id === currentId} busy={busy.has(row.properties.id)} onSelect={() => {
                      setCurrentId(row.properties.id);
                      if (isNarrowLayout()) setPane('detail');
                    }}
                  />
                ))}
              </ol>
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
        </section>

        <section className="det-review" aria-label={t('det.current')}>
          <DetectionMap filters={f} jurisdictions={jurisdictionLinks} version={tileVersion} reviewedIds={reviewedIds} current={current} onSelect={selectOnMap} />
          <div className="det-detail" data-testid="det-detail">
            {current ? (
              <CurrentDetection feature={current} mayReview={mayReview} busy={busy.has(current.properties.id)} onAction={startAction} />
            ) : (
              <p className="muted">{t('det.noCurrent')}</p>
            )}
            {current && <ImageryPanel key={current.properties.id} feature={current} batch={selectedBatch ?? null} />}
            <KeyHelp t={t} mayReview={mayReview} />
          </div>
        </section>
      </main>

      {dialog?.kind === 'confirm' && dialogFeature && (
        <ConfirmDialog
          feature={dialogFeature}
          onClose={() => setDialog(null)}
          onSubmit={(category, attributes, note) => {
            setDialog(null);
            void review(dialogFeature, { action: 'confirm', category, attributes, note: note || undefined });
          }}
        />
      )}
      {dialog?.kind === 'reject' && dialogFeature && (
        <RejectDialog
          onClose={() => setDialog(null)}
          onSubmit={(reason, note) => {
            setDialog(null);
            void review(dialogFeature, { action: 'reject', rejectReason: reason, note: note || undefined });
          }}
        />
      )}
      {dialog?.kind === 'field' && dialogFeature && (
        <FieldDialog
          feature={dialogFeature}
          onClose={() => setDialog(null)}
          onSubmit={(note) => {
            setDialog(null);
            void review(dialogFeature, { action: 'field', note: note || undefined });
          }}
        />
      )}
      {dialog?.kind === 'merge' && dialogFeature && (
        <MergeDialog
          feature={dialogFeature}
          onClose={() => setDialog(null)}
          onSubmit={(target, note) => {
            setDialog(null);
            void review(dialogFeature, { action: 'merge', ...target, note: note || undefined });
          }}
        />
      )}
      {dialog?.kind === 'upload' && (
        <BatchUploadDialog
          onClose={() => setDialog(null)}
          onDone={(batchId) => {
            setDialog(null);
            invalidateCached('detection-batches');
            invalidateCached('detections:');
            const filters: DetectionFilters = { status: 'pending', includeOutOfScope: false, batch: String(batchId) };
            setDraft(filters);
            setReload((n) => n + 1);
            apply({ ...view, filters, page: 1 });
          }}
        />
      )}
      {dialog?.kind === 'stats' && <BatchStatsPanel list={batches.data ?? lastBatches.current} loading={batches.status === 'loading'} onClose={() => setDialog(null)} />}
    </div>
  );
}

function FilterField({ label: text, children }: { label: string; children: ReactNode }) {
  return (
    <label className="filter-field">
      <span className="form-label">{text}</span>
      {children}
    </label>
  );
}

function DetectionCard({ feature, current, busy, onSelect }: { feature: DetectionFeature; current: boolean; busy: boolean; onSelect: () => void }) {
  const { language, t } = useI18n();
  const p = feature.properties;
  const primaryOverlap = p.zones.find((zone) => zone.kind === p.primaryZone)?.overlapSquareMeters;
  const stakes = stakeRange(p);
  const open = OPEN_STATUSES.has(p.reviewStatus);
  return (
    <li
      className={`det-card${current ? ' is-current' : ''}${open ? '' : ' is-done'}${busy ? ' is-busy' : ''}`}
      data-id={p.id}
      data-status={p.reviewStatus}
      aria-current={current ? 'true' : undefined}
    >
      <button type="button" className="det-card-button" onClick={onSelect}>
        <span className="det-priority numeric" title={t('det.priority')}>
          {Math.round(p.priority)}
        </span>
        <span className="det-card-main">
          <span className="det-card-line">
            <span className={`det-zone zone-${p.primaryZone ?? 'none'}`}>
              {zoneLabel(p.primaryZone, language, t)}
              {primaryOverlap !== undefined && <span className="numeric"> {squareMeters(primaryOverlap, language)}</span>}
            </span>
            <strong>{categoryLabel(p.candidateCategory, language, t)}</strong>
            <span className="muted">{changeTypeLabel(p.changeType, t)}</span>
            {!open && <span className={`det-chip is-${p.reviewStatus}`}>{statusLabel(p.reviewStatus, t)}</span>}
            {p.reviewStatus === 'field' && <FieldBadge />}
          </span>
          <span className="det-card-line numeric">
            {p.route ? (
              <>
                <strong>{p.route}</strong> {stakes ?? ''} {sideText(p, t)}
                {p.distanceMeters !== null && <> · {t('det.distance', { value: Math.round(p.distanceMeters) })}</>}
              </>
            ) : (
              <span className="muted">{t('det.noRoad')}</span>
            )}
          </span>
          <span className="det-card-line det-card-meta">
            <span className="numeric">{squareMeters(p.areaSquareMeters, language)}</span>
            <span className="numeric">
              {t('det.confidenceShort')} {percent(p.confidence)}
            </span>
            {p.match?.kind === 'violation' && <span className="det-chip is-known">{t('det.matchViolation', { id: p.match.id })}</span>}
            {p.match?.kind === 'detection' && <span className="det-chip is-recurring">{t('det.recurring')}</span>}
            {p.reopenSuggested && <span className="det-chip is-reopen">{t('det.reopen')}</span>}
          </span>
        </span>
      </button>
    </li>
  );
}

function openViolation(id: number) {
  violationActions.select(id);
  navigateTo(LEDGER_PATH);
}

function CurrentDetection({ feature, mayReview, busy, onAction }: { feature: DetectionFeature; mayReview: boolean; busy: boolean; onAction: (action: ReviewAction) => void }) {
  const { language, t } = useI18n();
  const p = feature.properties;
  const open = OPEN_STATUSES.has(p.reviewStatus);
  return (
    <div className="det-current" data-testid="det-current" data-id={p.id} data-status={p.reviewStatus}>
      <div className="det-current-head">
        <h2 className="det-current-title">
          {categoryLabel(p.candidateCategory, language, t)} <span className="muted numeric">#{p.id}</span>
        </h2>
        {p.reviewStatus === 'field' ? <FieldBadge /> : <span className={`det-chip is-${p.reviewStatus}`}>{statusLabel(p.reviewStatus, t)}</span>}
      </div>
      <dl className="det-fields">
        <dt>{t('det.priority')}</dt>
        <dd className="numeric">{Math.round(p.priority)}</dd>
        <dt>{t('det.location')}</dt>
        <dd className="numeric">
          {p.route ? `${p.route} ${stakeRange(p) ?? ''} ${sideText(p, t)}` : t('det.noRoad')}
          {p.distanceMeters !== null && ` · ${t('det.distance', { value: Math.round(p.distanceMeters) })}`}
        </dd>
        <dt>{t('det.zones')}</dt>
        <dd>
          {p.zones.length === 0
            ? t('det.outOfZones')
            : p.zones.map((zone) => (
                <span key={zone.kind} className={`det-zone zone-${zone.kind}`}>
                  {zoneLabel(zone.kind, language, t)} <span className="numeric">{squareMeters(zone.overlapSquareMeters, language)}</span>
                </span>
              ))}
        </dd>
        <dt>{t('det.change')}</dt>
        <dd>{changeTypeLabel(p.changeType, t)}</dd>
        <dt>{t('det.area')}</dt>
        <dd className="numeric">{squareMeters(p.areaSquareMeters, language)}</dd>
        <dt>{t('det.confidence')}</dt>
        <dd className="numeric">{percent(p.confidence)}</dd>
        <dt>{t('det.jurisdiction')}</dt>
        <dd>{p.jurisdiction?.name ?? '—'}</dd>
        {p.match && (
          <>
            <dt>{t('det.match')}</dt>
            <dd>
              {p.match.kind === 'violation' ? (
                <button type="button" className="link-button" onClick={() => openViolation(p.match!.id)}>
                  {t('det.matchViolation', { id: p.match.id })}
                  {p.match.status ? ` (${p.match.status})` : ''}
                </button>
              ) : (
                t('det.recurringOf', { id: p.match.id })
              )}
              {p.reopenSuggested && <span className="det-chip is-reopen">{t('det.reopen')}</span>}
            </dd>
          </>
        )}
        {p.violationId !== null && (
          <>
            <dt>{t('det.violation')}</dt>
            <dd>
              <button type="button" className="link-button" data-testid="det-violation-link" onClick={() => openViolation(p.violationId!)}>
                {t('det.openViolation', { id: p.violationId })}
              </button>
            </dd>
          </>
        )}
        {p.reviewedAt && (
          <>
            <dt>{t('det.reviewed')}</dt>
            <dd className="numeric">
              {p.reviewedBy ?? ''} {formatDateTime(p.reviewedAt, language)}
            </dd>
          </>
        )}
      </dl>
      {!mayReview && (
        <p className="det-readonly" role="note" data-testid="det-readonly">
          {t('det.readOnly')}
        </p>
      )}
      {mayReview && (
        <div className="det-actions" role="group" aria-label={t('det.actions')}>
          <button type="button" className="button-primary" disabled={!open || busy} onClick={() => onAction('confirm')} data-action="confirm">
            {t('det.a.confirm')} <kbd>C</kbd>
          </button>
          <button type="button" className="button-secondary" disabled={!open || busy} onClick={() => onAction('reject')} data-action="reject">
            {t('det.a.reject')} <kbd>R</kbd>
          </button>
          <button type="button" className="button-secondary" disabled={!open || busy || p.reviewStatus === 'field'} onClick={() => onAction('field')} data-action="field">
            {t('det.a.field')} <kbd>F</kbd>
          </button>
          <button type="button" className="button-secondary" disabled={!open || busy} onClick={() => onAction('merge')} data-action="merge">
            {t('det.a.merge')} <kbd>M</kbd>
          </button>
        </div>
      )}
    </div>
  );
}

/**
 * Key hints for what this user can do: review keys only for roles with detections.review (the
 * server's ACCESS table); others read the queue and are told why there are no review actions.
 */
function KeyHelp({ t, mayReview }: { t: Translate; mayReview: boolean }) {
  if (!mayReview) {
    return (
      <p className="det-keys" data-testid="det-keys">
        <kbd>J</kbd>/<kbd>K</kbd> <kbd>↓</kbd>/<kbd>↑</kbd> {t('det.k.move')}
      </p>
    );
  }
  return (
    <p className="det-keys" data-testid="det-keys">
      <kbd>J</kbd>/<kbd>K</kbd> <kbd>↓</kbd>/<kbd>↑</kbd> {t('det.k.move')} · <kbd>C</kbd> {t('det.a.confirm')} · <kbd>R</kbd> {t('det.a.reject')} (<kbd>1</kbd>–<kbd>5</kbd>) · <kbd>F</kbd> {t('det.a.field')} · <kbd>M</kbd> {t('det.a.merge')} · <kbd>Enter</kbd> {t('det.k.ok')} · <kbd>Esc</kbd> {t('det.k.close')}
    </p>
  );
}

function ConfirmDialog({ feature, onClose, onSubmit }: { feature: DetectionFeature; onClose: () => void; onSubmit: (category: ViolationCategory, attributes: Record<string, unknown>, note: string) => void }) {
  const { language, t } = useI18n();
  const [category, setCategory] = useState<ViolationCategory | ''>(feature.properties.candidateCategory ?? '');
  // Areas are prefilled from the detection (m², rounded); the rest the reviewer reads off the imagery.
  const area = String(Math.max(1, Math.round(feature.properties.areaSquareMeters)));
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [showErrors, setShowErrors] = useState(false);
  const [note, setNote] = useState('');
  const fields = category ? attributeFields(category) : [];
  const valueOf = (key: string): string | boolean => values[key] ?? (key.endsWith('SquareMeters') && key !== 'faceAreaSquareMeters' ? area : '');
  const formValues = Object.fromEntries(fields.map((field) => [field.key, valueOf(field.key)]));
  const attributes = category ? attributesFromForm(category, formValues) : {};
  const errors = category ? attributeErrors(category, attributes) : {};
  const valid = Boolean(category) && Object.keys(errors).length === 0;
  return (
    <Modal title={t('det.a.confirm')} onClose={onClose} testId="det-confirm-dialog">
      <form
        className="form"
        onKeyDown={submitOnEnter}
        onSubmit={(event) => {
          event.preventDefault();
          setShowErrors(true);
          if (category && valid) onSubmit(category, attributes, note.trim());
        }}
      >
        <p className="form-hint">{t('det.confirmHint')}</p>
        <label className="form-field">
          <span className="form-label">{t('det.f.category')} *</span>
          <select data-autofocus name="category" value={category} onChange={(event) => setCategory(event.target.value as ViolationCategory)} required>
            <option value="">—</option>
            {/* Only categories the server accepts (the optional ones were offered and then refused); as in 上报违法. */}
            {DEFAULT_VIOLATION_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {categoryLabel(c, language, t)}
              </option>
            ))}
          </select>
        </label>
        {fields.length > 0 && (
          <div className="det-attributes">
            <AttributeInputs
              fields={fields}
              valueOf={valueOf}
              onChange={(key, value) => setValues((current) => ({ ...current, [key]: value }))}
              errors={errors}
              showErrors={showErrors}
            />
          </div>
        )}
        <NoteAndActions note={note} onNoteChange={setNote} onCancel={onClose} submitLabel={t('det.a.confirm')} submitDisabled={!category} />
      </form>
    </Modal>
  );
}

/** 派往现场: the lead waits for a crew's site check (still open: it can be confirmed or rejected later). */
function FieldBadge() {
  const { t } = useI18n();
  return (
    <span className="det-chip is-field det-field-badge" data-testid="det-field-badge">
      {t('det.badge.field')}
    </span>
  );
}

/** F asks before a lead goes to the field: Enter confirms, Esc cancels. */
function FieldDialog({ feature, onClose, onSubmit }: { feature: DetectionFeature; onClose: () => void; onSubmit: (note: string) => void }) {
  const { language, t } = useI18n();
  const p = feature.properties;
  const [note, setNote] = useState('');
  return (
    <Modal title={t('det.a.field')} onClose={onClose} testId="det-field-dialog">
      <form
        className="form"
        onKeyDown={submitOnEnter}
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit(note.trim());
        }}
      >
        <p className="form-hint">
          {t('det.fieldConfirm', {
            what: `${categoryLabel(p.candidateCategory, language, t)} #${p.id}`,
            where: p.route ? `${p.route} ${stakeRange(p) ?? ''}`.trim() : t('det.noRoad'),
          })}
        </p>
        <NoteAndActions note={note} onNoteChange={setNote} onCancel={onClose} submitLabel={t('det.a.fieldSubmit')} autoFocusSubmit />
      </form>
    </Modal>
  );
}

function RejectDialog({ onClose, onSubmit }: { onClose: () => void; onSubmit: (reason: DetectionRejectReason, note: string) => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState<DetectionRejectReason>('false_positive');
  const [note, setNote] = useState('');
  return (
    <Modal title={t('det.a.reject')} onClose={onClose} testId="det-reject-dialog">
      <form
        className="form"
        onKeyDown={(event) => {
          const index = Number(event.key) - 1;
          if ((event.target as HTMLElement).tagName !== 'TEXTAREA' && Number.isInteger(index) && index >= 0 && index < DETECTION_REJECT_REASONS.length) {
            event.preventDefault();
            setReason(DETECTION_REJECT_REASONS[index]!);
            return;
          }
          submitOnEnter(event);
        }}
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit(reason, note.trim());
        }}
      >
        <fieldset className="det-reasons" data-autofocus tabIndex={-1}>
          <legend className="form-label">{t('det.rejectReason')}</legend>
          {DETECTION_REJECT_REASONS.map((value, index) => (
            <label key={value} className="det-reason">
              <input type="radio" name="rejectReason" value={value} checked={reason === value} onChange={() => setReason(value)} />
              <kbd>{index + 1}</kbd> {t(`det.reason.${value}`)}
            </label>
          ))}
        </fieldset>
        <NoteAndActions note={note} onNoteChange={setNote} onCancel={onClose} submitLabel={t('det.a.reject')} />
      </form>
    </Modal>
  );
}

/** 左侧/右侧, or nothing when the lead lies on the centreline (distance 0 m). */
function sideText(p: { side: 'left' | 'right' | null; distanceMeters: number | null }, t: Translate): string {
  const side = displayedSide(p.side, p.distanceMeters);
  return side ? t(side === 'left' ? 'side.left' : 'side.right') : '';
}

const DETECTION_PANES = ['list', 'map', 'detail'] as const;
type DetectionPane = (typeof DETECTION_PANES)[number];

/** The width below which list, map and detail are tabs (keep in step with app.css). */
function isNarrowLayout(): boolean {
  return typeof window !== 'undefined' && window.matchMedia?.('(max-width: 1279px)').matches === true;
}
