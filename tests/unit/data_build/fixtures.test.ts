import { describe, expect, it } from 'vitest';
import { cutFixtureText, expectedFixtureText, fixtureCases, mergeFixtureText, readFixtureWays } from './fixture_harness.ts';

// Turf-style fixture loop: in/<case>.geojson → out/<case>.geojson. `REGEN=1 npx vitest run
// tests/unit/data_build` rewrites the outputs; review the diff before committing it.
describe.each([
  { folder: 'merge_carriageways', run: (path: string) => mergeFixtureText(readFixtureWays(path)) },
  { folder: 'cut_segments', run: (path: string) => cutFixtureText(readFixtureWays(path)).text },
])('$folder fixtures', ({ folder, run }) => {
  const cases = fixtureCases(folder);

  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases)('$name', (fixture) => {
    const actual = run(fixture.inputPath);
    const expected = expectedFixtureText(fixture, actual);
    expect(expected, `missing ${fixture.outputPath}; run with REGEN=1 to create it`).not.toBeNull();
    expect(JSON.parse(actual)).toEqual(JSON.parse(expected ?? 'null'));
  });
});
