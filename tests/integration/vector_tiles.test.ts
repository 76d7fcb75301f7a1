import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import Pbf from 'pbf';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../server/db/transaction.ts';
import { encodeTileLayer } from '../../server/tiles/encode_tile.ts';
import { selectHasProtobuf, selectTileFeatures, selectTileMvt } from '../../server/tiles/queries.ts';
import { tileQuery } from '../../server/tiles/service.ts';
import { MERGED_SEGMENT_ID_BASE, TILE_LAYER_NAMES, TILE_LAYERS, type TileLayerName } from '../../server/tiles/tile_layers.ts';
import { formatStake } from '../../server/domain/stake.ts';
import { mapStatus } from '../../client/src/map/violation_layers.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';
import { tileBounds, tileOf, type Tile } from '../helpers/slippy_tiles.ts';

/**
 * Vector tiles decoded with the standard decoder (@mapbox/vector-tile): features expected from
 * the tile's bounds computed here with the slippy-map formulas (not ST_TileEnvelope), scoping by
 * jurisdiction, HTTP caching, and on PostgreSQL the Node encoder against ST_AsMVT.
 */

const OWN = '410104';
const SIBLING = '410105';
let server: TestServer;
let officer: string;
let officer2: string;

interface DecodedFeature {
  id: number;
  type: number;
  properties: Record<string, unknown>;
  rings: { x: number; y: number }[][];
}

function decode(bytes: Uint8Array, layer: string): DecodedFeature[] {
  const tile = new VectorTile(new Pbf(bytes));
  const decoded = tile.layers[layer];
  if (!decoded) return [];
  expect(decoded.extent).toBe(4096);
  const features: DecodedFeature[] = [];
  for (let index = 0; index < decoded.length; index += 1) {
    const feature = decoded.feature(index);
    features.push({ id: feature.id!, type: feature.type, properties: feature.properties, rings: feature.loadGeometry() });
  }
  return features;
}

async function getTile(token: string, layer: string, tile: Tile, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.baseUrl}/api/v1/tiles/${layer}/${tile.z}/${tile.x}/${tile.y}.mvt`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
}

type FeatureTable = 'segments' | 'protection_zones' | 'dissolved_zone_sets' | 'violations' | 'detections';

/** Ids (superuser, no RLS) of a table's rows of one district whose geometry meets the bounds (degrees). */
async function idsIn(table: FeatureTable, bounds: number[], district: string, zoom?: number): Promise<number[]> {
  const geometry = table === 'segments' ? 'centreline' : 'geom';
  const owner =
    table === 'protection_zones'
      ? `coalesce((SELECT s.jurisdiction_code FROM segments s WHERE s.id = t.segment_id), (SELECT r.jurisdiction_code FROM road_structures r WHERE r.id = t.structure_id))`
      : 't.jurisdiction_code';
  // The zone tiles below z14 hold one feature per dissolved set (district + kind), id the set's
  // (migration 045): the sets whose overviews (Web Mercator, one row per piece and zoom band) meet the bounds.
  if (table === 'dissolved_zone_sets') {
    const sets = await server.db.pool.query<{ id: number }>(
      `SELECT DISTINCT t.set_id::integer AS id FROM dissolved_zone_overviews t
       WHERE ST_Intersects(t.geom, ST_Transform(ST_MakeEnvelope($1, $2, $3, $4, 4326), 3857)) AND t.jurisdiction_code = $5 AND $6 BETWEEN t.min_zoom AND t.max_zoom
       ORDER BY 1`,
      [...bounds, district, zoom],
    );
    return sets.rows.map((row) => row.id);
  }
  const result = await server.db.pool.query<{ id: number }>(
    `SELECT t.id FROM ${table} t WHERE ST_Intersects(t.${geometry}, ST_MakeEnvelope($1, $2, $3, $4, 4326)) AND ${owner} = $5 ORDER BY t.id`,
    [...bounds, district],
  );
  return result.rows.map((row) => row.id);
}

let segmentTile: Tile;

beforeAll(async () => {
  server = await startTestServer({ as: null });
  officer = await server.login('officer');
  officer2 = await server.login('officer2');
  // A z14 tile around the middle of the first 410104 segment.
  const middle = await server.db.pool.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_LineInterpolatePoint(ST_Force2D(centreline), 0.5) AS p FROM segments WHERE jurisdiction_code = $1 ORDER BY id LIMIT 1) s`,
    [OWN],
  );
  segmentTile = tileOf(middle.rows[0]!.lon, middle.rows[0]!.lat, 14);
});

afterAll(async () => {
  await server.close();
});

describe('GET /tiles/{layer}/{z}/{x}/{y}.mvt', () => {
  it('holds the segments that cross the tile, with their attributes, and none outside its buffer', async () => {
    const response = await getTile(officer, 'segments', segmentTile);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    const features = decode(response.bytes, 'segments');
    const ids = features.map((feature) => feature.id).sort((a, b) => a - b);
    const inside = await idsIn('segments', tileBounds(segmentTile), OWN);
    const withinBuffer = await idsIn('segments', tileBounds(segmentTile, 1 / 64), OWN);
    expect(inside.length).toBeGreaterThan(0);
    for (const id of inside) expect(ids).toContain(id);
    for (const id of ids) expect(withinBuffer).toContain(id);
    const rows = await server.db.pool.query<{ id: number; route_code: string; admin_class: string; direction: number }>(
      'SELECT id, route_code, admin_class, direction FROM segments WHERE id = ANY ($1)',
      [ids],
    );
    for (const row of rows.rows) {
      const feature = features.find((candidate) => candidate.id === row.id)!;
      expect(feature.type).toBe(2);
      expect(feature.properties).toMatchObject({ route_code: row.route_code, admin_class: row.admin_class, direction: row.direction, jurisdiction_code: OWN });
      // Clipped to the tile plus its 64-unit buffer.
      for (const ring of feature.rings) for (const point of ring) {
        expect(point.x).toBeGreaterThanOrEqual(-64);
        expect(point.x).toBeLessThanOrEqual(4096 + 64);
        expect(point.y).toBeGreaterThanOrEqual(-64);
        expect(point.y).toBeLessThanOrEqual(4096 + 64);
      }
    }
  });

  it('merges the main roads below z10: one line per route, county and direction, with an id no segment has', async () => {
    const tile = tileOf(113.68, 34.75, 9);
    const bounds = tileBounds(tile, 1 / 64);
    const response = await getTile(officer, 'segments', tile);
    expect(response.status).toBe(200);
    const features = decode(response.bytes, 'segments');
    // The groups of the main-road segments of the officer's district that meet the tile (buffer included).
    const groups = await server.db.pool.query<{ route_code: string; direction: number; segments: number }>(
      `SELECT route_code, direction::integer AS direction, count(*)::integer AS segments FROM segments
       WHERE jurisdiction_code = $5 AND admin_class IN ('expressway', 'national', 'provincial')
         AND ST_Intersects(centreline, ST_MakeEnvelope($1, $2, $3, $4, 4326))
       GROUP BY 1, 2 ORDER BY 1, 2`,
      [...bounds, OWN],
    );
    expect(groups.rows.some((group) => group.segments > 1)).toBe(true);
    const keys = features.map((feature) => `${String(feature.properties.route_code)}|${String(feature.properties.direction)}`).sort();
    expect(keys).toEqual(groups.rows.map((group) => `${group.route_code}|${group.direction}`));
    for (const feature of features) {
      expect(feature.type).toBe(2);
      expect(feature.properties.jurisdiction_code).toBe(OWN);
      expect(feature.id).toBeGreaterThanOrEqual(MERGED_SEGMENT_ID_BASE);
    }
    // The same group has the same id in a neighbouring tile (hover highlights the whole line).
    const idsByKey = new Map(features.map((feature) => [`${String(feature.properties.route_code)}|${String(feature.properties.direction)}`, feature.id]));
    for (const neighbour of [{ ...tile, x: tile.x + 1 }, { ...tile, x: tile.x - 1 }, { ...tile, y: tile.y + 1 }, { ...tile, y: tile.y - 1 }]) {
      const other = await getTile(officer, 'segments', neighbour);
      if (other.status !== 200) continue;
      for (const feature of decode(other.bytes, 'segments')) {
        const id = idsByKey.get(`${String(feature.properties.route_code)}|${String(feature.properties.direction)}`);
        if (id !== undefined) expect(feature.id).toBe(id);
      }
    }
    // From z10 one feature per segment again.
    const z10 = decode((await getTile(officer, 'segments', tileOf(113.68, 34.75, 10))).bytes, 'segments');
    expect(z10.every((feature) => feature.id < MERGED_SEGMENT_ID_BASE)).toBe(true);
  });

  it('never holds a sibling district’s features, in any layer, on a tile where both districts have some', async () => {
    // A z13 tile at the place where the two districts' roads come closest.
    const border = await server.db.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
         SELECT ST_ClosestPoint(ST_Force2D(a.centreline), ST_Force2D(b.centreline)) AS p
         FROM segments a, segments b WHERE a.jurisdiction_code = $1 AND b.jurisdiction_code = $2
         ORDER BY ST_Distance(a.centreline, b.centreline), a.id, b.id LIMIT 1) s`,
      [OWN, SIBLING],
    );
    const tile = tileOf(border.rows[0]!.lon, border.rows[0]!.lat, 13);
    const bounds = tileBounds(tile, 1 / 64);
    // Zones at z13 come from the dissolved layer's pyramid (one feature per set) on PostgreSQL, from the bands on the embedded database.
    // The basemap's OSM roads are every user's (no jurisdiction, like GET /basemap/roads); the
    // violation clusters' ids are grid cells, not cases (their scoping has its own test below).
    const tables: Record<Exclude<TileLayerName, 'basemap_roads' | 'violation_clusters'>, FeatureTable> = {
      segments: 'segments',
      stakes: 'segments',
      zones: server.db.mode === 'embedded' ? 'protection_zones' : 'dissolved_zone_sets',
      violations: 'violations',
      detections: 'detections',
    };
    let ownFeatures = 0;
    for (const layer of TILE_LAYER_NAMES.filter((name) => name !== 'basemap_roads' && name !== 'violation_clusters')) {
      const siblingIds = new Set(await idsIn(tables[layer], bounds, SIBLING, tile.z));
      const ownIds = new Set(await idsIn(tables[layer], bounds, OWN, tile.z));
      const response = await getTile(officer, layer, tile);
      expect([200, 204]).toContain(response.status);
      const ids = response.status === 200 ? decode(response.bytes, layer).map((feature) => feature.id) : [];
      ownFeatures += ids.length;
      for (const id of ids) {
        expect(siblingIds.has(id), `${layer} ${id} of ${SIBLING} in a ${OWN} officer's tile`).toBe(false);
        expect(ownIds.has(id), `${layer} ${id}`).toBe(true);
      }
      // And the other way round: the sibling's officer sees none of ours.
      const other = await getTile(officer2, layer, tile);
      const otherIds = other.status === 200 ? decode(other.bytes, layer).map((feature) => feature.id) : [];
      for (const id of otherIds) expect(ownIds.has(id), `${layer} ${id} of ${OWN} in a ${SIBLING} officer's tile`).toBe(false);
      if (layer === 'segments') expect(siblingIds.size).toBeGreaterThan(0);
    }
    expect(ownFeatures).toBeGreaterThan(0);
  });

  it('answers 304 to a matching If-None-Match, 204 for an empty tile or a zoom outside the layer, 400 for bad coordinates', async () => {
    const first = await getTile(officer, 'zones', segmentTile);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(first.headers.get('cache-control')).toBe('private, max-age=60');
    const again = await getTile(officer, 'zones', segmentTile, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    const changed = await getTile(officer, 'zones', segmentTile, { 'if-none-match': '"something-else"' });
    expect(changed.status).toBe(200);
    // The South Atlantic at z14: nothing there.
    expect((await getTile(officer, 'segments', tileOf(-20, -30, 14))).status).toBe(204);
    // Zones start at z10.
    expect((await getTile(officer, 'zones', tileOf(113.7, 34.7, 9))).status).toBe(204);
    for (const path of ['segments/14/99999/1.mvt', 'roads/14/1/1.mvt', 'segments/23/1/1.mvt', 'segments/a/1/1.mvt']) {
      const response = await server.requestWith(officer, `/tiles/${path}`);
      expect(response.status, path).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('gzips a tile for a client that accepts it (the same bytes once gunzipped) and sends it plain to one that does not', async () => {
    // node:http, not fetch: fetch gunzips the body and hides what came on the wire.
    const raw = (encoding: string) =>
      new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        const url = new URL(`${server.baseUrl}/api/v1/tiles/zones/${segmentTile.z}/${segmentTile.x}/${segmentTile.y}.mvt`);
        http
          .get(url, { headers: { authorization: `Bearer ${officer}`, 'accept-encoding': encoding } }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
          })
          .on('error', reject);
      });
    const plain = await raw('identity');
    const gzipped = await raw('gzip, deflate, br');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(plain.body.length).toBeGreaterThan(0);
    expect(gunzipSync(gzipped.body).equals(plain.body)).toBe(true);
    expect(gzipped.body.length).toBeLessThan(plain.body.length);
    expect(gzipped.headers.etag).toBe(plain.headers.etag);
  });

  it('puts a stake at every segment’s start-chainage end, labelled as formatStake writes it', async () => {
    const response = await getTile(officer, 'stakes', segmentTile);
    expect(response.status).toBe(200);
    const features = decode(response.bytes, 'stakes');
    expect(features.length).toBeGreaterThan(0);
    // The vertices with their M (chainage) values, read here without the tile template's SQL.
    const rows = await server.db.pool.query<{ id: number; chainage_from_meters: number; route_code: string; direction: number; points: [number, number, number][] }>(
      `SELECT id, chainage_from_meters, route_code, direction,
              (SELECT json_agg(json_build_array(ST_X(d.geom), ST_Y(d.geom), ST_M(d.geom)) ORDER BY d.path) FROM ST_DumpPoints(centreline) d) AS points
       FROM segments WHERE id = ANY ($1)`,
      [features.map((feature) => feature.id)],
    );
    expect(rows.rows.length).toBe(features.length);
    const [west, south, east, north] = tileBounds(segmentTile);
    const mercatorY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
    for (const row of rows.rows) {
      const feature = features.find((candidate) => candidate.id === row.id)!;
      expect(feature.type).toBe(1);
      expect(feature.properties).toMatchObject({ route_code: row.route_code, direction: row.direction, stake: formatStake(row.chainage_from_meters), jurisdiction_code: OWN });
      expect(feature.properties.chainage_meters).toBe(Math.round(row.chainage_from_meters));
      const start = row.points.reduce((lowest, point) => (point[2] < lowest[2] ? point : lowest));
      expect(start[2]).toBeCloseTo(row.chainage_from_meters, 0);
      const expectedX = ((start[0] - west) / (east - west)) * 4096;
      const expectedY = ((mercatorY(north) - mercatorY(start[1])) / (mercatorY(north) - mercatorY(south))) * 4096;
      const point = feature.rings[0]![0]!;
      expect(Math.abs(point.x - expectedX), `stake ${row.id} x`).toBeLessThanOrEqual(1);
      expect(Math.abs(point.y - expectedY), `stake ${row.id} y`).toBeLessThanOrEqual(1);
    }
  });

  it('gives each violation the map status the client derives from the list API’s status, overdue and verdict', async () => {
    const centre = await server.db.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(c) AS lon, ST_Y(c) AS lat FROM (SELECT ST_Centroid(ST_Collect(ST_PointOnSurface(geom))) AS c FROM violations WHERE jurisdiction_code = $1) s`,
      [OWN],
    );
    const tile = tileOf(centre.rows[0]!.lon, centre.rows[0]!.lat, 10);
    type Listed = { properties: { id: number; status: string; overdue: boolean; verdict: { isViolation: boolean } } };
    const listTile = async () => {
      const list = await server.requestWith<{ features: Listed[] }>(officer, `/violations?bbox=${tileBounds(tile).join(',')}&limit=5000`);
      expect(list.status).toBe(200);
      return new Map(list.body.features.map((feature) => [feature.properties.id, feature.properties]));
    };
    // The list read before and after the tile: a case another test file changes meanwhile (files
    // share the database on PostgreSQL) differs between the two and is left out of the comparison.
    const before = await listTile();
    const response = await getTile(officer, 'violations', tile);
    expect(response.status).toBe(200);
    const features = decode(response.bytes, 'violations');
    const after = await listTile();
    const state = (properties: Listed['properties'] | undefined) => properties && JSON.stringify([properties.status, properties.overdue, properties.verdict?.isViolation]);
    const byId = new Map([...before].filter(([id, properties]) => state(properties) === state(after.get(id))));
    const seen = new Set<string>();
    for (const feature of features) {
      const properties = byId.get(feature.id);
      if (!properties) continue;
      const expected = mapStatus(properties as unknown as Parameters<typeof mapStatus>[0]);
      expect(feature.properties.map_status, `violation ${feature.id}`).toBe(expected);
      seen.add(expected);
    }
    // The demo has open, closed and void cases in this district (overdue depends on today's date).
    expect(seen.size).toBeGreaterThanOrEqual(3);
  });

  it('counts every case of the user’s scope once in the violation clusters (z6–z9), by map status, and none of the sibling district', async () => {
    type Listed = { geometry: { type: string; coordinates: unknown }; properties: { id: number; status: string; overdue: boolean; verdict: { isViolation: boolean } } };
    const byMapStatus = (features: Listed[]) => {
      const counts: Record<string, number> = { open: 0, overdue: 0, closed: 0, void: 0 };
      for (const feature of features) counts[mapStatus(feature.properties as unknown as Parameters<typeof mapStatus>[0])]! += 1;
      return counts;
    };
    const listAll = async (token: string) => {
      const list = await server.requestWith<{ numberMatched: number; features: Listed[] }>(token, '/violations?limit=5000');
      expect(list.status).toBe(200);
      expect(list.body.features.length).toBe(list.body.numberMatched);
      return list.body;
    };
    for (const token of [officer, officer2]) {
      // Other test files add and move cases on a shared database (PostgreSQL): the tiles are
      // compared with a list that read the same before and after them (a few tries for a quiet moment).
      for (let attempt = 1; ; attempt += 1) {
        const listed = await listAll(token);
        expect(listed.features.length).toBeGreaterThan(0);
        const expected = byMapStatus(listed.features);
        // Every vertex of every case: the tiles meeting their extent hold every representative point.
        const vertices = JSON.stringify(listed.features.map((feature) => feature.geometry.coordinates)).match(/-?\d+(\.\d+)?,-?\d+(\.\d+)?/g)!.map((pair) => pair.split(',').map(Number));
        const lons = vertices.map(([lon]) => lon!);
        const lats = vertices.map(([, lat]) => lat!);
        const totals: { z: number; total: number; counted: Record<string, number> }[] = [];
        for (const z of [8, 9]) {
          const northWest = tileOf(Math.min(...lons), Math.max(...lats), z);
          const southEast = tileOf(Math.max(...lons), Math.min(...lats), z);
          const counted: Record<string, number> = { open: 0, overdue: 0, closed: 0, void: 0 };
          let total = 0;
          for (let x = northWest.x; x <= southEast.x; x += 1) {
            for (let y = northWest.y; y <= southEast.y; y += 1) {
              const response = await getTile(token, 'violation_clusters', { z, x, y });
              expect([200, 204]).toContain(response.status);
              if (response.status === 204) continue;
              for (const cluster of decode(response.bytes, 'violation_clusters')) {
                const p = cluster.properties as Record<string, number | string>;
                expect(cluster.type).toBe(1);
                const byStatus = { open: Number(p.open ?? 0), overdue: Number(p.overdue ?? 0), closed: Number(p.closed ?? 0), void: Number(p.void ?? 0) };
                expect(byStatus.open + byStatus.overdue + byStatus.closed + byStatus.void).toBe(p.count);
                const dominant = (['overdue', 'open', 'closed', 'void'] as const).find((status) => byStatus[status] > 0);
                expect(p.map_status).toBe(dominant);
                for (const status of Object.keys(byStatus) as (keyof typeof byStatus)[]) counted[status]! += byStatus[status];
                total += Number(p.count);
              }
            }
          }
          totals.push({ z, total, counted });
        }
        const again = await listAll(token);
        if ((again.numberMatched !== listed.numberMatched || JSON.stringify(byMapStatus(again.features)) !== JSON.stringify(expected)) && attempt < 5) continue;
        for (const { z, total, counted } of totals) {
          expect(total, `z${z}: every case once`).toBe(listed.numberMatched);
          expect(counted, `z${z}: by map status`).toEqual(expected);
        }
        break;
      }
    }
    // Outside the layer's zooms: no tile.
    const centre = await server.db.pool.query<{ lon: number; lat: number }>(`SELECT ST_X(c) AS lon, ST_Y(c) AS lat FROM (SELECT ST_Centroid(ST_Collect(ST_PointOnSurface(geom))) AS c FROM violations WHERE jurisdiction_code = $1) s`, [OWN]);
    expect((await getTile(officer, 'violation_clusters', tileOf(centre.rows[0]!.lon, centre.rows[0]!.lat, 10))).status).toBe(204);
  });

  it('needs a login', async () => {
    const response = await fetch(`${server.baseUrl}/api/v1/tiles/segments/${segmentTile.z}/${segmentTile.x}/${segmentTile.y}.mvt`);
    expect(response.status).toBe(401);
  });
});

describe('zones tiles below z14', () => {
  it('hold one feature per dissolved set (district and kind) from the pre-clipped pyramid (PostgreSQL; the per-segment bands on the embedded database), the same kinds as the bands, and per-segment bands from z14', async () => {
    const [lon, lat] = await firstSegmentPoint();
    for (const z of [10, 12, 13]) {
      const tile = tileOf(lon, lat, z);
      const response = await getTile(officer, 'zones', tile);
      expect(response.status).toBe(200);
      const features = decode(response.bytes, 'zones');
      if (server.db.mode === 'embedded') {
        // One connection in the server's thread: no dissolved layer kept current, the bands at every zoom.
        const bands = await server.db.pool.query<{ id: number }>('SELECT id::integer AS id FROM protection_zones WHERE id = ANY ($1)', [features.map((feature) => feature.id)]);
        expect(bands.rows.length, `z${z}`).toBe(features.length);
        expect(features.length, `z${z}`).toBeGreaterThan(0);
        for (const feature of features) expect(feature.properties.segment_id ?? feature.properties.structure_id).toBeTypeOf('number');
        continue;
      }
      // One feature per dissolved set (district + kind) the tile meets, from the pyramid (migration 045).
      const sets = await server.db.pool.query<{ id: number; kind: string; jurisdiction_code: string }>(
        'SELECT id::integer AS id, kind, jurisdiction_code FROM dissolved_zone_sets WHERE id = ANY ($1)',
        [features.map((feature) => feature.id)],
      );
      expect(sets.rows.length, `z${z}`).toBe(features.length);
      for (const feature of features) {
        const set = sets.rows.find((row) => row.id === feature.id)!;
        expect(feature.properties).toEqual({ kind: set.kind, jurisdiction_code: OWN });
        expect(feature.type).toBe(3);
      }
      // The same kinds appear as in the per-segment bands of the same tile (the clip in SQL, as on the embedded database).
      const perSegment = await selectTileFeatures(server.db.pool, { ...tileQuery('zones', tile.z, tile.x, tile.y), perSegmentZones: true }, 'sql');
      const kindsOf = (kinds: unknown[]) => [...new Set(kinds)].sort();
      expect(kindsOf(features.map((feature) => feature.properties.kind)), `z${z}`).toEqual(kindsOf(perSegment.map((row) => row.properties.kind)));
    }
    const close = decode((await getTile(officer, 'zones', tileOf(lon, lat, 14))).bytes, 'zones');
    expect(close.length).toBeGreaterThan(0);
    for (const feature of close) expect(feature.properties.segment_id ?? feature.properties.structure_id).toBeTypeOf('number');
  });
});

describe('GET /tiles/{layer}.json', () => {
  it('describes each layer as TileJSON 3 with a tile URL template that works', async () => {
    for (const layer of TILE_LAYER_NAMES) {
      const response = await server.requestWith(officer, `/tiles/${layer}.json`);
      expect(response.status).toBe(200);
      expect(response.body.tilejson).toBe('3.0.0');
      expect(response.body.vector_layers[0].id).toBe(layer);
      const url = response.body.tiles[0].replace('{z}', String(segmentTile.z)).replace('{x}', String(segmentTile.x)).replace('{y}', String(segmentTile.y));
      const tile = await fetch(url, { headers: { authorization: `Bearer ${officer}` } });
      expect([200, 204]).toContain(tile.status);
    }
  });

  it('bounds the layer to the rows the user may see (the map fits this at start)', async () => {
    const extent = async (district: string) => {
      const result = await server.db.pool.query<{ west: number; south: number; east: number; north: number }>(
        `SELECT min(ST_XMin(centreline)) AS west, min(ST_YMin(centreline)) AS south, max(ST_XMax(centreline)) AS east, max(ST_YMax(centreline)) AS north
         FROM segments WHERE jurisdiction_code = $1`,
        [district],
      );
      const row = result.rows[0]!;
      return [row.west, row.south, row.east, row.north];
    };
    for (const [token, district] of [[officer, OWN], [officer2, SIBLING]] as const) {
      const response = await server.requestWith(token, '/tiles/segments.json');
      expect(response.status).toBe(200);
      const expected = await extent(district);
      expect(response.body.bounds).toHaveLength(4);
      response.body.bounds.forEach((degrees: number, index: number) => expect(Math.abs(degrees - expected[index]!), `${district} bounds[${index}]`).toBeLessThan(1e-5));
    }
  });
});

/** Runs reads in one REPEATABLE READ transaction on one connection (one snapshot for all of them). */
function inOneSnapshot<T>(read: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(server.db.pool, async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    return read(client);
  });
}

async function firstSegmentPoint(): Promise<[number, number]> {
  const middle = await server.db.pool.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_LineInterpolatePoint(ST_Force2D(centreline), 0.5) AS p FROM segments WHERE jurisdiction_code = $1 ORDER BY id LIMIT 1) s`,
    [OWN],
  );
  return [middle.rows[0]!.lon, middle.rows[0]!.lat];
}

describe('the Node encoder against ST_AsMVT', () => {
  it('gives the same features, ids, attributes and geometry types for the same tiles (PostgreSQL, where both run)', async () => {
    if (!(await selectHasProtobuf(server.db.pool))) {
      // The embedded PostGIS has no ST_AsMVT: its tiles are the Node encoder's; the tests above decode them.
      expect(server.db.mode).toBe('embedded');
      return;
    }
    const [lon, lat] = await firstSegmentPoint();
    let compared = 0;
    let polygons = 0;
    let polygonBoxesDiffering = 0;
    for (const layer of TILE_LAYER_NAMES) {
      for (const z of [8, 10, 12, 13, 14, 16].filter((zoom) => zoom >= TILE_LAYERS[layer].minZoom)) {
        const tile = tileOf(lon, lat, z);
        // Zones below z14: the overviews clipped per request, so the two clips (ST_AsMVTGeom, and
        // luyu_mvt_geom, which also builds the embedded database's pyramid) meet the same pieces;
        // the pyramid itself is stored clipped, the same rows for both encoders.
        const query = { ...tileQuery(layer, tile.z, tile.x, tile.y), zoneOverviews: layer === 'zones' && z < 14 };
        // Both encoders read one snapshot: other test files change the shared database's rows
        // (a violation's status) in parallel, and a row changed between two reads is not a difference.
        const [mvt, rows] = await inOneSnapshot((client) => Promise.all([selectTileMvt(client, query), selectTileFeatures(client, query, 'sql')]));
        const postgis = decode(mvt, layer);
        const node = decode(encodeTileLayer(layer, rows), layer);
        const byId = (features: DecodedFeature[]) => new Map(features.map((feature) => [feature.id, feature]));
        const postgisById = byId(postgis);
        const nodeById = byId(node);
        if (layer === 'zones' && z < 14) {
          // Sliver polygons: Wagyu drops a few the SQL clip keeps (migration 027). Measured on the
          // demo's z10 tile: 10 of 1,846 per-segment bands; with the dissolved pieces below z14
          // (migration 034: thin pieces where ST_Subdivide cut a band) 20 of about 1,000 at z10,
          // 4 of about 680 at z12 (their overviews of migration 038 since).
          const extra = [...nodeById.keys()].filter((id) => !postgisById.has(id));
          const missing = [...postgisById.keys()].filter((id) => !nodeById.has(id));
          expect(missing.length + extra.length, `${layer} z${z}`).toBeLessThanOrEqual(Math.ceil(postgisById.size * 0.03));
        } else {
          expect([...nodeById.keys()].sort((a, b) => a - b), `${layer} z${z}`).toEqual([...postgisById.keys()].sort((a, b) => a - b));
        }
        for (const [id, expected] of postgisById) {
          const actual = nodeById.get(id);
          if (!actual) continue;
          expect(actual.properties, `${layer} ${id}`).toEqual(expected.properties);
          expect(actual.type, `${layer} ${id}`).toBe(expected.type);
          // Same place: bounding boxes within 2 tile units (ST_AsMVTGeom also makes polygons valid).
          const box = (feature: DecodedFeature) => {
            const points = feature.rings.flat();
            return [Math.min(...points.map((p) => p.x)), Math.min(...points.map((p) => p.y)), Math.max(...points.map((p) => p.x)), Math.max(...points.map((p) => p.y))];
          };
          // Lines: the vertices inside the tile. Where a line leaves through the buffer's edge,
          // ST_AsMVTGeom snaps the vertex outside before clipping and the SQL clip after, so that
          // end point moves along the edge (3 units for an OSM road at z8 on the demo); a line
          // wholly in the buffer is not drawn and its box not compared.
          const inTile = (feature: DecodedFeature): DecodedFeature => ({
            ...feature,
            rings: feature.rings.map((ring) => ring.filter((p) => p.x >= 0 && p.x <= 4096 && p.y >= 0 && p.y <= 4096)),
          });
          const onlyInside = expected.type === 2;
          if (onlyInside && inTile(expected).rings.flat().length === 0) continue;
          const [a, b] = onlyInside ? [box(inTile(expected)), box(inTile(actual))] : [box(expected), box(actual)];
          const sameBox = a.every((value, index) => Math.abs(value - b[index]!) <= 2);
          // Points and lines: always. Polygons: Wagyu also drops spikes and sliver parts the SQL
          // clip keeps (migration 027), so a few boxes differ; counted below.
          if (expected.type !== 3) expect(sameBox, `${layer} ${id} bbox ${a} vs ${b}`).toBe(true);
          else if (z >= 12) {
            // Below z12 the slivers are many more (5.8 % of boxes at z10 on the demo): not counted.
            polygons += 1;
            if (!sameBox) polygonBoxesDiffering += 1;
          }
        }
        compared += postgis.length;
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(polygons).toBeGreaterThan(100);
    // Measured on the demo: 2.0 % of polygon features (zones at z12–16).
    expect(polygonBoxesDiffering / polygons).toBeLessThan(0.05);
  });
});
