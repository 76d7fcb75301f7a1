import type { Queryable } from '../db/database.ts';
import type { KeysetColumn, KeysetValue, PageStart } from '../paging/keyset.ts';
import { boundedCount, keysetAfter, keysetOrderBy, keysetSelect, type MatchedCount } from '../paging/queries.ts';
import type { ViolationFilter, ViolationSort } from './types.ts';

/**
 * Statuses in which the rectification deadline runs: after `cleared` it has been met, before the
 * notice there is none. A fixed list from the workflow, inlined as SQL text (no user input).
 */
export const DEADLINE_RUNNING_STATUSES = ['notice_issued', 'rectifying', 'reminded', 'forced_removal'] as const;
const RUNNING_SQL = `(${DEADLINE_RUNNING_STATUSES.map((status) => `'${status}'`).join(', ')})`;

/** Whole Asia/Shanghai calendar days from today to the deadline (negative = overdue), in SQL. */
const DAYS_REMAINING_SQL = `CASE WHEN v.deadline_at IS NOT NULL AND v.status IN ${RUNNING_SQL}
  THEN (v.deadline_at AT TIME ZONE 'Asia/Shanghai')::date - (now() AT TIME ZONE 'Asia/Shanghai')::date END`;

export interface ViolationRow {
  id: number;
  external_id: string | null;
  case_number: string | null;
  category: string;
  status: string;
  source: string;
  description: string | null;
  attributes: Record<string, unknown>;
  party: Record<string, unknown> | null;
  segment_id: number | null;
  route_code: string | null;
  route_name: string | null;
  direction: 1 | -1 | null;
  chainage_meters: number | null;
  side: 'left' | 'right' | null;
  offset_meters: number | null;
  zones: string[];
  jurisdiction_code: string | null;
  jurisdiction_name: string | null;
  verdict: Record<string, unknown>;
  is_violation: boolean;
  deadline_at: Date | null;
  days_remaining: number | null;
  overdue: boolean;
  reported_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  version: number;
  photo_count: number;
  is_demo: boolean;
  referred_by_username: string | null;
  referred_from_jurisdiction_code: string | null;
  referred_from_jurisdiction_name: string | null;
  referred_at: Date | null;
  geometry: GeoJSON.Point | GeoJSON.Polygon;
}

const FEATURE_COLUMNS = `
  v.id, v.external_id, v.case_number, v.category, v.status, v.source, v.description, v.attributes, v.party,
  v.segment_id, v.route_code, r.name AS route_name, v.direction, v.chainage_meters, v.side, v.offset_meters,
  v.zones, v.jurisdiction_code, j.name AS jurisdiction_name, v.verdict, v.is_violation, v.deadline_at,
  ${DAYS_REMAINING_SQL} AS days_remaining,
  coalesce((${DAYS_REMAINING_SQL}) < 0, false) AS overdue,
  v.reported_at, v.updated_at, v.closed_at, v.version,
  (SELECT count(*) FROM evidence_photos p WHERE p.violation_id = v.id)::integer AS photo_count,
  v.is_demo, v.referred_by_username, v.referred_from_jurisdiction_code, rj.name AS referred_from_jurisdiction_name, v.referred_at,
  ST_AsGeoJSON(ST_ForcePolygonCCW(v.geom), 7)::json AS geometry`;

const FEATURE_FROM = `
  FROM violations v
  LEFT JOIN routes r ON r.code = v.route_code
  LEFT JOIN jurisdictions j ON j.code = v.jurisdiction_code
  LEFT JOIN jurisdictions rj ON rj.code = v.referred_from_jurisdiction_code`;

/**
 * Sort keys → key columns (allowlist; the user only picks a key). Ties break on id in the same
 * direction, so a keyset cursor (server/paging) continues exactly where the page ended.
 */
export function violationKeyset(sort: ViolationSort, order: 'asc' | 'desc'): KeysetColumn[] {
  const column = (sql: string, type: KeysetColumn['type'], nullable: boolean): KeysetColumn => ({ sql, type, nullable, direction: order });
  const id = column('v.id', 'bigint', false);
  switch (sort) {
    case 'reportedAt':
      return [column('v.reported_at', 'timestamptz', false), id];
    case 'deadline':
      return [column('v.deadline_at', 'timestamptz', true), id];
    case 'stake':
      return [column('v.route_code', 'text', true), column('v.chainage_meters', 'float8', true), id];
    case 'caseNumber':
      return [column('v.case_number', 'text', true), id];
    case 'category':
      return [column('v.category', 'text', false), id];
    case 'status':
      return [column('v.status', 'text', false), id];
  }
}

/** WHERE clause and its bind values for the list and export filters. */
function filterWhere(filter: ViolationFilter): { where: string; values: unknown[] } {
  const values: unknown[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const clauses: string[] = [];
  if (filter.bbox) {
    const { minLon, minLat, maxLon, maxLat } = filter.bbox;
    clauses.push(`v.geom && ST_MakeEnvelope(${bind(minLon)}, ${bind(minLat)}, ${bind(maxLon)}, ${bind(maxLat)}, 4326)`);
  }
  if (filter.categories?.length) clauses.push(`v.category = ANY(${bind(filter.categories)}::text[])`);
  if (filter.statuses?.length) clauses.push(`v.status = ANY(${bind(filter.statuses)}::text[])`);
  if (filter.overdue === true) clauses.push(`coalesce((${DAYS_REMAINING_SQL}) < 0, false)`);
  if (filter.overdue === false) clauses.push(`NOT coalesce((${DAYS_REMAINING_SQL}) < 0, false)`);
  if (filter.route) clauses.push(`v.route_code = ${bind(filter.route)}`);
  if (filter.chainageFromMeters !== undefined) clauses.push(`v.chainage_meters >= ${bind(filter.chainageFromMeters)}`);
  if (filter.chainageToMeters !== undefined) clauses.push(`v.chainage_meters <= ${bind(filter.chainageToMeters)}`);
  if (filter.jurisdiction) {
    // A city or province code means every district below it.
    clauses.push(`v.jurisdiction_code IN (
      WITH RECURSIVE below AS (
        SELECT code FROM jurisdictions WHERE code = ${bind(filter.jurisdiction)}
        UNION ALL SELECT child.code FROM jurisdictions child JOIN below ON child.parent_code = below.code)
      SELECT code FROM below)`);
  }
  if (filter.source) clauses.push(`v.source = ${bind(filter.source)}`);
  if (filter.reportedFrom) clauses.push(`v.reported_at >= (${bind(filter.reportedFrom)}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  if (filter.reportedTo) clauses.push(`v.reported_at < ((${bind(filter.reportedTo)}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  // Date ranges are Asia/Shanghai calendar days, both ends inclusive (as the management aggregates count them).
  const dayFrom = (column: string, day: string) => `${column} >= (${bind(day)}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`;
  const dayTo = (column: string, day: string) => `${column} < ((${bind(day)}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`;
  if (filter.clearedFrom) clauses.push(dayFrom('v.cleared_at', filter.clearedFrom));
  if (filter.clearedTo) clauses.push(dayTo('v.cleared_at', filter.clearedTo));
  if (filter.clearedLate === true) clauses.push('v.cleared_at > v.deadline_at');
  if (filter.clearedLate === false) clauses.push('v.cleared_at IS NOT NULL AND NOT coalesce(v.cleared_at > v.deadline_at, false)');
  if (filter.deadlineFrom) clauses.push(dayFrom('v.deadline_at', filter.deadlineFrom));
  if (filter.deadlineTo) clauses.push(dayTo('v.deadline_at', filter.deadlineTo));
  if (filter.reopenedFrom || filter.reopenedTo) {
    const range = [filter.reopenedFrom ? dayFrom('e.occurred_at', filter.reopenedFrom) : null, filter.reopenedTo ? dayTo('e.occurred_at', filter.reopenedTo) : null].filter(Boolean);
    clauses.push(`EXISTS (SELECT 1 FROM case_events e WHERE e.violation_id = v.id AND e.event = 'reopen' AND e.from_status = 'closed' AND ${range.join(' AND ')})`);
  }
  if (filter.isViolation !== undefined) clauses.push(`v.is_violation = ${bind(filter.isViolation)}`);
  // Fixed SQL per allowed value: the geometry type never reaches the text as user input.
  if (filter.geometryType === 'point') clauses.push(`GeometryType(v.geom) = 'POINT'`);
  if (filter.geometryType === 'polygon') clauses.push(`GeometryType(v.geom) = 'POLYGON'`);
  if (filter.q) {
    const pattern = bind(`%${filter.q.replace(/[\\%_]/g, (character) => `\\${character}`)}%`);
    clauses.push(`(v.case_number ILIKE ${pattern} OR v.external_id ILIKE ${pattern} OR v.description ILIKE ${pattern} OR v.party->>'name' ILIKE ${pattern})`);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', values };
}

/** Builds the list's WHERE with bind parameters numbered from $1 (filters, then an optional cursor). */
function listWhere(filter: ViolationFilter, after: readonly KeysetValue[] | null): { where: string; values: unknown[] } {
  const { where, values } = filterWhere(filter);
  if (!after) return { where, values };
  const bind = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const seek = keysetAfter(violationKeyset(filter.sort, filter.order), after, bind);
  return { where: where ? `${where} AND ${seek}` : `WHERE ${seek}`, values };
}

/**
 * One page of violations plus one row more (to know whether a next page exists): after a cursor's
 * key when `page.kind` is 'cursor', else at an offset. `keyset` is the row's sort key as JSON.
 */
export async function selectViolations(db: Queryable, filter: ViolationFilter, limit: number, page: PageStart): Promise<(ViolationRow & { keyset: KeysetValue[] })[]> {
  const { where, values } = listWhere(filter, page.kind === 'cursor' ? page.after : null);
  const key = violationKeyset(filter.sort, filter.order);
  const result = await db.query<ViolationRow & { keyset: KeysetValue[] }>(
    `SELECT ${FEATURE_COLUMNS}, ${keysetSelect(key)} AS keyset
     ${FEATURE_FROM}
     ${where}
     ORDER BY ${keysetOrderBy(key)}
     LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
    [...values, limit + 1, page.kind === 'offset' ? page.offset : 0],
  );
  return result.rows;
}

/** How many violations match (exact up to EXACT_COUNT_LIMIT, then estimated). */
export async function countViolations(db: Queryable, filter: ViolationFilter, exactLimit?: number): Promise<MatchedCount> {
  const { where, values } = filterWhere(filter);
  return boundedCount(db, `FROM violations v ${where}`, values, exactLimit, 'v.jurisdiction_code');
}

/** The plan of the list's main query for `filter` (the index test reads it). */
export async function explainViolationList(db: Queryable, filter: ViolationFilter, limit: number): Promise<string> {
  const { where, values } = filterWhere(filter);
  const key = violationKeyset(filter.sort, filter.order);
  const result = await db.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN SELECT v.id FROM violations v ${where} ORDER BY ${keysetOrderBy(key)} LIMIT $${values.length + 1}`,
    [...values, limit],
  );
  return result.rows.map((row) => row['QUERY PLAN']).join('\n');
}

export async function selectViolation(db: Queryable, id: number): Promise<ViolationRow | undefined> {
  const result = await db.query<ViolationRow>(`SELECT ${FEATURE_COLUMNS} ${FEATURE_FROM} WHERE v.id = $1`, [id]);
  return result.rows[0];
}

/** The visible case with this 统一编号 (case numbers are unique per jurisdiction and year; RLS scopes the row). */
export async function selectViolationIdByCaseNumber(db: Queryable, caseNumber: string): Promise<number | undefined> {
  const result = await db.query<{ id: number }>('SELECT v.id FROM violations v WHERE v.case_number = $1 ORDER BY v.id LIMIT 1', [caseNumber]);
  return result.rows[0] === undefined ? undefined : Number(result.rows[0].id);
}

export async function selectViolationsByIds(db: Queryable, ids: readonly number[]): Promise<ViolationRow[]> {
  const result = await db.query<ViolationRow>(`SELECT ${FEATURE_COLUMNS} ${FEATURE_FROM} WHERE v.id = ANY($1::bigint[]) ORDER BY v.id`, [ids]);
  return result.rows;
}

export interface DuplicateCandidateRow {
  id: number;
  case_number: string | null;
  category: string;
  status: string;
  distance_meters: number;
}

/** Open violations of `category` within `radiusMeters` (true metres on the spheroid), nearest first. */
export async function selectDuplicateCandidates(
  db: Queryable,
  geometry: GeoJSON.Geometry,
  category: string,
  radiusMeters: number,
  openStatuses: readonly string[],
): Promise<DuplicateCandidateRow[]> {
  const result = await db.query<DuplicateCandidateRow>(
    `WITH g AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS geom)
     SELECT v.id, v.case_number, v.category, v.status, round(ST_Distance(v.geom::geography, g.geom::geography)::numeric, 1) AS distance_meters
     FROM violations v, g
     WHERE v.category = $2 AND v.status = ANY($4::text[])
       AND v.geom && ST_Expand(g.geom, $3 / 100000.0)
       AND ST_DWithin(v.geom::geography, g.geom::geography, $3)
     ORDER BY distance_meters, v.id
     LIMIT 20`,
    [JSON.stringify(geometry), category, radiusMeters, openStatuses],
  );
  return result.rows;
}

/** A row to insert: location and verdict already computed by the service. */
export interface NewViolationRow {
  external_id: string | null;
  case_number: string | null;
  category: string;
  status: string;
  geometry: string;
  attributes: unknown;
  description: string | null;
  source: string;
  party: unknown;
  segment_id: number | null;
  route_code: string | null;
  direction: number | null;
  chainage_meters: number | null;
  side: string | null;
  offset_meters: number | null;
  zones: string[];
  jurisdiction_code: string | null;
  verdict: unknown;
  is_violation: boolean;
  deadline_at: string | null;
  reported_at: string | null;
  updated_at: string | null;
  closed_at: string | null;
  reported_by: number | null;
  version: number;
  is_demo: boolean;
  /** A referral (移交) filed by this user from their district into the finding's district. */
  referred_by_user_id?: number | null;
  referred_by_username?: string | null;
  referred_from_jurisdiction_code?: string | null;
}

/**
 * Inserts rows set-wise (one statement for any number) and returns their ids in input order. Every
 * row needs a distinct `external_id`: it is how ids are matched back (identity order is not
 * guaranteed); rows whose external id exists already are skipped and get no id back.
 */
export async function insertViolations(db: Queryable, rows: readonly NewViolationRow[]): Promise<{ ordinal: number; id: number }[]> {
  if (rows.length === 0) return [];
  const result = await db.query<{ ordinal: number; id: number }>(
    `WITH input AS (
       SELECT ordinal::integer AS ordinal, r.*
       FROM json_array_elements($1::json) WITH ORDINALITY AS e(value, ordinal),
            json_to_record(e.value) AS r(external_id text, case_number text, category text, status text, geometry text,
              attributes jsonb, description text, source text, party jsonb, segment_id bigint, route_code text,
              direction smallint, chainage_meters double precision, side text, offset_meters double precision,
              zones text[], jurisdiction_code text, verdict jsonb, is_violation boolean, deadline_at timestamptz,
              reported_at timestamptz, updated_at timestamptz, closed_at timestamptz, reported_by bigint,
              version integer, is_demo boolean)
     ), inserted AS (
       INSERT INTO violations (external_id, case_number, category, status, geom, attributes, description, source, party,
                               segment_id, route_code, direction, chainage_meters, side, offset_meters, zones,
                               jurisdiction_code, verdict, is_violation, deadline_at, reported_at, updated_at, closed_at,
                               reported_by, version, is_demo)
       SELECT external_id, case_number, category, status, ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326),
              coalesce(attributes, '{}'), description, source, nullif(party, 'null'::jsonb), segment_id, route_code, direction,
              chainage_meters, side, offset_meters, coalesce(zones, '{}'), jurisdiction_code, verdict, is_violation,
              deadline_at, coalesce(reported_at, now()), coalesce(updated_at, now()), closed_at, reported_by,
              coalesce(version, 1), coalesce(is_demo, false)
       FROM input ORDER BY ordinal
       ON CONFLICT ((coalesce(jurisdiction_code, '')), external_id) WHERE external_id IS NOT NULL DO NOTHING
       RETURNING id, external_id
     )
     SELECT i.ordinal, x.id FROM inserted x JOIN input i ON i.external_id = x.external_id ORDER BY i.ordinal`,
    [JSON.stringify(rows)],
  );
  return result.rows;
}

export async function insertViolation(db: Queryable, row: NewViolationRow): Promise<number | null> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO violations (external_id, category, status, geom, attributes, description, source, party,
                             segment_id, route_code, direction, chainage_meters, side, offset_meters, zones,
                             jurisdiction_code, verdict, is_violation, reported_by, is_demo,
                             referred_by_user_id, referred_by_username, referred_from_jurisdiction_code, referred_at)
     VALUES ($1, $2, $3, ST_SetSRID(ST_GeomFromGeoJSON($4), 4326), $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
             $21, $22, $23, CASE WHEN $21::bigint IS NULL THEN NULL ELSE now() END)
     ON CONFLICT ((coalesce(jurisdiction_code, '')), external_id) WHERE external_id IS NOT NULL DO NOTHING
     RETURNING id`,
    [
      row.external_id, row.category, row.status, row.geometry, JSON.stringify(row.attributes ?? {}), row.description, row.source,
      row.party === null ? null : JSON.stringify(row.party), row.segment_id, row.route_code, row.direction, row.chainage_meters,
      row.side, row.offset_meters, row.zones, row.jurisdiction_code, JSON.stringify(row.verdict), row.is_violation, row.reported_by, row.is_demo,
      row.referred_by_user_id ?? null, row.referred_by_username ?? null, row.referred_from_jurisdiction_code ?? null,
    ],
  );
  return result.rows[0]?.id ?? null;
}

export async function selectViolationIdsByExternalIds(db: Queryable, externalIds: readonly string[]): Promise<{ id: number; external_id: string }[]> {
  if (externalIds.length === 0) return [];
  const result = await db.query<{ id: number; external_id: string }>(
    'SELECT id, external_id FROM violations WHERE external_id = ANY($1::text[])',
    [externalIds],
  );
  return result.rows;
}

export interface NewCaseEventRow {
  violation_id: number;
  event: string;
  from_status: string | null;
  to_status: string;
  occurred_at: string | null;
  actor_user_id: number | null;
  actor_username: string | null;
  actor_role: string | null;
  note: string | null;
  details: unknown;
  photo_ids: number[];
  location: string | null;
}

/** Appends timeline rows set-wise; `occurred_at` null = now(). */
export async function insertCaseEvents(db: Queryable, rows: readonly NewCaseEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO case_events (violation_id, event, from_status, to_status, occurred_at, actor_user_id, actor_username, actor_role,
                              note, details, photo_ids, location)
     SELECT violation_id, event, from_status, to_status, coalesce(occurred_at, now()), actor_user_id, actor_username, actor_role,
            note, coalesce(details, '{}'), coalesce(photo_ids, '{}'),
            CASE WHEN location IS NULL THEN NULL ELSE ST_SetSRID(ST_GeomFromGeoJSON(location), 4326) END
     FROM json_to_recordset($1::json) AS e(violation_id bigint, event text, from_status text, to_status text,
          occurred_at timestamptz, actor_user_id bigint, actor_username text, actor_role text, note text, details jsonb,
          photo_ids bigint[], location text)`,
    [JSON.stringify(rows)],
  );
}

/** What a transition reads of the case, as the request's user sees it. */
export interface CaseStateRow {
  id: number;
  status: string;
  version: number;
  category: string;
  source: string;
  party: Record<string, unknown> | null;
  deadline_at: Date | null;
  is_violation: boolean;
  case_number: string | null;
  jurisdiction_code: string | null;
  photo_count: number;
  after_photo_count: number;
  /** Who sent the latest report_cleared (separation of duties); null if nobody did. */
  clearance_reporter_user_id: number | null;
  /** false: visible only as the referral this user made (read-only), not in their jurisdiction. */
  in_scope: boolean;
}

export async function selectCaseStates(db: Queryable, ids: readonly number[]): Promise<CaseStateRow[]> {
  const result = await db.query<CaseStateRow>(
    `SELECT v.id, v.status, v.version, v.category, v.source, v.party, v.deadline_at, v.is_violation, v.case_number, v.jurisdiction_code,
            (SELECT count(*) FROM evidence_photos p WHERE p.violation_id = v.id)::integer AS photo_count,
            (SELECT count(*) FROM evidence_photos p WHERE p.violation_id = v.id AND p.tag = 'after')::integer AS after_photo_count,
            (SELECT e.actor_user_id::integer FROM case_events e WHERE e.violation_id = v.id AND e.event = 'report_cleared'
              ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1) AS clearance_reporter_user_id,
            -- Outside a request (no luyu.user_id: scripts, the demo loader) every row is in scope.
            (coalesce(current_setting('luyu.user_id', true), '') = '' OR luyu_in_scope(v.jurisdiction_code)) AS in_scope
     FROM violations v WHERE v.id = ANY($1::bigint[])`,
    [ids],
  );
  return result.rows;
}

export interface PhotoStateRow {
  id: number;
  violation_id: number | null;
  tag: string;
}

/** Photos among `ids` that the request's user can see (row-level security). */
export async function selectPhotoStates(db: Queryable, ids: readonly number[]): Promise<PhotoStateRow[]> {
  if (ids.length === 0) return [];
  const result = await db.query<PhotoStateRow>('SELECT id, violation_id, tag FROM evidence_photos WHERE id = ANY($1::bigint[])', [ids]);
  return result.rows;
}

/** Attaches photos to a case; they move into the case's jurisdiction so they are scoped with it. */
export async function attachPhotos(db: Queryable, violationId: number, jurisdictionCode: string | null, photoIds: readonly number[]): Promise<number> {
  if (photoIds.length === 0) return 0;
  const result = await db.query(
    `UPDATE evidence_photos SET violation_id = $1, jurisdiction_code = $2
     WHERE id = ANY($3::bigint[]) AND (violation_id IS NULL OR violation_id = $1)`,
    [violationId, jurisdictionCode, photoIds],
  );
  return result.rowCount ?? 0;
}

export interface TransitionUpdate {
  id: number;
  fromStatus: string;
  expectedVersion: number;
  toStatus: string;
  party: unknown;
  deadlineAt: Date | null;
  /** 'set' = closed now, 'clear' = reopened, 'keep' otherwise. */
  closed: 'set' | 'clear' | 'keep';
}

/**
 * The optimistic step of a transition: only if the case is still in `fromStatus` at
 * `expectedVersion`. Zero rows means someone else changed it meanwhile (→ 409 CASE_CHANGED).
 */
export async function updateCaseStatus(db: Queryable, update: TransitionUpdate): Promise<{ version: number } | undefined> {
  const result = await db.query<{ version: number }>(
    `UPDATE violations
     SET status = $4, version = version + 1, updated_at = now(), party = $5::jsonb, deadline_at = $6,
         closed_at = CASE $7 WHEN 'set' THEN now() WHEN 'clear' THEN NULL ELSE closed_at END
     WHERE id = $1 AND status = $2 AND version = $3
     RETURNING version`,
    [update.id, update.fromStatus, update.expectedVersion, update.toStatus, update.party === null ? null : JSON.stringify(update.party), update.deadlineAt, update.closed],
  );
  return result.rows[0];
}

/**
 * Next gap-free sequence of a jurisdiction's year (Asia/Shanghai). The counter row stays locked
 * until the transaction ends, so concurrent verifications queue here and a rollback returns the number.
 */
export async function nextCaseSequence(db: Queryable, jurisdictionCode: string): Promise<{ year: number; sequence: number }> {
  const result = await db.query<{ year: number; sequence: number }>(
    `INSERT INTO case_number_counters (jurisdiction_code, year, last_sequence)
     VALUES ($1, extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::integer, 1)
     ON CONFLICT (jurisdiction_code, year) DO UPDATE SET last_sequence = case_number_counters.last_sequence + 1
     RETURNING year, last_sequence AS sequence`,
    [jurisdictionCode],
  );
  return result.rows[0]!;
}

export async function updateCaseNumber(db: Queryable, id: number, caseNumber: string): Promise<void> {
  await db.query('UPDATE violations SET case_number = $2 WHERE id = $1', [id, caseNumber]);
}

/** Demo loader: counters set to the highest sequence handed out per jurisdiction and year. */
export async function upsertCaseNumberCounters(db: Queryable, rows: readonly { jurisdiction_code: string; year: number; last_sequence: number }[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO case_number_counters (jurisdiction_code, year, last_sequence)
     SELECT jurisdiction_code, year, last_sequence FROM json_to_recordset($1::json) AS c(jurisdiction_code text, year integer, last_sequence integer)
     ON CONFLICT (jurisdiction_code, year) DO UPDATE SET last_sequence = greatest(case_number_counters.last_sequence, excluded.last_sequence)`,
    [JSON.stringify(rows)],
  );
}

export interface PhotoRow {
  id: number;
  violation_id: number | null;
  tag: 'before' | 'after' | 'other';
  media_type: string;
  taken_at: Date | null;
  location: GeoJSON.Point | null;
  uploaded_at: Date;
}

const PHOTO_COLUMNS = `p.id, p.violation_id, p.tag, p.media_type, p.taken_at,
  CASE WHEN p.location IS NULL THEN NULL ELSE ST_AsGeoJSON(p.location, 7)::json END AS location, p.uploaded_at`;

export async function selectPhotosOfViolation(db: Queryable, violationId: number): Promise<PhotoRow[]> {
  const result = await db.query<PhotoRow>(`SELECT ${PHOTO_COLUMNS} FROM evidence_photos p WHERE p.violation_id = $1 ORDER BY p.id`, [violationId]);
  return result.rows;
}

export interface CaseEventRow {
  id: number;
  event: string;
  from_status: string | null;
  to_status: string;
  occurred_at: Date;
  actor_username: string | null;
  actor_role: string | null;
  note: string | null;
  details: Record<string, unknown>;
  photo_ids: number[];
  location: GeoJSON.Point | null;
}

/** The timeline, oldest first (id breaks ties of backdated events). */
export async function selectCaseEvents(db: Queryable, violationId: number): Promise<CaseEventRow[]> {
  const result = await db.query<CaseEventRow>(
    // to_json: bigint[] would come back as strings (only scalar int8 has a parser).
    `SELECT id, event, from_status, to_status, occurred_at, actor_username, actor_role, note, details, to_json(photo_ids) AS photo_ids,
            CASE WHEN location IS NULL THEN NULL ELSE ST_AsGeoJSON(location, 7)::json END AS location
     FROM case_events WHERE violation_id = $1 ORDER BY occurred_at, id`,
    [violationId],
  );
  return result.rows;
}

export async function countCaseEvents(db: Queryable, violationId: number): Promise<number> {
  const result = await db.query<{ count: number }>('SELECT count(*)::integer AS count FROM case_events WHERE violation_id = $1', [violationId]);
  return result.rows[0]?.count ?? 0;
}

export interface DemoSegmentLineRow {
  id: number;
  jurisdiction_code: string | null;
  admin_class: string;
  road_land_half_width_meters: number;
  line: GeoJSON.LineString;
}

/** Demo loader: the demo segments' centrelines, to place findings along them. */
export async function selectDemoSegmentLines(db: Queryable): Promise<DemoSegmentLineRow[]> {
  const result = await db.query<DemoSegmentLineRow>(
    `SELECT id, jurisdiction_code, admin_class, road_land_half_width_meters, ST_AsGeoJSON(ST_Force2D(centreline), 7)::json AS line
     FROM segments WHERE is_demo AND jurisdiction_code IS NOT NULL ORDER BY id`,
  );
  return result.rows;
}

/** Demo loader: ids and roles of the demo users that exist (none before they are seeded). */
export async function selectUsersByUsername(db: Queryable, usernames: readonly string[]): Promise<{ id: number; username: string; role: string }[]> {
  const result = await db.query<{ id: number; username: string; role: string }>('SELECT id, username, role FROM users WHERE username = ANY($1::text[])', [usernames]);
  return result.rows;
}

export interface ExportGeometryRow {
  id: number;
  /** Full geometry as WKT, outer rings counter-clockwise (RFC 7946), full precision. */
  wkt: string;
  /** ST_PointOnSurface: inside the polygon even when it is concave, unlike the centroid or a vertex. */
  point_lon: number;
  point_lat: number;
}

/** The ledger's geometry columns, computed by PostGIS for the records being exported. */
export async function selectExportGeometries(db: Queryable, ids: readonly number[]): Promise<ExportGeometryRow[]> {
  if (ids.length === 0) return [];
  const result = await db.query<ExportGeometryRow>(
    `SELECT v.id, ST_AsText(ST_ForcePolygonCCW(v.geom)) AS wkt,
            ST_X(ST_PointOnSurface(v.geom)) AS point_lon, ST_Y(ST_PointOnSurface(v.geom)) AS point_lat
     FROM violations v WHERE v.id = ANY($1::bigint[])`,
    [ids],
  );
  return result.rows.map((row) => ({ ...row, id: Number(row.id) }));
}
