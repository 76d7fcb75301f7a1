import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TileCache, type TileCacheKey } from '../../server/tiles/tile_cache.ts';
import { TILE_LAYERS } from '../../server/tiles/tile_layers.ts';

/** The tile cache alone (server/tiles/tile_cache.ts): keys, bounds and lifetimes, with a clock of our own. */

const key = (overrides: Partial<TileCacheKey> = {}): TileCacheKey => ({ layer: 'segments', zoom: 12, x: 3370, y: 1640, jurisdictionCode: '410104', sourceVersion: 7, ...overrides });

/** A renderer that counts its calls and returns distinct, compressible bytes each time. */
function renderer(size = 1000) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    render: async () => {
      calls += 1;
      return Buffer.alloc(size, `tile ${calls} `);
    },
  };
}

describe('TileCache', () => {
  it('renders once per key and hands out the stored tile, gzipped and with its ETag', async () => {
    const cache = new TileCache(1024 * 1024);
    const tiles = renderer();
    const first = await cache.getOrRender(key(), tiles.render);
    const second = await cache.getOrRender(key(), tiles.render);
    expect(first.outcome).toBe('miss');
    expect(second.outcome).toBe('hit');
    expect(tiles.calls).toBe(1);
    expect(second.tile.bytes.equals(first.tile.bytes)).toBe(true);
    expect(gunzipSync(second.tile.gzipped!).equals(first.tile.bytes)).toBe(true);
    expect(second.tile.etag).toMatch(/^"[\w-]{32}"$/);
  });

  it('keeps versions, jurisdictions, layers and tiles apart', async () => {
    const cache = new TileCache(1024 * 1024);
    const tiles = renderer();
    await cache.getOrRender(key(), tiles.render);
    for (const other of [{ sourceVersion: 8 }, { jurisdictionCode: '410105' }, { layer: 'stakes' as const }, { zoom: 13 }, { x: 3371 }, { y: 1641 }]) {
      expect((await cache.getOrRender(key(other), tiles.render)).outcome, JSON.stringify(other)).toBe('miss');
    }
    expect(tiles.calls).toBe(7);
  });

  it('stores an empty tile (204) without compressing it', async () => {
    const cache = new TileCache(1024 * 1024);
    const empty = async () => Buffer.alloc(0);
    await cache.getOrRender(key(), empty);
    const again = await cache.getOrRender(key(), empty);
    expect(again).toEqual({ tile: { bytes: Buffer.alloc(0), gzipped: null, etag: null }, outcome: 'hit' });
  });

  it('drops the least recently used tiles beyond its size in bytes', async () => {
    // Room for about three 10 kB tiles (each also holds its small gzipped copy).
    const cache = new TileCache(35_000);
    const tiles = renderer(10_000);
    for (const x of [1, 2, 3]) await cache.getOrRender(key({ x }), tiles.render);
    await cache.getOrRender(key({ x: 1 }), tiles.render); // 1 is now the most recent
    await cache.getOrRender(key({ x: 4 }), tiles.render); // pushes out 2, the least recent
    expect((await cache.getOrRender(key({ x: 1 }), tiles.render)).outcome).toBe('hit');
    expect((await cache.getOrRender(key({ x: 2 }), tiles.render)).outcome).toBe('miss');
  });

  it('expires each layer’s tiles after its lifetime: violations (overdue by date) sooner than segments', async () => {
    let nowMs = 1_000_000;
    const cache = new TileCache(1024 * 1024, { now: () => nowMs });
    const tiles = renderer();
    await cache.getOrRender(key({ layer: 'violations' }), tiles.render);
    await cache.getOrRender(key({ layer: 'segments' }), tiles.render);
    expect(TILE_LAYERS.violations.cacheSeconds).toBeLessThan(TILE_LAYERS.segments.cacheSeconds);
    nowMs += TILE_LAYERS.violations.cacheSeconds * 1000 + 1;
    expect((await cache.getOrRender(key({ layer: 'violations' }), tiles.render)).outcome).toBe('miss');
    expect((await cache.getOrRender(key({ layer: 'segments' }), tiles.render)).outcome).toBe('hit');
    nowMs += TILE_LAYERS.segments.cacheSeconds * 1000 + 1;
    expect((await cache.getOrRender(key({ layer: 'segments' }), tiles.render)).outcome).toBe('miss');
  });

  it('is off at 0 bytes, and without a source version: every request renders', async () => {
    const off = new TileCache(0);
    const tiles = renderer();
    expect(off.enabled).toBe(false);
    expect((await off.getOrRender(key(), tiles.render)).outcome).toBe('off');
    expect((await off.getOrRender(key(), tiles.render)).outcome).toBe('off');
    const on = new TileCache(1024 * 1024);
    expect((await on.getOrRender(key({ sourceVersion: undefined }), tiles.render)).outcome).toBe('off');
    expect((await on.getOrRender(key({ sourceVersion: undefined }), tiles.render)).outcome).toBe('off');
    expect(tiles.calls).toBe(4);
  });
});
