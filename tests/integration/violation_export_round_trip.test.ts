import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test_server.ts';
import { BILLBOARD, districtSegments, PILING, pointBeside, STRUCTURE } from './helpers/violation_fixtures.ts';

/**
 * Every ledger export imports back (issue 10): CSV, xlsx and the per-geometry-type GeoJSON files go
 * through POST /violation-imports and the records they create are compared with the originals in
 * PostGIS (same geometry, category, attributes, description, source, recomputed location).
 * "A fresh database" is approximated: the import runs into the same database, and after each format
 * the test renames the external ids it created, so the next format imports as into an empty one.
 * GDAL (gdal-bin) reads the exports: the GeoJSON per type becomes a Shapefile with every feature, the
 * CSV opens with its WKT column and Chinese text. In CI (CI=true) a missing GDAL fails the run.
 */
const OGR2OGR = '/usr/bin/ogr2ogr';
const OGRINFO = '/usr/bin/ogrinfo';
const hasGdal = existsSync(OGR2OGR) && existsSync(OGRINFO);
if (!hasGdal) {
  if (process.env.CI) throw new Error(`[export round trip] ${OGR2OGR} not found and CI=${process.env.CI}: install gdal-bin`);
  console.warn('[export round trip] GDAL checks SKIPPED: ogr2ogr not found; install gdal-bin');
}

let server: TestServer;
let work: string;
const TOKEN = `X${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
/** Quotes, commas and a line break: what breaks a careless CSV writer. */
const DESCRIPTION = `${TOKEN} 路边堆放沙石，"约12方", 占用公路用地`;
const originals: { id: number; type: 'Point' | 'Polygon' }[] = [];
/** Every export is taken before any import: imported copies carry the same description and would match the filter. */
const exports = new Map<string, { bytes: Buffer; contentType: string | null }>();
const EXPORT_QUERIES = ['format=csv', 'format=xlsx', 'format=geojson&geometryType=point', 'format=geojson&geometryType=polygon'];

/** Metres east/north of a point → a position rounded to 1e-7°, as the API stores drawn geometry. */
function offset(origin: GeoJSON.Position, eastMeters: number, northMeters: number): [number, number] {
  const lon = origin[0]! + eastMeters / (111_320 * Math.cos((origin[1]! * Math.PI) / 180));
  const lat = origin[1]! + northMeters / 110_540;
  return [Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7];
}

async function create(geometry: GeoJSON.Geometry, category: string, attributes: unknown) {
  const body = JSON.stringify({ type: 'Feature', geometry, properties: { category, attributes, source: 'patrol', description: DESCRIPTION, confirmNotDuplicate: true } });
  const response = await server.request('/violations', { method: 'POST', body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  originals.push({ id: Number(response.body.id), type: geometry.type as 'Point' | 'Polygon' });
}

async function exportFile(query: string): Promise<{ bytes: Buffer; contentType: string | null }> {
  const response = await fetch(`${server.baseUrl}/api/v1/violations/export?q=${encodeURIComponent(TOKEN)}&${query}`, { headers: { authorization: `Bearer ${server.token}` } });
  expect(response.status, await response.clone().text()).toBe(200);
  return { bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') };
}

function importFile(fileName: string, bytes: Buffer, dryRun: boolean) {
  const body = new FormData();
  body.set('datum', 'WGS84');
  body.set('dryRun', String(dryRun));
  body.set('file', new Blob([new Uint8Array(bytes)]), fileName);
  return server.request('/violation-imports', { method: 'POST', body });
}

interface Comparison {
  original_id: number;
  imported_id: number | null;
  equal: boolean;
  hausdorff: number;
  same_category: boolean;
  same_attributes: boolean;
  same_description: boolean;
  same_source: boolean;
  same_location: boolean;
}

/** Each original against the record its export id created, compared in PostGIS. */
async function compareImported(ids: readonly number[]): Promise<Comparison[]> {
  const result = await server.db.pool.query<Comparison>(
    `SELECT o.id::integer AS original_id, i.id::integer AS imported_id,
            ST_Equals(o.geom, i.geom) AS equal, ST_HausdorffDistance(o.geom, i.geom) AS hausdorff,
            o.category = i.category AS same_category, o.attributes = i.attributes AS same_attributes,
            o.description = i.description AS same_description, o.source = i.source AS same_source,
            o.route_code IS NOT DISTINCT FROM i.route_code AND o.side IS NOT DISTINCT FROM i.side
              AND abs(o.chainage_meters - i.chainage_meters) < 0.01 AND o.jurisdiction_code = i.jurisdiction_code
              AND o.zones = i.zones AS same_location
     FROM violations o LEFT JOIN violations i ON i.external_id = 'luyu-violation-' || o.id
     WHERE o.id = ANY($1::bigint[]) ORDER BY o.id`,
    [ids],
  );
  return result.rows;
}

/** Imports a file twice: the first commit creates every row, the second recognises them all. */
async function expectRoundTrip(fileName: string, bytes: Buffer, ids: readonly number[]) {
  const dryRun = await importFile(fileName, bytes, true);
  expect(dryRun.status, JSON.stringify(dryRun.body)).toBe(200);
  expect(dryRun.body.summary, JSON.stringify(dryRun.body.rows.filter((row: { ok: boolean }) => !row.ok))).toMatchObject({ total: ids.length, valid: ids.length, invalid: 0, existing: 0 });
  const commit = await importFile(fileName, bytes, false);
  expect(commit.status, JSON.stringify(commit.body)).toBe(200);
  expect(commit.body.summary.created).toBe(ids.length);
  const again = await importFile(fileName, bytes, false);
  expect(again.body.summary).toMatchObject({ total: ids.length, existing: ids.length, created: 0 });

  const comparisons = await compareImported(ids);
  expect(comparisons).toHaveLength(ids.length);
  for (const row of comparisons) {
    expect(row.imported_id, `record ${row.original_id} was not imported from ${fileName}`).not.toBeNull();
    expect(row.imported_id).not.toBe(row.original_id);
    expect(row.hausdorff).toBeLessThan(1e-7);
    expect(row).toMatchObject({ equal: true, same_category: true, same_attributes: true, same_description: true, same_source: true, same_location: true });
  }
  // The next format imports as into a database without these records.
  await server.db.pool.query(`UPDATE violations SET external_id = external_id || '-' || $2 WHERE external_id = ANY($1::text[])`, [
    ids.map((id) => `luyu-violation-${id}`),
    path.extname(fileName).slice(1),
  ]);
}

function gdal(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')}: ${String((error as { stderr?: string }).stderr)}`);
  }
}

function featureCount(file: string, openOptions: string[] = []): number {
  const summary = gdal(OGRINFO, ['-ro', '-so', '-al', ...openOptions.flatMap((option) => ['-oo', option]), file]);
  const match = /Feature Count: (\d+)/.exec(summary);
  if (!match) throw new Error(`no feature count in ogrinfo output:\n${summary}`);
  return Number(match[1]);
}

/** Shoelace area of a ring in degrees²: positive when counter-clockwise. */
function signedArea(ring: readonly [number, number][]): number {
  let sum = 0;
  for (let index = 0; index < ring.length - 1; index += 1) sum += ring[index]![0] * ring[index + 1]![1] - ring[index + 1]![0] * ring[index]![1];
  return sum / 2;
}

beforeAll(async () => {
  server = await startTestServer({ as: 'officer' });
  work = mkdtempSync(path.join(tmpdir(), 'luyu-export-'));
  // The last county roads of 410104: other files place their findings on the first ones.
  const segment = (await districtSegments(server.db.pool, '410104')).at(-3)!;
  await create(pointBeside(segment.line, 0.3, 8), 'piling', PILING);
  // An L shape drawn clockwise: its first vertex is a corner, its centroid would fall outside.
  const corner = pointBeside(segment.line, 0.5, 12).coordinates;
  const lShape = [[0, 0], [0, 20], [6, 20], [6, 6], [20, 6], [20, 0], [0, 0]].map(([east, north]) => offset(corner, east!, north!));
  await create({ type: 'Polygon', coordinates: [lShape] }, 'structure', STRUCTURE);
  const square = pointBeside(segment.line, 0.7, 10).coordinates;
  const outer = [[0, 0], [8, 0], [8, 8], [0, 8], [0, 0]].map(([east, north]) => offset(square, east!, north!));
  const hole = [[2, 2], [2, 4], [4, 4], [4, 2], [2, 2]].map(([east, north]) => offset(square, east!, north!));
  await create({ type: 'Polygon', coordinates: [outer, hole] }, 'billboard', BILLBOARD);
  for (const query of EXPORT_QUERIES) exports.set(query, await exportFile(query));
});

afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('ledger exports import back', () => {
  it('CSV: WKT with counter-clockwise outer rings, a representative point inside the surface, imports back equal', async () => {
    const { bytes, contentType } = exports.get('format=csv')!;
    expect(contentType).toMatch(/^text\/csv/);
    const csvFile = path.join(work, 'ledger.csv');
    writeFileSync(csvFile, bytes);

    const check = await server.db.pool.query<{ id: number; inside: boolean; wkt_equal: boolean }>(
      `SELECT o.id::integer AS id,
              CASE WHEN GeometryType(o.geom) = 'POINT' THEN ST_Equals(o.geom, ST_SetSRID(ST_Point(c.lon, c.lat), 4326))
                   ELSE ST_Contains(o.geom, ST_SetSRID(ST_Point(c.lon, c.lat), 4326)) END AS inside,
              ST_Equals(o.geom, ST_GeomFromText(c.wkt, 4326)) AS wkt_equal
       FROM violations o JOIN json_to_recordset($1::json) AS c(external_id text, lon float8, lat float8, wkt text) ON c.external_id = 'luyu-violation-' || o.id`,
      [JSON.stringify(await csvRows(bytes))],
    );
    expect(check.rows).toHaveLength(originals.length);
    for (const row of check.rows) expect(row, `record ${row.id}`).toMatchObject({ inside: true, wkt_equal: true });
    for (const { wkt } of await csvRows(bytes)) {
      const outerRing = /^POLYGON\(\(([^)]*)\)/.exec(wkt)?.[1];
      if (outerRing) expect(signedArea(outerRing.split(',').map((pair) => pair.trim().split(/\s+/).map(Number) as [number, number]))).toBeGreaterThan(0);
    }

    await expectRoundTrip('ledger.csv', bytes, originals.map((record) => record.id));

    if (hasGdal) {
      expect(featureCount(csvFile, ['GEOM_POSSIBLE_NAMES=WKT', 'KEEP_GEOM_COLUMNS=NO'])).toBe(originals.length);
      const dump = gdal(OGRINFO, ['-ro', '-al', '-oo', 'GEOM_POSSIBLE_NAMES=WKT', '-oo', 'KEEP_GEOM_COLUMNS=NO', csvFile]);
      expect(dump).toContain('路边堆放沙石，"约12方", 占用公路用地');
      expect(dump).toContain('违法搭建');
      expect(dump.match(/^\s*POLYGON \(\(/gm)).toHaveLength(originals.filter((record) => record.type === 'Polygon').length);
    }
  });

  it('xlsx imports back equal', async () => {
    const { bytes } = exports.get('format=xlsx')!;
    await expectRoundTrip('ledger.xlsx', bytes, originals.map((record) => record.id));
  });

  it('GeoJSON per geometry type: application/geo+json, one type per file, imports back equal, ogr2ogr writes every feature to a Shapefile', async () => {
    for (const [geometryType, type] of [['point', 'Point'], ['polygon', 'Polygon']] as const) {
      const { bytes, contentType } = exports.get(`format=geojson&geometryType=${geometryType}`)!;
      expect(contentType).toMatch(/^application\/geo\+json/);
      const collection = JSON.parse(bytes.toString('utf8')) as GeoJSON.FeatureCollection;
      const expected = originals.filter((record) => record.type === type).map((record) => record.id);
      expect(collection.features.map((feature) => Number(feature.id)).sort()).toEqual([...expected].sort());
      expect(new Set(collection.features.map((feature) => feature.geometry.type))).toEqual(new Set([type]));

      await expectRoundTrip(`ledger-${geometryType}s.geojson`, bytes, expected);

      if (hasGdal) {
        const source = path.join(work, `ledger-${geometryType}s.geojson`);
        writeFileSync(source, bytes);
        const shapefile = path.join(work, `ledger-${geometryType}s.shp`);
        gdal(OGR2OGR, ['-f', 'ESRI Shapefile', '-lco', 'ENCODING=UTF-8', shapefile, source]);
        expect(featureCount(shapefile)).toBe(expected.length);
        // The .cpg says UTF-8, so the Chinese description reads back (a DBF field holds 254 bytes: ours fits).
        expect(gdal(OGRINFO, ['-ro', '-al', shapefile])).toContain('路边堆放沙石，"约12方", 占用公路用地');
      }
    }
  });

  it('refuses an unknown geometryType with 400', async () => {
    const response = await server.request(`/violations/export?format=geojson&geometryType=line`);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
  });
});

/** The CSV's external id, representative point and WKT columns, read with the header row. */
async function csvRows(bytes: Buffer): Promise<{ external_id: string; lon: number; lat: number; wkt: string }[]> {
  const { parse } = await import('csv-parse/sync');
  const [header, ...rows] = parse(bytes.subarray(3).toString('utf8')) as string[][];
  const column = (name: string) => header!.indexOf(name);
  return rows.map((cells) => ({
    external_id: cells[column('外部编号')]!,
    lon: Number(cells[column('经度（°，WGS84）')]),
    lat: Number(cells[column('纬度（°，WGS84）')]),
    wkt: cells[column('WKT')]!,
  }));
}
