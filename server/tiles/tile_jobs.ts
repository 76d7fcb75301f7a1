/**
 * Keeping the tile cache's change log small (migration 051): every write statement to a tile
 * layer's table adds a row, and the version a tile request reads is their sum; this job folds each
 * table's rows into one of the same weight, so that sum reads a handful of rows.
 */
import type { JobQueue } from '../jobs/job_queue.ts';
import { deleteFinishedJobs } from '../management/queries.ts';
import { compactTileSourceChanges } from './queries.ts';

export const TILE_CHANGES_COMPACT_JOB = 'tiles.compact_changes';
/** A busy minute (an ingest, a bulk import) adds a few hundred rows at most. */
export const TILE_CHANGES_COMPACT_EVERY_SECONDS = 60;
const KEEP_FINISHED_JOBS_MINUTES = 60;

export function registerTileJobs(queue: JobQueue): void {
  queue.register(
    TILE_CHANGES_COMPACT_JOB,
    async (job) => {
      const folded = await compactTileSourceChanges(job.pool);
      await deleteFinishedJobs(job.pool, TILE_CHANGES_COMPACT_JOB, KEEP_FINISHED_JOBS_MINUTES);
      return { folded };
    },
    { leaseSeconds: 60, maxAttempts: 3, concurrency: 1 },
  );
  queue.schedule(TILE_CHANGES_COMPACT_JOB, TILE_CHANGES_COMPACT_EVERY_SECONDS);
}
