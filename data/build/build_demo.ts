/**
 * Builds the bundled demo data set (data/demo/*) from the OSM and boundary extracts in
 * data/source. Pure TypeScript + Turf, no database. Deterministic: the same input gives
 * byte-identical files. Run with `npm run data:build`; rules are described in data/README.md.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FeatureCollection, Geometry } from 'geojson';
import { buildBasemapRoads } from './basemap_roads.ts';
import type { RouteSegment } from './cut_segments.ts';
import { segmentFeature, structureFeature } from './demo_features.ts';
import type { RouteStructure } from './extract_structures.ts';
import { buildJurisdictions } from './jurisdictions.ts';
import { buildRouteCatalog, type RouteRecord } from './route_catalog.ts';
import type { ChainageConflict } from './resolve_chainage_overlaps.ts';
import { buildRouteNetwork } from './route_network.ts';
import { roundMeters } from './round_numbers.ts';
import { readSourceWays } from './source_ways.ts';
import { featureCollectionText, jsonText, writeTextFile } from './write_geojson.ts';

/** The project root (two levels above this file). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SOURCE_ROADS_PATH = join(PROJECT_ROOT, 'data', 'source', 'zhengzhou_roads_osm.geojson');
export const SOURCE_DISTRICTS_PATH = join(PROJECT_ROOT, 'data', 'source', 'zhengzhou_districts_wgs84.geojson');
export const DEMO_DIRECTORY = join(PROJECT_ROOT, 'data', 'demo');

/** The five output files, by file name, plus what the summary needs. */
export interface DemoBuild {
  files: Map<string, string>;
  routes: RouteRecord[];
  segments: RouteSegment[];
  structures: RouteStructure[];
  warnings: string[];
  /** Per route, parts of lines moved to a chainage range of their own or left out (one stake, one cross-section). */
  chainageConflicts: { routeCode: string; conflict: ChainageConflict }[];
  adoptedWays: { osmId: string; routeCode: string }[];
}

function readFeatureCollection(path: string): FeatureCollection<Geometry | null> {
  return JSON.parse(readFileSync(path, 'utf8')) as FeatureCollection<Geometry | null>;
}

/** Builds every output in memory. */
export function buildDemoData(roadsPath = SOURCE_ROADS_PATH, districtsPath = SOURCE_DISTRICTS_PATH): DemoBuild {
  const ways = readSourceWays(readFeatureCollection(roadsPath));
  const catalog = buildRouteCatalog(ways);
  const segments: RouteSegment[] = [];
  const structures: RouteStructure[] = [];
  const warnings: string[] = [];
  const chainageConflicts: DemoBuild['chainageConflicts'] = [];
  for (const route of catalog.routes) {
    const network = buildRouteNetwork(route.code, catalog.waysByRouteCode.get(route.code) ?? []);
    segments.push(...network.segments);
    structures.push(...network.structures);
    warnings.push(...network.warnings);
    chainageConflicts.push(...network.chainageConflicts.map((conflict) => ({ routeCode: route.code, conflict })));
  }
  const files = new Map<string, string>([
    ['routes.json', jsonText(catalog.routes)],
    ['segments.geojson', featureCollectionText(segments.map(segmentFeature))],
    ['structures.geojson', featureCollectionText(structures.map(structureFeature))],
    ['basemap_roads.geojson', featureCollectionText(buildBasemapRoads(ways))],
    ['jurisdictions.geojson', featureCollectionText(buildJurisdictions(readFeatureCollection(districtsPath)))],
  ]);
  return { files, routes: catalog.routes, segments, structures, warnings, chainageConflicts, adoptedWays: catalog.adoptedWays };
}

function kilometers(meters: number): string {
  return (meters / 1000).toFixed(2);
}

/** Human-readable summary printed after a build. */
export function summarizeDemoBuild(build: DemoBuild): string[] {
  const lines: string[] = [];
  const demoCount = build.routes.filter((route) => route.isDemoCode).length;
  lines.push(`routes: ${build.routes.length} (${build.routes.length - demoCount} real refs, ${demoCount} demo X9NN codes)`);
  for (const route of build.routes) {
    const parts = ([1, -1] as const).map((direction) => {
      const ofDirection = build.segments.filter((segment) => segment.routeCode === route.code && segment.direction === direction);
      const lengthMeters = ofDirection.reduce((sum, segment) => sum + segment.lengthMeters, 0);
      return `${direction === 1 ? '+' : '−'} ${ofDirection.length} seg ${kilometers(lengthMeters)} km`;
    });
    lines.push(`  ${route.code.padEnd(5)} ${route.adminClass.padEnd(10)} ${parts.join(' | ')}  ${route.name}`);
  }
  const totalMeters = build.segments.reduce((sum, segment) => sum + segment.lengthMeters, 0);
  lines.push(`segments: ${build.segments.length}, ${kilometers(totalMeters)} km of carriageway centreline`);
  const classCounts = new Map<string, number>();
  for (const structure of build.structures) {
    const key = `${structure.kind}/${structure.sizeClass}`;
    classCounts.set(key, (classCounts.get(key) ?? 0) + 1);
  }
  const classText = [...classCounts.entries()]
    .sort((first, second) => (first[0] < second[0] ? -1 : 1))
    .map(([key, count]) => `${key} ${count}`)
    .join(', ');
  lines.push(`structures: ${build.structures.length} (${classText})`);
  for (const direction of [1, -1] as const) {
    const lengths = build.segments.filter((segment) => segment.direction === direction).map((segment) => segment.lengthMeters);
    const shortCount = lengths.filter((lengthMeters) => lengthMeters < 10).length;
    lines.push(`${direction === 1 ? '+' : '−'} segments: longest ${roundMeters(Math.max(...lengths))} m, ${shortCount} shorter than 10 m (line ends just past a stake)`);
  }
  const conflictRoutes = [...new Set(build.chainageConflicts.map((entry) => entry.routeCode))];
  lines.push(`chainage overlaps resolved (one stake, one cross-section per direction): ${conflictRoutes.length === 0 ? 'none' : conflictRoutes.join(', ')}`);
  for (const { routeCode, conflict } of build.chainageConflicts) {
    const part = `${routeCode} ${conflict.direction === 1 ? '+' : '−'} ${conflict.fromMeters}–${conflict.toMeters} (${conflict.lengthMeters} m, ${conflict.osmIds.join(', ')})`;
    lines.push(
      conflict.ownFromMeters === null
        ? `  ${part}: left out of the segments (sliver < 200 m)`
        : `  ${part}: own chainage from K${Math.floor(conflict.ownFromMeters / 1000)}+000`,
    );
  }
  for (const adopted of build.adoptedWays) lines.push(`adopted unreferenced ${adopted.osmId} into ${adopted.routeCode} (fills a hole)`);
  return lines;
}

function main(): void {
  const build = buildDemoData();
  for (const [fileName, text] of build.files) writeTextFile(join(DEMO_DIRECTORY, fileName), text);
  for (const warning of build.warnings) console.warn(`warning: ${warning}`);
  for (const line of summarizeDemoBuild(build)) console.log(line);
  console.log(`wrote ${[...build.files.keys()].map((name) => `data/demo/${name}`).join(', ')}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
