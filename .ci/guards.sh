# Luyu CI guards, sourced by .ci/run (and by scripts/ci_guards_demo.sh to show each one failing).
# They expect $WORK (a scratch directory) and $REPO_ROOT; record_counts writes $WORK/step-note.

# REGEN=1 makes the fixture tests rewrite their expected out/ files from the code under test (so
# they pass by definition): CI refuses it instead of dropping it silently.
refuse_regen() {
  local var
  for var in REGEN REGEN_INPUTS; do
    if [ -n "${!var:-}" ]; then
      echo "error: $var=${!var} is set; CI never regenerates fixtures (do it locally and review the diff)" >&2
      exit 2
    fi
  done
}

# Reads the vitest JSON report into $WORK/counts-LABEL ("passed failed skipped files-that-failed-to-load")
# and a note for the step summary with the counts per suite (unit / integration / e2e); the names of
# the failed tests go to $WORK/failed-LABEL (print_failed_tests shows them in the summary).
record_counts() {
  local json="$1" label="$2"
  if [ ! -s "$json" ]; then
    echo "no vitest JSON report at $json" >&2
    echo "no test report" > "$WORK/step-note"
    return 0
  fi
  node --input-type=commonjs -e '
    const fs = require("fs");
    const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    const suiteOf = (file) => /\/tests\/e2e\//.test(file) ? "e2e" : /\/tests\/integration\//.test(file) ? "integration" : "unit";
    const suites = { unit: [0, 0, 0], integration: [0, 0, 0], e2e: [0, 0, 0] };
    let fileFail = 0;
    for (const file of r.testResults ?? []) {
      const counts = suites[suiteOf(file.name)];
      const tests = file.assertionResults ?? [];
      if (file.status === "failed" && tests.length === 0) fileFail += 1;
      for (const t of tests) {
        if (t.status === "passed") counts[0] += 1;
        else if (t.status === "failed") counts[1] += 1;
        else counts[2] += 1; // skipped, pending, todo: none is allowed in CI
      }
    }
    // The failed tests by name (at most 10), for the run summary: the end of a CI log is often all
    // that is read, and "1 failed" alone does not say which.
    const failed = [];
    for (const file of r.testResults ?? []) {
      const where = file.name.replace(/^.*?\/(tests\/)/, "$1");
      const tests = file.assertionResults ?? [];
      if (file.status === "failed" && tests.length === 0) failed.push(`${where}: ${(file.message ?? "failed to load").split("\n")[0]}`);
      for (const t of tests) {
        if (t.status === "failed") failed.push(`${where} > ${t.fullName}: ${(t.failureMessages?.[0] ?? "").split("\n")[0]}`);
      }
    }
    fs.writeFileSync(process.argv[3], failed.slice(0, 10).map((line) => `  ${line.slice(0, 300)}\n`).join("") + (failed.length > 10 ? `  … and ${failed.length - 10} more\n` : ""));
    const sum = (i) => Object.values(suites).reduce((s, c) => s + c[i], 0);
    console.log(`${sum(0)} ${sum(1)} ${sum(2)} ${fileFail}`);
    const per = Object.entries(suites).map(([n, c]) => `${n} ${c[0]}/${c[1]}/${c[2]}`).join(", ");
    fs.writeFileSync(process.argv[2], per + " (passed/failed/skipped)\n");
  ' "$json" "$WORK/suites-$label" "$WORK/failed-$label" > "$WORK/counts-$label" || { echo "unreadable test report" > "$WORK/step-note"; return 0; }
  read -r p f s ff < "$WORK/counts-$label"
  local note="tests: $p passed, $f failed, $s skipped; $(cat "$WORK/suites-$label")"
  [ "$ff" -gt 0 ] && note="$note, $ff test files failed to load"
  echo "$note" > "$WORK/step-note"
  echo "per suite: $(cat "$WORK/suites-$label")"
}

# The failed tests of a run, by file and name with the first line of the failure, under its summary line.
print_failed_tests() {
  local label="$1"
  if [ -s "$WORK/failed-$label" ]; then
    echo "      failed in the $label run:"
    cat "$WORK/failed-$label"
  fi
}

# A skipped test (a browser test without chromium, an it.skip, a describe.skipIf) fails CI: a green
# run must have run everything.
fail_on_skipped() {
  local label="$1" s
  [ -f "$WORK/counts-$label" ] || { echo "no test counts for $label" >&2; return 1; }
  read -r _ _ s _ < "$WORK/counts-$label"
  if [ "$s" -gt 0 ]; then
    echo "error: $s test(s) skipped in the $label run; CI runs every test (is chromium missing?)" >&2
    return 1
  fi
}

# What `git status` said when the tests were about to start; the run must leave exactly that.
tree_state() {
  git -C "$REPO_ROOT" status --porcelain --ignored --untracked-files=normal
}
step_tree_snapshot() {
  git -C "$REPO_ROOT" rev-parse --is-inside-work-tree >/dev/null
  tree_state > "$WORK/tree-before"
  if [ -n "$(git -C "$REPO_ROOT" status --porcelain)" ]; then
    echo "note: the tree has uncommitted changes before the tests (allowed locally; a CI checkout is clean):"
    git -C "$REPO_ROOT" status --porcelain
  fi
}
step_tree_unchanged() {
  tree_state > "$WORK/tree-after"
  if ! diff -u "$WORK/tree-before" "$WORK/tree-after" > "$WORK/tree-diff"; then
    echo "error: the run changed the working tree (git status --porcelain --ignored, before → after):" >&2
    cat "$WORK/tree-diff" >&2
    echo "changed files" > "$WORK/step-note"
    return 1
  fi
  echo "working tree as before the tests"
}

