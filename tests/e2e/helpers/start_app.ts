import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { createApp } from '../../../server/app.ts';
import { readConfig } from '../../../server/config.ts';
import { openDatabase } from '../../../server/db/database.ts';
import { JobQueue } from '../../../server/jobs/job_queue.ts';
import { registerAllJobs } from '../../../server/jobs/register_jobs.ts';

export interface RunningApp {
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real app (API + built client) in-process on a loopback port, over the run's migrated demo
 * database from the global setup.
 */
export async function startApp(options: { clientDistDir: string }): Promise<RunningApp> {
  const db = await openDatabase(inject('databaseUrl'));
  const jobs = new JobQueue(db.pool, { pollMilliseconds: 200 });
  registerAllJobs(jobs, readConfig(), db.mode);
  jobs.start();
  const app = createApp({ db, clientDistDir: options.clientDistDir, jobs });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await jobs.stop();
      await db.close();
    },
  };
}
