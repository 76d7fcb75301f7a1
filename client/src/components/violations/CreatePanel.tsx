import { useEffect, useId, useRef, useState, type CSSProperties, type FormEvent } from 'react';
import type { Point } from 'geojson';
import { CASE_STATUS_LABELS } from '@domain/case_workflow';
import { DEFAULT_VIOLATION_CATEGORIES, VIOLATION_CATEGORY_RULES, type ViolationCategory } from '@domain/violation_categories';
import { PARTY_ID_TYPES, RESPONSIBLE_PARTY, VIOLATION_SOURCES, VIOLATION_SOURCE_LABELS, type PartyIdType, type ViolationSource } from '@domain/violation_attributes';
import { ApiError } from '../../api/api_error';
import { invalidateCached } from '../../api/query_cache';
import {
  assessViolation,
  createViolation,
  fetchOffsetPoint,
  uploadPhoto,
  type Assessment,
  type DuplicateCandidate,
  type Party,
  type ViolationGeometry,
} from '../../api/violations';
import { label, zoneName } from '../../i18n/domain_labels';
import { formatNumber, useI18n } from '../../i18n/i18n';
import { AttributeInputs } from './AttributeInputs';
import { ZONE_COLORS } from '../../map/palette';
import { uiActions } from '../../state/store';
import { violationActions, useViolationsState, type DrawMode } from '../../state/violations_store';
import { attributeErrors, attributeFields, attributesFromForm } from '../../violations/attribute_fields';
import { parseLonLat, parseStakePlace } from '../../violations/place_input';
import { CategoryName, errorMessage, Field, LoadingRow } from './common';
import { useSheetCover } from '../use_sheet_cover';

type PlaceMode = 'point' | 'polygon' | 'coords' | 'stake';

type SaveState =
  | { kind: 'idle' }
  | { kind: 'saving'; step: 'save' | 'photos' }
  | { kind: 'duplicates'; candidates: DuplicateCandidate[] }
  | { kind: 'referral'; jurisdictionName: string }
  | { kind: 'error'; message: string };

/** "上报违法": pick the place (map click, drawn area, coordinates or stake), then the finding's form. */
export function CreatePanel() {
  const { t } = useI18n();
  const headingId = useId();
  const draft = useViolationsState((s) => s.draft);
  const drawMode = useViolationsState((s) => s.drawMode);
  const [mode, setMode] = useState<PlaceMode>('point');
  const sheetRef = useRef<HTMLElement>(null);
  useSheetCover(sheetRef);

  const choose = (next: PlaceMode) => {
    setMode(next);
    violationActions.setDraft(null);
    violationActions.setDrawMode(next === 'point' || next === 'polygon' ? (next as DrawMode) : 'none');
  };

  return (
    <aside
      ref={sheetRef}
      className="side-panel is-open violation-drawer create-panel"
      aria-labelledby={headingId}
      data-testid="create-panel"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && drawMode === 'none') violationActions.cancelCreate();
      }}
    >
      <div className="panel-grip" aria-hidden="true" />
      <header className="panel-header">
        <h2 id={headingId} className="panel-title">
          {t('v.create.title')}
        </h2>
        <button type="button" className="icon-button" aria-label={t('v.form.cancel')} title={t('v.form.cancel')} onClick={() => violationActions.cancelCreate()}>
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6 6l12 12M18 6L6 18" />
          </svg>
        </button>
      </header>
      <div className="panel-body">
        <h3 className="section-title">{t('v.create.where')}</h3>
        <div className="segmented" role="group" aria-label={t('v.create.where')}>
          {(['point', 'polygon', 'coords', 'stake'] as const).map((option) => (
            <button key={option} type="button" aria-pressed={mode === option} onClick={() => choose(option)}>
              {t(`v.create.mode${option === 'point' ? 'Point' : option === 'polygon' ? 'Polygon' : option === 'coords' ? 'Coords' : 'Stake'}`)}
            </button>
          ))}
        </div>
        {!draft && (mode === 'point' || mode === 'polygon') && (
          <p className={`draw-hint${drawMode !== 'none' ? ' is-active' : ''}`} role="status">
            {t(mode === 'point' ? 'v.create.pointHint' : 'v.create.polygonHint')}
            {drawMode === 'none' && (
              <button type="button" className="button-secondary" onClick={() => violationActions.setDrawMode(mode)}>
                {t('v.create.repick')}
              </button>
            )}
          </p>
        )}
        {!draft && mode === 'coords' && <CoordinateEntry />}
        {!draft && mode === 'stake' && <StakeEntry />}
        {draft && (
          <div className="place-chosen" data-testid="place-chosen">
            <span>
              {t('v.create.placeSet')}:{' '}
              <span className="numeric">
                {draft.type === 'Point'
                  ? `${draft.coordinates[0]!.toFixed(6)}, ${draft.coordinates[1]!.toFixed(6)}`
                  : t('v.create.placePolygon', { count: (draft.coordinates[0]?.length ?? 1) - 1 })}
              </span>
            </span>
            <button type="button" className="button-secondary" onClick={() => choose(mode)}>
              {t('v.create.repick')}
            </button>
          </div>
        )}
        {draft && <FindingForm geometry={draft} />}
      </div>
    </aside>
  );
}

function CoordinateEntry() {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [error, setError] = useState(false);
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        const point = parseLonLat(text);
        setError(!point);
        if (point) {
          violationActions.setDraft({ type: 'Point', coordinates: point });
          uiActions.flyTo(point, 17);
        }
      }}
    >
      <label className="form-field is-grow">
        <span className="form-label">{t('v.create.coordsLabel')}</span>
        <input value={text} onChange={(event) => setText(event.target.value)} placeholder="113.7512, 34.7003" inputMode="decimal" autoFocus aria-invalid={error} />
        {error && <span className="form-error">{t('v.create.coordsInvalid')}</span>}
      </label>
      <button type="submit" className="button-primary">
        {t('v.create.locate')}
      </button>
    </form>
  );
}

function StakeEntry() {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="inline-form"
      onSubmit={async (event) => {
        event.preventDefault();
        const place = parseStakePlace(text);
        if (!place) {
          setError(t('v.create.stakeInvalid'));
          return;
        }
        setBusy(true);
        setError(null);
        try {
          const answer = await fetchOffsetPoint(place.route, place.stake, place.side, place.offsetMeters);
          const point = offsetPointOf(answer);
          if (!point) throw new Error('no point in the answer');
          violationActions.setDraft(point);
          uiActions.flyTo(point.coordinates as [number, number], 17);
        } catch (caught) {
          setError(errorMessage(caught));
        } finally {
          setBusy(false);
        }
      }}
    >
      <label className="form-field is-grow">
        <span className="form-label">{t('v.create.stakeLabel')}</span>
        <input value={text} onChange={(event) => setText(event.target.value)} placeholder={t('v.create.stakePlaceholder')} autoFocus aria-invalid={Boolean(error)} />
        {error && <span className="form-error">{error}</span>}
      </label>
      <button type="submit" className="button-primary" disabled={busy}>
        {busy ? '…' : t('v.create.locate')}
      </button>
    </form>
  );
}

/** The offset-point answer carries the point as `point`, a GeoJSON geometry or a Feature. */
function offsetPointOf(answer: unknown): Point | null {
  const candidate = answer as { point?: Point; geometry?: Point; type?: string; coordinates?: number[] };
  if (candidate.point?.type === 'Point') return candidate.point;
  if (candidate.geometry?.type === 'Point') return candidate.geometry;
  if (candidate.type === 'Point' && Array.isArray(candidate.coordinates)) return candidate as Point;
  return null;
}

function FindingForm({ geometry }: { geometry: ViolationGeometry }) {
  const { language, t } = useI18n();
  const [category, setCategory] = useState<ViolationCategory>('billboard');
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [description, setDescription] = useState('');
  const [source, setSource] = useState<ViolationSource>('patrol');
  const [party, setParty] = useState({ name: '', contact: '', idType: '', idNumber: '' });
  const [files, setFiles] = useState<File[]>([]);
  const [showErrors, setShowErrors] = useState(false);
  const [assessment, setAssessment] = useState<{ status: 'idle' | 'loading' | 'done' | 'error'; data?: Assessment; message?: string }>({ status: 'idle' });
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });

  const fields = attributeFields(category);
  const attributes = attributesFromForm(category, values);
  const errors = attributeErrors(category, attributes);
  const attributesValid = Object.keys(errors).length === 0;
  const attributesKey = JSON.stringify(attributes);

  // The server's assessment (route, stake, zone, verdict) follows the place, category and attributes.
  useEffect(() => {
    const controller = new AbortController();
    setAssessment({ status: 'loading' });
    const timer = setTimeout(() => {
      assessViolation({ geometry, category, attributes: attributesValid ? attributes : undefined }, controller.signal).then(
        (data) => setAssessment({ status: 'done', data }),
        (error: unknown) => {
          if (!controller.signal.aborted) setAssessment({ status: 'error', message: errorMessage(error) });
        },
      );
    }, 350);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // attributesKey stands for attributes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [geometry, category, attributesKey, attributesValid]);

  const partyValue = (): Party | undefined => {
    if (!party.name.trim()) return undefined;
    const value: Party = { name: party.name.trim() };
    if (party.contact.trim()) value.contact = party.contact.trim();
    if (party.idType) value.idType = party.idType as PartyIdType;
    if (party.idNumber.trim()) value.idNumber = party.idNumber.trim();
    return value;
  };
  const partyProblem = (() => {
    const value = partyValue();
    if (!value) return party.contact || party.idNumber ? t('v.create.required') : null;
    const parsed = RESPONSIBLE_PARTY.safeParse(value);
    return parsed.success ? null : parsed.error.issues[0]?.message ?? 'invalid';
  })();

  // The warning that answers 保存上报 must be seen: it rendered below the visible panel, so the
  // button seemed to do nothing. Bring it into view when it appears.
  useEffect(() => {
    if (save.kind !== 'duplicates' && save.kind !== 'referral') return;
    document.querySelector(`[data-testid="${save.kind}"]`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [save.kind]);

  async function submit(event: FormEvent | null, confirmNotDuplicate = false, referral = false) {
    event?.preventDefault();
    if (save.kind === 'saving') return;
    setShowErrors(true);
    if (!attributesValid || partyProblem) return;
    setSave({ kind: 'saving', step: 'save' });
    try {
      const created = await createViolation({
        geometry,
        category,
        attributes,
        description: description.trim() || undefined,
        source,
        party: partyValue(),
        confirmNotDuplicate: confirmNotDuplicate || undefined,
        referral: referral || undefined,
      });
      const id = created.properties?.id ?? Number(created.id);
      if (files.length > 0) {
        setSave({ kind: 'saving', step: 'photos' });
        for (const file of files) await uploadPhoto(file, 'before', id);
      }
      invalidateCached('violations:');
      violationActions.changed();
      violationActions.cancelCreate();
      violationActions.select(id);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'POSSIBLE_DUPLICATE') {
        setSave({ kind: 'duplicates', candidates: (error.details as { candidates?: DuplicateCandidate[] } | null)?.candidates ?? [] });
      } else if (error instanceof ApiError && error.code === 'OUTSIDE_JURISDICTION' && (error.details as { referralPossible?: boolean } | null)?.referralPossible) {
        // The place lies in another district: file it THERE (移交) only when the reporter confirms.
        const details = error.details as { jurisdiction?: { name?: string | null; code?: string } | null };
        setSave({ kind: 'referral', jurisdictionName: details.jurisdiction?.name ?? details.jurisdiction?.code ?? '' });
      } else setSave({ kind: 'error', message: errorMessage(error) });
    }
  }


  return (
    <form className="form create-form" onSubmit={(event) => void submit(event)} noValidate data-testid="create-form">
      <label className="form-field">
        <span className="form-label">{t('v.create.category')} *</span>
        <select
          name="category"
          value={category}
          onChange={(event) => {
            setCategory(event.target.value as ViolationCategory);
            setValues({});
            setShowErrors(false);
          }}
        >
          {DEFAULT_VIOLATION_CATEGORIES.map((option) => (
            <option key={option} value={option}>
              {label(VIOLATION_CATEGORY_RULES[option].label, language)}
            </option>
          ))}
        </select>
      </label>

      <section className="assessment" aria-live="polite" data-testid="assessment">
        <h3 className="section-title">{t('v.create.assessment')}</h3>
        {assessment.status === 'loading' && <LoadingRow text={t('v.create.assessing')} />}
        {assessment.status === 'error' && <p className="form-error">{t('v.create.assessFailed', { message: assessment.message ?? '' })}</p>}
        {assessment.status === 'done' && assessment.data && <AssessmentView assessment={assessment.data} />}
      </section>
      <fieldset className="form-group">
        <legend className="form-label">{t('v.create.attributes')}</legend>
        <div className="form-grid">
          <AttributeInputs
            fields={fields}
            valueOf={(key) => values[key]}
            onChange={(key, value) => setValues({ ...values, [key]: value })}
            errors={errors}
            showErrors={showErrors}
          />
        </div>
      </fieldset>

      <div className="form-row">
        <label className="form-field is-grow">
          <span className="form-label">{t('v.create.source')}</span>
          <select name="source" value={source} onChange={(event) => setSource(event.target.value as ViolationSource)}>
            {VIOLATION_SOURCES.filter((value) => value !== 'import').map((value) => (
              <option key={value} value={value}>
                {label(VIOLATION_SOURCE_LABELS[value], language)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="form-field">
        <span className="form-label">{t('v.create.description')}</span>
        <textarea name="description" rows={2} value={description} onChange={(event) => setDescription(event.target.value)} />
      </label>

      <details className="form-details">
        <summary>{t('v.create.party')}</summary>
        <label className="form-field">
          <span className="form-label">{t('v.field.partyName')}</span>
          <input name="partyName" value={party.name} onChange={(event) => setParty({ ...party, name: event.target.value })} autoComplete="off" />
        </label>
        <label className="form-field">
          <span className="form-label">{t('v.field.partyContact')}</span>
          <input value={party.contact} onChange={(event) => setParty({ ...party, contact: event.target.value })} autoComplete="off" />
        </label>
        <div className="form-row">
          <label className="form-field">
            <span className="form-label">{t('v.field.partyIdType')}</span>
            <select value={party.idType} onChange={(event) => setParty({ ...party, idType: event.target.value })}>
              <option value="">—</option>
              {PARTY_ID_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`v.idType.${type}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="form-field">
            <span className="form-label">{t('v.field.partyIdNumber')}</span>
            <input value={party.idNumber} onChange={(event) => setParty({ ...party, idNumber: event.target.value })} autoComplete="off" />
          </label>
        </div>
        {showErrors && partyProblem && <span className="form-error">{partyProblem}</span>}
      </details>

      <label className="form-field">
        <span className="form-label">{t('v.create.photos')}</span>
        <input type="file" name="photos" accept="image/jpeg,image/png,image/heic,image/webp" multiple onChange={(event) => setFiles([...(event.target.files ?? [])])} />
        <span className="form-hint">{t('v.create.photosHint')}</span>
      </label>


      {save.kind === 'duplicates' && (
        <div className="form-alert" role="alert" data-testid="duplicates">
          <strong>{t('v.create.duplicates')}</strong>
          <ul>
            {save.candidates.map((candidate) => (
              <li key={candidate.id}>
                <button type="button" className="link-button" onClick={() => violationActions.select(candidate.id)}>
                  {candidate.caseNumber ?? `#${candidate.id}`}
                </button>{' '}
                <CategoryName category={candidate.category} /> · {label(CASE_STATUS_LABELS[candidate.status], language, candidate.status)} · {t('v.create.distance', { meters: formatNumber(language, candidate.distanceMeters, 0) })}
              </li>
            ))}
          </ul>
          <button type="button" className="button-secondary" onClick={() => void submit(null, true)}>
            {t('v.create.confirmDuplicate')}
          </button>
        </div>
      )}
      {save.kind === 'referral' && (
        <div className="form-alert" role="alert" data-testid="referral">
          <strong>{t('v.create.referralTitle', { name: save.jurisdictionName })}</strong>
          <p>{t('v.create.referralHint')}</p>
          <button type="button" className="button-primary" onClick={() => void submit(null, false, true)}>
            {t('v.create.referralConfirm', { name: save.jurisdictionName })}
          </button>
        </div>
      )}
      {save.kind === 'error' && (
        <div className="form-alert" role="alert">
          {t('v.error.generic', { message: save.message })}
        </div>
      )}
      {showErrors && !attributesValid && <p className="form-error">{t('v.create.invalid')}</p>}
      <div className="form-actions is-sticky">
        <button type="button" className="button-secondary" onClick={() => violationActions.cancelCreate()}>
          {t('v.form.cancel')}
        </button>
        <button type="submit" className="button-primary" disabled={save.kind === 'saving'}>
          {save.kind === 'saving' ? (save.step === 'photos' ? t('v.form.uploading') : t('v.form.saving')) : t('v.create.save')}
        </button>
      </div>
    </form>
  );
}

function AssessmentView({ assessment }: { assessment: Assessment }) {
  const { language, t } = useI18n();
  const { location, verdict } = assessment;
  return (
    <dl className="fields" data-violation={verdict.isViolation}>
      <Field label={t('v.field.route')}>
        {location.route ?? '—'} <span className="numeric stake-inline">{location.stake ?? ''}</span>
        {location.side && <span className="field-note">{t(location.side === 'left' ? 'side.left' : 'side.right')}</span>}
        {location.offsetMeters !== null && <span className="field-note">{t('unit.meters', { value: formatNumber(language, location.offsetMeters, 1) })}</span>}
      </Field>
      <Field label={t('v.field.zone')}>
        {location.primaryZone ? (
          <span className="zone-chip" style={{ '--zone-color': ZONE_COLORS[location.primaryZone] } as CSSProperties}>
            {zoneName(location.primaryZone, language)}
          </span>
        ) : (
          <span className="muted-strong">{t('zone.none')}</span>
        )}
      </Field>
      <Field label={t('v.section.verdict')}>
        {verdict.isViolation ? (
          <>
            <strong className="verdict-yes">{t('v.verdict.violation')}</strong> · {verdict.article}
            <span className="field-note">{label(verdict.reason, language)}</span>
          </>
        ) : (
          <>
            <strong>{t('v.verdict.notViolation')}</strong>
            <span className="field-note">{label(verdict.reason, language)}</span>
          </>
        )}
      </Field>
    </dl>
  );
}
