import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import * as turf from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

/**
 * OGC API Features Part 1 at /ogc (server/ogc/): the documents' shape, paging by following the
 * links, bbox against an independent test (turf over every feature of the district), the GeoJSON
 * media type, and the district scope (another district's features are neither listed nor found).
 * Then GDAL's own OAPIF driver (ogrinfo) reads the layers with a bearer token. Needs gdal-bin for
 * that part: in CI (CI=true) a missing ogrinfo fails the run; locally it is reported.
 */
const OGRINFO = '/usr/bin/ogrinfo';
const hasGdal = existsSync(OGRINFO);
if (!hasGdal) {
  if (process.env.CI) throw new Error(`[ogc api] ${OGRINFO} not found and CI=${process.env.CI}: install gdal-bin`);
  console.warn('[ogc api] SKIPPED the GDAL OAPIF check: ogrinfo not found; install gdal-bin to run it');
}

const OWN = '410104';
const SIBLING = '410105';
const COLLECTIONS = ['segments', 'zones', 'violations', 'detections'];
const CORE = 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core';
const GEOJSON_CLASS = 'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson';
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

let server: TestServer;
let officerToken: string;
let siblingToken: string;

interface OgcResponse {
  status: number;
  body: any;
  type: string;
}

/** GET an absolute URL or a path below the server, with a bearer token. */
async function ogc(token: string | undefined, pathOrUrl: string, headers: Record<string, string> = {}): Promise<OgcResponse> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${server.baseUrl}${pathOrUrl}`;
  const response = await fetch(url, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body, type: response.headers.get('content-type') ?? '' };
}

/** Shoelace area in deg²: positive for a counter-clockwise ring. */
function signedArea(ring: GeoJSON.Position[]): number {
  let twice = 0;
  for (let index = 0; index + 1 < ring.length; index += 1) twice += ring[index]![0]! * ring[index + 1]![1]! - ring[index + 1]![0]! * ring[index]![1]!;
  return twice / 2;
}

function link(document: { links: { rel: string; href: string }[] }, rel: string): string | undefined {
  return document.links.find((candidate) => candidate.rel === rel)?.href;
}

/** Every feature of a collection, by following `next` from `first` (a row is never listed twice). */
async function everyFeature(token: string, first: string): Promise<GeoJSON.Feature[]> {
  const byId = new Map<number, GeoJSON.Feature>();
  let url: string | undefined = `${server.baseUrl}${first}`;
  while (url) {
    const page = await ogc(token, url);
    expect(page.status, url).toBe(200);
    for (const feature of page.body.features as GeoJSON.Feature[]) byId.set(Number(feature.id), feature);
    url = link(page.body, 'next');
  }
  return [...byId.values()];
}

/** Follows `next` from the first page; every page's ids, in order. */
async function walkNext(token: string, first: string): Promise<{ pages: number[][]; lastUrl: string; firstMatched: number }> {
  const pages: number[][] = [];
  let url: string | undefined = first;
  let lastUrl = first;
  let firstMatched = -1;
  while (url) {
    const page = await ogc(token, url);
    expect(page.status, url).toBe(200);
    if (firstMatched < 0) firstMatched = page.body.numberMatched;
    expect(page.body.numberReturned).toBe(page.body.features.length);
    pages.push(page.body.features.map((feature: { id: number }) => feature.id));
    lastUrl = url;
    url = link(page.body, 'next');
    expect(pages.length).toBeLessThan(500);
  }
  return { pages, lastUrl, firstMatched };
}

async function idsOf(table: string, code: string, demoOnly = false): Promise<number[]> {
  const tables: Record<string, string> = { violations: 'violations', detections: 'detections' };
  const result = await server.db.pool.query<{ id: number }>(
    `SELECT id::integer AS id FROM ${tables[table]} WHERE jurisdiction_code = $1 ${demoOnly ? 'AND is_demo' : ''} ORDER BY id`,
    [code],
  );
  return result.rows.map((row) => row.id);
}

beforeAll(async () => {
  server = await startTestServer({ as: 'officer' });
  officerToken = server.token!;
  siblingToken = await server.login('officer2');
});

afterAll(async () => {
  await server?.close();
});

describe('OGC API Features documents', () => {
  it('the landing page links self, the API description, conformance and data with absolute URLs', async () => {
    const landing = await ogc(officerToken, '/ogc');
    expect(landing.status).toBe(200);
    expect(landing.type).toMatch(/^application\/json/);
    expect(link(landing.body, 'self')).toBe(`${server.baseUrl}/ogc`);
    expect(link(landing.body, 'service-desc')).toBe(`${server.baseUrl}/api/v1/openapi.json`);
    expect(link(landing.body, 'conformance')).toBe(`${server.baseUrl}/ogc/conformance`);
    expect(link(landing.body, 'data')).toBe(`${server.baseUrl}/ogc/collections`);
    // The description it names is really there.
    const description = await ogc(undefined, link(landing.body, 'service-desc')!);
    expect(description.status).toBe(200);
    expect(description.body.openapi).toMatch(/^3\./);
  });

  it('needs a login like every other read, and serves JSON only', async () => {
    const anonymous = await ogc(undefined, '/ogc/collections');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
    const html = await ogc(officerToken, '/ogc/collections', { accept: 'text/html' });
    expect(html.status).toBe(406);
    expect(html.body.error.code).toBe('OGC_NOT_ACCEPTABLE');
    const forced = await ogc(officerToken, '/ogc/collections?f=json', { accept: 'text/html' });
    expect(forced.status).toBe(200);
    const unknown = await ogc(officerToken, '/ogc/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });

  it('declares Core and GeoJSON conformance, and not OpenAPI 3.0 (the API description does not describe /ogc)', async () => {
    const conformance = await ogc(officerToken, '/ogc/conformance');
    expect(conformance.status).toBe(200);
    expect(conformance.body.conformsTo).toEqual(expect.arrayContaining([CORE, GEOJSON_CLASS]));
    expect(conformance.body.conformsTo.some((uri: string) => uri.endsWith('/oas30'))).toBe(false);
  });

  it('lists the four collections with zh-CN titles, CRS84 and the extent of the data in scope', async () => {
    const before = await server.db.pool.query<{ xmin: number; ymin: number; xmax: number; ymax: number }>(
      `SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax FROM (SELECT ST_Extent(geom)::geometry e FROM violations WHERE jurisdiction_code = $1) x`,
      [OWN],
    );
    const collections = await ogc(officerToken, '/ogc/collections');
    expect(collections.status).toBe(200);
    expect(link(collections.body, 'self')).toBe(`${server.baseUrl}/ogc/collections`);
    expect(collections.body.collections.map((collection: { id: string }) => collection.id)).toEqual(COLLECTIONS);
    for (const collection of collections.body.collections) {
      expect(collection.title).toMatch(/[\u4e00-\u9fff]/);
      expect(collection.itemType).toBe('feature');
      expect(collection.crs).toContain(CRS84);
      expect(collection.extent.spatial.bbox).toHaveLength(1);
      expect(collection.extent.spatial.bbox[0]).toHaveLength(4);
      expect(link(collection, 'items')).toBe(`${server.baseUrl}/ogc/collections/${collection.id}/items`);
    }
    // The violations' box holds every 410104 case seen before the request and nothing of 410105
    // only (its box is inside the district's current extent: tests beside this one may add cases).
    const after = await server.db.pool.query<{ xmin: number; ymin: number; xmax: number; ymax: number }>(
      `SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax FROM (SELECT ST_Extent(geom)::geometry e FROM violations WHERE jurisdiction_code = $1) x`,
      [OWN],
    );
    const [minLon, minLat, maxLon, maxLat] = collections.body.collections.find((collection: { id: string }) => collection.id === 'violations').extent.spatial.bbox[0];
    const tolerance = 1e-9;
    expect(minLon).toBeLessThanOrEqual(before.rows[0]!.xmin + tolerance);
    expect(minLat).toBeLessThanOrEqual(before.rows[0]!.ymin + tolerance);
    expect(maxLon).toBeGreaterThanOrEqual(before.rows[0]!.xmax - tolerance);
    expect(maxLat).toBeGreaterThanOrEqual(before.rows[0]!.ymax - tolerance);
    expect(minLon).toBeGreaterThanOrEqual(after.rows[0]!.xmin - tolerance);
    expect(maxLat).toBeLessThanOrEqual(after.rows[0]!.ymax + tolerance);
    const one = await ogc(officerToken, '/ogc/collections/zones');
    expect(one.status).toBe(200);
    expect(one.body.id).toBe('zones');
    expect(link(one.body, 'self')).toBe(`${server.baseUrl}/ogc/collections/zones`);
    const missing = await ogc(officerToken, '/ogc/collections/roads');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('OGC_COLLECTION_NOT_FOUND');
  });

  it('builds links from a forwarded host and protocol only when the proxy is trusted', async () => {
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'gis.example.cn' };
    const untrusted = await ogc(officerToken, '/ogc', forwarded);
    expect(link(untrusted.body, 'self')).toBe(`${server.baseUrl}/ogc`);
    const proxied = await startTestServer({ as: 'officer', env: { LUYU_TRUST_PROXY: 'loopback' } });
    try {
      const response = await fetch(`${proxied.baseUrl}/ogc`, { headers: { authorization: `Bearer ${proxied.token}`, ...forwarded } });
      const body = (await response.json()) as { links: { rel: string; href: string }[] };
      expect(link(body, 'self')).toBe('https://gis.example.cn/ogc');
    } finally {
      await proxied.close();
    }
  });
});

describe('OGC API Features items', () => {
  it('walks every violation of the district once by next links, and back by prev links', async () => {
    const demoIds = await idsOf('violations', OWN, true);
    const siblingIds = new Set(await idsOf('violations', SIBLING));
    expect(demoIds.length).toBeGreaterThan(20);
    const { pages, lastUrl, firstMatched } = await walkNext(officerToken, `${server.baseUrl}/ogc/collections/violations/items?limit=17`);
    const walked = pages.flat();
    expect(pages.length).toBeGreaterThan(1);
    expect(new Set(walked).size).toBe(walked.length);
    expect(walked.length).toBeGreaterThanOrEqual(firstMatched);
    expect(walked).toEqual(expect.arrayContaining(demoIds));
    expect(walked.filter((id) => siblingIds.has(id))).toEqual([]);
    const owners = await server.db.pool.query<{ code: string }>('SELECT DISTINCT jurisdiction_code AS code FROM violations WHERE id = ANY($1)', [walked]);
    expect(owners.rows.map((row) => row.code)).toEqual([OWN]);
    // Back from the last page: the same pages in reverse (the last may have grown meanwhile).
    const back: number[][] = [];
    let url: string | undefined = lastUrl;
    while (url) {
      const page = await ogc(officerToken, url);
      back.push(page.body.features.map((feature: { id: number }) => feature.id));
      url = link(page.body, 'prev');
    }
    expect(back.length).toBe(pages.length);
    // Pages are offsets in id order: another file deleting its violation (database_rules does) or
    // committing one with a lower id than one already committed shifts the rows after it by one
    // between the two walks. The demo rows come first (loaded before any file runs) and stay put.
    const lastDemoId = Math.max(...demoIds);
    const demoPart = (ids: number[][]) => ids.slice(0, -1).map((page) => page.filter((id) => id <= lastDemoId));
    expect(demoPart(back.reverse())).toEqual(demoPart(pages));
  });

  it('answers application/geo+json FeatureCollections with the Part 1 members and CCW outer rings', async () => {
    const page = await ogc(officerToken, '/ogc/collections/zones/items?limit=50');
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^application\/geo\+json/);
    expect(page.body.type).toBe('FeatureCollection');
    expect(page.body.numberReturned).toBe(50);
    expect(page.body.numberMatched).toBeGreaterThan(50);
    expect(Number.isNaN(Date.parse(page.body.timeStamp))).toBe(false);
    expect(link(page.body, 'self')).toBe(`${server.baseUrl}/ogc/collections/zones/items?limit=50&offset=0`);
    expect(link(page.body, 'next')).toBe(`${server.baseUrl}/ogc/collections/zones/items?limit=50&offset=50`);
    expect(link(page.body, 'prev')).toBeUndefined();
    for (const feature of page.body.features) {
      const polygons: GeoJSON.Position[][][] = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
      for (const polygon of polygons) {
        // RFC 7946 §3.1.6: exterior rings counter-clockwise (positive shoelace area), holes clockwise.
        expect(signedArea(polygon[0]!)).toBeGreaterThan(0);
        // Slivers of ~1e-16 deg² (zone gaps) have no orientation left after rounding to 7 decimals.
        for (const hole of polygon.slice(1).filter((ring) => Math.abs(signedArea(ring)) > 1e-12)) expect(signedArea(hole)).toBeLessThan(0);
      }
    }
    const item = await ogc(officerToken, `/ogc/collections/zones/items/${page.body.features[0].id}`);
    expect(item.status).toBe(200);
    expect(item.type).toMatch(/^application\/geo\+json/);
    expect(item.body.type).toBe('Feature');
    expect(item.body.id).toBe(page.body.features[0].id);
    expect(link(item.body, 'collection')).toBe(`${server.baseUrl}/ogc/collections/zones`);
  });

  it('clamps a limit above 1000 to 1000 and refuses malformed paging and bbox with 400', async () => {
    // The province sees every zone of the demo network (more than 1000).
    const big = await ogc(await server.login('province_admin'), '/ogc/collections/zones/items?limit=5000');
    expect(big.status).toBe(200);
    expect(big.body.numberReturned).toBe(Math.min(1000, big.body.numberMatched));
    expect(big.body.numberMatched).toBeGreaterThan(1000);
    for (const query of ['limit=abc', 'limit=0', 'offset=-1', 'offset=x', 'bbox=1,2,3', 'bbox=a,b,c,d', 'bbox=114,35,113,34', 'f=html']) {
      const response = await ogc(officerToken, `/ogc/collections/segments/items?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error.code, query).toBe('VALIDATION_FAILED');
    }
  });

  it('selects by bbox exactly the features a separate intersection test finds', async () => {
    // Every violation of the district, then a box around one of them.
    const all = await everyFeature(officerToken, '/ogc/collections/violations/items?limit=1000');
    // A box of ±0.01° around the district's median violation: never empty, and smaller than the
    // district. (The middle of the whole extent was empty in a CI run: other files' violations far
    // out stretched the extent.)
    const byLon = [...all].sort((a, b) => turf.centroid(a).geometry.coordinates[0]! - turf.centroid(b).geometry.coordinates[0]!);
    const [centreLon, centreLat] = turf.centroid(byLon[Math.floor(byLon.length / 2)]!).geometry.coordinates as [number, number];
    const box: [number, number, number, number] = [centreLon - 0.01, centreLat - 0.01, centreLon + 0.01, centreLat + 0.01];
    const boxPolygon = turf.bboxPolygon(box);
    const inBox = (features: GeoJSON.Feature[]) => new Set(features.filter((feature) => turf.booleanIntersects(feature, boxPolygon)).map((feature) => Number(feature.id)));
    const before = inBox(all);
    expect(before.size).toBeGreaterThan(0);
    expect(before.size).toBeLessThan(all.length);
    const filtered = await ogc(officerToken, `/ogc/collections/violations/items?limit=1000&bbox=${box.join(',')}`);
    expect(filtered.status).toBe(200);
    // Other files running beside this one on PostgreSQL create violations of 410104 (beside the demo
    // roads, so in such a box too) and delete theirs: the answer lies between what was in the box
    // both before and after it, and what was in it either time.
    const after = inBox(await everyFeature(officerToken, '/ogc/collections/violations/items?limit=1000'));
    const both = [...before].filter((id) => after.has(id)).sort((a, b) => a - b);
    const either = new Set([...before, ...after]);
    const ids: number[] = filtered.body.features.map((feature: { id: number }) => feature.id).sort((a: number, b: number) => a - b);
    expect(filtered.body.numberMatched).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(both));
    expect(ids.filter((id) => !either.has(id))).toEqual([]);
    // Each answered feature intersects the box by its own geometry, tested apart.
    for (const feature of filtered.body.features) expect(turf.booleanIntersects(feature, boxPolygon), `feature ${feature.id}`).toBe(true);
    // The box survives into the paging links.
    expect(link(filtered.body, 'self')).toContain(`bbox=${encodeURIComponent(box.join(','))}`);
  });

  it('another district’s features are never listed and not found by id', async () => {
    const siblingViolation = (await idsOf('violations', SIBLING, true))[0]!;
    const siblingDetection = (await idsOf('detections', SIBLING, true))[0]!;
    const hidden = await ogc(officerToken, `/ogc/collections/violations/items/${siblingViolation}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('OGC_FEATURE_NOT_FOUND');
    expect((await ogc(officerToken, `/ogc/collections/detections/items/${siblingDetection}`)).status).toBe(404);
    // Its own district's officer reads it.
    const visible = await ogc(siblingToken, `/ogc/collections/violations/items/${siblingViolation}`);
    expect(visible.status).toBe(200);
    expect(visible.body.properties.jurisdictionCode).toBe(SIBLING);
    const { pages } = await walkNext(officerToken, `${server.baseUrl}/ogc/collections/detections/items?limit=1000`);
    const siblingDetections = new Set(await idsOf('detections', SIBLING));
    expect(pages.flat().length).toBeGreaterThan(0);
    expect(pages.flat().filter((id) => siblingDetections.has(id))).toEqual([]);
    for (const featureId of ['abc', '0', '-1', '1.5', '99999999999999999999']) {
      const response = await ogc(officerToken, `/ogc/collections/violations/items/${featureId}`);
      expect(response.status, featureId).toBe(404);
      expect(response.body.error.code).toBe('OGC_FEATURE_NOT_FOUND');
    }
  });
});

const run = promisify(execFile);

describe.skipIf(!hasGdal)('GDAL OAPIF driver (ogrinfo) reads /ogc', () => {
  const gdalEnv = () => ({ ...process.env, GDAL_HTTP_HEADERS: `Authorization: Bearer ${officerToken}`, CPL_DEBUG: 'OFF' });

  it('lists the four layers', async () => {
    const { stdout } = await run(OGRINFO, ['-ro', '-so', `OAPIF:${server.baseUrl}/ogc`], { env: gdalEnv(), timeout: 60_000 });
    console.log(`[ogc api] ogrinfo -ro -so:\n${stdout}`);
    for (const layer of COLLECTIONS) expect(stdout).toMatch(new RegExp(`^\\d+: ${layer}\\b`, 'm'));
  });

  it('reports the violations layer with the Feature Count the API matches', async () => {
    const { stdout } = await run(OGRINFO, ['-ro', '-al', '-so', `OAPIF:${server.baseUrl}/ogc`, 'violations'], { env: gdalEnv(), timeout: 60_000 });
    console.log(`[ogc api] ogrinfo -ro -al -so violations:\n${stdout}`);
    const api = await ogc(officerToken, '/ogc/collections/violations/items?limit=1');
    const count = /Feature Count: (\d+)/.exec(stdout);
    expect(count, stdout).not.toBeNull();
    expect(Number(count![1])).toBe(api.body.numberMatched);
  });

  it('without the token GDAL cannot open the service', async () => {
    const outcome = await run(OGRINFO, ['-ro', '-so', `OAPIF:${server.baseUrl}/ogc`], { env: { ...process.env, GDAL_HTTP_HEADERS: '' }, timeout: 60_000 }).then(
      () => 'opened',
      (error: { stderr?: string }) => String(error.stderr ?? ''),
    );
    expect(outcome).not.toBe('opened');
  });
});
