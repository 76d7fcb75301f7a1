import type { Queryable } from '../db/database.ts';
import { insertJob } from './queries.ts';

export interface EnqueueOptions {
  runAt?: Date;
  /** At most one queued or running job per key: enqueueing it again returns the existing job. */
  dedupeKey?: string;
  /** Who may see the job (GET /api/v1/jobs/:id); null = only the top of the hierarchy. */
  jurisdictionCode?: string | null;
  createdBy?: number | null;
  maxAttempts?: number;
}

/**
 * Queues background work. On a request's transaction client the job becomes visible to the
 * workers when that transaction commits, so a job never runs for a record that was rolled back.
 */
export async function enqueueJob(db: Queryable, kind: string, payload: unknown, options: EnqueueOptions = {}): Promise<{ id: number }> {
  return insertJob(db, {
    kind,
    payload,
    runAt: options.runAt ?? null,
    dedupeKey: options.dedupeKey ?? null,
    jurisdictionCode: options.jurisdictionCode ?? null,
    createdBy: options.createdBy ?? null,
    maxAttempts: options.maxAttempts ?? 3,
  });
}
