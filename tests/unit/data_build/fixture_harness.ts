import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FeatureCollection, Geometry } from 'geojson';
import { segmentFeature } from '../../../data/build/demo_features.ts';
import { mergeCarriageways } from '../../../data/build/merge_carriageways.ts';
import { buildRouteNetwork, type RouteNetwork } from '../../../data/build/route_network.ts';
import { roundMeters } from '../../../data/build/round_numbers.ts';
import { readSourceWays, type SourceWay } from '../../../data/build/source_ways.ts';

export const FIXTURES_DIRECTORY = join(import.meta.dirname, '..', '..', 'fixtures');

/** Route code given to fixture ways (they carry no ref). */
export const FIXTURE_ROUTE_CODE = 'X901';

export interface FixtureCase {
  name: string;
  inputPath: string;
  outputPath: string;
}

/** Every `in/<case>.geojson` of one fixture folder, with its `out/` twin, in name order. */
export function fixtureCases(folder: string): FixtureCase[] {
  const inputDirectory = join(FIXTURES_DIRECTORY, folder, 'in');
  return readdirSync(inputDirectory)
    .filter((file) => file.endsWith('.geojson'))
    .sort()
    .map((file) => ({
      name: basename(file, '.geojson'),
      inputPath: join(inputDirectory, file),
      outputPath: join(FIXTURES_DIRECTORY, folder, 'out', file),
    }));
}

export function readFixtureWays(path: string): SourceWay[] {
  return readSourceWays(JSON.parse(readFileSync(path, 'utf8')) as FeatureCollection<Geometry | null>);
}

/** A FeatureCollection with extra top-level members, one feature per line (like data/demo). */
function collectionText(members: Record<string, unknown>, features: unknown[]): string {
  const head = JSON.stringify({ type: 'FeatureCollection', ...members }).slice(0, -1);
  return `${head},"features":[\n${features.map((feature) => JSON.stringify(feature)).join(',\n')}\n]}\n`;
}

/** merge_carriageways output: each merged line with its direction, ways and bridged gaps. */
export function mergeFixtureText(ways: SourceWay[]): string {
  const merged = mergeCarriageways(ways);
  return collectionText(
    { axis: merged.axis },
    merged.carriageways.map((carriageway) => ({
      type: 'Feature',
      properties: {
        direction: carriageway.direction,
        osmIds: carriageway.pieces.map((piece) => piece.way.osmId),
        joinedGapsMeters: carriageway.joinedGapsMeters.map(roundMeters),
      },
      geometry: { type: 'LineString', coordinates: carriageway.coordinates },
    })),
  );
}

/** cut_segments output: the segments exactly as data/demo/segments.geojson holds them, plus warnings. */
export function cutFixtureText(ways: SourceWay[]): { text: string; network: RouteNetwork } {
  const network = buildRouteNetwork(FIXTURE_ROUTE_CODE, ways);
  return { text: collectionText({ warnings: network.warnings }, network.segments.map(segmentFeature)), network };
}

/** Writes the output when REGEN=1, otherwise returns the committed one (null when missing). */
export function expectedFixtureText(fixture: FixtureCase, actualText: string): string | null {
  if (process.env.REGEN === '1') {
    writeFileSync(fixture.outputPath, actualText, 'utf8');
    return actualText;
  }
  return existsSync(fixture.outputPath) ? readFileSync(fixture.outputPath, 'utf8') : null;
}
