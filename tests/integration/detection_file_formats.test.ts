import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { squareAround, uploadForm, waitForBatch } from './helpers/detection_files.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';
import { districtSegments, pointBeside } from './helpers/violation_fixtures.ts';

/**
 * Round trips through files GDAL writes (ogr2ogr, generated here into a temporary directory): every
 * upload format × CRS must come back at the same place (PostGIS transforms) with its Chinese text
 * intact. Needs gdal-bin: in CI (CI=true) a missing ogr2ogr fails the run; locally it is reported.
 */
const OGR2OGR = '/usr/bin/ogr2ogr';
const hasGdal = existsSync(OGR2OGR);
if (!hasGdal) {
  if (process.env.CI) throw new Error(`[detection formats] ${OGR2OGR} not found and CI=${process.env.CI}: install gdal-bin`);
  console.warn('[detection formats] SKIPPED: ogr2ogr not found; install gdal-bin to run these round trips');
}

let server: TestServer;
let work: string;
let squares: GeoJSON.Polygon[];
let nextSquare = 0;
const TOKEN = `F${Date.now().toString(36)}`;

function source(name: string, count = 2): string {
  const features = Array.from({ length: count }, (_, index) => ({
    type: 'Feature',
    properties: { externalId: `${TOKEN}-${name}-${index}`, changeType: index % 2 === 0 ? '新增建筑' : '堆放', confidence: 0.8 },
    geometry: squares[(nextSquare += 1) % squares.length],
  }));
  const file = path.join(work, `${name}.source.geojson`);
  writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features }));
  return file;
}

function ogr2ogr(args: string[]): void {
  try {
    execFileSync(OGR2OGR, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    throw new Error(`ogr2ogr ${args.join(' ')}: ${String((error as { stderr?: Buffer }).stderr)}`);
  }
}

async function zipDirectory(directory: string, keep: (name: string) => boolean = () => true): Promise<Buffer> {
  const zip = new JSZip();
  for (const name of readdirSync(directory)) if (keep(name)) zip.file(name, readFileSync(path.join(directory, name)));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

async function upload(bytes: Buffer, fields: Record<string, string> = {}) {
  const form = uploadForm(bytes, { sensor: TOKEN, crs: '', ...fields });
  return server.request('/detection-batches', { method: 'POST', body: form });
}

/** Each detection of the batch against its source square: centroid distance (m), area ratio, change type. */
async function compare(batchId: number, sourceFile: string) {
  const sourceFeatures = JSON.parse(readFileSync(sourceFile, 'utf8')).features as GeoJSON.Feature[];
  const result = await server.db.pool.query<{ external_id: string; change_type: string; distance: number; area_ratio: number }>(
    `SELECT d.external_id, d.change_type,
            ST_Distance(ST_Centroid(d.geom)::geography, ST_Centroid(ST_SetSRID(ST_GeomFromGeoJSON(s.g), 4326))::geography) AS distance,
            ST_Area(d.geom::geography) / ST_Area(ST_SetSRID(ST_GeomFromGeoJSON(s.g), 4326)::geography) AS area_ratio
     FROM detections d JOIN json_to_recordset($2::json) AS s(id text, g text) ON s.id = d.external_id
     WHERE d.batch_id = $1 ORDER BY d.external_id`,
    [batchId, JSON.stringify(sourceFeatures.map((feature) => ({ id: feature.properties!.externalId, g: JSON.stringify(feature.geometry) })))],
  );
  return result.rows;
}

async function expectRoundTrip(bytes: Buffer, sourceFile: string, fields: Record<string, string> = {}) {
  const response = await upload(bytes, fields);
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  const batch = await waitForBatch(server, response.body.id);
  expect(batch.status, batch.failureReason).toBe('done');
  const rows = await compare(response.body.id, sourceFile);
  expect(rows).toHaveLength(2);
  for (const row of rows) {
    expect(row.distance, row.external_id).toBeLessThan(0.5);
    expect(row.area_ratio, row.external_id).toBeGreaterThan(0.99);
    expect(row.area_ratio, row.external_id).toBeLessThan(1.01);
  }
  expect(rows.map((row) => row.change_type)).toEqual(['new_building', 'material_pile']);
  return batch;
}

async function expectFailure(bytes: Buffer, fields: Record<string, string>, reason: RegExp) {
  const response = await upload(bytes, fields);
  expect(response.status, JSON.stringify(response.body)).toBe(202);
  const batch = await waitForBatch(server, response.body.id);
  expect(batch.status).toBe('failed');
  expect(batch.failureReason).toMatch(reason);
}

beforeAll(async () => {
  if (!hasGdal) return;
  server = await startTestServer({ as: 'officer' });
  work = mkdtempSync(path.join(tmpdir(), 'luyu-formats-'));
  const segments = (await districtSegments(server.db.pool, '410104')).slice(150, 200);
  squares = segments.flatMap((segment) => [0.3, 0.7].map((fraction) => squareAround(pointBeside(segment.line, fraction, segment.road_land_half_width_meters + 8, 1).coordinates, 3)));
});

afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!hasGdal)('detection uploads written by GDAL', () => {
  it.each(['4326', '4547', '3857', '4490'])('GeoJSON in EPSG:%s (crs member)', async (srid) => {
    const input = source(`geojson-${srid}`);
    const output = path.join(work, `geojson-${srid}.geojson`);
    ogr2ogr(['-f', 'GeoJSON', '-t_srs', `EPSG:${srid}`, output, input]);
    await expectRoundTrip(readFileSync(output), input);
  });

  it('GeoJSONSeq', async () => {
    const input = source('seq');
    const output = path.join(work, 'seq.geojsons');
    ogr2ogr(['-f', 'GeoJSONSeq', output, input]);
    await expectRoundTrip(readFileSync(output), input);
  });

  it.each([
    ['4326', 'UTF-8'],
    ['4547', 'CP936'],
    ['4490', 'GBK'],
    ['3857', 'UTF-8'],
    ['4214', 'CP936'],
    ['4610', 'UTF-8'],
    ['4549', 'GB18030'],
  ])('zipped Shapefile in EPSG:%s with a .cpg of %s (.prj read)', async (srid, encoding) => {
    const input = source(`shp-${srid}`);
    const directory = path.join(work, `shp-${srid}`);
    ogr2ogr(['-f', 'ESRI Shapefile', '-t_srs', `EPSG:${srid}`, '-lco', `ENCODING=${encoding}`, directory, input]);
    await expectRoundTrip(await zipDirectory(directory), input);
  });

  it('a Shapefile whose .cpg says 936 (a bare code page number)', async () => {
    const input = source('shp-936');
    const directory = path.join(work, 'shp-936');
    ogr2ogr(['-f', 'ESRI Shapefile', '-lco', 'ENCODING=CP936', directory, input]);
    const cpg = readdirSync(directory).find((name) => name.endsWith('.cpg'))!;
    writeFileSync(path.join(directory, cpg), '936');
    await expectRoundTrip(await zipDirectory(directory), input);
  });

  it('a UTF-8 Shapefile without .cpg is detected as UTF-8; a GBK one without .cpg or language driver is refused, never guessed', async () => {
    const utf8Input = source('shp-nocpg-utf8');
    const utf8Directory = path.join(work, 'shp-nocpg-utf8');
    ogr2ogr(['-f', 'ESRI Shapefile', '-lco', 'ENCODING=UTF-8', utf8Directory, utf8Input]);
    await expectRoundTrip(await zipDirectory(utf8Directory, (name) => !name.endsWith('.cpg')), utf8Input);

    const gbkInput = source('shp-nocpg-gbk');
    const gbkDirectory = path.join(work, 'shp-nocpg-gbk');
    ogr2ogr(['-f', 'ESRI Shapefile', '-lco', 'ENCODING=CP936', gbkDirectory, gbkInput]);
    const dbf = path.join(gbkDirectory, readdirSync(gbkDirectory).find((name) => name.endsWith('.dbf'))!);
    const bytes = readFileSync(dbf);
    bytes[29] = 0; // no language driver: nothing in the file says GBK
    writeFileSync(dbf, bytes);
    await expectFailure(await zipDirectory(gbkDirectory, (name) => !name.endsWith('.cpg')), {}, /no \.cpg.*not UTF-8/);
  });

  it('a projected Shapefile without .prj: refused as WGS 84 with a hint, read with crs=EPSG:4547', async () => {
    const input = source('shp-noprj');
    const directory = path.join(work, 'shp-noprj');
    ogr2ogr(['-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=UTF-8', directory, input]);
    const zip = await zipDirectory(directory, (name) => !name.endsWith('.prj'));
    await expectFailure(zip, { crs: 'WGS84' }, /not longitude\/latitude.*EPSG:4547/);
    await expectRoundTrip(zip, input, { crs: 'EPSG:4547', batchId: `${TOKEN}-noprj-4547` });
  });

  it('a .prj that contradicts an explicit crs is refused; the same bytes with another crs answer 409 naming the batch', async () => {
    const input = source('shp-conflict');
    const directory = path.join(work, 'shp-conflict');
    ogr2ogr(['-f', 'ESRI Shapefile', '-t_srs', 'EPSG:4547', '-lco', 'ENCODING=UTF-8', directory, input]);
    const zip = await zipDirectory(directory);
    await expectFailure(zip, { crs: 'EPSG:4548' }, /declares EPSG:4547 but the form says EPSG:4548/);
    const accepted = await upload(zip, { crs: 'EPSG:4547' });
    expect(accepted.status).toBe(202);
    await waitForBatch(server, accepted.body.id);
    const again = await upload(zip, { crs: 'EPSG:3857' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DETECTION_BATCH_CRS_DIFFERS');
    expect(again.body.error.details.batchId).toBe(accepted.body.id);
  });

  it('a zip with two layers is refused naming them, and read when the form names one', async () => {
    const first = source('layer-a');
    const second = source('layer-b');
    const directory = path.join(work, 'two-layers');
    ogr2ogr(['-f', 'ESRI Shapefile', '-lco', 'ENCODING=UTF-8', '-nln', 'roads_east', directory, first]);
    ogr2ogr(['-f', 'ESRI Shapefile', '-lco', 'ENCODING=UTF-8', '-nln', 'roads_west', directory, second]);
    const zip = await zipDirectory(directory);
    await expectFailure(zip, {}, /2 layers: roads_east, roads_west; choose one in the form field "layer"/);
    await expectRoundTrip(zip, second, { layer: 'roads_west', batchId: `${TOKEN}-layer-west` });
  });

  it.each(['4326', '4547'])('FlatGeobuf in EPSG:%s (header CRS)', async (srid) => {
    const input = source(`fgb-${srid}`);
    const output = path.join(work, `fgb-${srid}.fgb`);
    ogr2ogr(['-f', 'FlatGeobuf', '-t_srs', `EPSG:${srid}`, output, input]);
    await expectRoundTrip(readFileSync(output), input);
  });

  it.each(['4326', '4547', '3857'])('GeoPackage in EPSG:%s', async (srid) => {
    const input = source(`geopackage-${srid}`);
    const output = path.join(work, `gpkg-${srid}.gpkg`);
    ogr2ogr(['-f', 'GPKG', '-t_srs', `EPSG:${srid}`, output, input]);
    await expectRoundTrip(readFileSync(output), input);
  });

  it('KML and KMZ', async () => {
    const kmlInput = source('kml');
    const kml = path.join(work, 'changes.kml');
    ogr2ogr(['-f', 'KML', kml, kmlInput]);
    await expectRoundTrip(readFileSync(kml), kmlInput);
    const kmzInput = source('kmz');
    const kmz = path.join(work, 'changes.kmz');
    ogr2ogr(['-f', 'LIBKML', kmz, kmzInput]);
    await expectRoundTrip(readFileSync(kmz), kmzInput);
  });

  it('CSV with a WKT column, in WGS 84 and with crs=EPSG:4547', async () => {
    const input = source('csv');
    const output = path.join(work, 'csv.csv');
    ogr2ogr(['-f', 'CSV', '-lco', 'GEOMETRY=AS_WKT', output, input]);
    await expectRoundTrip(readFileSync(output), input);
    const projectedInput = source('csv-4547');
    const projected = path.join(work, 'csv-4547.csv');
    ogr2ogr(['-f', 'CSV', '-t_srs', 'EPSG:4547', '-lco', 'GEOMETRY=AS_WKT', projected, projectedInput]);
    await expectRoundTrip(readFileSync(projected), projectedInput, { crs: 'EPSG:4547' });
  });
});
