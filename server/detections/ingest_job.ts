import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Queryable } from '../db/database.ts';
import type { ParseLimits } from '../files/file_limits.ts';
import { readDetectionFeaturesIsolated } from '../files/run_parse_worker.ts';
import { enqueueJob } from '../jobs/enqueue_job.ts';
import { PermanentJobError, type JobQueue } from '../jobs/job_queue.ts';
import { clearStaging, failUnfinishedBatch } from './queries.ts';
import { poolRunner, stageAndPublish } from './service.ts';
import type { DetectionCrs, DetectionFileFormat } from './types.ts';

export const DETECTION_INGEST_JOB = 'detections.ingest';

export interface DetectionIngestPayload {
  batchId: number;
  /** The uploaded file, kept under LUYU_UPLOAD_DIR/jobs until the job ends (shared disk when several instances run). */
  filePath: string;
  format: DetectionFileFormat;
  crs: DetectionCrs;
  /** The form's layer of a file with several (zip of shapefiles, GeoPackage). */
  layer?: string | null;
}

/**
 * Keeps an uploaded detection file for its ingest job and queues the job in the request's
 * transaction: the job runs only if the batch row commits.
 */
export async function enqueueDetectionIngest(
  db: Queryable,
  input: { batchId: number; uploadedPath: string; uploadDirectory: string; format: DetectionFileFormat; crs: DetectionCrs; layer: string | null; jurisdictionCode: string; createdBy: number },
): Promise<{ id: number }> {
  const directory = path.join(input.uploadDirectory, 'jobs');
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const filePath = path.join(directory, `detection-batch-${input.batchId}`);
  await rename(input.uploadedPath, filePath);
  const payload: DetectionIngestPayload = { batchId: input.batchId, filePath, format: input.format, crs: input.crs, layer: input.layer };
  return enqueueJob(db, DETECTION_INGEST_JOB, payload, {
    dedupeKey: `detection-batch:${input.batchId}`,
    jurisdictionCode: input.jurisdictionCode,
    createdBy: input.createdBy,
  });
}

/**
 * Detection ingest on the job queue: the file is parsed in a worker under `limits`, staged in
 * committed chunks and published in one transaction (service.ts stageAndPublish). One batch at a
 * time per instance, so two large uploads never compete for the (embedded: single) connection.
 */
export function registerDetectionJobs(queue: JobQueue, deps: { limits: ParseLimits }): void {
  queue.register<DetectionIngestPayload>(
    DETECTION_INGEST_JOB,
    async (job) => {
      const { batchId, filePath, format, crs, layer } = job.payload;
      // A retry after a crash starts over: the staged rows of the lost attempt are not trusted.
      await clearStaging(job.pool, batchId);
      const outcome = await stageAndPublish(poolRunner(job.pool), batchId, readDetectionFeaturesIsolated(filePath, { format, crs, layer: layer ?? null }, deps.limits), crs, (processed) =>
        job.progress(processed, null, 'staging'),
      );
      await rm(filePath, { force: true });
      if (outcome.status === 'failed') throw new PermanentJobError(outcome.failureCode, outcome.failureReason);
      return { batchId, status: outcome.status, total: outcome.total, repaired: outcome.repaired };
    },
    {
      // Classifying a province-sized batch is one long statement: the lease outlasts it.
      leaseSeconds: 300,
      maxAttempts: 2,
      concurrency: 1,
      onFailed: async (job, error, pool) => {
        const payload = job.payload as DetectionIngestPayload;
        await failUnfinishedBatch(pool, payload.batchId, error.message);
        await rm(payload.filePath, { force: true });
      },
    },
  );
}
