import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { createApp } from '../../../server/app.ts';
import { readConfig } from '../../../server/config.ts';
import { openDatabase, type Database } from '../../../server/db/database.ts';

export interface TestServer {
  baseUrl: string;
  db: Database;
  /** GET/POST a JSON API path (below /api/v1) and return status and parsed body. */
  request<T = any>(path: string, init?: RequestInit): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** The real app on a loopback port over the run's shared database (see tests/setup/global_setup.ts). */
export async function startTestServer(): Promise<TestServer> {
  const db = await openDatabase(inject('databaseUrl'));
  const config = readConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: inject('databaseUrl') });
  const app = createApp({ db, config });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    db,
    async request(path, init) {
      const response = await fetch(`${baseUrl}/api/v1${path}`, init);
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: body as any };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
