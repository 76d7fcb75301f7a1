import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@domain': path.resolve(import.meta.dirname, 'server/domain') } },
  test: {
    include: ['tests/**/*.test.ts', 'server/**/*.test.ts', 'client/src/**/*.test.ts'],
    globalSetup: ['tests/setup/global_setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // The embedded database is ONE PostgreSQL session behind a socket: statements of two
    // connections can interleave inside the extended query protocol (one's Parse, the other's
    // Bind), so test files run one at a time there. A real server takes two workers.
    fileParallelism: Boolean(process.env.DATABASE_URL),
    maxWorkers: 2,
  },
});
