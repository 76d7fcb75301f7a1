/** SQL of the job queue (data/migrations/008_jobs.sql, docs/operations.md). Bind parameters only. */
import type { Queryable } from '../db/database.ts';

export interface JobRow {
  id: number;
  kind: string;
  payload: unknown;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  attempts: number;
  max_attempts: number;
  run_at: Date;
  lease_until: Date | null;
  locked_by: string | null;
  progress_done: number;
  progress_total: number | null;
  progress_message: string | null;
  result: unknown;
  error: unknown;
  jurisdiction_code: string | null;
  created_by: number | null;
  created_at: Date;
  finished_at: Date | null;
  dedupe_key: string | null;
}

export interface NewJob {
  kind: string;
  payload: unknown;
  runAt: Date | null;
  dedupeKey: string | null;
  jurisdictionCode: string | null;
  createdBy: number | null;
  maxAttempts: number;
}

/**
 * Inserts a job; with a dedupe key already queued or running, returns that job instead (the
 * partial unique index decides, so two instances racing create one job).
 */
export async function insertJob(db: Queryable, job: NewJob): Promise<{ id: number }> {
  const inserted = await db.query<{ id: number }>(
    `INSERT INTO jobs (kind, payload, run_at, dedupe_key, jurisdiction_code, created_by, max_attempts)
     VALUES ($1, $2::jsonb, coalesce($3::timestamptz, now()), $4, $5, $6, $7)
     ON CONFLICT (dedupe_key) WHERE status IN ('queued', 'running') AND dedupe_key IS NOT NULL DO NOTHING
     RETURNING id`,
    [job.kind, JSON.stringify(job.payload ?? {}), job.runAt, job.dedupeKey, job.jurisdictionCode, job.createdBy, job.maxAttempts],
  );
  if (inserted.rows[0]) return inserted.rows[0];
  const existing = await db.query<{ id: number }>(`SELECT id FROM jobs WHERE dedupe_key = $1 AND status IN ('queued', 'running')`, [job.dedupeKey]);
  return existing.rows[0]!;
}

/**
 * Claims one due job of `kind`: a queued one whose time has come, or a running one whose lease
 * expired (its instance stopped renewing it). SKIP LOCKED: instances polling together never wait
 * for each other and never claim the same row. `exceptIds` keeps this instance from taking over
 * its own job whose renewal is merely late (the one embedded connection may be busy).
 */
export async function claimJob(db: Queryable, kind: string, instanceId: string, leaseSeconds: number, exceptIds: readonly number[]): Promise<JobRow | null> {
  const result = await db.query<JobRow>(
    `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $2, started_at = now(),
       lease_until = now() + make_interval(secs => $3)
     WHERE id = (
       SELECT id FROM jobs
       WHERE kind = $1 AND NOT (id = ANY ($4::bigint[]))
         AND ((status = 'queued' AND run_at <= now()) OR (status = 'running' AND lease_until < now()))
       ORDER BY run_at, id
       LIMIT 1
       FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [kind, instanceId, leaseSeconds, exceptIds],
  );
  return result.rows[0] ?? null;
}

/** Extends the lease of a job this instance still holds; false when another instance took it over. */
export async function renewLease(db: Queryable, id: number, instanceId: string, leaseSeconds: number): Promise<boolean> {
  const result = await db.query(
    `UPDATE jobs SET lease_until = now() + make_interval(secs => $3) WHERE id = $1 AND locked_by = $2 AND status = 'running'`,
    [id, instanceId, leaseSeconds],
  );
  return result.rowCount === 1;
}

export async function updateJobProgress(db: Queryable, id: number, instanceId: string, done: number, total: number | null | undefined, message: string | undefined): Promise<void> {
  await db.query(
    `UPDATE jobs SET progress_done = $3, progress_total = CASE WHEN $4::boolean THEN $5::integer ELSE progress_total END,
       progress_message = coalesce($6, progress_message)
     WHERE id = $1 AND locked_by = $2 AND status = 'running'`,
    [id, instanceId, Math.max(0, Math.round(done)), total !== undefined, total ?? null, message === undefined ? null : message.slice(0, 500)],
  );
}

export async function finishJob(db: Queryable, id: number, instanceId: string, result: unknown): Promise<void> {
  await db.query(
    `UPDATE jobs SET status = 'done', result = $3::jsonb, error = NULL, lease_until = NULL, finished_at = now()
     WHERE id = $1 AND locked_by = $2 AND status = 'running'`,
    [id, instanceId, JSON.stringify(result ?? null)],
  );
}

/** A failed attempt: queued again after `retryAfterSeconds`, or failed for good when `retryAfterSeconds` is null. */
export async function failJobAttempt(db: Queryable, id: number, instanceId: string, error: { code: string; message: string }, retryAfterSeconds: number | null): Promise<void> {
  await db.query(
    `UPDATE jobs SET error = $3::jsonb, lease_until = NULL,
       status = CASE WHEN $4::double precision IS NULL THEN 'failed' ELSE 'queued' END,
       run_at = CASE WHEN $4::double precision IS NULL THEN run_at ELSE now() + make_interval(secs => $4) END,
       finished_at = CASE WHEN $4::double precision IS NULL THEN now() ELSE NULL END
     WHERE id = $1 AND locked_by = $2 AND status = 'running'`,
    [id, instanceId, JSON.stringify(error), retryAfterSeconds],
  );
}

/**
 * Gives a job back on shutdown without counting the attempt: queued again at once, so another
 * instance (or this one after its restart) takes it without waiting for the lease to expire.
 */
export async function releaseJob(db: Queryable, id: number, instanceId: string): Promise<void> {
  await db.query(
    `UPDATE jobs SET status = 'queued', attempts = greatest(attempts - 1, 0), lease_until = NULL, locked_by = NULL, run_at = now()
     WHERE id = $1 AND locked_by = $2 AND status = 'running'`,
    [id, instanceId],
  );
}

/** Running jobs whose lease expired and that have no attempt left: failed (returned for the kind's give-up hook). */
export async function failExhaustedJobs(db: Queryable, kind: string): Promise<JobRow[]> {
  const result = await db.query<JobRow>(
    `UPDATE jobs SET status = 'failed', lease_until = NULL, finished_at = now(),
       error = jsonb_build_object('code', 'JOB_LEASE_EXPIRED', 'message', 'The instance running this job stopped ' || attempts || ' time(s); it is not retried again')
     WHERE id IN (SELECT id FROM jobs WHERE kind = $1 AND status = 'running' AND lease_until < now() AND attempts >= max_attempts
                  FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [kind],
  );
  return result.rows;
}

/** Queues the next run of a recurring job unless one is already queued or running. */
export async function scheduleRecurringJob(db: Queryable, kind: string, payload: unknown, everySeconds: number): Promise<void> {
  await db.query(
    `INSERT INTO jobs (kind, payload, run_at, dedupe_key, max_attempts)
     VALUES ($1, $2::jsonb,
       greatest(now(), coalesce((SELECT max(finished_at) FROM jobs WHERE dedupe_key = $3), '-infinity') + make_interval(secs => $4)),
       $3, 1)
     ON CONFLICT (dedupe_key) WHERE status IN ('queued', 'running') AND dedupe_key IS NOT NULL DO NOTHING`,
    [kind, JSON.stringify(payload ?? {}), `schedule:${kind}`, everySeconds],
  );
}

/** Is any job of these kinds due now (tests' idle())? */
export async function hasDueJobs(db: Queryable, kinds: readonly string[], exceptIds: readonly number[]): Promise<boolean> {
  const result = await db.query<{ due: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM jobs WHERE kind = ANY ($1::text[]) AND NOT (id = ANY ($2::bigint[]))
       AND ((status = 'queued' AND run_at <= now()) OR (status = 'running' AND lease_until < now()))) AS due`,
    [kinds, exceptIds],
  );
  return result.rows[0]!.due;
}

export async function selectJob(db: Queryable, id: number): Promise<JobRow | null> {
  const result = await db.query<JobRow>('SELECT * FROM jobs WHERE id = $1', [id]);
  return result.rows[0] ?? null;
}
