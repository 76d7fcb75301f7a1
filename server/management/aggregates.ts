/**
 * Keeping the management aggregates current. Writers never call this: statement-level triggers
 * mark what changed (data/migrations/014_management_aggregates.sql) and a refresh folds the marks
 * in, recomputing only the units that changed.
 */
import type { Queryable } from '../db/database.ts';
import type { JobQueue } from '../jobs/job_queue.ts';
import { deleteFinishedJobs, marksWaiting, refreshAggregates } from './queries.ts';

export interface RefreshOptions {
  /** Rebuild every fact and rollup from the register (after a bulk load, or to repair). */
  full?: boolean;
  /** Marks folded in one call (bounds the time a dashboard read may spend refreshing). */
  maxMarks?: number;
}

/** Marks a dashboard read folds in before reading: enough for any burst of interactive transitions. */
export const READ_PATH_MAX_MARKS = 20_000;

/**
 * Folds waiting marks (or everything with `full`) into the aggregates. Returns the marks taken;
 * -1 when another refresh holds the lock right now (it will take them). Runs as the owner through
 * a SECURITY DEFINER function, so it works inside a request's scoped transaction too.
 */
export async function refreshManagementAggregates(db: Queryable, options: RefreshOptions = {}): Promise<number> {
  return refreshAggregates(db, options.maxMarks ?? 100_000, options.full ?? false);
}

/**
 * Who keeps the figures current for reads. `job`: the refresh job folds marks every
 * MANAGEMENT_REFRESH_EVERY_SECONDS and a read never refreshes (it reports `pending` instead).
 * `on_read`: no job queue runs this app (scripts, a test app without one), so a read that finds
 * marks waiting folds them first, bounded.
 */
export type AggregateReads = 'job' | 'on_read';

/** Bounded refresh before a read, only when something is waiting (one cheap EXISTS otherwise). */
export async function refreshIfStale(db: Queryable, reads: AggregateReads): Promise<void> {
  if (reads === 'on_read' && (await marksWaiting(db))) await refreshManagementAggregates(db, { maxMarks: READ_PATH_MAX_MARKS });
}

/**
 * Runs a combined read whose row says whether marks are waiting (one statement when the figures
 * are fresh); with `on_read` and marks waiting, folds them and reads again.
 */
export async function readFresh<T extends { marks_waiting: boolean }>(db: Queryable, reads: AggregateReads, read: () => Promise<T>): Promise<T> {
  const first = await read();
  if (reads === 'job' || !first.marks_waiting) return first;
  await refreshManagementAggregates(db, { maxMarks: READ_PATH_MAX_MARKS });
  return read();
}

export const MANAGEMENT_REFRESH_JOB = 'management.refresh_aggregates';
/** A transition shows on the dashboard within this plus one refresh (target ≤ 5 s). */
export const MANAGEMENT_REFRESH_EVERY_SECONDS = 2;
/** Finished refresh jobs kept for inspection (GET /jobs/:id); older ones are removed by the job itself. */
const KEEP_FINISHED_REFRESH_JOBS_MINUTES = 60;

/**
 * The refresh job, every MANAGEMENT_REFRESH_EVERY_SECONDS: folds waiting marks into the aggregates,
 * so dashboard reads never refresh (AggregateReads 'job'). A recurring job leaves a finished row
 * every run (~43,000 a day), so each run also removes its own finished rows older than an hour.
 */
export function registerManagementJobs(queue: JobQueue): void {
  queue.register<{ full?: boolean }>(
    MANAGEMENT_REFRESH_JOB,
    async (job) => {
      const marks = await refreshManagementAggregates(job.pool, { full: job.payload?.full ?? false });
      await deleteFinishedJobs(job.pool, MANAGEMENT_REFRESH_JOB, KEEP_FINISHED_REFRESH_JOBS_MINUTES);
      return { marks };
    },
    { leaseSeconds: 120, maxAttempts: 3, concurrency: 1 },
  );
  queue.schedule(MANAGEMENT_REFRESH_JOB, MANAGEMENT_REFRESH_EVERY_SECONDS, { full: false });
}
