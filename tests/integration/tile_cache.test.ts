import { VectorTile } from '@mapbox/vector-tile';
import Pbf from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRequestScope, withTransaction } from '../../server/db/transaction.ts';
import { selectTileSourceVersion, tileFeaturesStatement } from '../../server/tiles/queries.ts';
import { tileQuery } from '../../server/tiles/service.ts';
import { TILE_LAYER_NAMES, TILE_LAYERS, TILE_SOURCE_TABLES, type TileLayerName } from '../../server/tiles/tile_layers.ts';
import { tileOf, type Tile } from '../helpers/slippy_tiles.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

/**
 * The tile cache (server/tiles/tile_cache.ts, migration 051) on the real app and database: every
 * table a tile statement reads is watched, a cached tile is served until one of them changes and
 * never after, and the cache never hands one jurisdiction's tile to another.
 *
 * Other test files write to the same database meanwhile, so a check that needs "nothing changed"
 * reads the layer's version before and after and retries when someone else wrote.
 */

let server: TestServer;
let officer: string;
let officer2: string;

/** A basemap road of our own, far from the demo data, that no other file writes. */
const ROAD_ID = 'way/990051001';
const ROAD_LON = 112.95;
const ROAD_LAT = 34.05;
const ROAD_TILE: Tile = tileOf(ROAD_LON, ROAD_LAT, 14);

beforeAll(async () => {
  server = await startTestServer({ as: null });
  officer = await server.login('officer');
  officer2 = await server.login('officer2');
  await server.db.pool.query('DELETE FROM basemap_roads WHERE osm_id = $1', [ROAD_ID]);
  await server.db.pool.query(
    `INSERT INTO basemap_roads (osm_id, highway, name, ref, geom)
     VALUES ($1, 'primary', 'cache road before', 'S051', ST_SetSRID(ST_MakeLine(ST_MakePoint($2, $3), ST_MakePoint($2 + 0.004, $3 + 0.001)), 4326))`,
    [ROAD_ID, ROAD_LON, ROAD_LAT],
  );
});

afterAll(async () => {
  await server.db.pool.query('DELETE FROM basemap_roads WHERE osm_id = $1', [ROAD_ID]);
  await server.close();
});

/** Our road's name in its tile, and what the cache said (X-Tile-Cache). */
async function readRoad(token: string, on: TestServer = server): Promise<{ name: string | undefined; cache: string | null }> {
  const response = await fetch(`${on.baseUrl}/api/v1/tiles/basemap_roads/${ROAD_TILE.z}/${ROAD_TILE.x}/${ROAD_TILE.y}.mvt`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  const layer = new VectorTile(new Pbf(new Uint8Array(await response.arrayBuffer()))).layers.basemap_roads!;
  for (let index = 0; index < layer.length; index += 1) {
    const feature = layer.feature(index);
    if (feature.properties.osm_id === ROAD_ID) return { name: String(feature.properties.name), cache: response.headers.get('x-tile-cache') };
  }
  return { name: undefined, cache: response.headers.get('x-tile-cache') };
}
const roadName = async (token: string) => (await readRoad(token)).name;

const basemapVersion = () => selectTileSourceVersion(server.db.pool, TILE_LAYERS.basemap_roads.sourceTables);

/** Renames our road; `bypassTriggers` as a replica would apply it (no change row: the cache cannot know). */
async function renameRoad(name: string, bypassTriggers: boolean): Promise<void> {
  await withTransaction(server.db.pool, async (client) => {
    if (bypassTriggers) await client.query('SET LOCAL session_replication_role = replica');
    await client.query('UPDATE basemap_roads SET name = $2 WHERE osm_id = $1', [ROAD_ID, name]);
  });
}

/** Relation names anywhere in an EXPLAIN (FORMAT JSON) plan. */
function relationsOf(plan: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(plan)) for (const item of plan) relationsOf(item, into);
  else if (plan && typeof plan === 'object') {
    for (const [key, value] of Object.entries(plan)) {
      if (key === 'Relation Name' && typeof value === 'string') into.add(value);
      else relationsOf(value, into);
    }
  }
  return into;
}

describe('tile cache', () => {
  it('watches every table each layer’s statements read, as the request role sees them', async () => {
    const triggers = await server.db.pool.query<{ table: string }>(
      `SELECT c.relname AS table FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
       WHERE t.tgname = c.relname || '_tile_source_change' AND NOT t.tgisinternal ORDER BY 1`,
    );
    expect(triggers.rows.map((row) => row.table)).toEqual([...TILE_SOURCE_TABLES].sort());

    for (const layer of TILE_LAYER_NAMES) {
      const definition = TILE_LAYERS[layer];
      const read = new Set<string>();
      // Every zoom (zones change source at z14) and both zone paths (PostgreSQL's dissolved, the embedded per-segment).
      for (let zoom = definition.minZoom; zoom <= definition.maxZoom; zoom += 1) {
        const tile = tileOf(113.68, 34.75, zoom);
        for (const perSegmentZones of [false, true]) {
          const statement = tileFeaturesStatement({ ...tileQuery(layer as TileLayerName, zoom, tile.x, tile.y), perSegmentZones }, 'sql');
          const plan = await withRequestScope(server.db.pool, { userId: 1, role: 'officer', scopeCodes: ['410104'], isTop: false }, (client) =>
            client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.values),
          );
          relationsOf(plan.rows[0]!['QUERY PLAN'], read);
        }
      }
      expect(read.size, layer).toBeGreaterThan(0);
      for (const table of read) expect(definition.sourceTables, `${layer} reads ${table}`).toContain(table);
      expect(definition.sourceTables, layer).toContain('jurisdictions');
    }
  });

  it('serves a cached tile until a source table changes, and the new tile right after the change commits', async () => {
    expect(await roadName(officer)).toBe('cache road before');
    // A change the triggers do not see: a cached tile keeps the old name (proof that it is cached).
    let provedCached = false;
    for (let attempt = 0; attempt < 5 && !provedCached; attempt += 1) {
      await renameRoad('cache road before', false);
      const before = await basemapVersion();
      expect(await readRoad(officer)).toEqual({ name: 'cache road before', cache: 'miss' });
      await renameRoad('cache road unseen', true);
      const read = await readRoad(officer);
      // Someone else's write to a watched table between the two reads moves the version: then a
      // miss is right; try again.
      if ((await basemapVersion()) === before) {
        expect(read).toEqual({ name: 'cache road before', cache: 'hit' });
        provedCached = true;
      }
    }
    expect(provedCached, 'the version stayed unchanged across one read in 5 attempts').toBe(true);
    // A committed change through the triggers: the very next request has it.
    await renameRoad('cache road after', false);
    expect(await readRoad(officer)).toEqual({ name: 'cache road after', cache: 'miss' });
  });

  it('is off with LUYU_TILE_CACHE_MB=0: every tile rendered, even after a change the triggers missed', async () => {
    const uncached = await startTestServer({ as: null, env: { LUYU_TILE_CACHE_MB: '0' } });
    try {
      const token = await uncached.login('officer');
      await renameRoad('uncached road', false);
      expect(await readRoad(token, uncached)).toEqual({ name: 'uncached road', cache: 'off' });
      await renameRoad('uncached road unseen', true);
      expect(await readRoad(token, uncached)).toEqual({ name: 'uncached road unseen', cache: 'off' });
    } finally {
      await uncached.close();
    }
  });

  it('keeps one jurisdiction’s tiles from another: same tile, each officer their own district', async () => {
    const districtOf = async (token: string, tile: Tile) => {
      const response = await fetch(`${server.baseUrl}/api/v1/tiles/segments/${tile.z}/${tile.x}/${tile.y}.mvt`, { headers: { authorization: `Bearer ${token}` } });
      if (response.status === 204) return new Set<string>();
      const layer = new VectorTile(new Pbf(new Uint8Array(await response.arrayBuffer()))).layers.segments!;
      const codes = new Set<string>();
      for (let index = 0; index < layer.length; index += 1) codes.add(String(layer.feature(index).properties.jurisdiction_code));
      return codes;
    };
    // A z13 tile where the two districts' roads come closest, each officer twice (the second from the cache).
    const border = await server.db.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
         SELECT ST_ClosestPoint(ST_Force2D(a.centreline), ST_Force2D(b.centreline)) AS p
         FROM segments a, segments b WHERE a.jurisdiction_code = '410104' AND b.jurisdiction_code = '410105'
         ORDER BY ST_Distance(a.centreline, b.centreline), a.id, b.id LIMIT 1) s`,
    );
    const tile = tileOf(border.rows[0]!.lon, border.rows[0]!.lat, 13);
    for (let round = 0; round < 2; round += 1) {
      const own = [...(await districtOf(officer, tile))];
      const sibling = [...(await districtOf(officer2, tile))];
      expect(own.length).toBeGreaterThan(0);
      expect(sibling.length).toBeGreaterThan(0);
      for (const code of own) expect(code.startsWith('410104'), code).toBe(true);
      for (const code of sibling) expect(code.startsWith('410105'), code).toBe(true);
    }
  });

  it('folds the change rows without moving any version', async () => {
    await server.db.pool.query(`UPDATE basemap_roads SET ref = ref WHERE osm_id = $1`, [ROAD_ID]);
    for (let attempt = 0; ; attempt += 1) {
      try {
        // One snapshot: other files' commits meanwhile are not in either sum.
        const { before, folded, after, rows } = await withTransaction(server.db.pool, async (client) => {
          await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
          const versions = async () =>
            Object.fromEntries(await Promise.all(TILE_SOURCE_TABLES.map(async (table) => [table, await selectTileSourceVersion(client, [table])] as const)));
          const versionsBefore = await versions();
          const result = await client.query<{ folded: number }>('SELECT luyu_compact_tile_source_changes() AS folded');
          const counts = await client.query<{ table_name: string; rows: number }>('SELECT table_name, count(*)::integer AS rows FROM tile_source_changes GROUP BY 1');
          return { before: versionsBefore, folded: result.rows[0]!.folded, after: await versions(), rows: counts.rows };
        });
        expect(after).toEqual(before);
        // Another file's server may be compacting right now (then this one folds nothing).
        if (folded > 0) for (const row of rows) expect(row.rows, row.table_name).toBe(1);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== '40001' || attempt >= 3) throw error;
      }
    }
  });
});
