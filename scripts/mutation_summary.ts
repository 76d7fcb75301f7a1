/**
 * Per-module mutation scores and the surviving mutants from StrykerJS JSON reports, as Markdown
 * (pasted into docs/testing.md). Usage: node --import tsx scripts/mutation_summary.ts reports/mutation/domain.json …
 */
import { readFileSync } from 'node:fs';

interface Mutant {
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: { line: number; column: number } };
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

const rows: string[] = [];
const survivors: string[] = [];
let totalDetected = 0;
let totalUndetected = 0;
for (const file of process.argv.slice(2)) {
  const report = JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, { source: string; mutants: Mutant[] }> };
  for (const [name, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    const detected = mutants.filter((mutant) => DETECTED.has(mutant.status)).length;
    const undetected = mutants.filter((mutant) => UNDETECTED.has(mutant.status));
    totalDetected += detected;
    totalUndetected += undetected.length;
    const valid = detected + undetected.length;
    rows.push(`| ${name} | ${valid === 0 ? '—' : ((100 * detected) / valid).toFixed(1)} % | ${detected} | ${undetected.length} | ${mutants.length - valid} |`);
    const lines = source.split('\n');
    for (const mutant of undetected.sort((a, b) => a.location.start.line - b.location.start.line)) {
      const code = (lines[mutant.location.start.line - 1] ?? '').trim().slice(0, 90).replaceAll('|', '\\|');
      survivors.push(`| ${name}:${mutant.location.start.line} | ${mutant.mutatorName}${mutant.status === 'NoCoverage' ? ' (no coverage)' : ''} | \`${(mutant.replacement ?? '').replaceAll('\n', ' ').slice(0, 50).replaceAll('|', '\\|')}\` | \`${code}\` |`);
    }
  }
}
const all = totalDetected + totalUndetected;
console.log('| module | score | killed | survived | not counted (compile error, ignored) |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
console.log(`| **all** | **${all === 0 ? '—' : ((100 * totalDetected) / all).toFixed(1)} %** | ${totalDetected} | ${totalUndetected} | |`);
console.log('\nSurviving mutants:\n');
console.log('| where | mutator | replacement | line |');
console.log('|---|---|---|---|');
for (const line of survivors) console.log(line);
