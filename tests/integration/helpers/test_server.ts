import type { AddressInfo } from 'node:net';
import type express from 'express';
import type { Logger } from 'pino';
import { inject } from 'vitest';
import { createApp } from '../../../server/app.ts';
import { readConfig, type AppConfig } from '../../../server/config.ts';
import { openDatabase, type Database } from '../../../server/db/database.ts';
import { JobQueue } from '../../../server/jobs/job_queue.ts';
import { registerAllJobs } from '../../../server/jobs/register_jobs.ts';
import { DEMO_PASSWORD } from '../../../data/seed/demo_users.ts';

export interface TestResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestServer {
  baseUrl: string;
  db: Database;
  app: express.Express;
  config: AppConfig;
  /** The server's job queue (started; stopped by close). */
  jobs: JobQueue;
  /** Bearer token of the user the server was started `as` (undefined when anonymous). */
  token: string | undefined;
  /** GET/POST a JSON API path (below /api/v1) as the `as` user, and return status and parsed body. */
  request<T = any>(path: string, init?: RequestInit): Promise<TestResponse<T>>;
  /** The same without credentials, or with another token. */
  requestWith<T = any>(token: string | undefined, path: string, init?: RequestInit): Promise<TestResponse<T>>;
  /** Logs a demo user in (password luyu-demo) and returns the bearer token. */
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Demo user whose bearer token `request` sends; null = anonymous. Whole-network tests use province_admin. */
  as?: string | null;
  /** Configuration overrides (e.g. login limits). */
  env?: Record<string, string>;
  /** A logger to inspect what the app logs (default: silent). */
  logger?: Logger;
}

/** The real app on a loopback port over the run's shared database (see tests/setup/global_setup.ts). */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const db = await openDatabase(inject('databaseUrl'));
  const config = readConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: inject('databaseUrl'), ...options.env });
  const jobs = new JobQueue(db.pool, { logger: options.logger, pollMilliseconds: 200 });
  registerAllJobs(jobs, config, db.mode);
  jobs.start();
  const app = createApp({ db, config, logger: options.logger, jobs });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function requestWith<T>(token: string | undefined, path: string, init: RequestInit = {}): Promise<TestResponse<T>> {
    const headers = new Headers(init.headers);
    if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
    if (typeof init.body === 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json');
    const response = await fetch(`${baseUrl}/api/v1${path}`, { ...init, headers });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: body as T, headers: response.headers };
  }

  async function login(username: string, password = DEMO_PASSWORD): Promise<string> {
    const response = await requestWith<{ token?: string }>(undefined, '/auth/login', {
      method: 'POST',
      body: JSON.stringify({ username, password }),
    });
    if (response.status !== 200 || !response.body.token) throw new Error(`login as ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.token;
  }

  const token = options.as ? await login(options.as) : undefined;
  return {
    baseUrl,
    db,
    app,
    config,
    jobs,
    token,
    request: (path, init) => requestWith(token, path, init),
    requestWith,
    login,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await jobs.stop();
      await db.close();
    },
  };
}
