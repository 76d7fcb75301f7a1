import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@domain': path.resolve(import.meta.dirname, 'server/domain') } },
  test: {
    include: ['tests/**/*.test.ts', 'server/**/*.test.ts', 'client/src/**/*.test.ts'],
    globalSetup: ['tests/setup/global_setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores: one database, test files in two workers.
    maxWorkers: 2,
  },
});
