/**
 * The job queue (server/jobs/, docs/operations.md) on the run's database: run and record, retry,
 * permanent failure, dedupe, lease takeover (only of expired leases), drain and hand-back on stop,
 * and jurisdiction scope of GET /jobs/:id. Every test uses its own job kind: test servers of other
 * files poll the same table for their kinds only.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueJob } from '../../server/jobs/enqueue_job.ts';
import { JobQueue, PermanentJobError } from '../../server/jobs/job_queue.ts';
import { selectJob } from '../../server/jobs/queries.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

let server: TestServer;
const queues: JobQueue[] = [];

beforeAll(async () => {
  server = await startTestServer({ as: 'officer' });
});
afterAll(async () => {
  for (const queue of queues) await queue.stop(0);
  await server?.close();
});

const uniqueKind = () => `test.k_${randomBytes(4).toString('hex')}`;
const newQueue = (instanceId: string) => {
  const queue = new JobQueue(server.db.pool, { instanceId, pollMilliseconds: 50, retryDelaySeconds: () => 0 });
  queues.push(queue);
  return queue;
};
const pool = () => server.db.pool;

describe('JobQueue', () => {
  it('runs a job once, records its progress and result', async () => {
    const kind = uniqueKind();
    const queue = newQueue('a');
    const seen: unknown[] = [];
    queue.register<{ n: number }>(kind, async (job) => {
      seen.push(job.payload);
      await job.progress(2, 4, 'half');
      return { doubled: job.payload.n * 2 };
    });
    const { id } = await enqueueJob(pool(), kind, { n: 21 });
    queue.start();
    await queue.idle();
    const row = await selectJob(pool(), id);
    expect(seen).toEqual([{ n: 21 }]);
    expect(row).toMatchObject({ status: 'done', attempts: 1, result: { doubled: 42 }, progress_done: 2, progress_total: 4, progress_message: 'half', lease_until: null });
  });

  it('retries a failing attempt and fails for good after max attempts, calling onFailed once', async () => {
    const kind = uniqueKind();
    const queue = newQueue('a');
    let calls = 0;
    const failed: string[] = [];
    queue.register(kind, async () => {
      calls += 1;
      throw new Error(`attempt ${calls} broke`);
    }, { maxAttempts: 3, onFailed: async (job, error) => void failed.push(`${job.id}:${error.message}`) });
    const { id } = await enqueueJob(pool(), kind, {}, { maxAttempts: 3 });
    queue.start();
    await queue.idle();
    expect(calls).toBe(3);
    expect(await selectJob(pool(), id)).toMatchObject({ status: 'failed', attempts: 3, error: { code: 'JOB_FAILED', message: 'attempt 3 broke' } });
    expect(failed).toEqual([`${id}:attempt 3 broke`]);
  });

  it('does not retry a PermanentJobError', async () => {
    const kind = uniqueKind();
    const queue = newQueue('a');
    let calls = 0;
    queue.register(kind, async () => {
      calls += 1;
      throw new PermanentJobError('FILE_BAD', 'the file is bad');
    });
    const { id } = await enqueueJob(pool(), kind, {});
    queue.start();
    await queue.idle();
    expect(calls).toBe(1);
    expect(await selectJob(pool(), id)).toMatchObject({ status: 'failed', error: { code: 'FILE_BAD', message: 'the file is bad' } });
  });

  it('returns the live job for a dedupe key, and queues anew once it finished', async () => {
    const kind = uniqueKind();
    const first = await enqueueJob(pool(), kind, { a: 1 }, { dedupeKey: `${kind}:x` });
    const second = await enqueueJob(pool(), kind, { a: 2 }, { dedupeKey: `${kind}:x` });
    expect(second.id).toBe(first.id);
    const queue = newQueue('a');
    queue.register(kind, async () => 'ok');
    queue.start();
    await queue.idle();
    const third = await enqueueJob(pool(), kind, { a: 3 }, { dedupeKey: `${kind}:x` });
    expect(third.id).not.toBe(first.id);
  });

  it('takes over a job whose lease expired, but not one whose lease is still held', async () => {
    const kind = uniqueKind();
    const expired = await enqueueJob(pool(), kind, { which: 'expired' });
    const held = await enqueueJob(pool(), kind, { which: 'held' });
    // Another instance claimed both; one of them stopped renewing a minute ago.
    await pool().query(`UPDATE jobs SET status = 'running', attempts = 1, locked_by = 'dead', lease_until = now() - interval '1 minute' WHERE id = $1`, [expired.id]);
    await pool().query(`UPDATE jobs SET status = 'running', attempts = 1, locked_by = 'alive', lease_until = now() + interval '1 hour' WHERE id = $1`, [held.id]);
    const queue = newQueue('b');
    const ran: unknown[] = [];
    queue.register<{ which: string }>(kind, async (job) => void ran.push([job.payload.which, job.attempt]));
    queue.start();
    await queue.idle();
    expect(ran).toEqual([['expired', 2]]);
    expect(await selectJob(pool(), expired.id)).toMatchObject({ status: 'done', locked_by: 'b' });
    expect(await selectJob(pool(), held.id)).toMatchObject({ status: 'running', locked_by: 'alive' });
    await pool().query(`UPDATE jobs SET status = 'cancelled', lease_until = NULL WHERE id = $1`, [held.id]);
  });

  it('lets two instances share the work without running any job twice', async () => {
    const kind = uniqueKind();
    const ids = await Promise.all(Array.from({ length: 12 }, (_, index) => enqueueJob(pool(), kind, { index })));
    const ran: number[] = [];
    for (const name of ['x', 'y']) {
      const queue = newQueue(name);
      queue.register<{ index: number }>(kind, async (job) => {
        ran.push(job.payload.index);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }, { concurrency: 2 });
      queue.start();
    }
    await Promise.all(queues.slice(-2).map((queue) => queue.idle()));
    expect([...ran].sort((a, b) => a - b)).toEqual(ids.map((_, index) => index));
  });

  it('drains running jobs on stop, and hands back what outlives the grace period', async () => {
    const kind = uniqueKind();
    const queue = newQueue('c');
    let release: () => void = () => undefined;
    const started: number[] = [];
    queue.register<{ slow: boolean }>(kind, async (job) => {
      started.push(job.id);
      if (!job.payload.slow) return 'quick';
      await new Promise<void>((resolve, reject) => {
        release = resolve;
        job.signal.addEventListener('abort', () => reject(job.signal.reason));
      });
      return 'slow';
    });
    const quick = await enqueueJob(pool(), kind, { slow: false });
    queue.start();
    await queue.idle();
    expect(await selectJob(pool(), quick.id)).toMatchObject({ status: 'done' });
    const slow = await enqueueJob(pool(), kind, { slow: true });
    queue.wake();
    while (!started.includes(slow.id)) await new Promise((resolve) => setTimeout(resolve, 20));
    await queue.stop(100);
    expect(await selectJob(pool(), slow.id)).toMatchObject({ status: 'queued', attempts: 0, locked_by: null });
    release();
    const next = newQueue('d');
    next.register(kind, async () => 'finished elsewhere');
    next.start();
    await next.idle();
    expect(await selectJob(pool(), slow.id)).toMatchObject({ status: 'done', result: 'finished elsewhere' });
  });
});

describe('GET /jobs/:id', () => {
  it('shows a job to its jurisdiction and 404 to a sibling district', async () => {
    const { id } = await enqueueJob(pool(), uniqueKind(), { secret: true }, { jurisdictionCode: '410104' });
    const own = await server.request(`/jobs/${id}`);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id, status: 'queued', progressDone: 0, progressTotal: null, error: null, finishedAt: null });
    const sibling = await server.requestWith(await server.login('officer2'), `/jobs/${id}`);
    expect(sibling.status).toBe(404);
    expect(sibling.body.error.code).toBe('JOB_NOT_FOUND');
    await pool().query(`UPDATE jobs SET status = 'cancelled' WHERE id = $1`, [id]);
  });
});
