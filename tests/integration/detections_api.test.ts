import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failInterruptedBatches } from '../../server/detections/queries.ts';
import { featureCollection, flatGeobuf, shapefileZip, squareAround, uploadForm, waitForBatch } from './helpers/detection_files.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';
import { districtSegments, pointBeside, STRUCTURE, type FixtureSegment } from './helpers/violation_fixtures.ts';

/**
 * The detections API against docs/detections_api.md: upload of each format, idempotency, whole-batch
 * rejection, repair, review actions and precision. Polygons sit beside 410104 segments of their own.
 */

let server: TestServer;
let officer2: string;
/** Squares that lie in a 410104 building control zone and touch no road land (checked in PostGIS). */
let controlSquares: GeoJSON.Polygon[];
let nextSquare = 0;
const TOKEN = `D${Date.now().toString(36)}`;

/** A change polygon in the building control zone, a fresh place each call. */
function controlZoneChange(index: number, changeType = 'new_building', confidence = 0.9): GeoJSON.Feature {
  const geometry = controlSquares[(nextSquare += 1) % controlSquares.length]!;
  return { type: 'Feature', geometry, properties: { externalId: `${TOKEN}-${index}`, changeType, confidence } };
}

async function findControlSquares(segments: FixtureSegment[]): Promise<GeoJSON.Polygon[]> {
  const candidates = segments.flatMap((s) =>
    [0.2, 0.4, 0.6, 0.8].flatMap((fraction) => ([1, -1] as const).map((side) => squareAround(pointBeside(s.line, fraction, s.road_land_half_width_meters + 6, side).coordinates, 2.5))),
  );
  const result = await server.db.pool.query<{ ordinal: number }>(
    `WITH input AS (
       SELECT ordinal, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) AS geom FROM json_array_elements_text($1::json) WITH ORDINALITY AS t(g, ordinal)
     )
     SELECT ordinal::integer FROM input i
     WHERE ST_Within(i.geom, (SELECT boundary FROM jurisdictions WHERE code = '410104'))
       AND EXISTS (SELECT 1 FROM protection_zones z WHERE z.kind = 'building_control' AND ST_Intersects(z.geom, i.geom))
       AND NOT EXISTS (SELECT 1 FROM protection_zones z WHERE z.kind = 'road_land' AND ST_Intersects(z.geom, i.geom))
       AND NOT EXISTS (SELECT 1 FROM violations v WHERE ST_DWithin(v.geom, i.geom, 0.0005))
       AND NOT EXISTS (SELECT 1 FROM detections d WHERE ST_DWithin(d.geom, i.geom, 0.0002))
     ORDER BY ordinal`,
    [JSON.stringify(candidates.map((candidate) => JSON.stringify(candidate)))],
  );
  return result.rows.map((row) => candidates[row.ordinal - 1]!);
}

// Every batch of this file carries TOKEN as its sensor, so counts ignore what other test files
// ingest into the same database at the same time.
async function upload(bytes: Buffer, fields: Record<string, string> = {}, token?: string) {
  return server.requestWith(token ?? server.token, '/detection-batches', { method: 'POST', body: uploadForm(bytes, { sensor: TOKEN, ...fields }) });
}

async function countDetections(): Promise<number> {
  const result = await server.db.pool.query<{ count: number }>(
    'SELECT count(*)::integer AS count FROM detections d JOIN detection_batches b ON b.id = d.batch_id WHERE b.sensor = $1',
    [TOKEN],
  );
  return result.rows[0]!.count;
}

async function detectionsOfBatch(batchId: number) {
  const response = await server.request(`/detections?batch=${batchId}&includeOutOfScope=true&limit=500&sort=stake&order=asc`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.features as { id: number; properties: Record<string, any> }[];
}

beforeAll(async () => {
  server = await startTestServer({ as: 'officer' });
  officer2 = await server.login('officer2');
  controlSquares = await findControlSquares((await districtSegments(server.db.pool, '410104')).slice(80, 140));
  expect(controlSquares.length).toBeGreaterThan(40);
});

afterAll(async () => {
  await server.close();
});

describe('POST /detection-batches', () => {
  it('ingests a GeoJSON batch in the background and classifies it; the same bytes or batchId again create nothing', async () => {
    const bytes = featureCollection([0, 1, 2].map((index) => controlZoneChange(index)));
    const before = await countDetections();
    const response = await upload(bytes, { batchId: `${TOKEN}-geojson` });
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    expect(response.body).toMatchObject({ status: 'queued' });
    const batch = await waitForBatch(server, response.body.id);
    expect(batch).toMatchObject({ status: 'done', total: 3, processed: 3, repaired: 0, rejected: [], source: 'GF-2', afterDate: '2026-03-01/2026-03-15' });
    expect(batch.counts.inScope, JSON.stringify(batch.counts)).toBe(3);
    expect(batch.counts.byZone.building_control, JSON.stringify(batch.counts)).toBe(3);
    expect(await countDetections()).toBe(before + 3);
    const features = await detectionsOfBatch(response.body.id);
    expect(features).toHaveLength(3);
    for (const feature of features) {
      expect(feature.properties).toMatchObject({ primaryZone: 'building_control', candidateCategory: 'structure', reviewStatus: 'pending', jurisdiction: { code: '410104' } });
      expect(feature.properties.priority).toBeGreaterThan(50);
      expect(feature.properties.stakeTo).toBeGreaterThanOrEqual(feature.properties.stakeFrom);
    }

    const again = await upload(bytes);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(response.body.id);
    const sameId = await upload(featureCollection([controlZoneChange(9)]), { batchId: `${TOKEN}-geojson` });
    expect(sameId.status).toBe(200);
    expect(sameId.body.id).toBe(response.body.id);
    expect(await countDetections()).toBe(before + 3);
  });

  it('scopes batchId and content to the uploading district: another district uploading the same bytes gets its own batch, not a 409', async () => {
    const bytes = featureCollection([controlZoneChange(30)]);
    const own = await upload(bytes, { batchId: `${TOKEN}-scoped` });
    expect(own.status, JSON.stringify(own.body)).toBe(202);
    await waitForBatch(server, own.body.id);
    const foreign = await upload(bytes, { batchId: `${TOKEN}-scoped` }, officer2);
    expect(foreign.status, JSON.stringify(foreign.body)).toBe(202);
    expect(foreign.body.id).not.toBe(own.body.id);
    await waitForBatch(server, foreign.body.id, officer2);
    // The uploader's own retry is still idempotent.
    const retry = await upload(bytes, { batchId: `${TOKEN}-scoped` }, officer2);
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(foreign.body.id);
  });

  it('rejects a whole batch with a Point in the middle, naming the feature; nothing becomes visible', async () => {
    const before = await countDetections();
    const features = [controlZoneChange(20), { type: 'Feature', geometry: { type: 'Point', coordinates: [113.7, 34.7] }, properties: { externalId: 'the-point' } } as GeoJSON.Feature, controlZoneChange(21)];
    const response = await upload(featureCollection(features));
    expect(response.status).toBe(202);
    const batch = await waitForBatch(server, response.body.id);
    expect(batch.status).toBe('failed');
    expect(batch.rejected).toEqual([{ featureIndex: 1, externalId: 'the-point', reason: expect.stringContaining('Point') }]);
    expect(batch.failureReason).toContain('#1');
    expect(await countDetections()).toBe(before);
    const staged = await server.db.pool.query('SELECT 1 FROM detection_staging WHERE batch_id = $1', [response.body.id]);
    expect(staged.rowCount).toBe(0);
  });

  it('rejects an empty polygon and repairs a self-intersecting one', async () => {
    const before = await countDetections();
    const empty = await upload(featureCollection([controlZoneChange(30), { type: 'Feature', geometry: { type: 'Polygon', coordinates: [] }, properties: { id: 'empty-one' } }]));
    const emptyBatch = await waitForBatch(server, empty.body.id);
    expect(emptyBatch.status).toBe('failed');
    expect(emptyBatch.rejected).toEqual([{ featureIndex: 1, externalId: 'empty-one', reason: 'empty geometry' }]);
    expect(await countDetections()).toBe(before);

    const square = (controlZoneChange(31).geometry as GeoJSON.Polygon).coordinates[0]!.map((p) => [p[0]! + 0.00001, p[1]!]);
    // A bow-tie: the same four corners in crossing order.
    const bowTie: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[square[0]!, square[2]!, square[1]!, square[3]!, square[0]!]] };
    const repaired = await upload(featureCollection([{ type: 'Feature', geometry: bowTie, properties: { changeType: '新增建筑', confidence: 85 } }]));
    const repairedBatch = await waitForBatch(server, repaired.body.id);
    expect(repairedBatch).toMatchObject({ status: 'done', total: 1, repaired: 1 });
    const [feature] = await detectionsOfBatch(repaired.body.id);
    expect(feature!.properties).toMatchObject({ changeType: 'new_building', confidence: 0.85 });
    expect(feature!.properties.areaSquareMeters).toBeGreaterThan(0);
  });

  it('accepts a zipped Shapefile', async () => {
    const polygons = [0, 1].map((index) => controlZoneChange(40 + index).geometry as GeoJSON.Polygon);
    const bytes = await shapefileZip(polygons.map((polygon, index) => ({ polygon, externalId: `${TOKEN}-shp-${index}`, changeType: 'bare_soil', confidence: 0.7 })));
    const response = await upload(bytes);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    const batch = await waitForBatch(server, response.body.id);
    expect(batch, JSON.stringify(batch)).toMatchObject({ status: 'done', total: 2, format: 'shapefile' });
    const features = await detectionsOfBatch(response.body.id);
    expect(features.map((f) => f.properties.externalId).sort()).toEqual([`${TOKEN}-shp-0`, `${TOKEN}-shp-1`]);
    expect(features[0]!.properties).toMatchObject({ changeType: 'bare_soil', confidence: 0.7 });
  });

  it('accepts a FlatGeobuf file', async () => {
    const features = [0, 1, 2].map((index) => controlZoneChange(50 + index, 'temporary_structure', 0.6));
    const response = await upload(flatGeobuf(features));
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    const batch = await waitForBatch(server, response.body.id);
    expect(batch, JSON.stringify(batch)).toMatchObject({ status: 'done', total: 3, format: 'flatgeobuf' });
    const listed = await detectionsOfBatch(response.body.id);
    expect(listed.every((f) => f.properties.changeType === 'temporary_structure' && f.properties.candidateCategory === 'structure')).toBe(true);
  });

  it('refuses an unknown format and an unsupported crs', async () => {
    const text = await upload(Buffer.from('hello'));
    expect(text.status).toBe(400);
    expect(text.body.error.code).toBe('DETECTION_FORMAT_UNSUPPORTED');
    const unknownCrs = await upload(featureCollection([controlZoneChange(60)]), { crs: 'EPSG:2000' });
    expect(unknownCrs.status).toBe(400);
    expect(unknownCrs.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('review', () => {
  let ids: number[];
  let batchId: number;

  beforeAll(async () => {
    const response = await upload(featureCollection([0, 1, 2, 3, 4].map((index) => controlZoneChange(70 + index, 'new_building', 0.55 + index * 0.1))), { source: `Review-${TOKEN}` });
    batchId = response.body.id;
    await waitForBatch(server, batchId);
    ids = (await detectionsOfBatch(batchId)).map((feature) => feature.id);
    expect(ids, JSON.stringify((await server.db.pool.query("SELECT id, jurisdiction_code, review_status, primary_zone FROM detections WHERE batch_id = $1", [batchId])).rows)).toHaveLength(5);
  });

  const review = (id: number, body: unknown, token?: string) =>
    server.requestWith(token ?? server.token, `/detections/${id}/review`, { method: 'POST', body: JSON.stringify(body) });

  it('confirm creates a satellite_lead violation and links it; a second review is 409', async () => {
    const response = await review(ids[0]!, { action: 'confirm', attributes: STRUCTURE, note: '现场待核' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.properties).toMatchObject({ reviewStatus: 'confirmed', reviewedBy: 'officer' });
    const violationId = response.body.properties.violationId;
    const violation = await server.request(`/violations/${violationId}`);
    expect(violation.status).toBe(200);
    expect(violation.body.properties).toMatchObject({ source: 'satellite_lead', externalId: `detection:${ids[0]}`, category: 'structure', status: 'reported' });
    const audit = await server.db.pool.query('SELECT action FROM audit_log WHERE entity_type = $1 AND entity_id = $2', ['detection', String(ids[0])]);
    expect(audit.rows).toEqual([{ action: 'detection.confirm' }]);

    const second = await review(ids[0]!, { action: 'reject', rejectReason: 'false_positive' });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('DETECTION_ALREADY_REVIEWED');
  });

  it('reject with a reason, field, then reject from field; merge into an existing violation', async () => {
    const rejected = await review(ids[1]!, { action: 'reject', rejectReason: 'not_a_change' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.properties).toMatchObject({ reviewStatus: 'rejected', rejectReason: 'not_a_change' });
    const missingReason = await review(ids[2]!, { action: 'reject' });
    expect(missingReason.status).toBe(400);

    const field = await review(ids[2]!, { action: 'field' });
    expect(field.body.properties.reviewStatus).toBe('field');
    const fromField = await review(ids[2]!, { action: 'reject', rejectReason: 'false_positive', expectedStatus: 'field' });
    expect(fromField.status).toBe(200);

    const finished = await server.db.pool.query<{ id: number; case_number: string }>(
      `SELECT id, case_number FROM violations WHERE jurisdiction_code = '410104' AND status = 'closed' ORDER BY id LIMIT 1`,
    );
    expect(finished.rows.length, 'the demo district has a closed case').toBe(1);
    const intoClosed = await review(ids[3]!, { action: 'merge', caseNumber: finished.rows[0]!.case_number });
    expect(intoClosed.status, JSON.stringify(intoClosed.body)).toBe(409);
    expect(intoClosed.body.error).toMatchObject({ code: 'MERGE_TARGET_CLOSED', details: { violationId: finished.rows[0]!.id, status: 'closed' } });
    expect((await server.request(`/detections/${ids[3]}`)).body.properties).toMatchObject({ reviewStatus: 'pending', violationId: null });

    const target = await server.db.pool.query<{ id: number }>(`SELECT id FROM violations WHERE jurisdiction_code = '410104' AND status = 'verified' ORDER BY id LIMIT 1`);
    const merged = await review(ids[3]!, { action: 'merge', violationId: target.rows[0]!.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.properties).toMatchObject({ reviewStatus: 'merged', violationId: target.rows[0]!.id });
  });

  it('the sibling district gets 404 for this detection, and a patrol user 403', async () => {
    const foreign = await review(ids[4]!, { action: 'field' }, officer2);
    expect(foreign.status).toBe(404);
    const foreignRead = await server.requestWith(officer2, `/detections/${ids[4]}`);
    expect(foreignRead.status).toBe(404);
    const patrol = await server.login('patrol');
    const forbidden = await review(ids[4]!, { action: 'field' }, patrol);
    expect(forbidden.status).toBe(403);
  });

  it('confirm without a required attribute is refused and changes nothing; the footprint defaults to the detected area', async () => {
    const missing = await review(ids[4]!, { action: 'confirm', attributes: {} });
    expect(missing.status, JSON.stringify(missing.body)).toBe(400);
    expect(missing.body.error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(missing.body.error.details)).toContain('storeys');
    const unchanged = await server.request(`/detections/${ids[4]}`);
    expect(unchanged.body.properties).toMatchObject({ reviewStatus: 'pending', violationId: null });

    const confirmed = await review(ids[4]!, { action: 'confirm', attributes: { storeys: 1 } });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const violation = await server.request(`/violations/${confirmed.body.properties.violationId}`);
    expect(violation.body.properties.attributes).toEqual({ storeys: 1, footprintSquareMeters: Math.max(1, Math.round(unchanged.body.properties.areaSquareMeters)) });
  });

  it('precision statistics count confirmed and merged against rejected', async () => {
    const response = await server.request('/detection-batches');
    expect(response.status).toBe(200);
    const byBatch = response.body.precision.byBatch.find((row: { key: string }) => row.key === String(batchId));
    // confirmed 2 + merged 1, rejected 2.
    expect(byBatch).toEqual({ key: String(batchId), reviewed: 5, confirmed: 3, precision: 0.6 });
    const bySource = response.body.precision.bySource.find((row: { key: string }) => row.key === `Review-${TOKEN}`);
    expect(bySource).toMatchObject({ reviewed: 5, confirmed: 3 });
    expect(response.body.precision.byConfidenceBand.length).toBeGreaterThan(0);
    expect(response.body.batches[0].id).toBeGreaterThanOrEqual(batchId);
  });
});

describe('restart', () => {
  it('fails a batch a previous process left staging, and empties its staging rows', async () => {
    const batch = await server.db.pool.query<{ id: number }>(
      `INSERT INTO detection_batches (content_sha256, status, file_format, source, before_date, after_date, crs, jurisdiction_code, processed)
       VALUES (encode(sha256($1::bytea), 'hex'), 'staging', 'geojson', 'restart test', '2026-01-01', '2026-02-01', 'WGS84', '410104', 2000) RETURNING id`,
      [`${TOKEN}-restart`],
    );
    const id = batch.rows[0]!.id;
    await server.db.pool.query(
      `INSERT INTO detection_staging (batch_id, feature_index, geom, change_type)
       VALUES ($1, 0, ST_Multi(ST_MakeEnvelope(113.7, 34.7, 113.7001, 34.7001, 4326)), 'other')`,
      [id],
    );
    expect(await failInterruptedBatches(server.db.pool, [id])).toBe(1);
    const report = await server.request(`/detection-batches/${id}`);
    expect(report.body).toMatchObject({ status: 'failed', failureReason: expect.stringContaining('restarted') });
    const staged = await server.db.pool.query('SELECT 1 FROM detection_staging WHERE batch_id = $1', [id]);
    expect(staged.rowCount).toBe(0);
  });
});

describe('demo batch', () => {
  it('is loaded with about 150 detections including known, out-of-scope and both districts', async () => {
    const counts = await server.db.pool.query<{ total: number; known: number; out_of_scope: number; districts: number; bridge: number }>(
      `SELECT count(*)::integer AS total, count(*) FILTER (WHERE match_kind = 'violation')::integer AS known,
              count(*) FILTER (WHERE NOT in_scope)::integer AS out_of_scope, count(DISTINCT d.jurisdiction_code)::integer AS districts,
              count(*) FILTER (WHERE zones @> '[{"kind":"bridge_range"}]')::integer AS bridge
       FROM detections d JOIN detection_batches b ON b.id = d.batch_id WHERE b.is_demo`,
    );
    const row = counts.rows[0]!;
    expect(row.total).toBeGreaterThanOrEqual(130);
    expect(row.total).toBeLessThanOrEqual(170);
    expect(row.known).toBeGreaterThan(0);
    expect(row.out_of_scope).toBeGreaterThan(0);
    expect(row.districts).toBeGreaterThanOrEqual(2);
  });
});
