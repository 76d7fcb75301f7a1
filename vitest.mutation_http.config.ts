import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The tests StrykerJS runs against each mutant of server/http/route_definition.ts (npm run
 * test:mutation, part 2): its unit test and the database-rules integration test (fake routes that
 * write 0, 1 and 2 audit rows on a real database).
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['tests/unit/http/**/*.test.ts', 'tests/integration/database_rules.test.ts'],
    // A test file that cannot load is a failed test, not an absent one (see the reporter).
    reporters: ['default', './tests/setup/unloadable_file_reporter.ts'],
  },
});
