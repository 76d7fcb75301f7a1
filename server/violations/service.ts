/**
 * The violations register: record (locate + assess on save), list, detail with timeline, and the
 * lifecycle. Routes parse input and write the audit row; this module owns the rules. The lead's
 * import and photo code call `assessFindings`, `createViolation` and `findViolationIdsByExternalIds`.
 */
import type { SessionUser } from '../auth/session_user.ts';
import { readConfig } from '../config.ts';
import type { Queryable } from '../db/database.ts';
import { allowedEvents, CASE_TRANSITIONS, OPEN_STATUSES, type CaseStatus } from '../domain/case_workflow.ts';
import { RESPONSIBLE_PARTY, VIOLATION_SOURCE, type ResponsibleParty, type ViolationSource } from '../domain/violation_attributes.ts';
import { formatStake } from '../domain/stake.ts';
import type { Verdict } from '../domain/violation_verdict.ts';
import type { ZoneKind } from '../domain/zones.ts';
import { AppError } from '../http/errors.ts';
import { pageCount, pageStart, nextLink } from '../paging/keyset.ts';
import { pagedCollection } from '../http/geojson.ts';
import { transitionCase, transitionCases, type CaseActor, type TransitionRequest } from './case_transitions.ts';
import { assessFindingsWith } from './finding_assessment.ts';
import {
  countViolations,
  insertCaseEvents,
  insertViolation,
  selectCaseEvents,
  selectDuplicateCandidates,
  selectPhotosOfViolation,
  selectViolation,
  selectViolationIdByCaseNumber,
  selectViolationIdsByExternalIds,
  selectViolations,
  violationKeyset,
  type PhotoRow,
  type ViolationRow,
} from './queries.ts';
import {
  violationSettings,
  type AttributeError,
  type CreateViolationInput,
  type FindingAssessment,
  type FindingGeometry,
  type PhotoSummary,
  type ViolationDetail,
  type ViolationFeature,
  type ViolationFilter,
  type ViolationSettings,
} from './types.ts';

export type { ViolationFeature } from './types.ts';

let processSettings: ViolationSettings | undefined;
/** Settings from the process environment, for callers that do not pass the app's configuration. */
export function defaultViolationSettings(): ViolationSettings {
  processSettings ??= violationSettings(readConfig());
  return processSettings;
}

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

export function toFeature(row: ViolationRow): ViolationFeature {
  const zones = row.zones as ZoneKind[];
  return {
    type: 'Feature',
    id: row.id,
    geometry: row.geometry,
    properties: {
      id: row.id,
      externalId: row.external_id,
      caseNumber: row.case_number,
      category: row.category,
      status: row.status as CaseStatus,
      source: row.source as ViolationSource,
      description: row.description,
      attributes: row.attributes,
      party: row.party as ResponsibleParty | null,
      route: row.route_code,
      routeName: row.route_name,
      segmentId: row.segment_id,
      direction: row.direction,
      chainageMeters: row.chainage_meters === null ? null : Math.round(row.chainage_meters * 100) / 100,
      stake: row.chainage_meters === null ? null : formatStakeSafe(row.chainage_meters),
      side: row.side,
      offsetMeters: row.offset_meters === null ? null : Math.round(row.offset_meters * 100) / 100,
      jurisdiction: row.jurisdiction_code ? { code: row.jurisdiction_code, name: row.jurisdiction_name } : null,
      zones,
      primaryZone: zones[0] ?? null,
      verdict: row.verdict as unknown as Verdict,
      deadline: iso(row.deadline_at),
      daysRemaining: row.days_remaining,
      overdue: row.overdue,
      reportedAt: row.reported_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      closedAt: iso(row.closed_at),
      version: row.version,
      photoCount: row.photo_count,
      isDemo: row.is_demo,
      referral: row.referred_from_jurisdiction_code
        ? {
            fromJurisdiction: { code: row.referred_from_jurisdiction_code, name: row.referred_from_jurisdiction_name },
            byUsername: row.referred_by_username,
            at: iso(row.referred_at),
          }
        : null,
    },
  };
}

function formatStakeSafe(chainageMeters: number): string {
  return formatStake(Math.max(0, chainageMeters));
}

export function photoSummary(row: PhotoRow): PhotoSummary {
  return {
    id: row.id,
    tag: row.tag,
    mediaType: row.media_type,
    takenAt: iso(row.taken_at),
    location: row.location,
    thumbnailUrl: `/api/v1/photos/${row.id}/thumbnail`,
    originalUrl: `/api/v1/photos/${row.id}/original`,
    uploadedAt: row.uploaded_at.toISOString(),
  };
}

/**
 * Location and legal assessment of many findings at once (set-based: a fixed number of
 * statements for any count). Attribute errors are reported per finding, never thrown.
 */
export async function assessFindings(
  db: Queryable,
  inputs: { geometry: GeoJSON.Point | GeoJSON.Polygon; category: string; attributes: unknown }[],
  options: { radiusMeters?: number; settings?: ViolationSettings } = {},
): Promise<FindingAssessment[]> {
  const settings = options.settings ?? defaultViolationSettings();
  return assessFindingsWith(db, inputs, { radiusMeters: options.radiusMeters ?? settings.locateRadiusMeters, categories: settings.categories });
}

export interface DuplicateCandidate {
  id: number;
  caseNumber: string | null;
  category: string;
  status: string;
  distanceMeters: number;
}

export async function findDuplicateCandidates(db: Queryable, geometry: FindingGeometry, category: string, settings: ViolationSettings): Promise<DuplicateCandidate[]> {
  const rows = await selectDuplicateCandidates(db, geometry, category, settings.duplicateRadiusMeters, OPEN_STATUSES);
  return rows.map((row) => ({ id: row.id, caseNumber: row.case_number, category: row.category, status: row.status, distanceMeters: row.distance_meters }));
}

/** POST /violations/assess: where a finding would be and whether it is a violation; nothing saved. */
export async function assessOne(db: Queryable, input: { geometry: FindingGeometry; category: string; attributes?: unknown }, settings: ViolationSettings) {
  const [assessment] = await assessFindingsWith(db, [{ geometry: input.geometry, category: input.category, attributes: input.attributes ?? {} }], {
    radiusMeters: settings.locateRadiusMeters,
    categories: settings.categories,
    validateAttributes: input.attributes !== undefined,
  });
  const possibleDuplicates = await findDuplicateCandidates(db, input.geometry, input.category, settings);
  return { location: assessment!.location, verdict: assessment!.verdict, attributeErrors: assessment!.attributeErrors, possibleDuplicates };
}

export async function findViolationIdsByExternalIds(db: Queryable, externalIds: string[]): Promise<Map<string, number>> {
  const rows = await selectViolationIdsByExternalIds(db, [...new Set(externalIds)]);
  return new Map(rows.map((row) => [row.external_id, row.id]));
}

function validationFailed(errors: AttributeError[]): AppError {
  const first = errors[0]!;
  return new AppError(400, 'VALIDATION_FAILED', `"${first.path}" is not valid: ${first.message}`, errors);
}

function inScope(actor: Pick<SessionUser, 'scopeCodes' | 'jurisdictionIsTop'>, code: string | null): boolean {
  return code === null ? actor.jurisdictionIsTop : actor.scopeCodes.includes(code);
}

export async function requireViolation(db: Queryable, id: number): Promise<ViolationRow> {
  const row = await selectViolation(db, id);
  if (!row) throw new AppError(404, 'VIOLATION_NOT_FOUND', `No violation with id ${id} in your jurisdiction`, { id });
  return row;
}

/** The visible case numbered `caseNumber` (统一编号, e.g. 410104-2026-000123), or 404 CASE_NUMBER_NOT_FOUND. */
export async function requireViolationByCaseNumber(db: Queryable, caseNumber: string): Promise<ViolationRow> {
  const id = await selectViolationIdByCaseNumber(db, caseNumber);
  if (id === undefined) throw new AppError(404, 'CASE_NUMBER_NOT_FOUND', `No case numbered ${caseNumber} in your jurisdiction`, { caseNumber });
  return requireViolation(db, id);
}

/**
 * Records a finding: validates, locates and assesses it in PostGIS, guards against duplicates,
 * inserts it with its 'report' timeline row. The same externalId again returns the existing
 * record (created: false). Writes no audit row: the route does.
 */
export async function createViolation(
  db: Queryable,
  input: CreateViolationInput,
  actor: Pick<SessionUser, 'id' | 'username' | 'role' | 'scopeCodes' | 'jurisdictionIsTop' | 'jurisdiction'>,
  settings: ViolationSettings = defaultViolationSettings(),
): Promise<{ created: boolean; feature: ViolationFeature }> {
  const errors: AttributeError[] = [];
  if (input.geometry?.type !== 'Point' && input.geometry?.type !== 'Polygon') errors.push({ path: 'geometry', message: 'geometry must be a GeoJSON Point or Polygon' });
  const source = VIOLATION_SOURCE.safeParse(input.source);
  if (!source.success) errors.push({ path: 'source', message: source.error.issues[0]!.message });
  let party: ResponsibleParty | null = null;
  if (input.party !== undefined && input.party !== null) {
    const parsed = RESPONSIBLE_PARTY.safeParse(input.party);
    if (parsed.success) party = parsed.data;
    else errors.push(...parsed.error.issues.map((issue) => ({ path: ['party', ...issue.path].join('.'), message: issue.message })));
  }
  const description = input.description?.trim() || null;
  if (description !== null && description.length > 4000) errors.push({ path: 'description', message: 'description must be at most 4,000 characters' });
  const externalId = input.externalId?.trim() || null;
  if (externalId !== null && externalId.length > 128) errors.push({ path: 'externalId', message: 'externalId must be 1 to 128 characters' });
  if (errors.length > 0) throw validationFailed(errors);

  if (externalId !== null) {
    const existing = (await findViolationIdsByExternalIds(db, [externalId])).get(externalId);
    if (existing !== undefined) return { created: false, feature: toFeature(await requireViolation(db, existing)) };
  }

  const [assessment] = await assessFindings(db, [{ geometry: input.geometry, category: input.category, attributes: input.attributes ?? {} }], { settings });
  const { location, verdict, attributeErrors } = assessment!;
  if (attributeErrors.length > 0 || verdict === null) throw validationFailed(attributeErrors);
  const jurisdictionCode = location.jurisdiction?.code ?? null;
  // The record belongs where the finding is (luyu_locate reads the whole network). Outside the
  // user's scope it is refused, or with `referral: true` filed in that district as a referral (移交).
  let referral: { fromJurisdictionCode: string } | null = null;
  if (!inScope(actor, jurisdictionCode)) {
    if (input.referral !== true || jurisdictionCode === null) {
      throw new AppError(
        422,
        'OUTSIDE_JURISDICTION',
        `The finding lies in ${location.jurisdiction?.name ?? 'no district'} (${jurisdictionCode ?? '—'}), outside your jurisdiction${jurisdictionCode === null ? '' : '; send referral: true to refer it (移交) to that district'}`,
        { jurisdiction: location.jurisdiction, referralPossible: jurisdictionCode !== null },
      );
    }
    referral = { fromJurisdictionCode: actor.jurisdiction.code };
  }
  if (input.confirmNotDuplicate !== true) {
    const candidates = await findDuplicateCandidates(db, input.geometry, input.category, settings);
    if (candidates.length > 0) {
      throw new AppError(
        409,
        'POSSIBLE_DUPLICATE',
        `${candidates.length} open ${input.category} finding(s) within ${settings.duplicateRadiusMeters} m; send confirmNotDuplicate: true if this is a different one`,
        { candidates, radiusMeters: settings.duplicateRadiusMeters },
      );
    }
  }
  const attributes = input.attributes ?? {};
  const id = await insertViolation(db, {
    external_id: externalId,
    case_number: null,
    category: input.category,
    status: 'reported',
    geometry: JSON.stringify(input.geometry),
    attributes,
    description,
    source: source.data!,
    party,
    segment_id: location.segmentId,
    route_code: location.route,
    direction: location.direction,
    chainage_meters: location.chainageMeters,
    side: location.side,
    offset_meters: location.offsetMeters,
    zones: location.zones,
    jurisdiction_code: jurisdictionCode,
    verdict,
    is_violation: verdict.isViolation,
    deadline_at: null,
    reported_at: null,
    updated_at: null,
    closed_at: null,
    reported_by: actor.id,
    version: 1,
    is_demo: false,
    referred_by_user_id: referral ? actor.id : null,
    referred_by_username: referral ? actor.username : null,
    referred_from_jurisdiction_code: referral?.fromJurisdictionCode ?? null,
  });
  if (id === null) {
    // Another request inserted the same externalId between our look-up and insert.
    const existing = (await findViolationIdsByExternalIds(db, [externalId!])).get(externalId!);
    if (existing === undefined) throw new AppError(409, 'CASE_CHANGED', 'The record changed meanwhile; retry');
    return { created: false, feature: toFeature(await requireViolation(db, existing)) };
  }
  await insertCaseEvents(db, [
    {
      violation_id: id,
      event: 'report',
      from_status: null,
      to_status: 'reported',
      occurred_at: null,
      actor_user_id: actor.id,
      actor_username: actor.username,
      actor_role: actor.role,
      note: null,
      details: {
        source: source.data,
        isViolation: verdict.isViolation,
        reasonCode: verdict.reasonCode,
        ...(referral ? { referredFrom: referral.fromJurisdictionCode } : {}),
      },
      photo_ids: [],
      location: input.geometry.type === 'Point' ? JSON.stringify(input.geometry) : null,
    },
  ]);
  return { created: true, feature: toFeature(await requireViolation(db, id)) };
}

/**
 * One page of the register: by offset (the first pages) or after `query.cursor` (any depth, as
 * fast as page 1); `links.next` carries the cursor of this page's last row.
 */
export async function listViolations(db: Queryable, filter: ViolationFilter, limit: number, query: { offset?: number; cursor?: string }, originalUrl: string) {
  const key = violationKeyset(filter.sort, filter.order);
  const start = pageStart(query, filter.sort, filter.order, key);
  const rows = await selectViolations(db, filter, limit, start);
  const page = rows.slice(0, limit);
  const last = rows.length > limit ? page.at(-1) : undefined;
  const count = pageCount(start, rows.length, limit) ?? (await countViolations(db, filter));
  return pagedCollection(page.map(toFeature), {
    ...count,
    limit,
    offset: start.kind === 'offset' ? start.offset : null,
    links: nextLink(originalUrl, last ? { sort: filter.sort, order: filter.order, values: last.keyset } : null),
  });
}

export async function getViolationDetail(db: Queryable, id: number, role: SessionUser['role']): Promise<ViolationDetail> {
  const row = await requireViolation(db, id);
  const events = await selectCaseEvents(db, id);
  const photos = await selectPhotosOfViolation(db, id);
  const photoById = new Map(photos.map((photo) => [photo.id, photoSummary(photo)]));
  const status = row.status as CaseStatus;
  const allowed = allowedEvents(status, role)
    // A finding outside road law is kept but never filed.
    .filter((event) => row.is_violation || event !== 'verify')
    .map((event) => ({ event, requires: [...(CASE_TRANSITIONS.find((t) => t.from === status && t.event === event)?.requires ?? [])] }));
  return {
    ...toFeature(row),
    timeline: events.map((event) => ({
      id: event.id,
      event: event.event,
      fromStatus: event.from_status as CaseStatus | null,
      toStatus: event.to_status as CaseStatus,
      occurredAt: event.occurred_at.toISOString(),
      actor: { username: event.actor_username, role: event.actor_role },
      note: event.note,
      details: event.details,
      photos: event.photo_ids.flatMap((photoId) => photoById.get(photoId) ?? []),
      location: event.location,
    })),
    photos: [...photoById.values()],
    allowedEvents: allowed,
  };
}

/** One transition; returns the updated feature. */
export async function transitionViolation(db: Queryable, id: number, request: TransitionRequest, actor: CaseActor): Promise<ViolationFeature> {
  await transitionCase(db, id, request, actor);
  return toFeature(await requireViolation(db, id));
}

export async function bulkTransitionViolations(
  db: Queryable,
  ids: number[],
  request: Omit<TransitionRequest, 'photoIds' | 'expectedVersion'>,
  actor: CaseActor,
): Promise<{ updated: number[] }> {
  return { updated: await transitionCases(db, ids, request, actor) };
}
