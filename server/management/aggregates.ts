/**
 * Keeping the management aggregates current. Writers never call this: statement-level triggers
 * mark what changed (data/migrations/014_management_aggregates.sql) and a refresh folds the marks
 * in, recomputing only the units that changed.
 */
import type { Queryable } from '../db/database.ts';
import { marksWaiting, refreshAggregates } from './queries.ts';

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

/** The job queue's surface this module needs (server/jobs JobQueue, see JOBS_AND_KERNEL_CONTRACT). */
export interface ManagementJobQueue {
  register<P>(kind: string, handler: (job: { pool: { query: Queryable['query'] }; payload: P }) => Promise<unknown>, options?: { leaseSeconds?: number; maxAttempts?: number; concurrency?: number }): void;
  schedule(kind: string, everySeconds: number, payload?: unknown): void;
}

export const MANAGEMENT_REFRESH_JOB = 'management.refresh_aggregates';
/** A transition shows on the dashboard within this plus one refresh (target ≤ 5 s). */
export const MANAGEMENT_REFRESH_EVERY_SECONDS = 2;

/**
 * Wired to the job queue at merge: registerManagementJobs(queue) from server/index.ts and the test
 * helpers. Until then dashboard reads refresh on demand (refreshIfStale).
 */
export function registerManagementJobs(queue: ManagementJobQueue): void {
  queue.register<{ full?: boolean }>(
    MANAGEMENT_REFRESH_JOB,
    async (job) => ({ marks: await refreshManagementAggregates(job.pool, { full: job.payload?.full ?? false }) }),
    { leaseSeconds: 120, maxAttempts: 3, concurrency: 1 },
  );
  queue.schedule(MANAGEMENT_REFRESH_JOB, MANAGEMENT_REFRESH_EVERY_SECONDS, { full: false });
}
