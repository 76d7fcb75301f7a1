import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The tests StrykerJS runs against each mutant (npm run test:mutation): the unit tests of the pure
 * rules, and the database-rules integration file for server/http/route_definition.ts (the one-audit-
 * row rule needs a real transaction). Everything else is too slow to repeat per mutant on 2 cores.
 * (Not mergeConfig: it would append to the base `include` instead of replacing it.)
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['tests/unit/domain/**/*.test.ts', 'tests/unit/http/**/*.test.ts', 'tests/integration/database_rules.test.ts'],
  },
});
