import { useEffect, useRef, type CSSProperties, type ReactNode } from 'react';
import { CASE_STATUS_LABELS, type CaseStatus } from '@domain/case_workflow';
import { VIOLATION_CATEGORY_RULES, type ViolationCategory } from '@domain/violation_categories';
import type { ViolationProperties } from '../../api/violations';
import { label } from '../../i18n/domain_labels';
import { errorText } from '../../i18n/error_text';
import { useI18n } from '../../i18n/i18n';
import { uiStore } from '../../state/store';
import { categoryIconSvg, mapStatus, VIOLATION_STATUS_COLORS } from '../../map/violation_layers';

export function StatusBadge({ properties }: { properties: Pick<ViolationProperties, 'status' | 'overdue' | 'verdict'> }) {
  const { language, t } = useI18n();
  const kind = mapStatus(properties);
  return (
    <span className={`status-badge is-${kind}`} style={{ '--status-color': VIOLATION_STATUS_COLORS[kind] } as CSSProperties} data-status={properties.status}>
      {label(CASE_STATUS_LABELS[properties.status as CaseStatus], language, properties.status)}
      {kind === 'overdue' && <span className="status-badge-flag">{t('v.legend.overdue')}</span>}
    </span>
  );
}

export function CategoryIcon({ category, color }: { category: ViolationCategory; color: string }) {
  return (
    <span
      className="category-icon"
      aria-hidden="true"
      style={{ background: color }}
      // The same inline SVG the map rasterises: one drawing per category.
      dangerouslySetInnerHTML={{ __html: categoryIconSvg(category, 14) }}
    />
  );
}

export function CategoryName({ category, withIcon = false, status }: { category: ViolationCategory; withIcon?: boolean; status?: Pick<ViolationProperties, 'status' | 'overdue' | 'verdict'> }) {
  const { language } = useI18n();
  const rule = VIOLATION_CATEGORY_RULES[category];
  return (
    <span className="category-name">
      {withIcon && <CategoryIcon category={category} color={status ? VIOLATION_STATUS_COLORS[mapStatus(status)] : '#3b4843'} />}
      {rule ? label(rule.label, language) : category}
    </span>
  );
}

export function DeadlineText({ daysRemaining, deadline }: { daysRemaining: number | null; deadline: string | null }) {
  const { t } = useI18n();
  if (!deadline) return <span className="muted">{t('v.deadline.none')}</span>;
  // A closed case keeps its deadline but no longer counts days.
  if (daysRemaining === null) return null;
  if (daysRemaining < 0) return <span className="deadline is-overdue">{t('v.deadline.overdue', { days: -daysRemaining })}</span>;
  if (daysRemaining === 0) return <span className="deadline is-due">{t('v.deadline.today')}</span>;
  return <span className={`deadline${daysRemaining <= 2 ? ' is-due' : ''}`}>{t('v.deadline.remaining', { days: daysRemaining })}</span>;
}

/**
 * A modal dialog on the native <dialog>: focus stays inside, Esc closes (the browser's `cancel`),
 * the page behind is inert; the element marked `data-autofocus` gets the focus first.
 */
export function Modal({ title, onClose, children, wide = false, testId }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // showModal() focuses the first control (the close button); a form marks a better start. Done
    // here, in the same commit, so a key pressed right after the dialog opens reaches the form.
    dialog?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => dialog?.close();
  }, []);
  const { t } = useI18n();
  return (
    <dialog
      ref={ref}
      className={`modal${wide ? ' is-wide' : ''}`}
      aria-label={title}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header className="modal-header">
        <h2 className="modal-title">{title}</h2>
        <button type="button" className="icon-button" aria-label={t('v.form.cancel')} title={t('v.form.cancel')} onClick={onClose}>
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6 6l12 12M18 6L6 18" />
          </svg>
        </button>
      </header>
      <div className="modal-body">{children}</div>
    </dialog>
  );
}

export function LoadingRow({ text }: { text: string }) {
  return (
    <div className="panel-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {text}
    </div>
  );
}

/**
 * The three states of a list query besides its rows: loading, failed (with a retry button) and
 * empty (title + hint). Renders nothing when the rows are there.
 */
export function ListQueryStates({
  status,
  error,
  isEmpty,
  text,
  onRetry,
  emptyTestId,
}: {
  status: 'idle' | 'loading' | 'success' | 'error';
  error: unknown;
  isEmpty: boolean;
  text: { loading: string; error: (message: string) => string; retry: string; emptyTitle: string; emptyHint: string };
  onRetry: () => void;
  emptyTestId: string;
}) {
  return (
    <>
      {status === 'loading' && <LoadingRow text={text.loading} />}
      {status === 'error' && (
        <div className="panel-error ledger-message" role="alert">
          <p className="panel-error-title">{text.error(errorMessage(error))}</p>
          <button type="button" className="button-secondary" onClick={onRetry}>
            {text.retry}
          </button>
        </div>
      )}
      {status === 'success' && isEmpty && (
        <div className="panel-empty ledger-message" data-testid={emptyTestId}>
          <p className="panel-empty-title">{text.emptyTitle}</p>
          <p className="panel-empty-hint">{text.emptyHint}</p>
        </div>
      )}
    </>
  );
}

/**
 * Page size + previous/next under a paged list; `onChange` gets the new page and size. Cursor
 * mode (`hasNext` given): "next" follows whether the server sent links.next, not the page count,
 * which may be an estimate (`pagesEstimated`: shown as "about N").
 */
export function Pager({
  page,
  pages,
  size,
  sizes,
  onChange,
  hasNext,
  pagesEstimated = false,
}: {
  page: number;
  pages: number;
  size: number;
  sizes: readonly number[];
  onChange: (next: { page: number; size: number }) => void;
  hasNext?: boolean;
  pagesEstimated?: boolean;
}) {
  const { t } = useI18n();
  const label = t(pagesEstimated ? 'v.ledger.pageEstimate' : 'v.ledger.page', { page, pages: Math.max(pages, page) });
  return (
    <nav className="pager" aria-label={label}>
      <label className="pager-size">
        {t('v.ledger.pageSize')}
        <select value={size} onChange={(event) => onChange({ page: 1, size: Number(event.target.value) })}>
          {sizes.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button-secondary" disabled={page <= 1} onClick={() => onChange({ page: page - 1, size })}>
        {t('v.ledger.prev')}
      </button>
      <span className="numeric">{label}</span>
      <button type="button" className="button-secondary" disabled={hasNext === undefined ? page >= pages : !hasNext} onClick={() => onChange({ page: page + 1, size })}>
        {t('v.ledger.next')}
      </button>
    </nav>
  );
}

/** In the current UI language, from the error catalogue (i18n/error_text.ts). */
export function errorMessage(error: unknown): string {
  return errorText(error, uiStore.getState().language);
}

export function Field({ label: text, children }: { label: string; children: ReactNode }) {
  return (
    <div className="field">
      <dt>{text}</dt>
      <dd>{children}</dd>
    </div>
  );
}
