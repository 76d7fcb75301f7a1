/**
 * The job queue (docs/operations.md): jobs live in the `jobs` table; every instance polls for due
 * work of the kinds it registered, claims a job with FOR UPDATE SKIP LOCKED, holds a lease it
 * renews while the handler runs, and records done / retry / failed. No connection is held while a
 * handler runs (the embedded database has ONE), only short statements.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import type { Logger } from 'pino';
import {
  claimJob,
  failExhaustedJobs,
  failJobAttempt,
  finishJob,
  hasDueJobs,
  releaseJob,
  renewLease,
  scheduleRecurringJob,
  updateJobProgress,
  type JobRow,
} from './queries.ts';

export interface JobContext<P> {
  id: number;
  kind: string;
  payload: P;
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the queue stops (after the drain grace) or another instance took the job over. */
  signal: AbortSignal;
  pool: pg.Pool;
  progress(done: number, total?: number | null, message?: string): Promise<void>;
}

export interface JobKindOptions {
  /** How long a claim lasts without renewal; renewed every third of it while the handler runs. */
  leaseSeconds?: number;
  maxAttempts?: number;
  /** Jobs of this kind running at once in this instance. */
  concurrency?: number;
  /**
   * Called when a job of this kind fails for good (no attempt left, or a permanent error), also when
   * its instance died on the last attempt: the domain marks its own record failed (a batch, an import).
   */
  onFailed?: (job: JobRow, error: { code: string; message: string }, pool: pg.Pool) => Promise<void>;
}

/** An error that retrying cannot fix (a hostile file, a rejected batch): the job fails at once. */
export class PermanentJobError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Registration {
  kind: string;
  handler: (job: JobContext<any>) => Promise<unknown>;
  leaseSeconds: number;
  maxAttempts: number;
  concurrency: number;
  onFailed?: JobKindOptions['onFailed'];
  running: Map<number, Promise<void>>;
}

interface RunningJob {
  controller: AbortController;
}

const DEFAULT_LEASE_SECONDS = 60;
const DEFAULT_MAX_ATTEMPTS = 3;
/** Retry delay: 5 s, 20 s, 80 s … (capped at 10 minutes). */
const defaultRetryDelaySeconds = (attempt: number) => Math.min(600, 5 * 4 ** (attempt - 1));

function errorOf(error: unknown): { code: string; message: string } {
  if (error instanceof PermanentJobError) return { code: error.code, message: error.message };
  const code = (error as { code?: unknown })?.code;
  return {
    code: typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code) ? code : 'JOB_FAILED',
    message: (error instanceof Error ? error.message : String(error)).slice(0, 2000),
  };
}

export class JobQueue {
  readonly instanceId: string;
  private readonly registrations = new Map<string, Registration>();
  private readonly schedules: { kind: string; everySeconds: number; payload: unknown }[] = [];
  private readonly runningJobs = new Map<number, RunningJob>();
  private readonly logger: Logger | undefined;
  private readonly pollMilliseconds: number;
  private readonly retryDelaySeconds: (attempt: number) => number;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private stopping = false;
  private polling: Promise<void> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    options: { instanceId?: string; logger?: Logger; pollMilliseconds?: number; retryDelaySeconds?: (attempt: number) => number } = {},
  ) {
    this.retryDelaySeconds = options.retryDelaySeconds ?? defaultRetryDelaySeconds;
    this.instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.logger = options.logger;
    this.pollMilliseconds = options.pollMilliseconds ?? 1000;
  }

  register<P>(kind: string, handler: (job: JobContext<P>) => Promise<unknown>, options: JobKindOptions = {}): void {
    if (this.registrations.has(kind)) throw new Error(`job kind ${kind} is already registered`);
    this.registrations.set(kind, {
      kind,
      handler: handler as Registration['handler'],
      leaseSeconds: options.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
      maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      concurrency: options.concurrency ?? 1,
      onFailed: options.onFailed,
      running: new Map(),
    });
  }

  /**
   * Recurring work: one job of `kind` every `everySeconds` across all instances (a dedupe key
   * `schedule:<kind>` keeps one queued or running; the next is queued when it finished).
   */
  schedule(kind: string, everySeconds: number, payload?: unknown): void {
    this.schedules.push({ kind, everySeconds, payload: payload ?? {} });
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    this.scheduleTick(0);
  }

  /** Poll at once (after a request committed a job), instead of at the next tick. */
  wake(): void {
    if (this.started && !this.stopping) this.scheduleTick(0);
  }

  /**
   * Stops claiming, waits up to `graceMilliseconds` for running jobs to finish, then aborts the
   * rest and gives them back to the queue (not counted as an attempt) for the next instance.
   */
  async stop(graceMilliseconds = 30_000): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.polling;
    const all = () => [...this.registrations.values()].flatMap((registration) => [...registration.running.values()]);
    let graceTimer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => {
      graceTimer = setTimeout(() => resolve('timeout'), graceMilliseconds);
    });
    const outcome = await Promise.race([Promise.allSettled(all()).then(() => 'drained' as const), graceOver]);
    clearTimeout(graceTimer);
    if (outcome === 'timeout') {
      const left = [...this.runningJobs.keys()];
      for (const running of this.runningJobs.values()) running.controller.abort(new Error('the server is shutting down'));
      await Promise.allSettled(all());
      this.logger?.warn({ jobs: left }, 'job queue stopped: unfinished jobs were given back to the queue');
    }
    this.started = false;
  }

  /** Resolves once no job of a registered kind is running here or due (tests). */
  async idle(): Promise<void> {
    for (;;) {
      await this.polling;
      await this.pollOnce();
      const running = [...this.registrations.values()].flatMap((registration) => [...registration.running.values()]);
      if (running.length > 0) {
        await Promise.allSettled(running);
        continue;
      }
      const due = await hasDueJobs(this.pool, [...this.registrations.keys()], []);
      if (!due) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private scheduleTick(delayMilliseconds: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pollOnce().finally(() => {
        if (this.started && !this.stopping && !this.timer) this.scheduleTick(this.pollMilliseconds);
      });
    }, delayMilliseconds);
    this.timer.unref?.();
  }

  private pollOnce(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    this.polling ??= this.claimAvailable()
      .catch((error: unknown) => this.logger?.error({ err: error }, 'job queue poll failed'))
      .finally(() => {
        this.polling = null;
      });
    return this.polling;
  }

  private async claimAvailable(): Promise<void> {
    for (const schedule of this.schedules) {
      if (this.registrations.has(schedule.kind)) await scheduleRecurringJob(this.pool, schedule.kind, schedule.payload, schedule.everySeconds);
    }
    for (const registration of this.registrations.values()) {
      for (const exhausted of await failExhaustedJobs(this.pool, registration.kind)) {
        await this.reportFailed(registration, exhausted, exhausted.error as { code: string; message: string });
      }
      while (!this.stopping && registration.running.size < registration.concurrency) {
        const job = await claimJob(this.pool, registration.kind, this.instanceId, registration.leaseSeconds, [...this.runningJobs.keys()]);
        if (!job) break;
        const run = this.run(registration, job).finally(() => {
          registration.running.delete(job.id);
          this.runningJobs.delete(job.id);
          // A slot opened: more work of this kind may be waiting.
          this.wake();
        });
        registration.running.set(job.id, run);
      }
    }
  }

  private async run(registration: Registration, job: JobRow): Promise<void> {
    const controller = new AbortController();
    this.runningJobs.set(job.id, { controller });
    const renewEvery = Math.max(1000, (registration.leaseSeconds * 1000) / 3);
    const heartbeat = setInterval(() => {
      renewLease(this.pool, job.id, this.instanceId, registration.leaseSeconds)
        .then((held) => {
          if (!held) controller.abort(new Error('the job was taken over by another instance'));
        })
        .catch((error: unknown) => this.logger?.warn({ err: error, job: job.id }, 'job lease renewal failed'));
    }, renewEvery);
    heartbeat.unref?.();
    const context: JobContext<unknown> = {
      id: job.id,
      kind: job.kind,
      payload: job.payload,
      attempt: job.attempts,
      signal: controller.signal,
      pool: this.pool,
      progress: (done, total, message) => updateJobProgress(this.pool, job.id, this.instanceId, done, total, message),
    };
    try {
      const result = await registration.handler(context);
      clearInterval(heartbeat);
      await finishJob(this.pool, job.id, this.instanceId, result);
    } catch (error) {
      clearInterval(heartbeat);
      if (controller.signal.aborted && this.stopping) {
        await releaseJob(this.pool, job.id, this.instanceId).catch((secondary: unknown) => this.logger?.error({ err: secondary, job: job.id }, 'job release failed'));
        return;
      }
      const failure = errorOf(error);
      const retry = !(error instanceof PermanentJobError) && job.attempts < job.max_attempts;
      this.logger?.warn({ err: error, job: job.id, kind: job.kind, attempt: job.attempts, retry }, 'job attempt failed');
      try {
        await failJobAttempt(this.pool, job.id, this.instanceId, failure, retry ? this.retryDelaySeconds(job.attempts) : null);
        if (!retry) await this.reportFailed(registration, job, failure);
      } catch (secondary) {
        this.logger?.error({ err: secondary, job: job.id }, 'job failure could not be recorded');
      }
    }
  }

  private async reportFailed(registration: Registration, job: JobRow, error: { code: string; message: string }): Promise<void> {
    if (!registration.onFailed) return;
    await registration.onFailed(job, error, this.pool).catch((secondary: unknown) => this.logger?.error({ err: secondary, job: job.id }, 'job onFailed hook failed'));
  }
}
