/**
 * `npm run bench:detections [-- --detections 100000 --segments 50000 --turf-sample 1000 --skip-province
 *  --skip-demo --skip-product --floor-no-analyze --province --explain --floor-rounds 2 --reference-sample 20000
 *  --skip-sequential]`
 * Satellite change detections (issue 5): ingest + classify of N detection polygons through the
 * product path `ingestDetectionFeatures`, against the floor (the product's one classification
 * statement `classifyStagedDetections` alone, on the same rows already staged) and a Turf.js in-memory loop, in one
 * run on one database per network: (a) the demo network (embedded data dir
 * .luyu/bench-detections-pgdata unless DATABASE_URL is set), (b) the synthetic province network
 * (scripts/province_network.ts; its own database). `--province` measures the province network only
 * (the same as --skip-demo). The floor runs three statements on the same staged rows: the product
 * ('dissolved': overlaps from the dissolved pieces), the previous one ('dissolved_gate': per-segment
 * bands behind the dissolved gate) and the per-segment reference, and compares every row of the first
 * two with the reference (identical / within the 0.01 tolerance / differing). `--explain` prints
 * EXPLAIN (ANALYZE, BUFFERS) of the product and the previous statement (separate, untimed runs).
 * Prints times, rows/s and ratios; asserts nothing.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { readConfig, REPO_ROOT } from '../server/config.ts';
import type { Database } from '../server/db/database.ts';
import { startDatabase } from '../server/db/start_database.ts';
import { prepareDatabase } from '../server/prepare_database.ts';
import { insertBatch } from '../server/detections/queries.ts';
import { CHUNK_CONNECTIONS, ingestDetectionFeatures, sha256Hex, type IngestFlow } from '../server/detections/service.ts';
import { benchActor } from './detections/bench_actor.ts';
import { compareClassifications, selectClassifiedRows, type ClassifiedRow, type ComparisonSummary } from './detections/compare_classifications.ts';
import { timeFloor } from './detections/floor.ts';
import { compareStaging } from './detections/staging_side_by_side.ts';
import { cpuSpentMilliseconds, sampleDatabaseCpu } from './detections/database_cpu.ts';
import { generateDetections, streamDetections } from './detections/generate_detections.ts';
import { loadTurfNetwork, timeTurfLoop } from './detections/turf_loop.ts';
import { openProvinceDatabase } from '../scripts/province_database.ts';
import { describeSyntheticNetwork, generateProvinceNetwork, loadProvinceNetwork } from '../scripts/province_network.ts';

const { values } = parseArgs({
  options: {
    detections: { type: 'string', default: '100000' },
    segments: { type: 'string', default: '50000' },
    'turf-sample': { type: 'string', default: '1000' },
    'skip-province': { type: 'boolean', default: false },
    'skip-demo': { type: 'boolean', default: false },
    /** Floor and Turf only, for sizes where the product path is too slow to wait for. */
    'skip-product': { type: 'boolean', default: false },
    /** Floor without ANALYZE of the staged rows, i.e. under the same statistics the product path classifies with. */
    'floor-no-analyze': { type: 'boolean', default: false },
    /** The synthetic province network only (issue 15's `bench:detections -- --province`). */
    province: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    /** Interleaved rounds of the three floor statements; the fastest of each is printed. */
    'floor-rounds': { type: 'string', default: '2' },
    /**
     * The floors, the staging side by side, Turf and the row-by-row comparison on the first N
     * detections only (default: all), while the product path ingests all of them: a million rows
     * through three floor statements twice would take hours.
     */
    'reference-sample': { type: 'string' },
    /** Only the pipelined product path (the sequential "before" flow takes ~10 minutes per million rows). */
    'skip-sequential': { type: 'boolean', default: false },
  },
});
const DETECTIONS = Number(values.detections);
const SEGMENTS = Number(values.segments);
const TURF_SAMPLE = Number(values['turf-sample']);
const REFERENCE = Math.min(values['reference-sample'] === undefined ? DETECTIONS : Number(values['reference-sample']), DETECTIONS);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function benchNetwork(label: string, db: Database): Promise<void> {
  const network = await db.pool.query<{ segments: number; zones: number }>(`SELECT (SELECT count(*) FROM segments)::integer AS segments, (SELECT count(*) FROM protection_zones)::integer AS zones`);
  const anchors = (
    await db.pool.query<{ lon: number; lat: number }>(`SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat FROM segments s, ST_DumpPoints(ST_Force2D(s.centreline)) p ORDER BY s.id, p.path`)
  ).rows.map((row) => [row.lon, row.lat] as const);
  // The reference sample: the first REFERENCE of the same deterministic sequence the product path streams.
  const detections = [...generateDetections(anchors, REFERENCE)];
  const actor = await benchActor(db.pool);
  console.log(`\n== ${label}: ${db.mode} database, ${fmt(network.rows[0]!.segments)} segments, ${fmt(network.rows[0]!.zones)} zones, ${fmt(DETECTIONS)} detections (50–5,000 m²)`);

  const ingestActor = { id: actor.id, jurisdictionCode: actor.jurisdiction.code };
  const batchIds: number[] = [];
  try {
    // Warm-up on 1,000 rows (rolled back) so neither side pays for cold caches and first plans.
    batchIds.push((await timeFloor(db.pool, detections.slice(0, 1_000), ingestActor)).batchId);
    // Floor before product: its rows are rolled back, so the product sees the same earlier batches it would alone.
    // The product's statement (dissolved zones) and the per-segment reference, on the same staged rows.
    const floor = await timeFloor(db.pool, detections, ingestActor, !values['floor-no-analyze'], ['dissolved', 'dissolved_gate', 'per_segment'], { keepRows: true, explain: values.explain, rounds: Number(values['floor-rounds']) });
    batchIds.push(floor.batchId);
    // Reported, not thrown: a classification that drops rows is a finding the bench must show.
    if (floor.rows !== REFERENCE) console.log(`WARNING: the floor statement published ${fmt(floor.rows)} of ${fmt(REFERENCE)} staged rows`);

    // The staging statement, product and previous, on the same features (rolled back).
    const stagingBatchId = await insertBatch(db.pool, {
      source: 'bench-staging', beforeDate: '2026-03-01', afterDate: '2026-03-15', crs: 'WGS84', batchId: `bench-staging-${Date.now()}`,
      contentSha256: sha256Hex(Buffer.from(`bench-staging-${Date.now()}`)), fileFormat: 'features', jurisdictionCode: actor.jurisdiction.code, createdBy: actor.id, isDemo: false, status: 'staging',
    });
    batchIds.push(stagingBatchId);
    const staging = await compareStaging(db.pool, stagingBatchId, detections, Number(values['floor-rounds']));

    // The product path twice, side by side: the sequential flow before issue 15's ingest work
    // (stage everything, then one classification statement) and the pipelined one (each chunk
    // classified on its own connection as soon as it is staged, one publishing transaction).
    // The first batch is deleted before the second runs, so neither meets the other as an
    // "earlier batch" (that would add recurring-detection overlays to the second).
    const ingest = async (flow: IngestFlow) => {
      const cpuBefore = await sampleDatabaseCpu(db.pool);
      const nodeCpuBefore = process.cpuUsage();
      const startedAt = performance.now();
      const result = await ingestDetectionFeatures(
        db.pool,
        { source: 'GF-2', sensor: 'PMS', modelName: 'bench', beforeDate: '2026-03-01', afterDate: '2026-03-15', crs: 'WGS84', batchId: `bench-detections-${flow}-${Date.now()}`, features: streamDetections(anchors, DETECTIONS) },
        ingestActor,
        { flow },
      );
      const ms = performance.now() - startedAt;
      const nodeCpu = process.cpuUsage(nodeCpuBefore);
      const nodeCpuMs = (nodeCpu.user + nodeCpu.system) / 1000;
      batchIds.push(result.batchId);
      // Backends the pool opened during the run count from zero; the sample after is taken while the pool still holds them.
      const cpuMs = cpuSpentMilliseconds(cpuBefore, await sampleDatabaseCpu(db.pool));
      return { ...result, ms, cpuMs, nodeCpuMs, load: loadavg()[0]!.toFixed(2) };
    };
    let sequential: Awaited<ReturnType<typeof ingest>> | null = null;
    let batch: Awaited<ReturnType<typeof ingest>> | null = null;
    let productRows: ClassifiedRow[] | null = null;
    if (!values['skip-product']) {
      if (!values['skip-sequential']) {
        sequential = await ingest('sequential');
        await db.pool.query('DELETE FROM detection_batches WHERE id = $1', [sequential.batchId]);
      }
      batch = await ingest('pipelined');
      productRows = await selectClassifiedRows(db.pool, batch.batchId, REFERENCE);
    }
    const productMs = batch?.ms ?? Number.NaN;
    const counts = await db.pool.query<{ in_scope: number; located: number; total: number }>(
      `SELECT count(*) FILTER (WHERE in_scope)::integer AS in_scope, count(segment_id)::integer AS located, count(*)::integer AS total FROM detections WHERE batch_id = $1`,
      [batch?.batchId ?? null],
    );
    const { in_scope: inScope, located, total } = counts.rows[0]!;
    const turfNetwork = await loadTurfNetwork(db.pool);
    const turf = timeTurfLoop(turfNetwork, detections, TURF_SAMPLE);

    const rate = (ms: number) => `${fmt((DETECTIONS / ms) * 1000).padStart(8)} rows/s`;
    const referenceRate = (ms: number) => `${fmt((REFERENCE / ms) * 1000).padStart(8)} rows/s`;
    if (batch && !sequential) {
      console.log(`product (pipelined: chunks staged + classified on ${CHUNK_CONNECTIONS} connections, one publish) ${fmt(batch.ms).padStart(9)} ms  ${rate(batch.ms)}  (staging + classifying chunks ${fmt(batch.stageMilliseconds)} ms, publish ${fmt(batch.classifyMilliseconds)} ms; load ${batch.load}; ${fmt(total)} published: ${fmt(inScope)} in a zone, ${fmt(located)} within 500 m; CPU database ${batch.cpuMs === null ? 'n/a' : (batch.cpuMs / DETECTIONS).toFixed(3)} ms/row + Node ${(batch.nodeCpuMs / DETECTIONS).toFixed(3)} ms/row)`);
    }
    if (sequential && batch) {
      console.log(`product BEFORE (sequential: stage all, then classify + publish)  ${fmt(sequential.ms).padStart(9)} ms  ${rate(sequential.ms)}  (staging ${fmt(sequential.stageMilliseconds)} ms = ${rate(sequential.stageMilliseconds).trim()}, classify + publish ${fmt(sequential.classifyMilliseconds)} ms = ${rate(sequential.classifyMilliseconds).trim()}; load ${sequential.load})`);
      console.log(`product AFTER (pipelined: chunks staged + classified on ${CHUNK_CONNECTIONS} connections, one publish) ${fmt(batch.ms).padStart(9)} ms  ${rate(batch.ms)}  (staging + classifying chunks ${fmt(batch.stageMilliseconds)} ms = ${rate(batch.stageMilliseconds).trim()}, publish ${fmt(batch.classifyMilliseconds)} ms = ${rate(batch.classifyMilliseconds).trim()}; load ${batch.load}; ${fmt(total)} published: ${fmt(inScope)} in a zone, ${fmt(located)} within 500 m)`);
      const cpu = (run: { cpuMs: number | null; nodeCpuMs: number }) =>
        `${run.cpuMs === null ? 'database not measurable here' : `database ${(run.cpuMs / DETECTIONS).toFixed(3)} ms/row`} + Node ${(run.nodeCpuMs / DETECTIONS).toFixed(3)} ms/row`;
      const bound = batch.cpuMs === null ? 'n/a' : fmt((2 * DETECTIONS * 1000) / (batch.cpuMs + batch.nodeCpuMs));
      console.log(`CPU time (load-independent): before ${cpu(sequential)}; after ${cpu(batch)}; 2 otherwise idle cores could at most run the after flow at ${bound} rows/s`);
      console.log(`product end to end: before ÷ after time ${(sequential.ms / batch.ms).toFixed(2)}×; 1,000,000 detections at this rate ≈ ${(1_000_000 / (DETECTIONS / batch.ms) / 60_000).toFixed(1)} min (linear extrapolation)`);
    }
    if (REFERENCE < DETECTIONS) console.log(`-- below: the reference sample, the first ${fmt(REFERENCE)} of the ${fmt(DETECTIONS)} detections (--reference-sample)`);
    console.log(`staging statement alone: product ${fmt(staging.productMs)} ms = ${referenceRate(staging.productMs).trim()}, previous ${fmt(staging.previousMs)} ms = ${referenceRate(staging.previousMs).trim()} (previous ÷ product time ${(staging.previousMs / staging.productMs).toFixed(2)}×; staged rows ${staging.identical ? 'identical' : 'DIFFERENT'}; fastest of ${values['floor-rounds']} interleaved rounds, rolled back)`);
    console.log(`floor: classifyStagedDetections on staged rows   ${fmt(floor.ms).padStart(9)} ms  ${referenceRate(floor.ms)}  (the one INSERT … SELECT alone, same rows, fastest of ${values['floor-rounds']} interleaved rounds, ${values['floor-no-analyze'] ? 'staging NOT analysed' : 'staging analysed'}, rolled back)`);
    const previous = floor.bySource.dissolved_gate!;
    const reference = floor.bySource.per_segment!;
    console.log(`floor, previous statement (bands behind the gate) ${fmt(previous.ms).padStart(8)} ms  ${referenceRate(previous.ms)}  (same rows; previous ÷ product time ${(previous.ms / floor.ms).toFixed(2)}×)`);
    console.log(`floor, zones per segment (before migration 034)  ${fmt(reference.ms).padStart(9)} ms  ${referenceRate(reference.ms)}  (same rows; per-segment ÷ product time ${(reference.ms / floor.ms).toFixed(2)}×, load ${loadavg().map((v) => v.toFixed(2)).join(' ')})`);
    const describe = (summary: ComparisonSummary) =>
      `${fmt(summary.identical)} identical, ${fmt(summary.withinTolerance)} within 0.01 m²/m, ${fmt(summary.differing)} differing` +
      (summary.examples.length > 0 ? ` (e.g. ${summary.examples.map((e) => `#${e.featureIndex} ${e.column}`).join(', ')})` : '');
    console.log(`rows vs the per-segment reference, ${REFERENCE < DETECTIONS ? `the first ${fmt(REFERENCE)}` : `all ${fmt(DETECTIONS)}`}: product ${describe(compareClassifications(floor.bySource.dissolved!.classified!, reference.classified!))}`);
    console.log(`                                          previous ${describe(compareClassifications(previous.classified!, reference.classified!))}`);
    if (productRows) console.log(`                          product path (pipelined) ${describe(compareClassifications(productRows, reference.classified!))}`);
    if (values.explain) {
      for (const [name, run] of [['product (dissolved)', floor.bySource.dissolved!], ['previous (dissolved_gate)', previous]] as const) {
        console.log(`\n-- EXPLAIN (ANALYZE, BUFFERS), ${name}, ${fmt(REFERENCE)} staged rows:\n${run.plan}`);
      }
    }
    if (!batch) console.log('product ingestDetectionFeatures                  skipped (--skip-product)');
    console.log(
      `Turf.js loop (linear scan + bbox prefilter)     ${fmt(turf.ms).padStart(9)} ms  ${referenceRate(turf.ms)}  (${turf.extrapolated ? `EXTRAPOLATED linearly from a sample of ${fmt(turf.measured)}` : `measured on all ${fmt(turf.measured)}`}; ${Math.round(turf.inZoneShare * 100)} % in a zone; loading ${fmt(turfNetwork.segments.length)} segments + ${fmt(turfNetwork.zones.length)} zones took ${fmt(turfNetwork.loadMs)} ms, not counted)`,
    );
    // Per row: the product ran all DETECTIONS, the floor and Turf the reference sample.
    const productPerRow = productMs / DETECTIONS;
    console.log(batch ? `ratios per row: product / floor ${(productPerRow / (floor.ms / REFERENCE)).toFixed(2)}×   Turf / product ${(turf.ms / REFERENCE / productPerRow).toFixed(2)}×` : `ratio: Turf / floor ${(turf.ms / floor.ms).toFixed(1)}×`);
  } finally {
    // The bench's batches go (detections and staging cascade), so the next run meets the same database.
    await db.pool.query('DELETE FROM detection_batches WHERE id = ANY ($1::bigint[])', [batchIds]);
  }
}

console.log(`Luyu detections benchmark: ingest + classify of ${fmt(DETECTIONS)} satellite change detections; one run, one database per network`);
if (!values['skip-demo'] && !values.province) {
  const config = readConfig({ ...process.env, NODE_ENV: 'test', LUYU_DATA_DIR: process.env.LUYU_DATA_DIR ?? path.join(REPO_ROOT, '.luyu', 'bench-detections-pgdata') });
  const db = await startDatabase(config);
  try {
    await prepareDatabase(db, config);
    await benchNetwork('(a) demo network', db);
  } finally {
    await db.close();
  }
}
if (!values['skip-province']) {
  const db = await openProvinceDatabase({});
  try {
    const existing = await describeSyntheticNetwork(db.pool);
    // Reuse a network built with the same size and seed; drawing 200,000 zones is not what is measured.
    if (!existing.nameEn?.includes(`(seed 1, ${SEGMENTS} segments)`)) {
      const summary = await loadProvinceNetwork(db.pool, generateProvinceNetwork({ segments: SEGMENTS, seed: 1, extent: 'density' }));
      console.log(`\n(built the synthetic province: ${fmt(summary.segments)} segments, ${fmt(summary.zones)} zones, insert ${fmt(summary.insertMs)} ms, zones ${fmt(summary.zonesMs)} ms)`);
    }
    await benchNetwork(`(b) synthetic province network (--segments ${SEGMENTS})`, db);
  } finally {
    await db.close();
  }
}
