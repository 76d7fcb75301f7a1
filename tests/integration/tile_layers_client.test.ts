import { VectorTile } from '@mapbox/vector-tile';
import Pbf from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test_server.ts';
import { tileBounds, tileOf, type Tile } from '../helpers/slippy_tiles.ts';

/**
 * The tile attributes the client's maps read: the detections layer carries what the review
 * queue filters on (client/src/map/detection_tile_filter.ts), and the basemap_roads layer the
 * basemap style's OSM roads. Decoded with the standard decoder; expectations from the rows.
 */

let server: TestServer;
let officer: string;
let officer2: string;

async function decodedTile(token: string, layer: string, tile: Tile): Promise<{ id: number; type: number; properties: Record<string, unknown> }[]> {
  const response = await fetch(`${server.baseUrl}/api/v1/tiles/${layer}/${tile.z}/${tile.x}/${tile.y}.mvt`, { headers: { authorization: `Bearer ${token}` } });
  expect([200, 204]).toContain(response.status);
  if (response.status === 204) return [];
  const decoded = new VectorTile(new Pbf(new Uint8Array(await response.arrayBuffer()))).layers[layer];
  if (!decoded) return [];
  return Array.from({ length: decoded.length }, (_, index) => {
    const feature = decoded.feature(index);
    return { id: Number(feature.id), type: feature.type, properties: feature.properties };
  });
}

beforeAll(async () => {
  server = await startTestServer({ as: null });
  officer = await server.login('officer');
  officer2 = await server.login('officer2');
});

afterAll(async () => {
  await server.close();
});

describe('detections tiles: the review queue’s filter attributes', () => {
  it('carry category, every touched zone kind, confidence and area as integers, and stay in the district', async () => {
    // A batch of two detections 30 m apart beside the first 410104 segment, one with no zone and no confidence.
    const place = await server.db.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_LineInterpolatePoint(ST_Force2D(centreline), 0.5) AS p FROM segments WHERE jurisdiction_code = '410104' ORDER BY id LIMIT 1) s`,
    );
    const { lon, lat } = place.rows[0]!;
    // A content hash of its own: one batch per (district, hash) may be live, and other files insert batches in 410104 meanwhile.
    const batch = await server.db.pool.query<{ id: string }>(
      `INSERT INTO detection_batches (content_sha256, status, file_format, source, before_date, after_date, crs, jurisdiction_code)
       VALUES (md5(random()::text) || md5(random()::text), 'done', 'geojson', 'tile-attributes-test', '2026-01-01', '2026-02-01', 'WGS84', '410104') RETURNING id`,
    );
    const batchId = Number(batch.rows[0]!.id);
    const square = (dx: number) =>
      `ST_Multi(ST_MakeEnvelope(${lon + dx}, ${lat}, ${lon + dx + 0.0001}, ${lat + 0.0001}, 4326))`;
    const inserted = await server.db.pool.query<{ id: string }>(
      `INSERT INTO detections (batch_id, feature_index, geom, area_square_meters, confidence, change_type, zones, primary_zone, in_scope, candidate_category, priority, review_status, jurisdiction_code)
       VALUES ($1, 0, ${square(0)}, 103.456, 0.8765432, 'new_building',
               '[{"kind": "road_land", "overlapSquareMeters": 20.5}, {"kind": "building_control", "overlapSquareMeters": 103.4}]', 'road_land', true, 'structure', 80, 'pending', '410104'),
              ($1, 1, ${square(0.0003)}, 88.5, NULL, 'bare_soil', '[]', NULL, false, NULL, 10, 'field', '410104')
       RETURNING id`,
      [batchId],
    );
    const [zoned, bare] = inserted.rows.map((row) => Number(row.id));
    try {
      for (const z of [14, 16]) {
        const features = await decodedTile(officer, 'detections', tileOf(lon + 0.00005, lat + 0.00005, z));
        const first = features.find((feature) => feature.id === zoned)!;
        expect(first.type, `z${z}`).toBe(3);
        expect(first.properties).toMatchObject({
          batch_id: batchId,
          review_status: 'pending',
          in_scope: true,
          jurisdiction_code: '410104',
          candidate_category: 'structure',
          zone_kinds: ',road_land,building_control,',
          confidence_millionths: 876_543,
          area_centi_square_meters: 10_346,
        });
        const second = features.find((feature) => feature.id === bare)!;
        expect(second.properties).toMatchObject({ review_status: 'field', in_scope: false, area_centi_square_meters: 8_850 });
        // Null attributes are left out of the tile (the client's filter treats them as missing).
        for (const key of ['zone_kinds', 'confidence_millionths', 'candidate_category']) expect(second.properties, key).not.toHaveProperty(key);
      }
      // Below z13 a point each, with the same attributes.
      const overview = await decodedTile(officer, 'detections', tileOf(lon, lat, 11));
      expect(overview.find((feature) => feature.id === zoned)).toMatchObject({ type: 1, properties: { zone_kinds: ',road_land,building_control,' } });
      // The sibling district's officer sees neither.
      const sibling = await decodedTile(officer2, 'detections', tileOf(lon + 0.00005, lat + 0.00005, 14));
      expect(sibling.filter((feature) => feature.id === zoned || feature.id === bare)).toEqual([]);
    } finally {
      await server.db.pool.query('DELETE FROM detection_batches WHERE id = $1', [batchId]);
    }
  });
});

describe('basemap_roads tiles: the basemap’s OSM roads', () => {
  it('hold the roads crossing the tile with highway, name and ref; the major classes only below z11', async () => {
    const road = await server.db.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_LineInterpolatePoint(geom, 0.5) AS p FROM basemap_roads WHERE highway = 'tertiary' ORDER BY osm_id LIMIT 1) r`,
    );
    const { lon, lat } = road.rows[0]!;
    const tile = tileOf(lon, lat, 14);
    const rows = async (bounds: number[]) =>
      (
        await server.db.pool.query<{ osm_id: string; highway: string; name: string | null; ref: string | null }>(
          'SELECT osm_id, highway, name, ref FROM basemap_roads WHERE ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326)) ORDER BY osm_id',
          bounds,
        )
      ).rows;
    const inside = await rows(tileBounds(tile));
    const withinBuffer = new Set((await rows(tileBounds(tile, 1 / 64))).map((row) => row.osm_id));
    // Every user's basemap (no jurisdiction): the sibling district's officer gets the same roads.
    for (const token of [officer, officer2]) {
      const features = await decodedTile(token, 'basemap_roads', tile);
      const byOsmId = new Map(features.map((feature) => [feature.properties.osm_id as string, feature]));
      expect(inside.length).toBeGreaterThan(0);
      for (const row of inside) {
        const feature = byOsmId.get(row.osm_id);
        expect(feature, row.osm_id).toBeDefined();
        expect(feature!.type).toBe(2);
        expect(feature!.id).toBe(Number(row.osm_id.replace(/\D/g, '')));
        expect(feature!.properties.highway).toBe(row.highway);
        expect(feature!.properties.name ?? null).toBe(row.name);
        expect(feature!.properties.ref ?? null).toBe(row.ref);
      }
      for (const osmId of byOsmId.keys()) expect(withinBuffer.has(osmId), osmId).toBe(true);
    }
    const overview = await decodedTile(officer, 'basemap_roads', tileOf(lon, lat, 10));
    expect(overview.length).toBeGreaterThan(0);
    expect(overview.filter((feature) => String(feature.properties.highway).startsWith('tertiary'))).toEqual([]);
    // Below z8 the layer is empty (roads are a pixel at province zooms).
    const far = await fetch(`${server.baseUrl}/api/v1/tiles/basemap_roads/7/${tileOf(lon, lat, 7).x}/${tileOf(lon, lat, 7).y}.mvt`, { headers: { authorization: `Bearer ${officer}` } });
    expect(far.status).toBe(204);
  });
});
