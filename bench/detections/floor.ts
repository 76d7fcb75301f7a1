/**
 * The floor: the product's own classification statement, `classifyStagedDetections` (ONE
 * INSERT … SELECT), run directly on rows already staged for a separate batch, inside a transaction
 * that is rolled back. Staging is not timed: the floor is what classification alone costs in SQL.
 * Rolled back so the floor's detections never become "earlier batch" matches for the product run.
 * Each zone source's classified rows are read back (untimed) for the row-by-row comparison.
 */
import type pg from 'pg';
import { withTransaction } from '../../server/db/transaction.ts';
import { analyzeStaging, explainClassification, insertBatch, stageFeatures, type ZoneSource } from '../../server/detections/queries.ts';
import { classifyStagedDetections, prepareFeature, sha256Hex, STAGE_CHUNK_SIZE } from '../../server/detections/service.ts';
import type { StagedFeature } from '../../server/detections/types.ts';
import { selectClassifiedRows, type ClassifiedRow } from './compare_classifications.ts';
import type { DetectionFeature } from './generate_detections.ts';

class Rollback extends Error {}

export interface SourceRun {
  ms: number;
  rows: number;
  /** The classified rows (with keepRows). */
  classified?: ClassifiedRow[];
  /** EXPLAIN (ANALYZE, BUFFERS) of a second, separate run (with explain). */
  plan?: string;
}
let floorRuns = 0;

/**
 * `analyze`: fresh statistics on the staged rows before classifying (what a best-case statement
 * gets). Without them the planner takes the just-filled staging table for empty and the statement
 * turns quadratic (measured: 400 rows 0.9 s analysed vs 25 s not).
 */
export async function timeFloor(
  pool: pg.Pool,
  features: readonly DetectionFeature[],
  actor: { id: number; jurisdictionCode: string },
  analyze = true,
  zoneSources: readonly ZoneSource[] = ['dissolved'],
  options: { keepRows?: boolean; explain?: boolean; rounds?: number } = {},
): Promise<{ ms: number; rows: number; batchId: number; bySource: Partial<Record<ZoneSource, SourceRun>> }> {
  const batchId = await insertBatch(pool, {
    source: 'bench-floor', beforeDate: '2026-03-01', afterDate: '2026-03-15', crs: 'WGS84', batchId: `bench-floor-${Date.now()}-${(floorRuns += 1)}`,
    contentSha256: sha256Hex(Buffer.from(`bench-floor-${Date.now()}-${floorRuns}`)), fileFormat: 'features', jurisdictionCode: actor.jurisdictionCode, createdBy: actor.id, isDemo: false, status: 'classifying',
  });
  for (let start = 0; start < features.length; start += STAGE_CHUNK_SIZE) {
    const staged: StagedFeature[] = [];
    features.slice(start, start + STAGE_CHUNK_SIZE).forEach((feature, offset) => {
      const prepared = prepareFeature(feature, start + offset, 'WGS84');
      if ('rejected' in prepared) throw new Error(`bench feature ${start + offset} rejected: ${prepared.rejected.reason}`);
      staged.push(prepared.staged);
    });
    await stageFeatures(pool, batchId, staged);
  }
  if (analyze) await analyzeStaging(pool);
  const staged = (await pool.query<{ rows: number }>('SELECT count(*)::integer AS rows FROM detection_staging WHERE batch_id = $1', [batchId])).rows[0]?.rows ?? 0;
  if (staged !== features.length) throw new Error(`staged ${staged} of ${features.length} rows for the floor`);
  // Each zone source on the same staged rows, one after the other, each rolled back.
  const bySource: Partial<Record<ZoneSource, SourceRun>> = {};
  const rolledBack = async (work: (client: pg.PoolClient) => Promise<void>) => {
    try {
      await withTransaction(pool, async (client) => {
        await work(client);
        throw new Rollback();
      });
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
  };
  // Interleaved rounds (A B C A B C …), the fastest round of each kept: on a shared machine the
  // load moves within minutes, and the first statement also pays for cold caches.
  for (let round = 0; round < (options.rounds ?? 1); round += 1) {
    for (const zoneSource of zoneSources) {
      await rolledBack(async (client) => {
        const startedAt = performance.now();
        const rows = await classifyStagedDetections(client, batchId, zoneSource);
        const ms = performance.now() - startedAt;
        const earlier = bySource[zoneSource];
        if (earlier) {
          earlier.ms = Math.min(earlier.ms, ms);
          earlier.rows = Math.min(earlier.rows, rows);
          return;
        }
        const run: SourceRun = { ms, rows };
        if (options.keepRows) run.classified = await selectClassifiedRows(client, batchId);
        bySource[zoneSource] = run;
      });
    }
  }
  // Plans after every timed run: EXPLAIN ANALYZE's instrumentation would slow what is timed.
  if (options.explain) {
    for (const zoneSource of zoneSources) {
      await rolledBack(async (client) => {
        bySource[zoneSource]!.plan = await explainClassification(client, batchId, zoneSource);
      });
    }
  }
  const first = bySource[zoneSources[0]!]!;
  return { ms: first.ms, rows: first.rows, batchId, bySource };
}
