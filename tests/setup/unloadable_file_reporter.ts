import type { Reporter, Vitest } from 'vitest/node';

/**
 * Mutation runs only (vitest.mutation*.config.ts): a test file that fails to LOAD becomes one
 * failed test. StrykerJS's Vitest runner (9.6.1) builds a mutant's result from the tests it finds
 * in `vitest.state.getFiles()`; a file whose import throws holds none, so a mutant that breaks a
 * module at import (a transition table naming an unknown status makes defineWorkflow throw) was
 * reported as survived although every test of the file fails. Known upstream: stryker-js issue
 * 6150 / PR 6217. Files that loaded are left alone, passing or failing.
 */
export default class UnloadableFileReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(): void {
    for (const file of this.vitest?.state.getFiles() ?? []) {
      if (file.result?.state !== 'fail' || file.tasks.length > 0) continue;
      // Stryker reads name, file, suite, mode and result of a test task; the cast skips the fields
      // (context, timeouts) that only Vitest itself can build and nothing reads after the run.
      file.tasks.push({
        type: 'test',
        id: `${file.id}_load`,
        name: 'the test file loads',
        mode: 'run',
        file,
        meta: {},
        // Vitest's own reporter walks these when it prints the failure.
        annotations: [],
        artifacts: [],
        result: { state: 'fail', errors: file.result.errors ?? [{ message: 'the test file failed to load' }] },
      } as unknown as (typeof file.tasks)[number]);
    }
  }
}
