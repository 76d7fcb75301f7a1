/**
 * Per-module mutation scores and the surviving mutants from StrykerJS JSON reports, as Markdown
 * (pasted into docs/testing.md). Usage: node --import tsx scripts/mutation_summary.ts [report.json …]
 * (no arguments: every module report in reports/mutation/domain/, then reports/mutation/http.json if present).
 * Score = (killed + timeout) ÷ (killed + timeout + survived + no coverage), as Stryker counts it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface Mutant {
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}

const DOMAIN_REPORTS = 'reports/mutation/domain';
const HTTP_REPORT = 'reports/mutation/http.json';
const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : [
        ...readdirSync(DOMAIN_REPORTS)
          .filter((name) => name.endsWith('.json') && !name.endsWith('.incremental.json'))
          .sort()
          .map((name) => path.join(DOMAIN_REPORTS, name)),
        ...(existsSync(HTTP_REPORT) ? [HTTP_REPORT] : []),
      ];

interface Counts {
  mutants: number;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
}
const empty = (): Counts => ({ mutants: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0 });
const score = (counts: Counts) => {
  const valid = counts.killed + counts.timeout + counts.survived + counts.noCoverage;
  return valid === 0 ? '—' : `${((100 * (counts.killed + counts.timeout)) / valid).toFixed(1)} %`;
};
const row = (name: string, counts: Counts, bold = false) => {
  const cells = [name, counts.mutants, counts.killed, counts.survived, counts.timeout, counts.noCoverage, score(counts)].map(String);
  return `| ${(bold ? cells.map((cell) => `**${cell}**`) : cells).join(' | ')} |`;
};

const rows: string[] = [];
const survivors: string[] = [];
const domainTotal = empty();
for (const file of files) {
  const report = JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, { source: string; mutants: Mutant[] }> };
  for (const [name, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    const counts: Counts = {
      mutants: mutants.length,
      killed: mutants.filter((mutant) => mutant.status === 'Killed').length,
      timeout: mutants.filter((mutant) => mutant.status === 'Timeout').length,
      survived: mutants.filter((mutant) => mutant.status === 'Survived').length,
      noCoverage: mutants.filter((mutant) => mutant.status === 'NoCoverage').length,
    };
    rows.push(row(name, counts));
    if (name.startsWith('server/domain/')) for (const key of Object.keys(counts) as (keyof Counts)[]) domainTotal[key] += counts[key];
    const lines = source.split('\n');
    const undetected = mutants.filter((mutant) => mutant.status === 'Survived' || mutant.status === 'NoCoverage');
    for (const mutant of undetected.sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column)) {
      const code = (lines[mutant.location.start.line - 1] ?? '').trim().slice(0, 90).replaceAll('|', '\\|');
      survivors.push(
        `| ${name}:${mutant.location.start.line}:${mutant.location.start.column} | ${mutant.mutatorName}${mutant.status === 'NoCoverage' ? ' (no coverage)' : ''} | \`${(mutant.replacement ?? '').replaceAll('\n', ' ').slice(0, 60).replaceAll('|', '\\|')}\` | \`${code}\` |`,
      );
    }
  }
}
console.log('| module | mutants | killed | survived | timeout | no coverage | score |');
console.log('|---|---|---|---|---|---|---|');
for (const line of rows) console.log(line);
if (domainTotal.mutants > 0) console.log(row('server/domain (all)', domainTotal, true));
console.log('\nSurviving mutants:\n');
console.log('| where | mutator | replacement | line |');
console.log('|---|---|---|---|');
for (const line of survivors) console.log(line);
