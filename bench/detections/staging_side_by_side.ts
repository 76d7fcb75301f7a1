/**
 * The staging statement side by side (bench:detections): the product's `stageFeatures` and the
 * previous one (previous_staging_queries.ts) stage the same features in chunks of
 * STAGE_CHUNK_SIZE into the same batch, each in a transaction that is rolled back, in interleaved
 * rounds (fastest kept). Only the SQL is timed (features prepared beforehand); the staged rows of
 * both are compared as one digest of every row's EWKB, outcome and attributes.
 */
import type pg from 'pg';
import { withTransaction } from '../../server/db/transaction.ts';
import { stageFeatures } from '../../server/detections/queries.ts';
import { prepareFeature, STAGE_CHUNK_SIZE } from '../../server/detections/service.ts';
import type { StagedFeature } from '../../server/detections/types.ts';
import type { DetectionFeature } from './generate_detections.ts';
import { stageFeaturesPrevious } from './previous_staging_queries.ts';

class Rollback extends Error {}

export interface StagingComparison {
  productMs: number;
  previousMs: number;
  /** Both statements staged the same rows (digest of every staged row) and reported the same outcomes. */
  identical: boolean;
}

export async function compareStaging(pool: pg.Pool, batchId: number, features: readonly DetectionFeature[], rounds: number): Promise<StagingComparison> {
  const staged: StagedFeature[] = features.map((feature, index) => {
    const prepared = prepareFeature(feature, index, 'WGS84');
    if ('rejected' in prepared) throw new Error(`bench feature ${index} rejected: ${prepared.rejected.reason}`);
    return prepared.staged;
  });
  const best = { product: Number.POSITIVE_INFINITY, previous: Number.POSITIVE_INFINITY };
  const digests: Record<keyof typeof best, string> = { product: '', previous: '' };
  for (let round = 0; round < rounds; round += 1) {
    for (const kind of ['previous', 'product'] as const) {
      const stage = kind === 'product' ? stageFeatures : stageFeaturesPrevious;
      try {
        await withTransaction(pool, async (client) => {
          const outcomes: unknown[] = [];
          const startedAt = performance.now();
          for (let start = 0; start < staged.length; start += STAGE_CHUNK_SIZE) outcomes.push(...(await stage(client, batchId, staged.slice(start, start + STAGE_CHUNK_SIZE))));
          best[kind] = Math.min(best[kind], performance.now() - startedAt);
          const digest = await client.query<{ digest: string }>(
            `SELECT md5(string_agg(concat_ws('|', feature_index, external_id, encode(ST_AsEWKB(geom), 'hex'), confidence, change_type, declared_area_square_meters), ',' ORDER BY feature_index)) AS digest
             FROM detection_staging WHERE batch_id = $1`,
            [batchId],
          );
          digests[kind] = `${digest.rows[0]!.digest} ${JSON.stringify(outcomes)}`;
          throw new Rollback();
        });
      } catch (error) {
        if (!(error instanceof Rollback)) throw error;
      }
    }
  }
  return { productMs: best.product, previousMs: best.previous, identical: digests.product === digests.previous };
}
