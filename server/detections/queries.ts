/** SQL of satellite change detections (docs/detections_api.md). Bind parameters only. */
import type { Queryable } from '../db/database.ts';
import {
  candidateCategoryRows,
  CONFIDENCE_BANDS,
  PRIORITY_WEIGHTS,
  RECURRING_MIN_IOU,
  ZONE_SEVERITY_ORDER,
  ZONE_SEVERITY_WEIGHT,
} from '../domain/detection_rules.ts';
import type { KeysetColumn, KeysetValue, PageStart } from '../paging/keyset.ts';
import { boundedCount, keysetAfter, keysetOrderBy, keysetSelect, type MatchedCount } from '../paging/queries.ts';
import type { BatchMetadata, DetectionFilter, StagedFeature } from './types.ts';

/** Nearest-segment search radius of the classification (contract: within 500 m). */
export const CLASSIFY_RADIUS_METERS = 500;

export interface BatchRow {
  id: number;
  client_batch_id: string | null;
  content_sha256: string;
  status: string;
  file_format: string;
  source: string;
  sensor: string | null;
  model_name: string | null;
  before_date: string;
  after_date: string;
  ground_resolution_meters: number | null;
  crs: string;
  before_tile_url: string | null;
  after_tile_url: string | null;
  total: number;
  processed: number;
  repaired: number;
  rejected: { featureIndex: number; externalId: string | null; reason: string }[];
  failure_reason: string | null;
  jurisdiction_code: string | null;
  is_demo: boolean;
  created_at: Date;
  finished_at: Date | null;
  counts: Record<string, unknown>;
}

const BATCH_COLUMNS = `b.id, b.client_batch_id, b.content_sha256, b.status, b.file_format, b.source, b.sensor, b.model_name, b.before_date,
  b.after_date, b.ground_resolution_meters, b.crs, b.before_tile_url, b.after_tile_url, b.total, b.processed, b.repaired, b.rejected,
  b.failure_reason, b.jurisdiction_code, b.is_demo, b.created_at, b.finished_at,
  (SELECT jsonb_build_object(
      'byZone', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT coalesce(primary_zone, 'none') AS k, count(*) AS n FROM detections WHERE batch_id = b.id GROUP BY 1) z), '{}'),
      'byCategory', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT coalesce(candidate_category, 'none') AS k, count(*) AS n FROM detections WHERE batch_id = b.id GROUP BY 1) c), '{}'),
      'byReviewStatus', coalesce((SELECT jsonb_object_agg(k, n) FROM (SELECT review_status AS k, count(*) AS n FROM detections WHERE batch_id = b.id GROUP BY 1) r), '{}'),
      'inScope', count(*) FILTER (WHERE d.in_scope),
      'outOfScope', count(*) FILTER (WHERE NOT d.in_scope),
      'known', count(*) FILTER (WHERE d.match_kind = 'violation'),
      'recurring', count(*) FILTER (WHERE d.match_kind = 'detection'))
   FROM detections d WHERE d.batch_id = b.id) AS counts`;

export async function insertBatch(db: Queryable, batch: BatchMetadata & { contentSha256: string; fileFormat: string; jurisdictionCode: string | null; createdBy: number | null; isDemo: boolean; status: string }): Promise<number> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO detection_batches (client_batch_id, content_sha256, status, file_format, source, sensor, model_name, before_date, after_date,
       ground_resolution_meters, crs, before_tile_url, after_tile_url, jurisdiction_code, created_by, is_demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
    [
      batch.batchId ?? null, batch.contentSha256, batch.status, batch.fileFormat, batch.source, batch.sensor ?? null, batch.modelName ?? null,
      batch.beforeDate, batch.afterDate, batch.groundResolutionMeters ?? null, batch.crs, batch.beforeTileUrl ?? null, batch.afterTileUrl ?? null,
      batch.jurisdictionCode, batch.createdBy, batch.isDemo,
    ],
  );
  return result.rows[0]!.id;
}

/**
 * The uploader's own live or finished batch with this batchId or content (keys are per jurisdiction,
 * migration 031; a failed one may be retried), with its CRS so a re-upload read in another CRS is refused.
 */
export async function selectExistingBatch(db: Queryable, clientBatchId: string | null, contentSha256: string, jurisdictionCode: string): Promise<{ id: number; crs: string } | null> {
  const result = await db.query<{ id: string; crs: string }>(
    `SELECT id, crs FROM detection_batches
     WHERE status <> 'failed' AND coalesce(jurisdiction_code, '') = $3 AND (client_batch_id = $1 OR content_sha256 = $2)
     ORDER BY id LIMIT 1`,
    [clientBatchId, contentSha256, jurisdictionCode],
  );
  const row = result.rows[0];
  return row ? { id: Number(row.id), crs: row.crs } : null;
}

export async function selectBatch(db: Queryable, id: number): Promise<BatchRow | null> {
  const result = await db.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM detection_batches b WHERE b.id = $1`, [id]);
  return result.rows[0] ?? null;
}

export async function selectBatches(db: Queryable, limit: number, offset: number): Promise<BatchRow[]> {
  const result = await db.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM detection_batches b ORDER BY b.created_at DESC, b.id DESC LIMIT $1 OFFSET $2`, [limit, offset]);
  return result.rows;
}

export async function updateBatchProgress(db: Queryable, id: number, change: { status?: string; processed?: number; repaired?: number; total?: number }): Promise<void> {
  await db.query(
    `UPDATE detection_batches SET status = coalesce($2, status), processed = coalesce($3, processed), repaired = coalesce($4, repaired), total = coalesce($5, total) WHERE id = $1`,
    [id, change.status ?? null, change.processed ?? null, change.repaired ?? null, change.total ?? null],
  );
}

/** Progress of a pipelined ingest, whose chunks commit out of order: the stored figure only grows. */
export async function raiseBatchProcessed(db: Queryable, id: number, processed: number): Promise<void> {
  await db.query('UPDATE detection_batches SET processed = greatest(processed, $2) WHERE id = $1', [id, processed]);
}

export async function markBatchFailed(db: Queryable, id: number, reason: string, rejected: unknown[]): Promise<void> {
  await deleteStaged(db, id);
  await db.query(
    `UPDATE detection_batches SET status = 'failed', failure_reason = $2, rejected = $3::jsonb, finished_at = now() WHERE id = $1`,
    [id, reason.slice(0, 2000), JSON.stringify(rejected)],
  );
}

export async function markBatchDone(db: Queryable, id: number, total: number, repaired: number): Promise<void> {
  await deleteStaged(db, id);
  await db.query(`UPDATE detection_batches SET status = 'done', total = $2, processed = $2, repaired = $3, finished_at = now() WHERE id = $1`, [id, total, repaired]);
}

/** Staged rows of a batch (a retried ingest starts over). */
export async function clearStaging(db: Queryable, batchId: number): Promise<void> {
  await deleteStaged(db, batchId);
}

/** A batch's staged rows and their classifications (migration 047). */
async function deleteStaged(db: Queryable, batchId: number): Promise<void> {
  await db.query('DELETE FROM detection_classified WHERE batch_id = $1', [batchId]);
  await db.query('DELETE FROM detection_staging WHERE batch_id = $1', [batchId]);
}

/** Fails a batch whose ingest job gave up, unless the batch already finished (its own reason stays). */
export async function failUnfinishedBatch(db: Queryable, batchId: number, reason: string): Promise<void> {
  await deleteStaged(db, batchId);
  await db.query(
    `UPDATE detection_batches SET status = 'failed', failure_reason = $2, finished_at = now() WHERE id = $1 AND status NOT IN ('done', 'failed')`,
    [batchId, reason.slice(0, 2000)],
  );
}

/**
 * Unfinished batches that no ingest job will ever finish (uploaded before the job queue, whose
 * in-process queue died with the process): failed with a reason, their staging emptied. A batch
 * with a queued or running job is left alone: its job (here or on another instance) finishes it.
 * `onlyIds` limits it (tests, which share the database with other files' running batches).
 */
export async function failInterruptedBatches(db: Queryable, onlyIds: readonly number[] | null = null): Promise<number> {
  const orphaned = `SELECT b.id FROM detection_batches b
     WHERE b.status IN ('queued', 'staging', 'classifying') AND ($1::bigint[] IS NULL OR b.id = ANY ($1))
       AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = 'detections.ingest' AND j.status IN ('queued', 'running')
                         AND j.dedupe_key = 'detection-batch:' || b.id)`;
  await db.query(`DELETE FROM detection_classified WHERE batch_id IN (${orphaned})`, [onlyIds]);
  await db.query(`DELETE FROM detection_staging WHERE batch_id IN (${orphaned})`, [onlyIds]);
  const result = await db.query(
    `UPDATE detection_batches SET status = 'failed', finished_at = now(),
       failure_reason = 'The server restarted before the batch finished; upload it again'
     WHERE id IN (${orphaned})`,
    [onlyIds],
  );
  return result.rowCount ?? 0;
}

export interface StageOutcomeRow {
  feature_index: number;
  external_id: string | null;
  /** Why the feature was not staged; null when it was. */
  reason: string | null;
  repaired: boolean;
}

/**
 * Overlay grid of the classification on the EMBEDDED database, in degrees (1e-9° ≈ 0.1 mm). An
 * overlay with a grid size runs GEOS's snap-rounding overlay, which never needs the floating-point
 * overlay's fallback. That fallback works by a C++ exception, and in the WebAssembly PostGIS such
 * an exception ends the statement WITHOUT an error: an aggregate ST_Union of 16 zone pieces
 * returned no row at all, and an INSERT … SELECT stopped after 12 of 1,000 rows. On PostgreSQL the
 * floating overlay (grid size -1, PostGIS's default) is used: measured 2.5× faster, and its
 * fallback works there. Either way the caller checks that every staged row was classified.
 */
export const EMBEDDED_OVERLAY_GRID_DEGREES = 1e-9;
const FLOATING_OVERLAY = -1;

async function overlayGridSize(db: Queryable): Promise<number> {
  const result = await db.query<{ embedded: boolean }>(`SELECT version() LIKE '%PGlite%' AS embedded`);
  return result.rows[0]!.embedded ? EMBEDDED_OVERLAY_GRID_DEGREES : FLOATING_OVERLAY;
}

/**
 * Stages one chunk: GeoJSON → geometry (2D, EPSG:4326), invalid ones repaired with ST_MakeValid
 * (polygonal part kept), empty or unrepairable ones NOT staged and returned with a reason. Returns
 * one row per input feature, so the caller can check that every feature was accounted for.
 */
export async function stageFeatures(db: Queryable, batchId: number, features: readonly StagedFeature[]): Promise<StageOutcomeRow[]> {
  const result = await db.query<StageOutcomeRow>(
    // Each step is its own LATERAL fenced by OFFSET 0, so every function runs once per feature: as
    // chained CTEs (inlined, each read once) the geometry expression was repeated into every place
    // that used it, parsing the GeoJSON ~6 times per feature.
    `WITH input AS (
       SELECT * FROM json_to_recordset($2::json) AS r(feature_index integer, external_id text, geometry text, confidence double precision,
                                                      change_type text, declared_area double precision)
     ), verdict AS (
       SELECT i.feature_index, i.external_id, i.confidence, i.change_type, i.declared_area, c.valid, f.geom,
              CASE WHEN c.empty THEN 'empty geometry'
                   WHEN f.geom IS NULL OR ST_IsEmpty(f.geom) THEN 'invalid geometry: ST_MakeValid leaves no polygon'
              END AS reason
       FROM input i
       CROSS JOIN LATERAL (SELECT ST_GeomFromGeoJSON(i.geometry) AS geom OFFSET 0) g
       -- A geometry in another EPSG system carries a GeoJSON crs member (server/files/source_features.ts):
       -- ST_GeomFromGeoJSON sets its SRID and PostGIS transforms it to WGS 84 here.
       CROSS JOIN LATERAL (SELECT ST_Force2D(CASE WHEN ST_SRID(g.geom) IN (0, 4326) THEN ST_SetSRID(g.geom, 4326) ELSE ST_Transform(g.geom, 4326) END) AS raw OFFSET 0) p
       CROSS JOIN LATERAL (SELECT ST_IsEmpty(p.raw) AS empty OFFSET 0) e
       CROSS JOIN LATERAL (SELECT e.empty, (e.empty OR ST_IsValid(p.raw)) AS valid OFFSET 0) c
       CROSS JOIN LATERAL (
         SELECT CASE WHEN c.empty THEN NULL WHEN c.valid THEN ST_Multi(p.raw) ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(p.raw), 3)) END AS geom OFFSET 0
       ) f
     ), staged AS (
       INSERT INTO detection_staging (batch_id, feature_index, external_id, geom, confidence, change_type, declared_area_square_meters)
       SELECT $1, feature_index, external_id, geom, confidence, change_type, declared_area FROM verdict WHERE reason IS NULL
       RETURNING feature_index
     )
     SELECT feature_index, external_id, reason, (NOT valid AND reason IS NULL) AS repaired
     FROM verdict ORDER BY feature_index`,
    [
      batchId,
      JSON.stringify(
        features.map((feature) => ({
          feature_index: feature.featureIndex,
          external_id: feature.externalId,
          geometry: JSON.stringify(feature.geometry),
          confidence: feature.confidence,
          change_type: feature.changeType,
          declared_area: feature.declaredAreaSquareMeters,
        })),
      ),
    ],
  );
  return result.rows;
}

/**
 * Fresh planner statistics for the staging table. Without them the planner takes the just-filled
 * table for (nearly) empty and picks nested loops that scan it once per row; ANALYZE samples at
 * most 30,000 rows, so it costs tens of milliseconds even for 100,000 staged detections.
 */
export async function analyzeStaging(db: Queryable): Promise<void> {
  await db.query('ANALYZE detection_staging');
}

/**
 * Where the per-kind zone overlaps of a detection come from.
 * 'dissolved' (the product): from the dissolved pieces (migration 034), one overlay per piece the
 * detection meets — usually one or two per kind instead of ~7 overlapping per-segment bands. The
 * pieces of one (district, kind) set tile its union without overlapping, so a kind's overlap is the
 * sum of its pieces' overlaps; only where sets of two districts meet are the overlaps unioned.
 * Mathematically the same figure as the bands' union; in floating point it can differ from it in
 * the last bits, i.e. by one rounding unit (0.01 m²) of the stored round(…, 2) on rare rows
 * (docs/scaling.md "Classification"). Used only while every set is current
 * (luyu_dissolved_zones_current, read in the statement's own snapshot), else 'per_segment'.
 * 'dissolved_gate' (the statement before issue 15's classification work, kept as the bench's
 * side-by-side baseline): the per-segment bands, skipped for detections no dissolved piece comes near.
 * 'per_segment': every band the detection's box meets, as before the dissolved zones existed — the
 * reference the integration test and bench:detections compare the others with, row by row.
 */
export type ZoneSource = 'dissolved' | 'dissolved_gate' | 'per_segment';
export const ZONE_SOURCES: readonly ZoneSource[] = ['dissolved', 'dissolved_gate', 'per_segment'];

/**
 * How near (degrees, ≈ 1 cm) a dissolved piece must come for a detection to be looked at band by
 * band ('dissolved_gate'): the union is exact up to floating-point rounding on PostgreSQL and snap-rounded on a 1e-9°
 * grid on the embedded database (luyu_dissolve_grid_degrees), so a band can stick out of its
 * dissolved piece by at most ~1.5e-9°; sixty times that is still nothing.
 */
export const DISSOLVED_PREFILTER_DEGREES = 1e-7;

/**
 * THE classification: every staged row of the batch → one detection row with every computed
 * column, in ONE set-based statement that walks the staged rows once: every per-detection
 * question is a LATERAL subquery driven by that row's own geometry through a GiST index, so the
 * cost grows linearly with the batch (joining CTEs back on feature_index made it quadratic).
 *
 * Per detection: geography overlap area per zone kind (the union of that kind's pieces, since
 * neighbouring segments' and both carriageways' zones overlap; a zone that covers the whole
 * detection short-cuts to its area), primary zone by severity, nearest segment within 500 m
 * (GiST && + KNN, metres in the detection's Gauss-Krüger zone), stake range =
 * min/max ST_InterpolatePoint of its vertices on that segment, side of its representative point,
 * distance polygon → centreline, jurisdiction = district of largest overlap else the segment's,
 * candidate category and priority from detection_rules.ts (passed as parameters), and matching
 * within the detection's own district: an overlapping violation (known; closed → reopen
 * suggested), else a detection of an earlier batch with IoU ≥ RECURRING_MIN_IOU (recurring). Returns the number of detections the batch now
 * has (the caller compares it with the staged count).
 */
export async function classifyStagedDetections(client: Queryable, batchId: number, zoneSource: ZoneSource = 'dissolved'): Promise<number> {
  await classifyStagedRange(client, batchId, ALL_FEATURES, zoneSource);
  return publishClassified(client, batchId);
}

/** Staged rows `fromIndex` ≤ feature_index < `toIndex` of a batch. */
export interface FeatureRange {
  fromIndex: number;
  toIndex: number;
}
const ALL_FEATURES: FeatureRange = { fromIndex: 0, toIndex: 2 ** 31 - 1 };

/** The computed columns, in detection_classified's and detections' own names (migration 047). */
const CLASSIFIED_COLUMNS = `area_square_meters, zones, primary_zone, in_scope, segment_id, route_code, direction, stake_from_meters, stake_to_meters, side,
  distance_meters, jurisdiction_code, candidate_category, priority, match_kind, match_violation_id, match_detection_id, reopen_suggested, review_status, is_demo`;

/**
 * Classifies a range of a batch's staged rows into detection_classified (nothing published). The
 * ingest runs one range per staged chunk, each in its own transaction and several at once
 * (server/detections/service.ts); a range's rows do not depend on another range's, since matching
 * reads only earlier batches' published detections.
 */
export async function classifyStagedRange(client: Queryable, batchId: number, range: FeatureRange, zoneSource: ZoneSource = 'dissolved'): Promise<void> {
  const statement = await classificationStatement(client, batchId, zoneSource, range);
  // JIT compiling this plan costs ~0.6 s per statement and buys nothing: the time is spent in PostGIS C functions.
  await client.query('SET LOCAL jit = off');
  await client.query(statement.text, statement.values);
}

/**
 * Publishes a classified batch: staged geometry + classification → detections, in feature order.
 * Returns the number of detections the batch now has (the caller compares it with the staged count:
 * a staged row without its classification is not published, so a lost chunk shows there).
 */
export async function publishClassified(client: Queryable, batchId: number): Promise<number> {
  await client.query(
    `INSERT INTO detections (batch_id, feature_index, external_id, geom, confidence, change_type, declared_area_square_meters, ${CLASSIFIED_COLUMNS})
     SELECT s.batch_id, s.feature_index, s.external_id, s.geom, s.confidence, s.change_type, s.declared_area_square_meters,
            ${CLASSIFIED_COLUMNS.split(',').map((column) => `c.${column.trim()}`).join(', ')}
     FROM detection_staging s JOIN detection_classified c ON c.batch_id = s.batch_id AND c.feature_index = s.feature_index
     WHERE s.batch_id = $1
     ORDER BY s.feature_index`,
    [batchId],
  );
  // Counted, not taken from rowCount: the embedded database's socket reports none for this statement.
  const published = await client.query<{ count: number }>('SELECT count(*)::integer AS count FROM detections WHERE batch_id = $1', [batchId]);
  return published.rows[0]!.count;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the classification statement over the whole batch
 * (bench:detections --explain). It really inserts: the caller runs it in a transaction it rolls back.
 */
export async function explainClassification(client: Queryable, batchId: number, zoneSource: ZoneSource): Promise<string> {
  const statement = await classificationStatement(client, batchId, zoneSource, ALL_FEATURES);
  await client.query('SET LOCAL jit = off');
  const result = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, statement.values);
  return result.rows.map((row) => row['QUERY PLAN']).join('\n');
}

async function classificationStatement(client: Queryable, batchId: number, zoneSource: ZoneSource, range: FeatureRange): Promise<{ text: string; values: unknown[] }> {
  const gridSize = await overlayGridSize(client);
  return {
    text: `INSERT INTO detection_classified (batch_id, feature_index, ${CLASSIFIED_COLUMNS})
     SELECT s.batch_id, s.feature_index, g.area_m2,
            coalesce(zs.zones, '[]'::jsonb), zs.kinds[1], zs.kinds IS NOT NULL, n.segment_id, n.route_code, n.direction, l.stake_from, l.stake_to,
            l.side, n.distance_m, coalesce(jd.code, n.segment_jurisdiction), cc.category,
            CASE WHEN zs.kinds IS NULL THEN 0 ELSE round(100 * (
              ($5::json ->> 'severity')::float8 * ($3::json ->> zs.kinds[1])::float8
              + ($5::json ->> 'area')::float8 * least(1, log(1 + g.area_m2) / log(1 + ($5::json ->> 'areaSaturationSquareMeters')::float8))
              + ($5::json ->> 'confidence')::float8 * coalesce(s.confidence, ($5::json ->> 'missingConfidence')::float8)))::integer END,
            CASE WHEN vm.id IS NOT NULL THEN 'violation' WHEN dm.id IS NOT NULL THEN 'detection' END,
            vm.id,
            CASE WHEN vm.id IS NULL THEN dm.id END,
            coalesce(vm.status = ANY ($9::text[]), false),
            CASE WHEN zs.kinds IS NULL THEN 'out_of_scope' WHEN vm.id IS NOT NULL OR dm.id IS NOT NULL THEN 'known' ELSE 'pending' END,
            b.is_demo
     FROM detection_staging s
     JOIN detection_batches b ON b.id = s.batch_id
     -- OFFSET 0 keeps each per-row value computed once: without it the planner inlines the
     -- expression into every place that uses it (here: every candidate segment).
     CROSS JOIN LATERAL (
       SELECT p.pt, ST_Area(s.geom::geography) AS area_m2, ST_Area(s.geom) AS area_deg2,
              (NOT ($13::boolean AND (SELECT luyu_dissolved_zones_current())) OR EXISTS (
                 SELECT 1 FROM dissolved_zones d
                 -- Intersects first (s.geom repeats, so PostGIS prepares it once); the distance only for the rest.
                 WHERE d.geom && ST_Expand(s.geom, $12::float8) AND (ST_Intersects(d.geom, s.geom) OR ST_DWithin(d.geom, s.geom, $12::float8)))) AS near_zone,
              1.01 * greatest(111320.0 * cos(radians(ST_Y(p.pt))), 110540.0) / least(111320.0 * cos(radians(ST_Y(p.pt))), 110540.0) AS degree_scale_ratio
       FROM (SELECT ST_PointOnSurface(s.geom) AS pt) p
       OFFSET 0
     ) g
     -- Zones: one row per kind with the union of its pieces; kinds ordered by severity. A piece's
     -- area in m² is the detection's geodesic area times the piece's share of it in degrees²: over
     -- a few hundred metres the share is exact to 1e-5, and planar areas cost next to nothing.
     -- The pieces are the dissolved ones while they are current and asked for ($11), else the
     -- per-segment bands (skipped, for 'dissolved_gate', when g.near_zone says no piece is near).
     -- Bands overlap each other, so their overlaps are unioned (a band covering the detection
     -- short-cuts to its whole area). Dissolved pieces of one set tile its union without
     -- overlapping, so their overlaps are summed, unioned only across sets (districts); no
     -- ST_Covers short cut there: it cost more than the overlays it saved.
     LEFT JOIN LATERAL (
       SELECT jsonb_agg(jsonb_build_object('kind', o.kind, 'overlapSquareMeters', round(o.overlap_m2::numeric, 2)) ORDER BY array_position($2::text[], o.kind)) AS zones,
              array_agg(o.kind ORDER BY array_position($2::text[], o.kind)) AS kinds
       FROM (
         SELECT p.kind,
                g.area_m2 * CASE WHEN bool_or(p.covers) THEN 1
                                 WHEN bool_and(p.dissolved) AND min(p.set_id) = max(p.set_id) THEN sum(p.piece_deg2) / nullif(g.area_deg2, 0)
                                 WHEN count(*) = 1 THEN ST_Area((array_agg(p.piece))[1]) / nullif(g.area_deg2, 0)
                                 ELSE ST_Area(ST_UnaryUnion(ST_Collect(array_agg(p.piece)), $10::float8)) / nullif(g.area_deg2, 0) END AS overlap_m2
         FROM (
           SELECT z.kind, false AS dissolved, NULL::bigint AS set_id, c.covers,
                  CASE WHEN c.covers THEN NULL ELSE ST_Intersection(z.geom, s.geom, $10::float8) END AS piece, NULL::float8 AS piece_deg2
           FROM protection_zones z
           CROSS JOIN LATERAL (SELECT ST_Covers(z.geom, s.geom) AS covers OFFSET 0) c
           WHERE NOT ($11::boolean AND (SELECT luyu_dissolved_zones_current())) AND g.near_zone
             AND z.geom && s.geom AND ST_Intersects(z.geom, s.geom)
           UNION ALL
           -- Fenced (OFFSET 0): each overlay computed once, though two aggregates read it.
           SELECT q.kind, true, q.set_id, false, q.piece, ST_Area(q.piece)
           FROM (
             SELECT d.kind, d.set_id, ST_Intersection(d.geom, s.geom, $10::float8) AS piece
             FROM dissolved_zones d
             WHERE $11::boolean AND (SELECT luyu_dissolved_zones_current())
               AND d.geom && s.geom AND ST_Intersects(d.geom, s.geom)
             OFFSET 0
           ) q
         ) p
         GROUP BY p.kind
       ) o
       WHERE o.overlap_m2 > 0.01
     ) zs ON true
     -- Nearest segment within the radius, in metres in the detection's Gauss-Krüger zone (the
     -- polygon is projected once, each candidate line once; segments within 500 m share the zone
     -- or sit at its edge, where the scale differs by less than 1e-4).
     CROSS JOIN LATERAL (SELECT luyu_metric_srid(s.geom) AS srid OFFSET 0) z0
     CROSS JOIN LATERAL (SELECT ST_Transform(s.geom, z0.srid) AS geom_m, ST_Transform(g.pt, z0.srid) AS pt_m OFFSET 0) gm
     LEFT JOIN LATERAL (
       SELECT m.id AS segment_id, m.route_code, m.direction, m.jurisdiction_code AS segment_jurisdiction, m.line_m, gm.pt_m, gm.geom_m,
              ST_Distance(m.line_m, gm.geom_m) AS distance_m
       FROM (
         SELECT c.id, c.route_code, c.direction, c.jurisdiction_code, ST_Transform(c.centreline, z0.srid) AS line_m
         FROM (
           -- Only candidates that can still be nearest in metres get projected: a degree of
           -- longitude is shorter than one of latitude, so metres/degree lies between the two and
           -- the metric nearest is within (their ratio × 1.01) of the smallest degree distance.
           SELECT k.*, min(k.degrees) OVER () AS min_degrees
           FROM (
             SELECT sg.id, sg.route_code, sg.direction, sg.centreline, sg.jurisdiction_code, ST_Distance(sg.centreline, s.geom) AS degrees
             FROM segments sg
             WHERE sg.centreline && ST_Expand(s.geom, $6 / (111320.0 * cos(radians(ST_Y(g.pt)))), $6 / 110540.0)
             ORDER BY sg.centreline <-> s.geom
             LIMIT 16
           ) k
         ) c
         WHERE c.degrees <= c.min_degrees * g.degree_scale_ratio
       ) m
       WHERE ST_DWithin(m.line_m, gm.geom_m, $6)
       ORDER BY distance_m, m.id
       LIMIT 1
     ) n ON true
     -- Stake range over the polygon's vertices, and the side of its representative point (the sign
     -- of the cross product with the centreline's local direction, flipped when M decreases).
     LEFT JOIN LATERAL (
       SELECT (SELECT min(ST_InterpolatePoint(n.line_m, dp.geom)) FROM ST_DumpPoints(n.geom_m) dp) AS stake_from,
              (SELECT max(ST_InterpolatePoint(n.line_m, dp.geom)) FROM ST_DumpPoints(n.geom_m) dp) AS stake_to,
              CASE WHEN ((ST_X(t.tb) - ST_X(t.ta)) * (ST_Y(n.pt_m) - ST_Y(t.ta)) - (ST_Y(t.tb) - ST_Y(t.ta)) * (ST_X(n.pt_m) - ST_X(t.ta)) > 0)
                        = (ST_M(ST_StartPoint(n.line_m)) <= ST_M(ST_EndPoint(n.line_m))) THEN 'left' ELSE 'right' END AS side
       FROM (
         SELECT ST_LineInterpolatePoint(f.line2d, greatest(f.fraction - 0.5 / f.length_m, 0)) AS ta,
                ST_LineInterpolatePoint(f.line2d, least(f.fraction + 0.5 / f.length_m, 1)) AS tb
         FROM (SELECT ST_Force2D(n.line_m) AS line2d, ST_LineLocatePoint(ST_Force2D(n.line_m), n.pt_m) AS fraction, ST_Length(n.line_m) AS length_m) f
       ) t
     ) l ON n.segment_id IS NOT NULL
     -- District of the largest overlap (a district covering the whole detection needs no overlay).
     LEFT JOIN LATERAL (
       SELECT j.code FROM jurisdictions j
       WHERE j.level = 'district' AND j.boundary && s.geom AND ST_Intersects(j.boundary, s.geom)
       ORDER BY CASE WHEN ST_Covers(j.boundary, s.geom) THEN g.area_m2 ELSE ST_Area(ST_Intersection(j.boundary, s.geom, $10::float8)::geography) END DESC, j.code
       LIMIT 1
     ) jd ON true
     LEFT JOIN LATERAL (
       SELECT r.category FROM json_to_recordset($4::json) AS r("changeType" text, "zoneKind" text, category text)
       WHERE r."changeType" = s.change_type AND r."zoneKind" = ANY (zs.kinds)
       ORDER BY array_position($2::text[], r."zoneKind") LIMIT 1
     ) cc ON true
     -- Matching only within the detection's own district: another district's case must not hide
     -- this district's lead as "known".
     LEFT JOIN LATERAL (
       SELECT v.id, v.status FROM violations v
       WHERE v.geom && s.geom AND ST_Intersects(v.geom, s.geom)
         AND v.jurisdiction_code IS NOT DISTINCT FROM coalesce(jd.code, n.segment_jurisdiction)
       ORDER BY (v.status = ANY ($8::text[])), v.id DESC LIMIT 1
     ) vm ON true
     -- The newest overlapping detection of an earlier batch. The candidates come from the GiST
     -- index, the only condition of a subquery the planner may not flatten (OFFSET 0): with
     -- "ORDER BY id DESC LIMIT 1" in reach it walked the primary key backwards instead, per row
     -- (on 100,000 detections 8× slower than the same statement minutes earlier), and with
     -- "batch_id < $1" inside it took the batch index, i.e. every earlier detection, per row.
     LEFT JOIN LATERAL (
       SELECT c.id
       FROM (SELECT e.id, e.batch_id, e.geom, e.jurisdiction_code FROM detections e WHERE e.geom && s.geom OFFSET 0) c
       WHERE c.batch_id < $1 AND ST_Intersects(c.geom, s.geom)
         AND c.jurisdiction_code IS NOT DISTINCT FROM coalesce(jd.code, n.segment_jurisdiction)
         AND ST_Area(ST_Intersection(c.geom, s.geom, $10::float8)) / nullif(ST_Area(ST_Union(c.geom, s.geom, $10::float8)), 0) >= $7
       ORDER BY c.id DESC LIMIT 1
     ) dm ON true
     WHERE s.batch_id = $1 AND s.feature_index >= $14 AND s.feature_index < $15`,
    values: [
      batchId,
      ZONE_SEVERITY_ORDER,
      JSON.stringify(ZONE_SEVERITY_WEIGHT),
      JSON.stringify(candidateCategoryRows()),
      JSON.stringify(PRIORITY_WEIGHTS),
      CLASSIFY_RADIUS_METERS,
      RECURRING_MIN_IOU,
      // Prefer an open violation over a finished one when several overlap.
      ['closed', 'rejected'],
      // A change over a CLOSED case suggests the violation is back.
      ['closed'],
      gridSize,
      zoneSource === 'dissolved',
      DISSOLVED_PREFILTER_DEGREES,
      zoneSource === 'dissolved_gate',
      range.fromIndex,
      range.toIndex,
    ],
  };
}

export interface DetectionRow {
  id: number;
  batch_id: number;
  feature_index: number;
  external_id: string | null;
  geometry: GeoJSON.MultiPolygon;
  largest_polygon: GeoJSON.Polygon;
  area_square_meters: number;
  confidence: number | null;
  change_type: string;
  zones: { kind: string; overlapSquareMeters: number }[];
  primary_zone: string | null;
  in_scope: boolean;
  segment_id: number | null;
  route_code: string | null;
  stake_from_meters: number | null;
  stake_to_meters: number | null;
  side: 'left' | 'right' | null;
  distance_meters: number | null;
  jurisdiction_code: string | null;
  jurisdiction_name: string | null;
  candidate_category: string | null;
  priority: number;
  match_kind: 'violation' | 'detection' | null;
  match_violation_id: number | null;
  match_detection_id: number | null;
  match_status: string | null;
  reopen_suggested: boolean;
  review_status: string;
  reject_reason: string | null;
  review_note: string | null;
  reviewed_by_username: string | null;
  reviewed_at: Date | null;
  violation_id: number | null;
  is_demo: boolean;
}

const DETECTION_COLUMNS = `d.id, d.batch_id, d.feature_index, d.external_id, ST_AsGeoJSON(ST_ForcePolygonCCW(d.geom), 7)::json AS geometry,
  ST_AsGeoJSON(ST_ForcePolygonCCW((SELECT p.geom FROM ST_Dump(d.geom) p ORDER BY ST_Area(p.geom) DESC LIMIT 1)), 7)::json AS largest_polygon,
  d.area_square_meters, d.confidence, d.change_type, d.zones, d.primary_zone, d.in_scope, d.segment_id, d.route_code,
  d.stake_from_meters, d.stake_to_meters, d.side, d.distance_meters, d.jurisdiction_code, j.name AS jurisdiction_name,
  d.candidate_category, d.priority, d.match_kind, d.match_violation_id, d.match_detection_id, mv.status AS match_status,
  d.reopen_suggested, d.review_status, d.reject_reason, d.review_note, d.reviewed_by_username, d.reviewed_at, d.violation_id, d.is_demo`;
const DETECTION_JOINS = `LEFT JOIN jurisdictions j ON j.code = d.jurisdiction_code LEFT JOIN violations mv ON mv.id = d.match_violation_id`;

/**
 * Sort keys → key columns (allowlist; the API's `sort` never reaches SQL as text). Ties break on
 * id in the same direction, so a keyset cursor (server/paging) continues exactly after a row.
 */
export function detectionKeyset(sort: DetectionFilter['sort'], order: 'asc' | 'desc'): KeysetColumn[] {
  const column = (sql: string, type: KeysetColumn['type'], nullable: boolean): KeysetColumn => ({ sql, type, nullable, direction: order });
  const id = column('d.id', 'bigint', false);
  switch (sort) {
    case 'priority':
      return [column('d.priority', 'integer', false), id];
    case 'confidence':
      return [column('d.confidence', 'float8', true), id];
    case 'area':
      return [column('d.area_square_meters', 'float8', false), id];
    case 'stake':
      return [column('d.route_code', 'text', true), column('d.stake_from_meters', 'float8', true), id];
  }
}

/** The list's filters as a WHERE clause with bind values from $1 (every filter optional). */
function detectionWhere(filter: DetectionFilter): { where: string; values: unknown[] } {
  return {
    where: `WHERE ($1::bigint IS NULL OR d.batch_id = $1)
       AND ($2::text[] IS NULL OR EXISTS (SELECT 1 FROM jsonb_array_elements(d.zones) z WHERE z ->> 'kind' = ANY ($2)))
       AND ($3::text[] IS NULL OR d.review_status = ANY ($3))
       AND ($4::text[] IS NULL OR d.candidate_category = ANY ($4))
       AND ($5::text IS NULL OR d.jurisdiction_code IN (
             WITH RECURSIVE below AS (
               SELECT code FROM jurisdictions WHERE code = $5
               UNION ALL SELECT child.code FROM jurisdictions child JOIN below ON child.parent_code = below.code)
             SELECT code FROM below))
       AND ($6::float8 IS NULL OR d.confidence >= $6)
       AND ($7::float8 IS NULL OR d.area_square_meters >= $7)
       AND ($8::boolean OR d.in_scope)
       AND ($9::float8 IS NULL OR d.geom && ST_MakeEnvelope($9, $10, $11, $12, 4326))
       AND ($13::date IS NULL OR (d.created_at AT TIME ZONE 'Asia/Shanghai')::date >= $13)
       AND ($14::date IS NULL OR (d.created_at AT TIME ZONE 'Asia/Shanghai')::date <= $14)
       -- Not reviewed within N Asia/Shanghai days of arrival (reviewed later, or still waiting past N days).
       AND ($15::integer IS NULL OR coalesce(
             (d.reviewed_at AT TIME ZONE 'Asia/Shanghai')::date - (d.created_at AT TIME ZONE 'Asia/Shanghai')::date > $15,
             (d.created_at AT TIME ZONE 'Asia/Shanghai')::date < (now() AT TIME ZONE 'Asia/Shanghai')::date - $15))`,
    values: [
      filter.batchId ?? null,
      filter.zones ?? null,
      filter.statuses ?? null,
      filter.categories ?? null,
      filter.jurisdiction ?? null,
      filter.minConfidence ?? null,
      filter.minAreaSquareMeters ?? null,
      filter.includeOutOfScope,
      filter.bbox?.minLon ?? null,
      filter.bbox?.minLat ?? null,
      filter.bbox?.maxLon ?? null,
      filter.bbox?.maxLat ?? null,
      filter.createdFrom ?? null,
      filter.createdTo ?? null,
      filter.reviewLateDays ?? null,
    ],
  };
}

/**
 * One page of detections plus one row more (to know whether a next page exists), after a
 * cursor's key or at an offset; `keyset` is the row's sort key as JSON.
 */
export async function selectDetections(db: Queryable, filter: DetectionFilter, limit: number, page: PageStart): Promise<(DetectionRow & { keyset: KeysetValue[] })[]> {
  const { where, values } = detectionWhere(filter);
  const key = detectionKeyset(filter.sort, filter.order);
  const bind = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const seek = page.kind === 'cursor' ? `AND ${keysetAfter(key, page.after, bind)}` : '';
  const result = await db.query<DetectionRow & { keyset: KeysetValue[] }>(
    `SELECT ${DETECTION_COLUMNS}, ${keysetSelect(key)} AS keyset
     FROM detections d ${DETECTION_JOINS}
     ${where} ${seek}
     ORDER BY ${keysetOrderBy(key)}
     LIMIT ${bind(limit + 1)} OFFSET ${bind(page.kind === 'offset' ? page.offset : 0)}`,
    values,
  );
  return result.rows;
}

/** How many detections match (exact up to EXACT_COUNT_LIMIT, then estimated). */
export async function countDetections(db: Queryable, filter: DetectionFilter): Promise<MatchedCount> {
  const { where, values } = detectionWhere(filter);
  return boundedCount(db, `FROM detections d ${where}`, values, undefined, 'd.jurisdiction_code');
}

/** The plan of the list's main query for `filter` (the index test reads it). */
export async function explainDetectionList(db: Queryable, filter: DetectionFilter, limit: number): Promise<string> {
  const { where, values } = detectionWhere(filter);
  const key = detectionKeyset(filter.sort, filter.order);
  const result = await db.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN SELECT d.id FROM detections d ${where} ORDER BY ${keysetOrderBy(key)} LIMIT $${values.length + 1}`,
    [...values, limit],
  );
  return result.rows.map((row) => row['QUERY PLAN']).join('\n');
}

export async function selectDetection(db: Queryable, id: number, forUpdate = false): Promise<DetectionRow | null> {
  const result = await db.query<DetectionRow>(`SELECT ${DETECTION_COLUMNS} FROM detections d ${DETECTION_JOINS} WHERE d.id = $1${forUpdate ? ' FOR UPDATE OF d' : ''}`, [id]);
  return result.rows[0] ?? null;
}

export async function updateDetectionReview(
  db: Queryable,
  id: number,
  review: { status: string; rejectReason: string | null; note: string | null; violationId: number | null; userId: number; username: string },
): Promise<void> {
  await db.query(
    `UPDATE detections SET review_status = $2, reject_reason = $3, review_note = $4, violation_id = coalesce($5, violation_id),
       reviewed_by = $6, reviewed_by_username = $7, reviewed_at = now()
     WHERE id = $1`,
    [id, review.status, review.rejectReason, review.note, review.violationId, review.userId, review.username],
  );
}

export interface PrecisionRow {
  dimension: 'batch' | 'source' | 'band';
  key: string;
  reviewed: number;
  confirmed: number;
}

/** Confirmed (confirmed + merged) and reviewed (those + rejected) per batch, source and confidence band. */
export async function selectPrecision(db: Queryable): Promise<PrecisionRow[]> {
  const result = await db.query<PrecisionRow>(
    `WITH reviewed AS (
       SELECT d.batch_id, b.source, d.confidence, d.review_status IN ('confirmed', 'merged') AS confirmed
       FROM detections d JOIN detection_batches b ON b.id = d.batch_id
       WHERE d.review_status IN ('confirmed', 'merged', 'rejected')
     )
     SELECT 'batch' AS dimension, batch_id::text AS key, count(*)::integer AS reviewed, count(*) FILTER (WHERE confirmed)::integer AS confirmed FROM reviewed GROUP BY batch_id
     UNION ALL
     SELECT 'source', source, count(*)::integer, count(*) FILTER (WHERE confirmed)::integer FROM reviewed GROUP BY source
     UNION ALL
     SELECT 'band', coalesce(band.key, 'unknown'), count(*)::integer, count(*) FILTER (WHERE r.confirmed)::integer
     FROM reviewed r LEFT JOIN json_to_recordset($1::json) AS band(key text, "from" double precision, "to" double precision)
       ON r.confidence >= band."from" AND r.confidence < band."to"
     GROUP BY coalesce(band.key, 'unknown')
     ORDER BY 1, 2`,
    [JSON.stringify(CONFIDENCE_BANDS)],
  );
  return result.rows;
}

export interface DemoDetectionAnchors {
  /** Medium and larger bridges (their 200 m excavation ranges). */
  bridges: GeoJSON.LineString[];
  /** Demo violation polygons (a detection over them is "known"). */
  violationPolygons: GeoJSON.Polygon[];
  /** Points where a demo road crosses the 410104/410105 boundary. */
  boundaryCrossings: GeoJSON.Point[];
}

/** Demo loader: places along the demo network where the generated detections show each case. */
export async function selectDemoDetectionAnchors(db: Queryable, districtA: string, districtB: string): Promise<DemoDetectionAnchors> {
  const result = await db.query<DemoDetectionAnchors>(
    `SELECT
       ARRAY(SELECT ST_AsGeoJSON(ST_Force2D(geom), 7)::json FROM road_structures
             WHERE kind = 'bridge' AND size_class IN ('medium', 'large', 'extra_large') ORDER BY id LIMIT 8) AS bridges,
       ARRAY(SELECT ST_AsGeoJSON(geom, 7)::json FROM violations
             WHERE is_demo AND GeometryType(geom) = 'POLYGON' ORDER BY id LIMIT 12) AS "violationPolygons",
       ARRAY(SELECT ST_AsGeoJSON(x.geom, 7)::json FROM (
               SELECT (ST_Dump(ST_Intersection(ST_Force2D(s.centreline), ST_Boundary(a.boundary)))).geom AS geom, s.id
               FROM segments s, jurisdictions a
               WHERE a.code = $1 AND s.is_demo AND ST_Intersects(s.centreline, ST_Boundary(a.boundary))) x, jurisdictions b
             WHERE b.code = $2 AND GeometryType(x.geom) = 'POINT' AND ST_DWithin(x.geom, b.boundary, 0.00001)
             ORDER BY x.id LIMIT 6) AS "boundaryCrossings"`,
    [districtA, districtB],
  );
  return result.rows[0]!;
}
