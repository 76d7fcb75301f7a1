import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database.ts';
import { detectionPriority } from '../../server/domain/detection_rules.ts';
import type { ZoneKind } from '../../server/domain/zones.ts';
import { ingestDetectionFeatures, type IngestFlow } from '../../server/detections/service.ts';
import type { DetectionCrs } from '../../server/detections/types.ts';
import { generateDetections } from '../../bench/detections/generate_detections.ts';
import { selectClassifiedRows } from '../../bench/detections/compare_classifications.ts';
import { squareAround } from './helpers/detection_files.ts';
import { districtSegments, pointBeside } from './helpers/violation_fixtures.ts';

/**
 * Turf-style classification fixtures: tests/fixtures/classify_detection/in/<case>.geojson (a
 * FeatureCollection; foreign member `crs` = WGS84 | GCJ02) → out/<case>.json (what classification
 * records). REGEN=1 rewrites the out files (REGEN_INPUTS=1 also rebuilds the inputs from the demo
 * network); review the diff before committing. Plus the cross-case properties the files cannot say.
 */
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/classify_detection');

let db: Database;
const results = new Map<string, { batch: { total: number; repaired: number }; detections: Record<string, unknown>[] }>();
const inputs = new Map<string, GeoJSON.FeatureCollection & { crs?: DetectionCrs }>();

const collection = (features: GeoJSON.Feature[], crs: DetectionCrs = 'WGS84') => ({ type: 'FeatureCollection' as const, crs, features });
const change = (geometry: GeoJSON.Geometry, changeType: string, confidence: number): GeoJSON.Feature => ({ type: 'Feature', geometry, properties: { changeType, confidence } });

const ALL_ZONES = ['road_land', 'building_control', 'excavation_ban', 'settlement_setback', 'bridge_range', 'tunnel_range'];

/** The first candidate inside 410104 touching every `required` zone kind, no `forbidden` one, no violation or detection. */
async function firstWhere(candidates: GeoJSON.Polygon[], required: string[], forbidden: string[]): Promise<GeoJSON.Polygon> {
  const result = await db.pool.query<{ ordinal: number }>(
    `WITH input AS (
       SELECT ordinal, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) AS geom FROM json_array_elements_text($1::json) WITH ORDINALITY AS t(g, ordinal)
     ), kinds AS (
       SELECT i.ordinal, i.geom, ARRAY(SELECT DISTINCT z.kind FROM protection_zones z WHERE ST_Intersects(z.geom, i.geom)) AS kinds FROM input i
     )
     SELECT ordinal::integer FROM kinds k
     WHERE k.kinds @> $2::text[] AND NOT (k.kinds && $3::text[])
       AND ST_Within(k.geom, (SELECT boundary FROM jurisdictions WHERE code = '410104'))
       AND NOT EXISTS (SELECT 1 FROM violations v WHERE ST_DWithin(v.geom, k.geom, 0.0003))
       AND NOT EXISTS (SELECT 1 FROM detections d WHERE ST_Intersects(d.geom, k.geom))
     ORDER BY ordinal LIMIT 1`,
    [JSON.stringify(candidates.map((candidate) => JSON.stringify(candidate))), required, forbidden],
  );
  if (!result.rows[0]) throw new Error(`no candidate touches ${required.join('+')} without ${forbidden.join(', ')}`);
  return candidates[result.rows[0].ordinal - 1]!;
}

/** Builds the input files from the demo network (only with REGEN_INPUTS=1). */
async function buildInputs(): Promise<void> {
  const segments = (await districtSegments(db.pool, '410104')).slice(0, 40);
  const around = (offset: (halfWidth: number) => number, halfSide: number) =>
    segments.flatMap((s) => [0.2, 0.35, 0.5, 0.65, 0.8].flatMap((fraction) => ([1, -1] as const).map((side) => squareAround(pointBeside(s.line, fraction, offset(s.road_land_half_width_meters), side).coordinates, halfSide))));
  const bridges = await db.pool.query<{ line: GeoJSON.LineString }>(
    `SELECT ST_AsGeoJSON(geom, 7)::json AS line FROM road_structures WHERE kind = 'bridge' AND size_class IN ('medium', 'large', 'extra_large') AND jurisdiction_code = '410104' ORDER BY id`,
  );
  const crossing = await db.pool.query<{ point: GeoJSON.Point }>(
    `SELECT ST_AsGeoJSON(x.geom, 7)::json AS point FROM (
       SELECT (ST_Dump(ST_Intersection(ST_Force2D(s.centreline), ST_Boundary(a.boundary)))).geom AS geom, s.id
       FROM segments s, jurisdictions a WHERE a.code = '410104' AND ST_Intersects(s.centreline, ST_Boundary(a.boundary))) x, jurisdictions b
     WHERE b.code = '410105' AND GeometryType(x.geom) = 'POINT' AND ST_DWithin(x.geom, b.boundary, 0.00001) ORDER BY x.id DESC LIMIT 1`,
  );
  const edge = await firstWhere(around((hw) => hw, 5), ['road_land', 'building_control'], ['bridge_range', 'tunnel_range']);
  const bridgeCandidates = bridges.rows.flatMap((row) =>
    [0.3, 0.5, 0.7].flatMap((fraction) => [40, 70, 100, 130].flatMap((offset) => ([1, -1] as const).map((side) => squareAround(pointBeside(row.line, fraction, offset, side).coordinates, 10)))),
  );
  const nearBridge = await firstWhere(bridgeCandidates, ['bridge_range'], ['road_land', 'building_control', 'tunnel_range']);
  const control = await firstWhere(around((hw) => hw + 7, 3), ['building_control'], ['road_land', 'bridge_range', 'tunnel_range']);
  const control2 = await firstWhere(around((hw) => hw + 8, 3).reverse(), ['building_control'], ['road_land', 'bridge_range', 'tunnel_range']);
  const ban = await firstWhere(around((hw) => hw + 60, 6), ['excavation_ban'], ['road_land', 'building_control', 'bridge_range', 'tunnel_range']);
  const outside = await firstWhere(around(() => 900, 6), [], ALL_ZONES);
  const [cx, cy] = crossing.rows[0]!.point.coordinates as [number, number];
  const square = control2.coordinates[0]!;
  const toGcj = (polygon: GeoJSON.Polygon): GeoJSON.Polygon => ({
    type: 'Polygon',
    coordinates: polygon.coordinates.map((ring) => ring.map((p) => (gcoord.transform([p[0]!, p[1]!], gcoord.WGS84, gcoord.GCJ02) as number[]).map((v) => Math.round(v * 1e7) / 1e7))),
  });
  const cases: Record<string, ReturnType<typeof collection>> = {
    road_land_and_control_zone: collection([change(edge, 'new_building', 0.9)]),
    bridge_range: collection([change(nearBridge, 'bare_soil', 0.75)]),
    district_boundary: collection([change(squareAround([cx + 0.00005, cy + 0.00002], 20), 'new_building', 0.66)]),
    self_intersecting_ring: collection([change({ type: 'Polygon', coordinates: [[square[0]!, square[2]!, square[1]!, square[3]!, square[0]!]] }, 'building_extension', 0.8)]),
    gcj02_input: collection([change(toGcj(control), 'temporary_structure', 72)], 'GCJ02'),
    multipolygon_one_part_in_scope: collection([change({ type: 'MultiPolygon', coordinates: [ban.coordinates, outside.coordinates] }, 'excavation_pit', 0.95)]),
  };
  mkdirSync(path.join(FIXTURES, 'in'), { recursive: true });
  for (const [name, value] of Object.entries(cases)) writeFileSync(path.join(FIXTURES, 'in', `${name}.geojson`), `${JSON.stringify(value, null, 1)}\n`);
}

async function* iterate(features: GeoJSON.Feature[]) {
  for (const feature of features) yield feature;
}

const round = (value: number | null, step = 1) => (value === null ? null : Math.round(value / step) * step);

beforeAll(async () => {
  db = await openDatabase(inject('databaseUrl'));
  if (process.env.REGEN_INPUTS === '1') await buildInputs();
  for (const name of readdirSync(path.join(FIXTURES, 'in')).filter((file) => file.endsWith('.geojson')).map((file) => file.replace(/\.geojson$/, ''))) {
    inputs.set(name, JSON.parse(readFileSync(path.join(FIXTURES, 'in', `${name}.geojson`), 'utf8')));
  }
  for (const [name, input] of inputs) {
    const { batchId } = await ingestDetectionFeatures(
      db.pool,
      { source: `fixture ${name}`, beforeDate: '2026-01-01', afterDate: '2026-02-01', crs: input.crs ?? 'WGS84', features: iterate(input.features) },
      { id: null, jurisdictionCode: '410100' },
    );
    const batch = await db.pool.query<{ total: number; repaired: number }>('SELECT total, repaired FROM detection_batches WHERE id = $1', [batchId]);
    const rows = await db.pool.query<Record<string, any>>(
      `SELECT feature_index, zones, primary_zone, in_scope, route_code, stake_from_meters, stake_to_meters, side, distance_meters, jurisdiction_code,
              candidate_category, priority, review_status, area_square_meters, confidence, change_type, ST_NumGeometries(geom) AS parts,
              ST_AsGeoJSON(ST_Centroid(geom), 7)::json AS centroid
       FROM detections WHERE batch_id = $1 ORDER BY feature_index`,
      [batchId],
    );
    results.set(name, {
      batch: batch.rows[0]!,
      detections: rows.rows.map((row) => ({
        featureIndex: row.feature_index,
        // Whole square metres and metres: sub-metre differences between PostGIS versions are not a change.
        zones: row.zones.map((zone: { kind: string; overlapSquareMeters: number }) => ({ kind: zone.kind, overlapSquareMeters: round(zone.overlapSquareMeters) })),
        primaryZone: row.primary_zone,
        inScope: row.in_scope,
        route: row.route_code,
        stakeFrom: round(row.stake_from_meters),
        stakeTo: round(row.stake_to_meters),
        side: row.side,
        distanceMeters: round(row.distance_meters),
        jurisdiction: row.jurisdiction_code,
        candidateCategory: row.candidate_category,
        priority: row.priority,
        reviewStatus: row.review_status,
        areaSquareMeters: round(row.area_square_meters),
        confidence: row.confidence,
        changeType: row.change_type,
        parts: row.parts,
        centroid: (row.centroid.coordinates as number[]).map((value) => Math.round(value * 1e5) / 1e5),
      })),
    });
  }
});

afterAll(async () => {
  await db.close();
});

describe('classification fixtures', () => {
  it('has the six edge cases', () => {
    expect([...inputs.keys()].sort()).toEqual([
      'bridge_range', 'district_boundary', 'gcj02_input', 'multipolygon_one_part_in_scope', 'road_land_and_control_zone', 'self_intersecting_ring',
    ]);
  });

  it.each([...readdirSync(path.join(FIXTURES, 'in'))].filter((file) => file.endsWith('.geojson')).map((file) => file.replace(/\.geojson$/, '')))('%s', (name) => {
    const actual = results.get(name)!;
    const outFile = path.join(FIXTURES, 'out', `${name}.json`);
    if (process.env.REGEN === '1') {
      mkdirSync(path.dirname(outFile), { recursive: true });
      writeFileSync(outFile, `${JSON.stringify(actual, null, 2)}\n`);
    }
    expect(actual).toEqual(JSON.parse(readFileSync(outFile, 'utf8')));
  });

  it('the priority in SQL is the documented formula of detection_rules.ts', () => {
    for (const { detections } of results.values()) {
      for (const detection of detections) {
        const expected = detectionPriority({
          primaryZone: detection.primaryZone as ZoneKind | null,
          areaSquareMeters: detection.areaSquareMeters as number,
          confidence: detection.confidence as number | null,
        });
        // Area is rounded to whole m² here; the formula is logarithmic, so at most 1 point apart.
        expect(Math.abs((detection.priority as number) - expected)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('a polygon across the road-land edge reports both zones with their areas, road land primary', () => {
    const [detection] = results.get('road_land_and_control_zone')!.detections;
    const kinds = (detection!.zones as { kind: string; overlapSquareMeters: number }[]).map((zone) => zone.kind);
    expect(kinds.slice(0, 2)).toEqual(['road_land', 'building_control']);
    for (const zone of (detection!.zones as { overlapSquareMeters: number }[]).slice(0, 2)) expect(zone.overlapSquareMeters).toBeGreaterThan(10);
    expect(detection).toMatchObject({ primaryZone: 'road_land', candidateCategory: 'structure', inScope: true, jurisdiction: '410104' });
  });

  it('bare soil near a medium or larger bridge is an excavation lead in the bridge range', () => {
    const [detection] = results.get('bridge_range')!.detections;
    expect((detection!.zones as { kind: string }[]).map((zone) => zone.kind)).toContain('bridge_range');
    expect(detection).toMatchObject({ primaryZone: 'bridge_range', candidateCategory: 'excavation', reviewStatus: 'pending' });
  });

  it('a polygon across the district boundary belongs to the district it overlaps most', async () => {
    const input = inputs.get('district_boundary')!.features[0]!.geometry;
    const overlaps = await db.pool.query<{ code: string }>(
      `SELECT code FROM jurisdictions WHERE code IN ('410104', '410105')
       ORDER BY ST_Area(ST_Intersection(boundary, ST_SetSRID(ST_GeomFromGeoJSON($1), 4326))::geography) DESC`,
      [JSON.stringify(input)],
    );
    const areas = await db.pool.query<{ a: number }>(
      `SELECT ST_Area(ST_Intersection(boundary, ST_SetSRID(ST_GeomFromGeoJSON($1), 4326))::geography) AS a FROM jurisdictions WHERE code IN ('410104', '410105')`,
      [JSON.stringify(input)],
    );
    expect(areas.rows.every((row) => row.a > 1)).toBe(true);
    expect(results.get('district_boundary')!.detections[0]!.jurisdiction).toBe(overlaps.rows[0]!.code);
  });

  it('a self-intersecting ring is repaired and counted', () => {
    const result = results.get('self_intersecting_ring')!;
    expect(result.batch).toEqual({ total: 1, repaired: 1 });
    expect(result.detections[0]!.areaSquareMeters as number).toBeGreaterThan(0);
  });

  it('GCJ-02 input is stored in WGS84 (about 500 m from the GCJ-02 coordinates here)', () => {
    const input = inputs.get('gcj02_input')!.features[0]!.geometry as GeoJSON.Polygon;
    const ring = input.coordinates[0]!.slice(0, 4);
    const gcjCentre = [ring.reduce((s, p) => s + p[0]!, 0) / 4, ring.reduce((s, p) => s + p[1]!, 0) / 4];
    const wgs = gcoord.transform(gcjCentre as [number, number], gcoord.GCJ02, gcoord.WGS84) as number[];
    const [detection] = results.get('gcj02_input')!.detections;
    const centroid = detection!.centroid as number[];
    expect(Math.abs(centroid[0]! - wgs[0]!)).toBeLessThan(0.00003);
    expect(Math.abs(centroid[1]! - wgs[1]!)).toBeLessThan(0.00003);
    expect(Math.abs(centroid[0]! - gcjCentre[0]!)).toBeGreaterThan(0.001);
    expect(detection).toMatchObject({ confidence: 0.72, primaryZone: 'building_control' });
  });

  it('a MultiPolygon with one part in scope is in scope with that part\'s zones only', () => {
    const [detection] = results.get('multipolygon_one_part_in_scope')!.detections;
    expect(detection).toMatchObject({ parts: 2, inScope: true, primaryZone: 'excavation_ban', candidateCategory: 'excavation', reviewStatus: 'pending' });
    // The zones are the in-scope part's: its overlap is the whole of that part, not of both.
    const zones = detection!.zones as { kind: string; overlapSquareMeters: number }[];
    expect(zones.every((zone) => zone.overlapSquareMeters <= (detection!.areaSquareMeters as number) / 2 + 1)).toBe(true);
  });
});

describe('a batch shaped like a model\'s output', () => {
  // The bench's generator: 300 polygons of 50–5,000 m² around the demo roads, many across zone
  // edges and where neighbouring segments' zones overlap. The embedded PostGIS once published 12
  // of 1,000 such rows without an error (a GEOS fallback dying inside WebAssembly).
  let batchId = 0;
  beforeAll(async () => {
    const anchors = await db.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat FROM segments s, ST_DumpPoints(ST_Force2D(s.centreline)) p WHERE s.is_demo ORDER BY s.id, p.path`,
    );
    const features = [...generateDetections(anchors.rows.map((row) => [row.lon, row.lat] as const), 300, 7)];
    ({ batchId } = await ingestDetectionFeatures(
      db.pool,
      { source: 'fixture model output', beforeDate: '2026-01-01', afterDate: '2026-02-01', crs: 'WGS84', features: iterate(features) },
      { id: null, jurisdictionCode: '410100' },
    ));
  });

  it('publishes every feature', async () => {
    const result = await db.pool.query<{ n: number; distinct_indexes: number }>(
      'SELECT count(*)::integer AS n, count(DISTINCT feature_index)::integer AS distinct_indexes FROM detections WHERE batch_id = $1',
      [batchId],
    );
    expect(result.rows[0]).toEqual({ n: 300, distinct_indexes: 300 });
  });

  it('classified chunk by chunk on two connections, publishes what one statement over the whole batch publishes', async () => {
    const anchors = await db.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat FROM segments s, ST_DumpPoints(ST_Force2D(s.centreline)) p WHERE s.is_demo ORDER BY s.id, p.path`,
    );
    const features = [...generateDetections(anchors.rows.map((row) => [row.lon, row.lat] as const), 150, 8)];
    const published = async (flow: IngestFlow) => {
      // 150 features in chunks of 32: five chunk transactions, the last one short.
      const { batchId: id } = await ingestDetectionFeatures(
        db.pool,
        { source: `chunked ${flow}`, beforeDate: '2026-01-01', afterDate: '2026-02-01', crs: 'WGS84', features: iterate(features) },
        { id: null, jurisdictionCode: '410100' },
        { flow, chunkSize: 32 },
      );
      const rows = await selectClassifiedRows(db.pool, id);
      const left = await db.pool.query<{ staged: number; classified: number; processed: number }>(
        `SELECT (SELECT count(*) FROM detection_staging WHERE batch_id = $1)::integer AS staged,
                (SELECT count(*) FROM detection_classified WHERE batch_id = $1)::integer AS classified,
                (SELECT processed FROM detection_batches WHERE id = $1) AS processed`,
        [id],
      );
      expect(left.rows[0]).toEqual({ staged: 0, classified: 0, processed: 150 });
      // Gone before the other flow runs, so neither is an "earlier batch" of the other.
      await db.pool.query('DELETE FROM detection_batches WHERE id = $1', [id]);
      return rows;
    };
    const sequential = await published('sequential');
    const pipelined = await published('pipelined');
    expect(pipelined).toHaveLength(150);
    expect(pipelined.map((row) => row.feature_index)).toEqual(features.map((_, index) => index));
    expect(pipelined).toEqual(sequential);
  });

  it('overlap areas agree with a per-detection union of the zones, computed separately', async () => {
    const detections = await db.pool.query<{ id: number; zones: { kind: string; overlapSquareMeters: number }[]; area_square_meters: number }>(
      'SELECT id, zones, area_square_meters FROM detections WHERE batch_id = $1 AND in_scope ORDER BY feature_index LIMIT 60',
      [batchId],
    );
    expect(detections.rows.length).toBe(60);
    for (const detection of detections.rows) {
      // One small statement per detection: the reference dissolves each kind's zones first, then
      // intersects once (the classification intersects first and dissolves the pieces).
      const reference = await db.pool.query<{ kind: string; overlap: number }>(
        `SELECT z.kind, ST_Area(ST_Intersection(ST_Union(z.geom, 1e-9), d.geom, 1e-9)::geography) AS overlap
         FROM detections d JOIN protection_zones z ON ST_Intersects(z.geom, d.geom)
         WHERE d.id = $1 GROUP BY z.kind, d.geom`,
        [detection.id],
      );
      const expected = new Map(reference.rows.filter((row) => row.overlap > 0.01).map((row) => [row.kind, row.overlap]));
      expect(new Set(detection.zones.map((zone) => zone.kind))).toEqual(new Set(expected.keys()));
      for (const zone of detection.zones) {
        const want = expected.get(zone.kind)!;
        expect(Math.abs(zone.overlapSquareMeters - want)).toBeLessThanOrEqual(Math.max(0.05, want * 1e-3));
        expect(zone.overlapSquareMeters).toBeLessThanOrEqual(detection.area_square_meters + 0.01);
      }
    }
  });
});

describe('matching, so nothing is reviewed twice', () => {
  const ingest = async (source: string, features: GeoJSON.Feature[]) =>
    (
      await ingestDetectionFeatures(
        db.pool,
        { source, beforeDate: '2026-01-01', afterDate: '2026-02-01', crs: 'WGS84', features: iterate(features) },
        { id: null, jurisdictionCode: '410100' },
      )
    ).batchId;
  const detectionsOf = async (batchId: number) =>
    (
      await db.pool.query<{ id: number; feature_index: number; match_kind: string | null; match_violation_id: number | null; match_detection_id: number | null; reopen_suggested: boolean; review_status: string }>(
        'SELECT id, feature_index, match_kind, match_violation_id, match_detection_id, reopen_suggested, review_status FROM detections WHERE batch_id = $1 ORDER BY feature_index',
        [batchId],
      )
    ).rows;

  it('a change over an open case is known; over a closed case it suggests reopening', async () => {
    const cases = await db.pool.query<{ id: number; status: string; point: GeoJSON.Point }>(
      `SELECT DISTINCT ON (status = 'closed') id, status, ST_AsGeoJSON(ST_PointOnSurface(geom), 7)::json AS point
       FROM violations WHERE status IN ('closed', 'rectifying') AND is_violation
       ORDER BY status = 'closed', id`,
    );
    const open = cases.rows.find((row) => row.status === 'rectifying')!;
    const closed = cases.rows.find((row) => row.status === 'closed')!;
    const batchId = await ingest('fixture over cases', [
      change(squareAround(open.point.coordinates, 3), 'new_building', 0.9),
      change(squareAround(closed.point.coordinates, 3), 'new_building', 0.9),
    ]);
    const [overOpen, overClosed] = await detectionsOf(batchId);
    expect(overOpen).toMatchObject({ match_kind: 'violation', match_violation_id: open.id, reopen_suggested: false, review_status: 'known' });
    expect(overClosed).toMatchObject({ match_kind: 'violation', match_violation_id: closed.id, reopen_suggested: true, review_status: 'known' });
  });

  it('the same change in a later batch is recurring, linked to the earlier detection; a barely overlapping one is a new lead', async () => {
    // A spot in a control zone with no case or detection near it (fractions no other test uses).
    const segments = await districtSegments(db.pool, '410104');
    const candidates = segments.flatMap((s) => [0.43, 0.57].map((fraction) => squareAround(pointBeside(s.line, fraction, s.road_land_half_width_meters + 9, -1).coordinates, 30)));
    const clearing = await firstWhere(candidates, ['building_control'], ['bridge_range', 'tunnel_range']);
    const ring = clearing.coordinates[0]!;
    const centre = [(ring[0]![0]! + ring[2]![0]!) / 2, (ring[0]![1]! + ring[2]![1]!) / 2];
    const polygon = squareAround(centre, 6);
    const first = await ingest('fixture first pass', [change(polygon, 'new_building', 0.8)]);
    const [earlier] = await detectionsOf(first);
    expect(earlier).toMatchObject({ match_kind: null, review_status: 'pending' });

    // 1 m shifted: IoU ≈ 0.85, recurring. 10 m shifted: IoU ≈ 0.1, below 0.3, a new lead.
    const shifted = (meters: number) => squareAround([centre[0]! + meters / (111_320 * Math.cos((centre[1]! * Math.PI) / 180)), centre[1]!], 6);
    const second = await ingest('fixture second pass', [change(shifted(1), 'new_building', 0.8), change(shifted(10), 'new_building', 0.8)]);
    const [again, elsewhere] = await detectionsOf(second);
    expect(again).toMatchObject({ match_kind: 'detection', match_detection_id: earlier!.id, review_status: 'known' });
    expect(elsewhere).toMatchObject({ match_kind: null, review_status: 'pending' });
  });
});
