/**
 * Satellite change detections: ingest (parse → stage in committed chunks → classify and publish in
 * one transaction), listing, batch reports and review. Routes parse input and write the audit row;
 * this module owns the rules. The bench calls `ingestDetectionFeatures` (synchronous path).
 */
import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { SessionUser } from '../auth/session_user.ts';
import type { Queryable } from '../db/database.ts';
import { withTransaction } from '../db/transaction.ts';
import {
  normalizeChangeType,
  normalizeConfidence,
  REVIEWABLE_STATUSES,
  STATUS_AFTER_ACTION,
  type DetectionReviewAction,
} from '../domain/detection_rules.ts';
import { isGeographic } from '../files/source_crs.ts';
import { AppError } from '../http/errors.ts';
import { nextLink, pageCount, pageStart } from '../paging/keyset.ts';
import { pagedCollection } from '../http/geojson.ts';
import { toWgs84 } from '../imports/convert_datum.ts';
import { createViolation, requireViolation, requireViolationByCaseNumber } from '../violations/service.ts';
import { FileRejectedError } from '../files/file_limits.ts';
import { TERMINAL_STATUSES } from '../domain/case_workflow.ts';
import {
  analyzeStaging,
  classifyStagedDetections,
  classifyStagedRange,
  insertBatch,
  publishClassified,
  raiseBatchProcessed,
  markBatchDone,
  markBatchFailed,
  selectBatch,
  selectBatches,
  selectDetection,
  selectDetections,
  countDetections,
  detectionKeyset,
  selectPrecision,
  stageFeatures,
  updateBatchProgress,
  updateDetectionReview,
  type BatchRow,
  type DetectionRow,
} from './queries.ts';
import type { BatchMetadata, DetectionCrs, DetectionFeature, DetectionFilter, RejectedFeature, StagedFeature } from './types.ts';

export { classifyStagedDetections } from './queries.ts';

/** Staged rows per committed transaction: short enough that the one embedded connection stays responsive. */
export const STAGE_CHUNK_SIZE = 2000;
/**
 * Chunk transactions (stage + classify) in flight at once: on PostgreSQL each runs on its own
 * connection, so both cores work while Node reads the next chunk (bench:detections measures it
 * against the sequential flow). The embedded database has one connection and runs them in turn.
 */
export const CHUNK_CONNECTIONS = 2;

/**
 * 'pipelined' (the product): each staged chunk is classified in its own committed transaction
 * (into detection_classified, unpublished) as soon as it is staged, CHUNK_CONNECTIONS at a time;
 * publication is one transaction. 'sequential' (the flow before issue 15's ingest work, kept as the
 * bench's side-by-side baseline): stage everything, then classify and publish in one transaction.
 */
export type IngestFlow = 'pipelined' | 'sequential';

export interface IngestOptions {
  flow?: IngestFlow;
  /** Chunk transactions in flight at once (pipelined flow; default CHUNK_CONNECTIONS). */
  connections?: number;
  /** Features per staged chunk (default STAGE_CHUNK_SIZE; tests use small chunks to get several). */
  chunkSize?: number;
}
/**
 * A rejected batch reports at most this many features (the first ones), and reading stops there:
 * a file of a million bad features costs no more than one of a hundred.
 */
export const MAX_REPORTED_REJECTIONS = 100;


/** Runs work in one transaction: on the pool (each call commits), or on a client already inside one (demo load). */
export type TransactionRunner = <T>(work: (client: Queryable) => Promise<T>) => Promise<T>;
export const poolRunner =
  (pool: pg.Pool): TransactionRunner =>
  (work) =>
    withTransaction(pool, work);
export const clientRunner =
  (client: Queryable): TransactionRunner =>
  (work) =>
    work(client);

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function ringProblem(ring: unknown): string | null {
  if (!Array.isArray(ring)) return 'a ring is not an array of positions';
  if (ring.length === 0) return null; // an empty ring makes an empty polygon: reported by the staging SQL
  if (ring.length < 4) return `a ring has ${ring.length} positions (at least 4, closed)`;
  for (const position of ring) {
    if (!Array.isArray(position) || position.length < 2 || !position.slice(0, 2).every((value) => typeof value === 'number' && Number.isFinite(value))) {
      return 'a position is not [longitude, latitude]';
    }
  }
  return null;
}

function mapRings(rings: GeoJSON.Position[][], crs: DetectionCrs): GeoJSON.Position[][] {
  const datum = crs === 'GCJ02' ? 'GCJ02' : 'WGS84';
  return rings.map((ring) => ring.map((position) => toWgs84([position[0]!, position[1]!], datum)));
}

/** The EPSG code a geometry carries in its GeoJSON crs member (server/files/source_features.ts), else 4326. */
function sridOfGeometry(geometry: GeoJSON.Geometry): number {
  const name = (geometry as { crs?: { properties?: { name?: unknown } } }).crs?.properties?.name;
  const match = typeof name === 'string' ? /EPSG:(\d+)$/.exec(name) : null;
  return match ? Number(match[1]) : 4326;
}

/** Degrees that are not degrees: a projected file read as WGS 84 (no .prj, no crs field). */
function notDegrees(polygons: GeoJSON.Position[][][]): GeoJSON.Position | null {
  for (const polygon of polygons) for (const ring of polygon) for (const position of ring) if (Math.abs(position[0]!) > 180 || Math.abs(position[1]!) > 90) return position;
  return null;
}

/**
 * One input feature → a staged row, or the reason the batch must be rejected. Only Polygon and
 * MultiPolygon are detections; GCJ-02 coordinates are converted here, so nothing stored is GCJ-02.
 */
export function prepareFeature(feature: GeoJSON.Feature | null | undefined, featureIndex: number, crs: DetectionCrs): { staged: StagedFeature } | { rejected: RejectedFeature } {
  const properties = (feature?.properties ?? {}) as Record<string, unknown>;
  const rawId = properties.externalId ?? properties.id ?? feature?.id;
  const externalId = rawId === undefined || rawId === null || rawId === '' ? null : String(rawId).slice(0, 128);
  const reject = (reason: string) => ({ rejected: { featureIndex, externalId, reason } });
  const geometry = feature?.geometry;
  if (!geometry) return reject('feature has no geometry');
  if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') return reject(`geometry type ${geometry.type} is not Polygon or MultiPolygon`);
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  if (!Array.isArray(polygons)) return reject('geometry has no coordinates');
  for (const polygon of polygons) {
    if (!Array.isArray(polygon)) return reject('a polygon is not an array of rings');
    for (const ring of polygon) {
      const problem = ringProblem(ring);
      if (problem) return reject(problem);
    }
  }
  const srid = sridOfGeometry(geometry);
  if (isGeographic(srid)) {
    const outside = notDegrees(polygons as GeoJSON.Position[][][]);
    if (outside) return reject(`coordinate ${outside[0]}, ${outside[1]} is not longitude/latitude in degrees: the file is projected; send its CRS in the form field crs (e.g. EPSG:4547) or include the .prj`);
  }
  const crsMember = srid === 4326 ? {} : { crs: { type: 'name', properties: { name: `EPSG:${srid}` } } };
  const converted: GeoJSON.Polygon | GeoJSON.MultiPolygon =
    geometry.type === 'Polygon'
      ? { type: 'Polygon', coordinates: mapRings(geometry.coordinates, crs), ...crsMember }
      : { type: 'MultiPolygon', coordinates: geometry.coordinates.map((polygon) => mapRings(polygon, crs)), ...crsMember };
  const area = Number(properties.area);
  return {
    staged: {
      featureIndex,
      externalId,
      geometry: converted,
      confidence: normalizeConfidence(properties.confidence),
      changeType: normalizeChangeType(properties.changeType ?? properties.change_type ?? properties.type),
      declaredAreaSquareMeters: Number.isFinite(area) && area >= 0 ? area : null,
    },
  };
}

/** The database answered for fewer staged features than it was given (never expected; never ignored). */
class StagingLossError extends Error {}
/** A chunk's classification failed (reported like the publication's failure, not as an unreadable file). */
class ChunkClassificationError extends Error {}

export interface IngestOutcome {
  status: 'done' | 'failed';
  /** Why a failed batch failed (also its failure_reason), with a stable code. */
  failureCode: string;
  failureReason: string;
  total: number;
  repaired: number;
  rejected: RejectedFeature[];
  stageMilliseconds: number;
  classifyMilliseconds: number;
}

/**
 * Stages a batch's features in committed chunks (progress stored after each), then classifies and
 * publishes them in ONE transaction. Any rejected feature, an unreadable file or a failing
 * classification fails the WHOLE batch: staging deleted, no detection visible.
 */
export async function stageAndPublish(
  run: TransactionRunner,
  batchId: number,
  features: AsyncIterable<GeoJSON.Feature>,
  crs: DetectionCrs,
  onStaged: (processed: number) => Promise<void> = async () => undefined,
  options: IngestOptions = {},
): Promise<IngestOutcome> {
  const flow = options.flow ?? 'pipelined';
  const chunkSize = options.chunkSize ?? STAGE_CHUNK_SIZE;
  const connections = flow === 'pipelined' ? (options.connections ?? CHUNK_CONNECTIONS) : 1;
  const stageStart = performance.now();
  await run((client) => updateBatchProgress(client, batchId, { status: 'staging', processed: 0 }));
  const rejected: RejectedFeature[] = [];
  let total = 0;
  let repaired = 0;
  let done = 0;
  let analyzed = false;
  let chunk: StagedFeature[] = [];
  let readError: string | null = null;
  let readErrorCode = 'DETECTION_FILE_UNREADABLE';
  const inFlight = new Set<Promise<void>>();
  let chunkError: unknown = null;
  const stageChunk = async (rows: StagedFeature[]) => {
    const outcomes = await run(async (client) => {
      const found = await stageFeatures(client, batchId, rows);
      // Every feature must come back staged or rejected; fewer means the database lost some.
      if (found.length !== rows.length) throw new StagingLossError(`staging answered for ${found.length} of ${rows.length} features from #${rows[0]!.featureIndex}`);
      // A chunk with a rejected feature fails the batch: classifying it would be wasted.
      if (flow === 'pipelined' && found.every((outcome) => !outcome.reason)) {
        // Fresh statistics once per batch, on its first chunk (the planner would take the staging
        // table for empty otherwise); later chunks have the same shape.
        if (!analyzed) {
          analyzed = true;
          await analyzeStaging(client);
        }
        const range = { fromIndex: rows[0]!.featureIndex, toIndex: rows[rows.length - 1]!.featureIndex + 1 };
        await classifyStagedRange(client, batchId, range).catch((error: unknown) => {
          throw new ChunkClassificationError(error instanceof Error ? error.message : String(error));
        });
      }
      return found;
    });
    for (const outcome of outcomes) {
      if (outcome.reason) rejected.push({ featureIndex: outcome.feature_index, externalId: outcome.external_id, reason: outcome.reason });
      else if (outcome.repaired) repaired += 1;
    }
    done += rows.length;
    // Chunks finish out of order: the stored progress only grows.
    await run((client) => raiseBatchProcessed(client, batchId, done));
    await onStaged(done);
  };
  const flush = async () => {
    if (chunk.length === 0) return;
    const task = stageChunk(chunk).catch((error: unknown) => {
      chunkError ??= error;
    });
    chunk = [];
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
    while (inFlight.size >= connections) await Promise.race(inFlight);
    if (chunkError) throw chunkError;
  };
  let readingStopped = false;
  try {
    try {
      for await (const feature of features) {
        const prepared = prepareFeature(feature, total, crs);
        total += 1;
        if ('rejected' in prepared) {
          rejected.push(prepared.rejected);
          if (rejected.length >= MAX_REPORTED_REJECTIONS) {
            readingStopped = true;
            break;
          }
          continue;
        }
        // Once the batch is rejected, keep reading only to name more bad features; stage nothing more.
        if (rejected.length === 0) chunk.push(prepared.staged);
        if (chunk.length >= chunkSize) await flush();
      }
      if (rejected.length === 0) await flush();
    } finally {
      // No chunk transaction outlives the reading: a failure below must not race one still staging.
      await Promise.all(inFlight);
    }
    if (chunkError) throw chunkError;
  } catch (error) {
    if (error instanceof ChunkClassificationError) readErrorCode = 'DETECTION_CLASSIFICATION_FAILED';
    else readErrorCode = error instanceof FileRejectedError || error instanceof AppError ? error.code : 'DETECTION_FILE_UNREADABLE';
    if (error instanceof ChunkClassificationError) readError = `Classification failed: ${error.message}`;
    else if (error instanceof AppError || error instanceof StagingLossError || error instanceof FileRejectedError) readError = error.message;
    else readError = `The file could not be read: ${error instanceof Error ? error.message : String(error)}`;
  }
  const stageMilliseconds = performance.now() - stageStart;
  const fail = async (code: string, reason: string): Promise<IngestOutcome> => {
    const reported = [...rejected].sort((a, b) => a.featureIndex - b.featureIndex).slice(0, MAX_REPORTED_REJECTIONS);
    await run(async (client) => {
      await markBatchFailed(client, batchId, reason, reported);
      await updateBatchProgress(client, batchId, { total, repaired });
    });
    return { status: 'failed', failureCode: code, failureReason: reason, total, repaired, rejected: reported, stageMilliseconds, classifyMilliseconds: 0 };
  };
  if (readError) return fail(readErrorCode, readError);
  if (rejected.length > 0) {
    const count = readingStopped ? `${rejected.length} or more features rejected (reading stopped there)` : `${rejected.length} feature(s) rejected`;
    return fail('DETECTION_FEATURES_REJECTED', `${count}; the first is #${Math.min(...rejected.map((r) => r.featureIndex))}: ${rejected[0]!.reason}`);
  }
  if (total === 0) return fail('DETECTION_FILE_EMPTY', 'The file holds no features');
  await run((client) => updateBatchProgress(client, batchId, { status: 'classifying', processed: total, repaired, total }));
  const classifyStart = performance.now();
  try {
    await run(async (client) => {
      let published: number;
      if (flow === 'pipelined') published = await publishClassified(client, batchId);
      else {
        await analyzeStaging(client);
        published = await classifyStagedDetections(client, batchId);
      }
      // Throwing rolls the whole publication back: a batch is all of its features or none.
      if (published !== total) throw new Error(`${published} of ${total} staged features were classified`);
      await markBatchDone(client, batchId, total, repaired);
    });
  } catch (error) {
    // On a caller's transaction (demo load) the failure aborted it: report the original error.
    const outcome = await fail('DETECTION_CLASSIFICATION_FAILED', `Classification failed: ${error instanceof Error ? error.message : String(error)}`).catch(() => Promise.reject(error));
    return { ...outcome, classifyMilliseconds: performance.now() - classifyStart };
  }
  return { status: 'done', failureCode: '', failureReason: '', total, repaired, rejected: [], stageMilliseconds, classifyMilliseconds: performance.now() - classifyStart };
}

export interface IngestActor {
  id: number | null;
  jurisdictionCode: string | null;
}

/**
 * Synchronous ingest for the bench and scripts: creates the batch, stages and classifies on the
 * pool (no queue). Throws 422 DETECTION_BATCH_REJECTED when a feature is rejected (the batch row
 * stays 'failed' with the reasons).
 */
export async function ingestDetectionFeatures(
  pool: pg.Pool,
  input: BatchMetadata & { features: AsyncIterable<GeoJSON.Feature>; isDemo?: boolean },
  actor: IngestActor,
  options: IngestOptions = {},
): Promise<{ batchId: number; total: number; classifyMilliseconds: number; stageMilliseconds: number }> {
  const batchId = await insertBatch(pool, {
    ...input,
    contentSha256: sha256Hex(Buffer.from(`features:${randomUUID()}`)),
    fileFormat: 'features',
    jurisdictionCode: actor.jurisdictionCode,
    createdBy: actor.id,
    isDemo: input.isDemo ?? false,
    status: 'queued',
  });
  const outcome = await stageAndPublish(poolRunner(pool), batchId, input.features, input.crs, undefined, options);
  if (outcome.status === 'failed') {
    throw new AppError(422, 'DETECTION_BATCH_REJECTED', `Batch ${batchId} was rejected`, { batchId, rejected: outcome.rejected });
  }
  return { batchId, total: outcome.total, classifyMilliseconds: outcome.classifyMilliseconds, stageMilliseconds: outcome.stageMilliseconds };
}

const iso = (value: Date | null) => (value === null ? null : value.toISOString());
const round2 = (value: number | null) => (value === null ? null : Math.round(value * 100) / 100);

export function toBatchReport(row: BatchRow) {
  return {
    id: row.id,
    batchId: row.client_batch_id,
    status: row.status,
    format: row.file_format,
    total: row.total,
    processed: row.processed,
    repaired: row.repaired,
    rejected: row.rejected,
    failureReason: row.failure_reason,
    counts: row.counts,
    source: row.source,
    sensor: row.sensor,
    modelName: row.model_name,
    crs: row.crs,
    groundResolutionMeters: row.ground_resolution_meters,
    beforeDate: row.before_date,
    afterDate: row.after_date,
    createdAt: row.created_at.toISOString(),
    finishedAt: iso(row.finished_at),
    beforeTileUrl: row.before_tile_url,
    afterTileUrl: row.after_tile_url,
    isDemo: row.is_demo,
  };
}

export async function requireBatch(db: Queryable, id: number) {
  const row = await selectBatch(db, id);
  if (!row) throw new AppError(404, 'DETECTION_BATCH_NOT_FOUND', `No detection batch with id ${id} in your jurisdiction`, { id });
  return toBatchReport(row);
}

export async function listBatches(db: Queryable, limit: number, offset: number) {
  const rows = await selectBatches(db, limit, offset);
  const precision = await selectPrecision(db);
  const group = (dimension: 'batch' | 'source' | 'band') =>
    precision
      .filter((row) => row.dimension === dimension)
      .map((row) => ({ key: row.key, reviewed: row.reviewed, confirmed: row.confirmed, precision: row.reviewed > 0 ? Math.round((row.confirmed / row.reviewed) * 1000) / 1000 : null }));
  return {
    batches: rows.map(toBatchReport),
    limit,
    offset,
    precision: { byBatch: group('batch'), bySource: group('source'), byConfidenceBand: group('band') },
  };
}

export function toDetectionFeature(row: DetectionRow): DetectionFeature {
  const match =
    row.match_kind === 'violation' && row.match_violation_id !== null
      ? { kind: 'violation' as const, id: row.match_violation_id, status: row.match_status ?? undefined }
      : row.match_kind === 'detection' && row.match_detection_id !== null
        ? { kind: 'detection' as const, id: row.match_detection_id }
        : null;
  return {
    type: 'Feature',
    id: row.id,
    geometry: row.geometry,
    properties: {
      id: row.id,
      batchId: row.batch_id,
      externalId: row.external_id,
      zones: row.zones,
      primaryZone: row.primary_zone,
      inScope: row.in_scope,
      route: row.route_code,
      stakeFrom: round2(row.stake_from_meters),
      stakeTo: round2(row.stake_to_meters),
      side: row.side,
      distanceMeters: round2(row.distance_meters),
      areaSquareMeters: round2(row.area_square_meters)!,
      confidence: row.confidence,
      changeType: row.change_type,
      candidateCategory: row.candidate_category,
      priority: row.priority,
      match,
      reopenSuggested: row.reopen_suggested,
      reviewStatus: row.review_status,
      rejectReason: row.reject_reason,
      reviewNote: row.review_note,
      reviewedBy: row.reviewed_by_username,
      reviewedAt: iso(row.reviewed_at),
      violationId: row.violation_id,
      jurisdiction: row.jurisdiction_code ? { code: row.jurisdiction_code, name: row.jurisdiction_name } : null,
      isDemo: row.is_demo,
    },
  };
}

/** One page of detections by offset (first pages) or after `query.cursor`; `links.next` continues it. */
export async function listDetections(db: Queryable, filter: DetectionFilter, limit: number, query: { offset?: number; cursor?: string }, originalUrl: string) {
  const key = detectionKeyset(filter.sort, filter.order);
  const start = pageStart(query, filter.sort, filter.order, key);
  const rows = await selectDetections(db, filter, limit, start);
  const page = rows.slice(0, limit);
  const last = rows.length > limit ? page.at(-1) : undefined;
  const count = pageCount(start, rows.length, limit) ?? (await countDetections(db, filter));
  return pagedCollection(page.map(toDetectionFeature), {
    ...count,
    limit,
    offset: start.kind === 'offset' ? start.offset : null,
    links: nextLink(originalUrl, last ? { sort: filter.sort, order: filter.order, values: last.keyset } : null),
  });
}

export async function requireDetection(db: Queryable, id: number, forUpdate = false): Promise<DetectionRow> {
  const row = await selectDetection(db, id, forUpdate);
  if (!row) throw new AppError(404, 'DETECTION_NOT_FOUND', `No detection with id ${id} in your jurisdiction`, { id });
  return row;
}

/** Attribute of each category that the detected polygon measures (the reviewer may still correct it). */
const AREA_ATTRIBUTE: Readonly<Record<string, string>> = { structure: 'footprintSquareMeters', excavation: 'areaSquareMeters', crops: 'areaSquareMeters' };

/** The confirm's attributes with the category's area taken from the detection when not given. */
function withDetectedArea(category: string, attributes: unknown, areaSquareMeters: number): unknown {
  const key = AREA_ATTRIBUTE[category];
  if (!key || typeof attributes !== 'object' || attributes === null || Array.isArray(attributes) || key in attributes) return attributes;
  return { ...attributes, [key]: Math.max(1, Math.round(areaSquareMeters)) };
}

export interface ReviewRequest {
  action: DetectionReviewAction;
  expectedStatus?: string;
  category?: string;
  attributes?: unknown;
  rejectReason?: string;
  note?: string;
  violationId?: number;
  /** 统一编号 of the case to merge into, as printed (the officer knows this, not the internal id). */
  caseNumber?: string;
}

/**
 * Reviews a lead: only from pending or field (409 otherwise). Confirm creates the violation (source
 * satellite_lead, the detection's largest polygon, externalId detection:<id>) and links it; merge
 * links an existing, visible violation. Returns the before/after status for the audit row.
 */
export async function reviewDetection(db: Queryable, id: number, request: ReviewRequest, actor: SessionUser) {
  const row = await requireDetection(db, id, true);
  if (request.expectedStatus !== undefined && request.expectedStatus !== row.review_status) {
    throw new AppError(409, 'DETECTION_CHANGED', `The detection is ${row.review_status}, not ${request.expectedStatus}; reload it`, { reviewStatus: row.review_status });
  }
  if (!(REVIEWABLE_STATUSES as readonly string[]).includes(row.review_status)) {
    throw new AppError(409, 'DETECTION_ALREADY_REVIEWED', `The detection is ${row.review_status}; only pending or field detections can be reviewed`, {
      reviewStatus: row.review_status,
    });
  }
  let violationId: number | null = null;
  if (request.action === 'confirm') {
    const category = request.category ?? row.candidate_category;
    if (!category) throw new AppError(400, 'VALIDATION_FAILED', 'This detection has no candidate category: send category', [{ path: 'category', message: 'category is required' }]);
    const { feature } = await createViolation(
      db,
      {
        geometry: row.largest_polygon,
        category,
        attributes: withDetectedArea(category, request.attributes ?? {}, row.area_square_meters),
        description: request.note ?? `卫星变化线索 detection ${id} (${row.change_type})`,
        source: 'satellite_lead',
        externalId: `detection:${id}`,
        confirmNotDuplicate: true,
      },
      actor,
    );
    violationId = feature.id;
  } else if (request.action === 'merge') {
    const target = request.caseNumber !== undefined ? await requireViolationByCaseNumber(db, request.caseNumber) : await requireViolation(db, request.violationId!);
    // A lead seen again after a case was closed or not filed is a recurrence: it gets a case of its
    // own (or the officer reopens the old one first), never a link to a finished case's file.
    if ((TERMINAL_STATUSES as readonly string[]).includes(target.status)) {
      throw new AppError(409, 'MERGE_TARGET_CLOSED', `Case ${target.case_number ?? target.id} is ${target.status}; merge into an open case, or confirm the lead as a new case`, {
        violationId: target.id,
        caseNumber: target.case_number,
        status: target.status,
      });
    }
    violationId = target.id;
  }
  const status = STATUS_AFTER_ACTION[request.action];
  await updateDetectionReview(db, id, {
    status,
    rejectReason: request.action === 'reject' ? request.rejectReason! : null,
    note: request.note ?? null,
    violationId,
    userId: actor.id,
    username: actor.username,
  });
  return { before: { reviewStatus: row.review_status }, after: { reviewStatus: status, violationId }, feature: toDetectionFeature(await requireDetection(db, id)) };
}
