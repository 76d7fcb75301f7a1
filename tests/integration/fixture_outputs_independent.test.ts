import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as turf from '@turf/turf';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database.ts';

/**
 * The committed out/ fixture files were first written by the code under test (REGEN=1). This file
 * re-derives their key numbers another way — Turf.js geodesy in JavaScript instead of PostGIS, and
 * the law's widths typed from DOMAIN.md — so a value that was only generated is checked by a second,
 * independent computation. See the README in each tests/fixtures/<name>/out directory.
 */

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

let db: Database;
beforeAll(async () => {
  db = await openDatabase(inject('databaseUrl'));
});
afterAll(async () => {
  await db.close();
});

function stakeMeters(stake: string): number {
  const [, km, m] = /^K(\d{1,4})\+(\d{3})$/.exec(stake)!;
  return Number(km) * 1000 + Number(m);
}

describe('locate_violation/out: route, stake and offset re-derived with Turf', () => {
  const cases = readdirSync(path.join(FIXTURES, 'locate_violation', 'out'))
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.replace(/\.json$/, ''));

  it.each(cases)('%s', async (name) => {
    const out = readJson(path.join(FIXTURES, 'locate_violation', 'out', `${name}.json`));
    const input = readJson(path.join(FIXTURES, 'locate_violation', 'in', `${name}.geojson`)) as GeoJSON.Feature<GeoJSON.Point | GeoJSON.Polygon>;
    // A polygon is located at its point on surface (the locator's documented rule); that point is taken
    // from PostGIS, everything measured from it is Turf's.
    const surface = await db.pool.query<{ point: GeoJSON.Point }>('SELECT ST_AsGeoJSON(ST_PointOnSurface(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)), 9)::json AS point', [
      JSON.stringify(input.geometry),
    ]);
    const point = turf.point(surface.rows[0]!.point.coordinates);
    // Every segment within ~1 km, as plain GeoJSON: the nearest one is chosen here by Turf, not by the locator.
    const segments = await db.pool.query<{ route_code: string; direction: number; chainage_from_meters: number; chainage_to_meters: number; line: GeoJSON.LineString }>(
      `SELECT route_code, direction, chainage_from_meters, chainage_to_meters, ST_AsGeoJSON(ST_Force2D(centreline), 8)::json AS line
       FROM segments WHERE ST_DWithin(centreline, ST_SetSRID(ST_MakePoint($1, $2), 4326), 0.012)`,
      point.geometry.coordinates,
    );
    const ranked = segments.rows
      .map((row) => ({ row, meters: turf.pointToLineDistance(point, turf.lineString(row.line.coordinates), { units: 'meters' }) }))
      .sort((a, b) => a.meters - b.meters);
    const nearest = ranked[0];
    if (out.route === null) {
      // The out file says "no road within the 500 m search radius": Turf agrees.
      expect(nearest === undefined || nearest.meters > 500).toBe(true);
      return;
    }
    expect(nearest, `${name}: a segment near the point`).toBeDefined();
    // Ties between the two carriageways of a divided road are decided by direction in the locator;
    // accept any segment of the reported route within a metre of the nearest distance.
    const candidates = ranked.filter((entry) => entry.row.route_code === out.route && entry.meters <= nearest!.meters + 1);
    expect(candidates.length, `${name}: ${out.route} is the nearest route (Turf found ${nearest!.row.route_code})`).toBeGreaterThan(0);
    const chosen = candidates.find((entry) => entry.row.direction === out.direction) ?? candidates[0]!;
    // A point's offset is its distance to the centreline; a polygon's is that of its nearest part (a
    // structure is in a zone when any of it is): the nearest vertex, for these small squares.
    const offset =
      input.geometry.type === 'Point'
        ? chosen.meters
        : Math.min(...input.geometry.coordinates[0]!.map((vertex) => turf.pointToLineDistance(turf.point(vertex), turf.lineString(chosen.row.line.coordinates), { units: 'meters' })));
    expect(Math.abs(offset - out.offsetMeters), `${name}: offset ${out.offsetMeters} vs Turf ${offset.toFixed(2)} m`).toBeLessThanOrEqual(1);
    // Chainage along the drawn line from its start, scaled to the segment's chainage range.
    const line = turf.lineString(chosen.row.line.coordinates);
    const along = turf.length(turf.lineSlice(turf.point(chosen.row.line.coordinates[0]!), turf.nearestPointOnLine(line, point), line), { units: 'meters' });
    const fraction = along / turf.length(line, { units: 'meters' });
    const { chainage_from_meters: from, chainage_to_meters: to } = chosen.row;
    const chainage = chosen.row.direction === 1 || from <= to ? from + fraction * (to - from) : from - fraction * (from - to);
    expect(Math.abs(chainage - stakeMeters(out.stake)), `${name}: stake ${out.stake} vs Turf ${chainage.toFixed(1)} m`).toBeLessThanOrEqual(3);
  });
});

describe('cut_segments/out: chainage ranges are the lengths of the cut pieces (Turf geodesic length)', () => {
  const cases = readdirSync(path.join(FIXTURES, 'cut_segments', 'out')).filter((name) => name.endsWith('.geojson'));

  it.each(cases)('%s', (name) => {
    const out = readJson(path.join(FIXTURES, 'cut_segments', 'out', name)) as GeoJSON.FeatureCollection<GeoJSON.LineString, { chainageFromMeters: number; chainageToMeters: number }>;
    expect(out.features.length).toBeGreaterThan(0);
    for (const feature of out.features) {
      const { chainageFromMeters, chainageToMeters } = feature.properties;
      const meters = turf.length(turf.lineString(feature.geometry.coordinates.map((c) => [c[0]!, c[1]!])), { units: 'meters' });
      // Chainage is measured along the merged chain, so a piece's range equals its own length (±0.5 %).
      expect(Math.abs(Math.abs(chainageToMeters - chainageFromMeters) - meters), `${name}: ${chainageFromMeters}–${chainageToMeters} vs ${meters.toFixed(1)} m`).toBeLessThanOrEqual(Math.max(1, meters * 0.005));
      // Pieces are cut at whole kilometres of chainage (DOMAIN.md: stakes every kilometre), at most 1 km long.
      expect(Math.abs(chainageToMeters - chainageFromMeters)).toBeLessThanOrEqual(1000 + 1e-6);
    }
  });

  it.each([
    ['straight_2500m', [[0, 1000], [1000, 2000], [2000, 2500]]],
    // The 500 m gap is counted: stakes on the ground continue across it.
    ['gap_500m_chainage_continues', [[0, 1000], [1000, 1200], [1700, 2000], [2000, 2300]]],
  ])('%s by hand', (name, ranges) => {
    const out = readJson(path.join(FIXTURES, 'cut_segments', 'out', `${name}.geojson`)) as GeoJSON.FeatureCollection<GeoJSON.LineString, { chainageFromMeters: number; chainageToMeters: number }>;
    expect(out.features.map((feature) => [feature.properties.chainageFromMeters, feature.properties.chainageToMeters])).toEqual(ranges);
  });
});

describe('classify_detection/out: zone overlap areas re-derived with Turf', () => {
  const cases = readdirSync(path.join(FIXTURES, 'classify_detection', 'out')).filter((name) => name.endsWith('.json'));

  it.each(cases)('%s', async (name) => {
    const out = readJson(path.join(FIXTURES, 'classify_detection', 'out', name)) as { detections: { featureIndex: number; zones: { kind: string; overlapSquareMeters: number }[] }[] };
    const input = readJson(path.join(FIXTURES, 'classify_detection', 'in', name.replace(/\.json$/, '.geojson'))) as GeoJSON.FeatureCollection & { crs?: string };
    if (input.crs === 'GCJ02') return; // converted to WGS84 before classification: compared in detections_classify.test.ts
    for (const detection of out.detections) {
      const feature = input.features[detection.featureIndex]!;
      if (!turf.booleanValid(feature)) continue; // repaired by PostGIS first (self_intersecting_ring): no independent repair here
      const shape = feature as GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon>;
      for (const zone of detection.zones) {
        const pieces = await db.pool.query<{ geom: GeoJSON.Polygon | GeoJSON.MultiPolygon }>(
          `SELECT ST_AsGeoJSON(ST_Force2D(geom), 9)::json AS geom FROM protection_zones
           WHERE kind = $1 AND ST_Intersects(geom, ST_SetSRID(ST_GeomFromGeoJSON($2), 4326))`,
          [zone.kind, JSON.stringify(shape.geometry)],
        );
        const union = pieces.rows.reduce<GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon> | null>(
          (sum, row) => (sum === null ? turf.feature(row.geom) : turf.union(turf.featureCollection([sum, turf.feature(row.geom)]))),
          null,
        );
        const overlap = union ? turf.intersect(turf.featureCollection([shape, union])) : null;
        const squareMeters = overlap ? turf.area(overlap) : 0;
        expect(Math.abs(squareMeters - zone.overlapSquareMeters), `${name} #${detection.featureIndex} ${zone.kind}: ${zone.overlapSquareMeters} m² vs Turf ${squareMeters.toFixed(1)} m²`).toBeLessThanOrEqual(Math.max(1.5, zone.overlapSquareMeters * 0.02));
      }
    }
  });
});
