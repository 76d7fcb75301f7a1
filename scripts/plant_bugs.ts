/**
 * Plants, one at a time, the bugs that once survived the whole suite (issue 17), runs the tests that
 * should catch each, and restores the file. Exit code 0 only when the unpatched tests pass and every
 * planted bug makes at least one of them fail.
 *
 *   npm run test:plant                 all bugs (DATABASE_URL as set: unset = embedded database)
 *   npm run test:plant -- stake-digits only the named ones
 *
 * Patches are exact text replacements against the current files: when a file changed so that the
 * text is no longer there, the bug is reported as NOT PLANTED (update its `find` text), never skipped.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface PlantedBug {
  name: string;
  what: string;
  file: string;
  find: string;
  replace: string;
  tests: string[];
}

const ROOT = path.resolve(import.meta.dirname, '..');

const BUGS: PlantedBug[] = [
  {
    name: 'violations-with-check',
    what: 'violations row-level security WITH CHECK replaced by true (any district may write)',
    file: 'data/migrations/004_violations.sql',
    find: 'CREATE POLICY violations_scope ON violations TO luyu_app\n  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));',
    replace: 'CREATE POLICY violations_scope ON violations TO luyu_app\n  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (true);',
    tests: ['tests/integration/row_level_security.test.ts'],
  },
  {
    name: 'sessions-policy',
    what: 'sessions row-level security policy replaced by true',
    file: 'data/migrations/003_accounts.sql',
    find: 'USING (user_id = luyu_current_user_id()) WITH CHECK (user_id = luyu_current_user_id());',
    replace: 'USING (true) WITH CHECK (true);',
    tests: ['tests/integration/row_level_security.test.ts'],
  },
  {
    name: 'outside-jurisdiction',
    what: 'the service\'s "outside your jurisdiction" check switched off',
    file: 'server/violations/service.ts',
    find: 'if (!inScope(actor, jurisdictionCode)) {',
    replace: 'if (false as boolean && !inScope(actor, jurisdictionCode)) {',
    tests: ['tests/integration/database_rules.test.ts'],
  },
  {
    name: 'audit-zero-rows',
    what: 'the audit rule allowing 0 rows per write',
    file: 'server/http/route_definition.ts',
    find: '!SAFE_METHODS.includes(definition.method) && auditCount !== 1',
    replace: '!SAFE_METHODS.includes(definition.method) && auditCount > 1',
    tests: ['tests/integration/database_rules.test.ts'],
  },
  {
    name: 'audit-two-rows',
    what: 'the audit rule allowing 2 or more rows per write',
    file: 'server/http/route_definition.ts',
    find: '!SAFE_METHODS.includes(definition.method) && auditCount !== 1',
    replace: '!SAFE_METHODS.includes(definition.method) && auditCount < 1',
    tests: ['tests/integration/database_rules.test.ts'],
  },
  {
    name: 'reverify-new-number',
    what: 'a re-verified case getting a new case number',
    file: 'server/violations/case_transitions.ts',
    find: "if (request.event === 'verify' && caseNumber === null && state.jurisdiction_code !== null) {",
    replace: "if (request.event === 'verify' && state.jurisdiction_code !== null) {",
    tests: ['tests/integration/database_rules.test.ts'],
  },
  {
    name: 'ad-band-inclusive',
    what: 'the Henan expressway billboard band starting at 30 m inclusive instead of exclusive',
    file: 'server/domain/violation_verdict.ts',
    find: 'distance > controlMeters &&',
    replace: 'distance >= controlMeters &&',
    tests: ['tests/unit/domain/legal_edges.test.ts'],
  },
  {
    name: 'missing-confidence-zero',
    what: 'a detection without confidence counted as confidence 0 in the priority SQL',
    file: 'server/detections/queries.ts',
    find: "coalesce(s.confidence, ($5::json ->> 'missingConfidence')::float8)",
    replace: 'coalesce(s.confidence, 0)',
    tests: ['tests/integration/sql_formula_edges.test.ts'],
  },
  {
    name: 'stake-digits',
    what: 'the stake parser accepting only up to 3-digit kilometres (K1234+000 refused)',
    file: 'server/domain/stake.ts',
    find: 'const STAKE_PATTERN = /^K(\\d{1,4})\\+',
    replace: 'const STAKE_PATTERN = /^K(\\d{1,3})\\+',
    tests: ['tests/unit/domain/legal_edges.test.ts'],
  },
  {
    name: 'viewer-records-findings',
    what: 'viewer may record findings (was caught only by a photo test, not by the authorization matrix)',
    file: 'server/domain/roles.ts',
    find: "'findings.record': ['admin', 'manager', 'officer', 'patrol'],",
    replace: "'findings.record': ['admin', 'manager', 'officer', 'patrol', 'viewer'],",
    tests: ['tests/integration/authorization_matrix.test.ts'],
  },
];

interface RunResult {
  exitCode: number;
  failed: string[];
  passed: number;
}

function runTests(files: string[], reportDir: string, label: string): RunResult {
  const report = path.join(reportDir, `${label}.json`);
  const run = spawnSync('npx', ['vitest', 'run', ...files, '--reporter=json', `--outputFile=${report}`], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, REGEN: '', REGEN_INPUTS: '' },
    maxBuffer: 64 * 1024 * 1024,
  });
  let failed: string[] = [];
  let passed = 0;
  try {
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      numPassedTests: number;
      testResults: { name: string; message?: string; assertionResults: { status: string; fullName: string }[] }[];
    };
    passed = json.numPassedTests;
    failed = json.testResults.flatMap((file) => {
      const tests = file.assertionResults.filter((test) => test.status === 'failed').map((test) => test.fullName);
      return tests.length === 0 && file.message ? [`${path.relative(ROOT, file.name)}: ${file.message.split('\n')[0]}`] : tests;
    });
  } catch {
    failed = [`no test report (${run.stderr.split('\n').slice(-3).join(' ')})`];
  }
  return { exitCode: run.status ?? 1, failed, passed };
}

const selected = process.argv.slice(2);
const bugs = selected.length > 0 ? BUGS.filter((bug) => selected.includes(bug.name)) : BUGS;
if (bugs.length === 0) {
  console.error(`no such bug; names: ${BUGS.map((bug) => bug.name).join(', ')}`);
  process.exit(2);
}

const reportDir = mkdtempSync(path.join(os.tmpdir(), 'luyu-plant-'));
const originals = new Map<string, string>();
const restoreAll = () => {
  for (const [file, text] of originals) writeFileSync(path.join(ROOT, file), text);
  originals.clear();
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    restoreAll();
    process.exit(130);
  });
}

console.log(`database: ${process.env.DATABASE_URL ? 'DATABASE_URL (PostgreSQL)' : 'embedded PGlite'}`);
const allTests = [...new Set(bugs.flatMap((bug) => bug.tests))];
const baseline = runTests(allTests, reportDir, 'baseline');
console.log(`baseline (nothing planted): ${baseline.passed} passed, ${baseline.failed.length} failed in ${allTests.join(' ')}`);
let ok = baseline.exitCode === 0 && baseline.failed.length === 0;
if (!ok) for (const name of baseline.failed) console.log(`  baseline failure: ${name}`);

for (const bug of bugs) {
  const fullPath = path.join(ROOT, bug.file);
  const text = readFileSync(fullPath, 'utf8');
  const occurrences = text.split(bug.find).length - 1;
  if (occurrences !== 1) {
    console.log(`NOT PLANTED  ${bug.name}: the text to replace occurs ${occurrences} times in ${bug.file}`);
    ok = false;
    continue;
  }
  originals.set(bug.file, text);
  try {
    writeFileSync(fullPath, text.replace(bug.find, bug.replace));
    const result = runTests(bug.tests, reportDir, bug.name);
    const caught = result.exitCode !== 0 && result.failed.length > 0;
    if (!caught) ok = false;
    console.log(`${caught ? 'CAUGHT  ' : 'SURVIVED'}  ${bug.name}: ${bug.what}`);
    console.log(`          ${bug.file}: ${JSON.stringify(bug.find)} → ${JSON.stringify(bug.replace)}`);
    for (const name of result.failed.slice(0, 4)) console.log(`          failed: ${name}`);
    if (result.failed.length > 4) console.log(`          … and ${result.failed.length - 4} more`);
  } finally {
    restoreAll();
  }
  if (readFileSync(fullPath, 'utf8') !== text) throw new Error(`${bug.file} was not restored`);
}
rmSync(reportDir, { recursive: true, force: true });
console.log(ok ? 'every planted bug was caught; files restored' : 'SOME PLANTED BUG SURVIVED OR WAS NOT PLANTED; files restored');
process.exit(ok ? 0 : 1);
