import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

/**
 * Violation imports from files GDAL writes (ogr2ogr into a temporary directory), each format and CRS:
 * the record lands where the source point was and its Chinese attributes arrive intact. In CI
 * (CI=true) a missing ogr2ogr fails the run; locally it is reported.
 */
const OGR2OGR = '/usr/bin/ogr2ogr';
const hasGdal = existsSync(OGR2OGR);
if (!hasGdal) {
  if (process.env.CI) throw new Error(`[import formats] ${OGR2OGR} not found and CI=${process.env.CI}: install gdal-bin`);
  console.warn('[import formats] SKIPPED: ogr2ogr not found; install gdal-bin to run these round trips');
}

let server: TestServer;
let work: string;
let anchor: { lon: number; lat: number };
const runTag = Math.random().toString(36).slice(2, 8);

function sourceFile(name: string): { file: string; externalId: string } {
  const externalId = `fmt-${runTag}-${name}`;
  const file = path.join(work, `${name}.source.geojson`);
  writeFileSync(
    file,
    JSON.stringify({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [anchor.lon, anchor.lat] }, properties: { externalId, category: '违法堆放', 堆放材料: '建筑垃圾', 方量: 8 } }],
    }),
  );
  return { file, externalId };
}

function ogr2ogr(args: string[]): void {
  try {
    execFileSync(OGR2OGR, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    throw new Error(`ogr2ogr ${args.join(' ')}: ${String((error as { stderr?: Buffer }).stderr)}`);
  }
}

async function importFile(bytes: Buffer, fields: Record<string, string>) {
  const body = new FormData();
  for (const [key, value] of Object.entries({ datum: 'WGS84', dryRun: 'false', ...fields })) body.set(key, value);
  body.set('file', new Blob([new Uint8Array(bytes)]), 'upload.bin');
  return server.request('/violation-imports', { method: 'POST', body });
}

async function expectImported(bytes: Buffer, externalId: string, fields: Record<string, string> = {}) {
  const response = await importFile(bytes, fields);
  expect(response.status, JSON.stringify(response.body).slice(0, 800)).toBe(200);
  expect(response.body.summary).toMatchObject({ total: 1, valid: 1, created: 1 });
  const stored = await server.db.pool.query<{ meters: number; category: string; attributes: Record<string, unknown> }>(
    'SELECT ST_Distance(geom::geography, ST_MakePoint($1, $2)::geography) AS meters, category, attributes FROM violations WHERE external_id = $3',
    [anchor.lon, anchor.lat, externalId],
  );
  expect(stored.rows[0]!.meters).toBeLessThan(0.5);
  expect(stored.rows[0]!.category).toBe('piling');
  expect(stored.rows[0]!.attributes).toMatchObject({ material: '建筑垃圾' });
  return response.body;
}

beforeAll(async () => {
  if (!hasGdal) return;
  server = await startTestServer({ as: 'officer' });
  work = mkdtempSync(path.join(tmpdir(), 'luyu-import-formats-'));
  const { rows } = await server.db.pool.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_LineInterpolatePoint(ST_Force2D(centreline), 0.37) AS p FROM segments
       WHERE route_code = 'G310' AND direction = 1 AND jurisdiction_code = '410104' ORDER BY id LIMIT 1) s`,
  );
  anchor = rows[0]!;
});

afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!hasGdal)('violation imports written by GDAL', () => {
  it.each([
    ['4547', 'CP936'],
    ['4326', 'GBK'],
    ['3857', 'GB18030'],
  ])('zipped Shapefile in EPSG:%s with a .cpg of %s', async (srid, encoding) => {
    const { file, externalId } = sourceFile(`shp-${srid}`);
    const directory = path.join(work, `shp-${srid}`);
    ogr2ogr(['-f', 'ESRI Shapefile', '-t_srs', `EPSG:${srid}`, '-lco', `ENCODING=${encoding}`, directory, file]);
    const zip = new JSZip();
    for (const name of readdirSync(directory)) zip.file(name, readFileSync(path.join(directory, name)));
    await expectImported(await zip.generateAsync({ type: 'nodebuffer' }), externalId);
  });

  it.each(['4326', '4549', '3857'])('GeoPackage in EPSG:%s', async (srid) => {
    const { file, externalId } = sourceFile(`geopackage-${srid}`);
    const output = path.join(work, `out-${srid}.gpkg`);
    ogr2ogr(['-f', 'GPKG', '-t_srs', `EPSG:${srid}`, output, file]);
    await expectImported(readFileSync(output), externalId);
  });

  it.each(['4326', '4547'])('FlatGeobuf in EPSG:%s', async (srid) => {
    const { file, externalId } = sourceFile(`fgb-${srid}`);
    const output = path.join(work, `out-${srid}.fgb`);
    ogr2ogr(['-f', 'FlatGeobuf', '-t_srs', `EPSG:${srid}`, output, file]);
    await expectImported(readFileSync(output), externalId);
  });

  it('KML, KMZ and GeoJSONSeq', async () => {
    const kml = sourceFile('kml');
    ogr2ogr(['-f', 'KML', path.join(work, 'out.kml'), kml.file]);
    await expectImported(readFileSync(path.join(work, 'out.kml')), kml.externalId);
    const kmz = sourceFile('kmz');
    ogr2ogr(['-f', 'LIBKML', path.join(work, 'out.kmz'), kmz.file]);
    await expectImported(readFileSync(path.join(work, 'out.kmz')), kmz.externalId);
    const seq = sourceFile('seq');
    ogr2ogr(['-f', 'GeoJSONSeq', path.join(work, 'out.geojsons'), seq.file]);
    await expectImported(readFileSync(path.join(work, 'out.geojsons')), seq.externalId);
  });

  it('a CSV in a projected CRS is refused with the formats that carry one', async () => {
    const response = await importFile(Buffer.from('lon,lat,category\n500000,3800000,piling\n'), { datum: 'EPSG:4547' });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('CRS_UNSUPPORTED');
  });
});
