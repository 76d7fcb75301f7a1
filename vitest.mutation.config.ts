import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The tests StrykerJS runs against each mutant of server/domain (npm run test:mutation, part 1):
 * the unit tests of the pure rules, without a database (no global setup). Integration tests also
 * reach server/domain, but a second per mutant is too slow on 2 cores; they stay out on purpose.
 * (Not mergeConfig: it would append to the base `include` instead of replacing it.)
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    globalSetup: [],
    include: ['tests/unit/domain/**/*.test.ts'],
    // A test file that cannot load is a failed test, not an absent one (see the reporter).
    reporters: ['default', './tests/setup/unloadable_file_reporter.ts'],
  },
});
