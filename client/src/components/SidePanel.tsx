import { useEffect, useId, useRef, type CSSProperties, type ReactNode } from 'react';
import { formatStake } from '@domain/stake';
import type { AdminClass } from '@domain/admin_class';
import { ApiError } from '../api/api_error';
import { fetchRoute, fetchSegment, locatePoint, recentArchivePeriod, segmentArchiveUrl } from '../api/endpoints';
import { useQuery, type QueryState } from '../api/query_cache';
import type { Direction, LocateResult, RouteSummary, SegmentDetail, StakePointResult, Structure } from '../api/types';
import { adminClassName, zoneName } from '../i18n/domain_labels';
import { errorText } from '../i18n/error_text';
import { formatNumber, hasMessage, useI18n, type Translate } from '../i18n/i18n';
import { ADMIN_CLASS_COLORS, ZONE_COLORS } from '../map/palette';
import { useExampleStake } from '../search/use_example_stake';
import { uiActions, useUiState, type Inspection } from '../state/store';

/**
 * What is at the clicked point or the searched stake, and the segment it lies on.
 * Desktop: a card on the right; phone: a bottom sheet.
 */
export function SidePanel() {
  const { t } = useI18n();
  const inspection = useUiState((s) => s.inspection);
  const selectedSegmentId = useUiState((s) => s.selectedSegmentId);
  const headingId = useId();

  const locateKey = inspection.kind === 'point' ? `locate:${inspection.seq}:${inspection.lon.toFixed(7)},${inspection.lat.toFixed(7)}` : null;
  const locate = useQuery<LocateResult>(locateKey, () =>
    inspection.kind === 'point' ? locatePoint(inspection.lon, inspection.lat) : Promise.reject(new Error('no point')),
  );
  const segment = useQuery<SegmentDetail>(selectedSegmentId === null ? null : `segment:${selectedSegmentId}`, () => fetchSegment(selectedSegmentId!));

  // A located point selects its segment (the map highlights it, the URL gets &seg=).
  useEffect(() => {
    if (locate.status === 'success') uiActions.pointLocated(locate.data);
  }, [locate.status, locate.data]);

  // A segment opened from a link without a view: bring it into sight once.
  const flownFor = useRef<number | null>(null);
  useEffect(() => {
    if (inspection.kind !== 'segment' || !inspection.fly || segment.status !== 'success') return;
    if (flownFor.current === inspection.seq) return;
    flownFor.current = inspection.seq;
    const coordinates = segment.data.geometry.coordinates;
    const middle = coordinates[Math.floor(coordinates.length / 2)];
    if (middle) uiActions.flyTo([middle[0]!, middle[1]!], 15);
  }, [inspection, segment.status, segment.data]);

  const open = inspection.kind !== 'none' || selectedSegmentId !== null;
  const title = inspection.kind === 'stake' ? t('panel.stakeResult') : inspection.kind === 'point' ? t('panel.location') : t('panel.label');

  return (
    <aside className={`side-panel${open ? ' is-open' : ' is-empty'}`} aria-labelledby={headingId} data-testid="side-panel">
      <div className="panel-grip" aria-hidden="true" />
      <header className="panel-header">
        <h2 id={headingId} className="panel-title">
          {title}
        </h2>
        {open && (
          <button type="button" className="icon-button" aria-label={t('panel.close')} title={t('panel.close')} onClick={() => uiActions.clearInspection()}>
            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path d="M6 6l12 12M18 6L6 18" />
            </svg>
          </button>
        )}
      </header>
      <div className="panel-body" aria-live="polite" aria-busy={locate.status === 'loading' || segment.status === 'loading'}>
        {!open && <EmptyState t={t} />}
        {inspection.kind === 'point' && (
          <PointSection
            query={locate}
            onRetry={() => uiActions.inspectPoint(inspection.lon, inspection.lat)}
          />
        )}
        {inspection.kind === 'stake' && <StakeSection inspection={inspection} segment={segment.data} />}
        {selectedSegmentId !== null && !(inspection.kind === 'point' && locate.status !== 'success') && <SegmentSection query={segment} />}
      </div>
    </aside>
  );
}

function EmptyState({ t }: { t: Translate }) {
  const example = useExampleStake();
  return (
    <div className="panel-empty">
      <svg viewBox="0 0 48 48" aria-hidden="true" focusable="false" className="panel-empty-icon">
        <path d="M14 44 L20 4 M34 44 L28 4" />
        <path d="M24 8v6M24 20v6M24 32v6" className="accent" />
        <circle cx="38" cy="14" r="5" className="pin" />
      </svg>
      <p className="panel-empty-title">{t('panel.empty')}</p>
      <p className="panel-empty-hint">{t('panel.emptyHint', { example })}</p>
    </div>
  );
}

function PointSection({ query, onRetry }: { query: QueryState<LocateResult>; onRetry: () => void }) {
  const { language, t } = useI18n();
  if (query.status === 'loading' || query.status === 'idle') return <Loading label={t('panel.loading')} />;
  if (query.status === 'error') return <ErrorState error={query.error} onRetry={onRetry} />;
  const result = query.data;
  const [lon, lat] = result.snappedPoint.coordinates as [number, number];
  const alsoInside = result.zones.filter((kind) => kind !== result.zone);
  return (
    <section className="panel-section" data-testid="locate-result">
      <Headline routeCode={result.route} routeName={result.routeName} stake={formatStake(result.chainageMeters)} direction={result.direction} />
      <dl className="fields">
        <Field label={t('field.zone')}>
          {result.zone ? (
            <span className="zone-chip" style={{ '--zone-color': ZONE_COLORS[result.zone] } as CSSProperties}>
              {zoneName(result.zone, language)}
            </span>
          ) : (
            <span className="muted-strong">{t('zone.none')}</span>
          )}
          {alsoInside.length > 0 && (
            <span className="field-note">
              {t('field.alsoInside', { zones: alsoInside.map((kind) => zoneName(kind, language)).join(t('list.separator')) })}
            </span>
          )}
        </Field>
        <Field label={t('field.side')}>
          {t(result.side === 'left' ? 'side.left' : 'side.right')}
          <span className="field-note">{t('side.note')}</span>
        </Field>
        <Field label={t('field.offset')}>
          <span className="numeric">{t('unit.meters', { value: formatNumber(language, result.offsetMeters, 1) })}</span>
        </Field>
        <Field label={t('field.jurisdiction')}>{result.jurisdiction?.name ?? '—'}</Field>
        <Field label={t('field.coordinates')}>
          <span className="numeric">{formatCoordinates(lon, lat)}</span>
        </Field>
      </dl>
    </section>
  );
}

function StakeSection({ inspection, segment }: { inspection: Extract<Inspection, { kind: 'stake' }>; segment: SegmentDetail | undefined }) {
  const { t } = useI18n();
  const result: StakePointResult = inspection.result;
  const [lon, lat] = result.point.coordinates as [number, number];
  const routeName = segment && segment.properties.id === result.segmentId ? segment.properties.routeName : undefined;
  return (
    <section className="panel-section" data-testid="stake-result">
      <Headline routeCode={result.route} routeName={routeName} stake={formatStake(result.chainageMeters)} direction={result.direction} />
      <dl className="fields">
        <Field label={t('field.jurisdiction')}>{segment?.properties.jurisdictionName ?? '—'}</Field>
        <Field label={t('field.coordinates')}>
          <span className="numeric">{formatCoordinates(lon, lat)}</span>
        </Field>
      </dl>
    </section>
  );
}

function SegmentSection({ query }: { query: QueryState<SegmentDetail> }) {
  const { language, t, direction } = useI18n();
  if (query.status === 'idle') return null;
  if (query.status === 'loading') return <Loading label={t('panel.segmentLoading')} />;
  if (query.status === 'error') return <ErrorState error={query.error} />;
  const p = query.data.properties;
  const widths = p.zoneWidths;
  const meters = (value: number | null | undefined): string =>
    value === null || value === undefined ? '—' : t('unit.meters', { value: formatNumber(language, value, value % 1 === 0 ? 0 : 1) });
  return (
    <section className="panel-section segment-section" data-testid="segment-details">
      <h3 className="section-title">
        {t('panel.segment')}
        <span className="section-meta">
          {t('field.segmentId')} {p.id}
        </span>
      </h3>
      <dl className="fields">
        <Field label={t('field.route')}>
          <RouteBadge code={p.routeCode} adminClass={p.adminClass} /> <RouteName code={p.routeCode} name={p.routeName} />
        </Field>
        <Field label={t('field.stakeRange')}>
          <span className="numeric">
            {formatStake(p.chainageFromMeters)} – {formatStake(p.chainageToMeters)}
          </span>
        </Field>
        <Field label={t('field.direction')}>{direction(p.direction)}</Field>
        <Field label={t('field.adminClass')}>{adminClassName(p.adminClass, language)}</Field>
        <Field label={t('field.lanes')}>{p.lanes ?? '—'}</Field>
        <Field label={t('field.length')}>
          <span className="numeric">
            {p.lengthMeters >= 1000
              ? t('unit.kilometers', { value: formatNumber(language, p.lengthMeters / 1000, 2) })
              : meters(Math.round(p.lengthMeters))}
          </span>
        </Field>
        <Field label={t('field.jurisdiction')}>{p.jurisdictionName ?? '—'}</Field>
      </dl>
      <p className="form-hint" data-testid="segment-archive">
        {t('archive.segment')}{' '}
        <a href={segmentArchiveUrl(p.id, 'html', recentArchivePeriod(365))} target="_blank" rel="noreferrer">
          {t('archive.print')}
        </a>{' '}
        · <a href={segmentArchiveUrl(p.id, 'xlsx', recentArchivePeriod(365))}>{t('archive.xlsx')}</a>
      </p>
      {widths && (
        <>
          <h4 className="subsection-title">{t('field.zoneWidths')}</h4>
          <dl className="widths">
            <WidthRow color={ZONE_COLORS.road_land} label={t('field.roadLandHalfWidth')} value={meters(widths.roadLandHalfWidthMeters)} />
            <WidthRow color={ZONE_COLORS.building_control} label={t('field.buildingControl')} value={meters(widths.buildingControlMeters)} />
            <WidthRow color={ZONE_COLORS.excavation_ban} label={t('field.excavationBan')} value={meters(widths.excavationBanMeters)} />
            {widths.settlementSetbackMeters > 0 && (
              <WidthRow color={ZONE_COLORS.settlement_setback} label={t('field.settlementSetback')} value={meters(widths.settlementSetbackMeters)} />
            )}
          </dl>
        </>
      )}
      {p.structures && p.structures.length > 0 && (
        <>
          <h4 className="subsection-title">{t('field.structures')}</h4>
          <ul className="structures">
            {p.structures.map((structure, index) => (
              <li key={`${structure.kind}-${index}`}>
                <span>
                  {structureKindName(structure, t)}
                  {structure.name && <span className="muted"> · {structure.name}</span>}
                </span>
                <span className="numeric muted">{meters(Math.round(structure.lengthMeters))}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Headline(props: { routeCode: string; routeName: string | undefined; stake: string; direction: Direction }) {
  const { t, direction } = useI18n();
  const routeName = useRouteName(props.routeCode, props.routeName);
  return (
    <div className="headline">
      <div className="headline-route">
        <span className="route-code">{props.routeCode}</span>
        {routeName && <span className="route-name">{routeName}</span>}
      </div>
      <div className="headline-stake">
        <span className="stake" aria-label={`${t('field.stake')} ${props.stake}`}>
          {props.stake}
        </span>
        <span className={`direction-badge${props.direction === -1 ? ' is-negative' : ''}`} title={t('field.direction')}>
          {direction(props.direction)}
        </span>
      </div>
    </div>
  );
}

/**
 * The route's name in the UI language. The records carry the Chinese name; the English one (where
 * the data has it) comes from GET /routes/:code, asked only in English and once per route (cached).
 */
function useRouteName(code: string, name: string | undefined): string | undefined {
  const { language } = useI18n();
  const route = useQuery<RouteSummary>(language === 'en' ? `route:${code}` : null, () => fetchRoute(code));
  if (language !== 'en' || route.status !== 'success') return name;
  return route.data.nameEn ?? name;
}

function RouteName({ code, name }: { code: string; name: string }) {
  return <>{useRouteName(code, name)}</>;
}

function RouteBadge({ code, adminClass }: { code: string; adminClass: AdminClass }) {
  return (
    <span className="route-badge" style={{ '--route-color': ADMIN_CLASS_COLORS[adminClass] } as CSSProperties}>
      {code}
    </span>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="field">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function WidthRow({ color, label, value }: { color: string; label: string; value: string }) {
  return (
    <div className="width-row">
      <dt>
        <span className="swatch" style={{ background: color }} aria-hidden="true" />
        {label}
      </dt>
      <dd className="numeric">{value}</dd>
    </div>
  );
}

function Loading({ label }: { label: string }) {
  return (
    <div className="panel-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, language } = useI18n();
  const code = error instanceof ApiError ? error.code : 'other';
  const titleKey = `panel.error.${code}`;
  const title = hasMessage(titleKey) ? t(titleKey) : error instanceof ApiError && error.isNotFound ? t('panel.error.NOT_FOUND') : t('panel.error.other');
  const message = errorText(error, language);
  return (
    <div className="panel-error" role="alert" data-error-code={code}>
      <p className="panel-error-title">{title}</p>
      <p className="panel-error-message">{message}</p>
      {onRetry && code !== 'NO_ROAD_NEARBY' && (
        <button type="button" className="button-secondary" onClick={onRetry}>
          {t('panel.retry')}
        </button>
      )}
    </div>
  );
}

/** "特大桥" from kind + size class; the bare kind, or the raw value, when no message exists. */
function structureKindName(structure: Structure, t: Translate): string {
  const specific = `structure.${structure.kind}.${structure.sizeClass ?? ''}`;
  if (hasMessage(specific)) return t(specific);
  const generic = `structure.${structure.kind}`;
  return hasMessage(generic) ? t(generic) : structure.kind;
}

function formatCoordinates(lon: number, lat: number): string {
  return `${lon.toFixed(5)}, ${lat.toFixed(5)}`;
}
