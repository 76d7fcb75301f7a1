/**
 * bench:tiles — vector tiles through HTTP side by side with the raw ST_AsMVT statement they run,
 * over the synthetic province network (scripts/province_network.ts), in one run on one database.
 *
 *   DATABASE_URL=postgres://…/postgres npm run bench:tiles -- [--segments 50000] [--points 12] [--concurrency 4] [--rounds 3] [--accept-encoding gzip|identity] [--http-client raw|node]
 *
 * - Loads the synthetic province into `<database>_bench_tiles` (reused when it already holds the
 *   same number of segments: generating 250,000 segments and their zones takes a while).
 * - A fixed tile set: `--points` segment midpoints spread over the province (every n-th segment by
 *   id), and for each the tile holding it at every zoom z8–z16, for the layers segments and zones.
 * - Floor: the same statement the route runs (server/tiles/queries.ts selectTileMvt) on the pool, in
 *   the same jurisdiction-scoped transaction as the same user (role luyu_app, row-level security),
 *   without HTTP, the session lookup and Express. Run as the owner instead (no RLS), the statement
 *   planned otherwise — parallel workers that, with 4 requests on 2 cores, made the "floor" slower
 *   than the endpoint (endpoint ÷ raw 1.10–1.22): the ratio compared unlike things.
 * - Endpoint: GET /api/v1/tiles/{layer}/{z}/{x}/{y}.mvt as a province manager, compressed as the
 *   browser asks for it (accept-encoding: gzip; `identity` to see what compression costs), read
 *   without decompressing from a worker thread (bench/tiles/http_load_worker.mjs): a client in
 *   the server's own thread charged the endpoint for its socket reads. The client reads raw
 *   keep-alive sockets as wrk does (`--http-client node` for node:http): on 2 shared cores every
 *   millisecond the load generator spends is taken from the server and PostgreSQL.
 * - Cached endpoint: the same route on a second app with the tile cache on (server/tiles/tile_cache.ts,
 *   `--cache-mb`, default 64): after the warm-up every tile is in its cache, so its rounds measure
 *   a hit (session lookup, source version, bytes from memory). The endpoint above runs with the
 *   cache off (LUYU_TILE_CACHE_MB=0): what a first request, or one after a change, costs.
 * Prints throughput of both (tiles/s at the same concurrency, alternating rounds) and their ratio,
 * p50/p95/p99 latency per zoom band and per layer × zoom, and the
 * zone tiles z10–z13 from the pyramid against the per-request overviews (raw SQL, same rounds).
 *
 * Needs a real PostgreSQL + PostGIS (ST_AsMVT): the embedded database encodes tiles in Node.
 */
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import inspector from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { createApp } from '../server/app.ts';
import { hashToken } from '../server/auth/credentials.ts';
import { selectSessionUser } from '../server/auth/queries.ts';
import { createUser } from '../server/auth/service.ts';
import { withRequestScope, type RequestScope } from '../server/db/transaction.ts';
import { selectTileMvt } from '../server/tiles/queries.ts';
import { tileQuery } from '../server/tiles/service.ts';
import { DISSOLVED_ZONES_BELOW_ZOOM, type TileLayerName } from '../server/tiles/tile_layers.ts';
import { openProvinceBenchDatabase } from './province_bench_database.ts';
import type { SweepRequest, SweepResult } from './tiles/http_load_types.ts';

const { values } = parseArgs({
  options: {
    segments: { type: 'string', default: '50000' },
    points: { type: 'string', default: '12' },
    concurrency: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
    // 'identity' measures the endpoint without compression (what gzip costs the server's thread).
    'accept-encoding': { type: 'string', default: 'gzip' },
    // The load generator (bench/tiles/http_load_worker.mjs): 'raw' sockets as wrk reads them, or 'node' (node:http).
    'http-client': { type: 'string', default: 'raw' },
    // A V8 CPU profile of this (the server's) thread during the endpoint's timed sweeps, for Chrome DevTools.
    'cpu-profile': { type: 'string' },
    // The cached endpoint's tile cache (LUYU_TILE_CACHE_MB); the endpoint the ratio is about runs without one.
    'cache-mb': { type: 'string', default: '64' },
  },
});
const SEGMENTS = Number(values.segments);
const POINTS = Number(values.points);
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Number(values.rounds);
const ZOOMS = [8, 9, 10, 11, 12, 13, 14, 15, 16];
const LAYERS: TileLayerName[] = ['segments', 'zones'];

const { db, config, pool, databaseName } = await openProvinceBenchDatabase('bench:tiles', SEGMENTS);
const fmt = (value: number, digits = 1) => value.toLocaleString('en-US', { maximumFractionDigits: digits });
const counts = await pool.query<{ segments: number; zones: number; pieces: number }>(
  'SELECT (SELECT count(*) FROM segments)::integer AS segments, (SELECT count(*) FROM protection_zones)::integer AS zones, (SELECT count(*) FROM dissolved_zones)::integer AS pieces',
);
console.log(`Luyu tile benchmark: ${fmt(counts.rows[0]!.segments)} segments, ${fmt(counts.rows[0]!.zones)} zones (${fmt(counts.rows[0]!.pieces)} dissolved pieces); database ${databaseName}; concurrency ${CONCURRENCY}; load ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);

/** The XYZ tile holding a lon/lat point at a zoom (Web Mercator, the slippy-map scheme). */
function tileAt(longitude: number, latitude: number, zoom: number): { x: number; y: number } {
  const n = 2 ** zoom;
  const latRad = (latitude * Math.PI) / 180;
  const x = Math.floor(((longitude + 180) / 360) * n);
  const y = Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n);
  return { x, y };
}

const midpoints = await pool.query<{ lon: number; lat: number }>(
  `WITH numbered AS (SELECT centreline, row_number() OVER (ORDER BY id) AS n, count(*) OVER () AS total FROM segments)
   SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_LineInterpolatePoint(centreline, 0.5) AS p FROM numbered WHERE n % greatest(total / $1, 1) = 0 LIMIT $1) s`,
  [POINTS],
);
interface Tile { layer: TileLayerName; z: number; x: number; y: number }
const tileKeys = new Map<string, Tile>();
for (const point of midpoints.rows) {
  for (const z of ZOOMS) {
    for (const layer of LAYERS) {
      const { x, y } = tileAt(point.lon, point.lat, z);
      tileKeys.set(`${layer}/${z}/${x}/${y}`, { layer, z, x, y });
    }
  }
}
const tiles = [...tileKeys.values()].filter((tile) => !(tile.layer === 'zones' && tile.z < 10));
console.log(`tile set: ${tiles.length} tiles (${POINTS} places × z8–z16 × ${LAYERS.join(', ')}; zones from z10)`);

await createUser(pool, { username: 'bench_tiles', role: 'manager', jurisdictionCode: '410000', password: 'bench-password-1', skipPasswordRules: true } as never).catch(() => undefined);
/** The app on a loopback port: its API base URL and server. */
async function listen(tileCacheMegabytes: number) {
  const app = createApp({ db, config: { ...config, LUYU_TILE_CACHE_MB: tileCacheMegabytes } });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1` };
}
const { server, base } = await listen(0);
const cached = await listen(Number(values['cache-mb']));
const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench_tiles', password: 'bench-password-1' }) });
if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
const { token } = (await login.json()) as { token: string };
// The raw path acts for the same user as the endpoint: the scope its session gives every request.
const session = await selectSessionUser(pool, hashToken(token));
if (!session) throw new Error('no session for the bench user');
const scope: RequestScope = { userId: session.user_id, role: session.role, scopeCodes: session.scope_codes, isTop: session.jurisdiction_is_top };

/**
 * The endpoint's load comes from a worker thread (bench/tiles/http_load_worker.mjs): node:http
 * over keep-alive connections, bodies not gunzipped (a browser does that in its own process)
 * except in the warm-up, which compares both paths' tiles.
 */
const loadOn = (target: string) =>
  new Worker(new URL('./tiles/http_load_worker.mjs', import.meta.url), {
    workerData: { base: target, token, acceptEncoding: values['accept-encoding'], maxSockets: CONCURRENCY, client: values['http-client'] },
  });
const httpLoad = loadOn(base);
const cachedLoad = loadOn(cached.base);
function sweepHttp(set: Tile[], decoded: boolean, load = httpLoad): Promise<SweepResult> {
  return new Promise((resolve, reject) => {
    load.once('message', (message: { ok: true; result: SweepResult } | { ok: false; error: string }) => {
      if (message.ok) resolve(message.result);
      else reject(new Error(message.error));
    });
    const request: SweepRequest = { tiles: set.map(({ layer, z, x, y }) => ({ layer, z, x, y })), concurrency: CONCURRENCY, decoded };
    load.postMessage(request);
  });
}

async function viaSql(tile: Tile): Promise<number> {
  return withRequestScope(pool, scope, async (client) => (await selectTileMvt(client, tileQuery(tile.layer, tile.z, tile.x, tile.y))).byteLength);
}

/** "Before": the zones tiles below z14 from the overviews clipped per request (as before migration 045), raw SQL. */
const dissolvedZoneTiles = tiles.filter((tile) => tile.layer === 'zones' && tile.z < DISSOLVED_ZONES_BELOW_ZOOM);
async function viaSqlOverviews(tile: Tile): Promise<number> {
  return withRequestScope(pool, scope, async (client) => (await selectTileMvt(client, { ...tileQuery(tile.layer, tile.z, tile.x, tile.y), zoneOverviews: true })).byteLength);
}

type Sweep = { wallMs: number; latencies: Map<Tile, number>; sizes: Map<Tile, number>; bytes: number };

/** Runs every tile once with `CONCURRENCY` workers; returns wall time and each tile's latency. */
async function sweep(fetchTile: (tile: Tile) => Promise<number>, set: Tile[] = tiles): Promise<Sweep> {
  const latencies = new Map<Tile, number>();
  const sizes = new Map<Tile, number>();
  let next = 0;
  let bytes = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (;;) {
      const index = next;
      next += 1;
      if (index >= set.length) return;
      const tile = set[index]!;
      const t0 = performance.now();
      const size = await fetchTile(tile);
      latencies.set(tile, performance.now() - t0);
      sizes.set(tile, size);
      bytes += size;
    }
  }));
  return { wallMs: performance.now() - started, latencies, sizes, bytes };
}

/** The same sweep through the endpoint, run by the HTTP worker. */
async function sweepEndpoint(decoded = false, set: Tile[] = tiles, load = httpLoad): Promise<Sweep> {
  const result = await sweepHttp(set, decoded, load);
  const latencies = new Map(set.map((tile, index) => [tile, result.latencies[index]!]));
  const sizes = new Map(set.map((tile, index) => [tile, result.sizes[index]!]));
  return { wallMs: result.wallMs, latencies, sizes, bytes: result.sizes.reduce((sum, size) => sum + size, 0) };
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]!;
}

// Warm both paths once (plans, caches), then alternate rounds so load from elsewhere hits both alike.
// The warm-up also checks both paths give the same tiles (the same bytes, or the comparison is void).
const warmSql = await sweep(viaSql);
const warmHttp = await sweepEndpoint(true);
// Fills the cached app's cache (and checks it gives the same tiles).
const warmCached = await sweepEndpoint(true, tiles, cachedLoad);
const differing = tiles.filter((tile) => warmSql.sizes.get(tile) !== warmHttp.sizes.get(tile) || warmSql.sizes.get(tile) !== warmCached.sizes.get(tile));
if (differing.length > 0) {
  const [first] = differing;
  console.log(`WARNING: ${differing.length} of ${tiles.length} tiles differ in size between the paths, e.g. ${first!.layer}/${first!.z}/${first!.x}/${first!.y}: raw ${warmSql.sizes.get(first!)} B, endpoint ${warmHttp.sizes.get(first!)} B`);
}
await sweep(viaSqlOverviews, dissolvedZoneTiles);
const overviews = { wallMs: 0, latencies: [] as Array<[Tile, number]>, bytes: 0 };
const viaEndpoint = { wallMs: 0, latencies: [] as Array<[Tile, number]>, bytes: 0 };
const sql = { wallMs: 0, latencies: [] as Array<[Tile, number]>, bytes: 0 };
const viaCache = { wallMs: 0, latencies: [] as Array<[Tile, number]>, bytes: 0 };
const viaCacheMiss = { wallMs: 0, latencies: [] as Array<[Tile, number]>, bytes: 0 };
/** As a committed write to the layers' tables would: every cached tile is stale, the next sweep misses. */
async function sweepCachedAfterChange(): Promise<Sweep> {
  await pool.query(`INSERT INTO tile_source_changes (table_name) VALUES ('segments'), ('protection_zones')`);
  return sweepEndpoint(false, tiles, cachedLoad);
}
// Where this process's CPU goes (PostgreSQL's backends are other processes): the whole process's
// user + system time per tile, and how busy the server's thread and the client's worker were.
const cpu = new Map<object, { cpuMs: number; serverElu: number; clientElu: number }>([[sql, { cpuMs: 0, serverElu: 0, clientElu: 0 }], [viaEndpoint, { cpuMs: 0, serverElu: 0, clientElu: 0 }]]);
const profiler = values['cpu-profile'] ? new inspector.Session() : null;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
}
for (let round = 0; round < ROUNDS; round += 1) {
  for (const [target, run] of [[sql, () => sweep(viaSql)], [viaEndpoint, () => sweepEndpoint()], [viaCache, () => sweepEndpoint(false, tiles, cachedLoad)], [viaCacheMiss, sweepCachedAfterChange]] as const) {
    if (profiler && target === viaEndpoint) await profiler.post('Profiler.start');
    const cpuBefore = process.cpuUsage();
    const serverBefore = performance.eventLoopUtilization();
    const clientBefore = httpLoad.performance.eventLoopUtilization();
    const result = await run();
    const used = process.cpuUsage(cpuBefore);
    const share = cpu.get(target);
    if (share) {
      share.cpuMs += (used.user + used.system) / 1000;
      share.serverElu += performance.eventLoopUtilization(serverBefore).utilization / ROUNDS;
      share.clientElu += httpLoad.performance.eventLoopUtilization(clientBefore).utilization / ROUNDS;
    }
    // One profile per round's endpoint sweep (the raw sweeps run on this thread too and are left out).
    if (profiler && target === viaEndpoint) {
      const { profile } = await profiler.post('Profiler.stop');
      const file = values['cpu-profile']!.replace(/(\.cpuprofile)?$/, `.round${round + 1}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      console.log(`CPU profile of the server's thread (endpoint sweep, round ${round + 1}): ${file}`);
    }
    target.wallMs += result.wallMs;
    target.bytes += result.bytes;
    target.latencies.push(...result.latencies);
  }
  const before = await sweep(viaSqlOverviews, dissolvedZoneTiles);
  overviews.wallMs += before.wallMs;
  overviews.bytes += before.bytes;
  overviews.latencies.push(...before.latencies);
}
const tilesPerSecond = (wallMs: number) => (tiles.length * ROUNDS) / (wallMs / 1000);
const row = (samples: number[]) => [0.5, 0.95, 0.99].map((p) => fmt(percentile(samples, p)).padStart(7)).join(' /');
const ratio = tilesPerSecond(viaEndpoint.wallMs) / tilesPerSecond(sql.wallMs);
console.log(`throughput: raw ST_AsMVT ${fmt(tilesPerSecond(sql.wallMs))} tiles/s, endpoint ${fmt(tilesPerSecond(viaEndpoint.wallMs))} tiles/s → endpoint ÷ raw ${fmt(ratio, 3)} (target ≥ 0.8; cache off: every tile rendered)`);
const cachedRatio = tilesPerSecond(viaCache.wallMs) / tilesPerSecond(sql.wallMs);
// What the cached app answers now, tile by tile (X-Tile-Cache), to show the rounds were hits.
let hits = 0;
for (const tile of tiles) {
  const response = await fetch(`${cached.base}/tiles/${tile.layer}/${tile.z}/${tile.x}/${tile.y}.mvt`, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  if (response.headers.get('x-tile-cache') === 'hit') hits += 1;
}
const cacheStats = `answered ${hits} of ${tiles.length} tiles from memory afterwards`;
const missRatio = tilesPerSecond(viaCacheMiss.wallMs) / tilesPerSecond(sql.wallMs);
console.log(`cached endpoint (every tile requested before, nothing changed since): ${fmt(tilesPerSecond(viaCache.wallMs))} tiles/s → ÷ raw ${fmt(cachedRatio, 3)}; ` +
  `p50 / p95 / p99 ${row(viaCache.latencies.map(([, ms]) => ms))} ms; its cache ${cacheStats}`);
console.log(`cached endpoint after a change (every tile a miss: version, render, store): ${fmt(tilesPerSecond(viaCacheMiss.wallMs))} tiles/s → ÷ raw ${fmt(missRatio, 3)}; ` +
  `p50 / p95 / p99 ${row(viaCacheMiss.latencies.map(([, ms]) => ms))} ms`);
{
  const perTile = (target: object) => fmt(cpu.get(target)!.cpuMs / (tiles.length * ROUNDS), 2);
  const busy = (value: number) => `${fmt(value * 100, 0)} %`;
  console.log(`this process's CPU per tile (user + system, all threads): raw ${perTile(sql)} ms, endpoint ${perTile(viaEndpoint)} ms (${values['http-client']} client); ` +
    `during the endpoint's sweeps the server's thread was busy ${busy(cpu.get(viaEndpoint)!.serverElu)}, the client's worker ${busy(cpu.get(viaEndpoint)!.clientElu)}`);
}
console.log(`bytes per tile: raw ${fmt(sql.bytes / (tiles.length * ROUNDS), 0)} B, endpoint ${fmt(viaEndpoint.bytes / (tiles.length * ROUNDS), 0)} B on the wire (accept-encoding: ${values['accept-encoding']}; browsers ask for gzip)`);
console.log('latency (ms)     endpoint p50 / p95 / p99        raw p50 / p95 / p99');
const inZooms = (series: Array<[Tile, number]>, low: number, high: number, layer?: TileLayerName) =>
  series.filter(([tile]) => tile.z >= low && tile.z <= high && (!layer || tile.layer === layer)).map(([, ms]) => ms);
for (const [label, low, high] of [['z8–z9', 8, 9], ['z10–z13', 10, 13], ['z14–z16', 14, 16], ['z10–z16', 10, 16]] as const) {
  console.log(`${label.padEnd(16)} ${row(inZooms(viaEndpoint.latencies, low, high))}      ${row(inZooms(sql.latencies, low, high))}${label === 'z10–z16' ? '   (target endpoint p99 ≤ 100 ms)' : ''}`);
}

// Per layer and zoom: where the tail is (latency of the endpoint; bytes as ST_AsMVT returns them, before compression).
console.log('per layer × zoom   tiles   endpoint p50 / p95 / p99 ms      raw p50 / p95 / p99 ms   bytes per tile (raw)');
for (const layer of LAYERS) {
  for (const z of ZOOMS) {
    const set = tiles.filter((tile) => tile.layer === layer && tile.z === z);
    if (set.length === 0) continue;
    const bytes = set.reduce((sum, tile) => sum + (warmSql.sizes.get(tile) ?? 0), 0) / set.length;
    console.log(`  ${layer.padEnd(9)} z${String(z).padEnd(3)} ${String(set.length).padStart(6)}   ${row(inZooms(viaEndpoint.latencies, z, z, layer))}      ${row(inZooms(sql.latencies, z, z, layer))}   ${fmt(bytes, 0).padStart(9)}`);
  }
}

// Same rounds, same tiles: zones z10–z13 from the pre-clipped pyramid (migration 045, the product) and from the overviews clipped per request (before it).
const zoneLatencies = (series: Array<[Tile, number]>) => series.filter(([tile]) => dissolvedZoneTiles.includes(tile)).map(([, ms]) => ms);
{
  const rawPyramidBytes = dissolvedZoneTiles.reduce((sum, tile) => sum + (warmSql.sizes.get(tile) ?? 0), 0) / dissolvedZoneTiles.length;
  console.log(`zones z10–z13 (${dissolvedZoneTiles.length} tiles × ${ROUNDS} rounds)   p50 / p95 / p99 ms`);
  console.log(`  endpoint, pyramid        ${row(zoneLatencies(viaEndpoint.latencies))}`);
  console.log(`  raw SQL, pyramid         ${row(zoneLatencies(sql.latencies))}   ${fmt(rawPyramidBytes, 0)} B per tile`);
  console.log(`  raw SQL, overviews       ${row(zoneLatencies(overviews.latencies))}   ${fmt(overviews.bytes / (dissolvedZoneTiles.length * ROUNDS), 0)} B per tile (before migration 045)`);
  const sum = (samples: number[]) => samples.reduce((total, ms) => total + ms, 0);
  console.log(`  summed latency overviews ÷ pyramid (raw SQL): ${fmt(sum(zoneLatencies(overviews.latencies)) / sum(zoneLatencies(sql.latencies)), 2)}×`);
}

// The targets, this run against the lead's quiet baseline (same command, same database, before
// migration 045 and the endpoint changes: commit 9bea72a, 2026-11-30 20:37 UTC, measured once; not re-run here).
console.log('targets                          baseline (9bea72a, quiet)    this run');
console.log(`  endpoint p99 z10–z16 (≤ 100 ms)       243.8 ms               ${fmt(percentile(inZooms(viaEndpoint.latencies, 10, 16), 0.99))} ms`);
console.log(`  endpoint ÷ raw (≥ 0.8)                0.68                   ${fmt(ratio, 3)} (cache off), ${fmt(cachedRatio, 3)} (from the cache)`);
console.log(`load ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);

for (const load of [httpLoad, cachedLoad]) {
  load.postMessage('close');
  await new Promise((resolve) => load.once('exit', resolve));
}
server.close();
cached.server.close();
await db.close();
