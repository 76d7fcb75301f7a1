#!/usr/bin/env bash
# Shows each guard of .ci/run failing on purpose, without the whole pipeline (docs/ci.md):
#   1. REGEN=1 is refused before anything runs;
#   2. a skipped browser test fails the run (and in CI a missing chromium is an error, not a skip);
#   3. a run that leaves a file behind fails the tree check;
#   4. a failed test is named (file > test: first line of the failure) under the run's summary.
# Usage: bash scripts/ci_guards_demo.sh   (DATABASE_URL optional: uses that server for step 2)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO_ROOT="$(pwd)"
WORK="$(mktemp -d /tmp/luyu-ci-demo.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=../.ci/guards.sh
source "$REPO_ROOT/.ci/guards.sh"
status=0
expect_failure() { if [ "$1" -eq 0 ]; then echo "!! expected a failure, got success"; status=1; else echo "=> failed as it must (exit $1)"; fi; }

echo "== 1. REGEN=1 bash .ci/run"
REGEN=1 bash .ci/run; expect_failure $?

echo; echo "== 2a. browser test without chromium, CI unset: vitest skips it, the CI guard fails the run"
CI= LUYU_E2E_CHROMIUM=/nonexistent/chromium npx vitest run tests/e2e/review_map.e2e.test.ts --reporter=default --reporter=json --outputFile.json="$WORK/e2e.json" 2>&1 | grep -E 'SKIPPED|skipped|Tests' | head -5
record_counts "$WORK/e2e.json" e2e
echo "step note: $(cat "$WORK/step-note")"
fail_on_skipped e2e; expect_failure $?

echo; echo "== 2b. the same with CI=true: the browser test file itself refuses to skip"
CI=true LUYU_E2E_CHROMIUM=/nonexistent/chromium npx vitest run tests/e2e/review_map.e2e.test.ts 2>&1 | grep -E 'does not allow skipping|Test Files' | head -3
expect_failure "${PIPESTATUS[0]}"

echo; echo "== 3. a run that leaves a file in the tree"
step_tree_snapshot > /dev/null
mkdir -p .luyu/photos && echo demo > .luyu/photos/ci-demo-leftover.jpg
step_tree_unchanged; expect_failure $?
rm -f .luyu/photos/ci-demo-leftover.jpg; rmdir .luyu/photos .luyu 2>/dev/null
step_tree_unchanged > /dev/null && echo "(after cleaning up: tree as before)"

echo; echo "== 4. a failed test is named in the summary (a vitest JSON report with one failure)"
cat > "$WORK/failing.json" <<'JSON'
{"testResults":[{"name":"/repo/tests/integration/demo.test.ts","status":"failed","assertionResults":[
 {"status":"passed","fullName":"demo passes"},
 {"status":"failed","fullName":"demo fails","failureMessages":["AssertionError: expected 1 to be 2\n    at demo.test.ts:3"]}]}]}
JSON
record_counts "$WORK/failing.json" failing > /dev/null
print_failed_tests failing | tee "$WORK/failed-out"
grep -q 'tests/integration/demo.test.ts > demo fails: AssertionError: expected 1 to be 2' "$WORK/failed-out" \
  && echo "=> named as it must" || { echo "!! the failed test was not named"; status=1; }

[ "$status" -eq 0 ] && echo "every guard failed as designed" || echo "A GUARD DID NOT FAIL"
exit "$status"
