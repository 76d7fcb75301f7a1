import { LRUCache } from 'lru-cache';
import { gzipTile } from './tile_encoding.ts';
import { tileEtag } from './service.ts';
import { TILE_LAYERS, type TileLayerName } from './tile_layers.ts';

/** A rendered tile as the route sends it: both encodings and the validator, computed once. */
export interface CachedTile {
  /** Empty: the tile has no features (204). */
  bytes: Buffer;
  gzipped: Buffer | null;
  etag: string | null;
}

/** Whether a tile came from the cache (the X-Tile-Cache header), or the cache is off. */
export type TileCacheOutcome = 'hit' | 'miss' | 'off';

/** Which tile, for whom, of which data: the cache key's parts. */
export interface TileCacheKey {
  layer: TileLayerName;
  zoom: number;
  x: number;
  y: number;
  /**
   * The user's jurisdiction: row-level security shows them it and everything below it, and the
   * tree is one of every layer's source tables, so the code and the version fix the scope.
   */
  jurisdictionCode: string;
  /** The layer's source tables' change version (migration 051), read before the tile's snapshot; none: not cached. */
  sourceVersion: number | undefined;
}

/** Per entry beyond its bytes: key, object and the cache's own bookkeeping, roughly. */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * Rendered tiles in memory, least recently used out first, bounded in bytes (Martin keeps such a
 * cache too). A tile is stored under its source tables' version: a committed change to any of them
 * raises the version, so later requests look under a new key and the old entry ages out. Never
 * older than its version: the version is read before the tile's own snapshot (route_definition.ts
 * sourceTables). Each layer's entries also expire after its cacheSeconds (tile_layers.ts).
 */
export class TileCache {
  private readonly entries: LRUCache<string, CachedTile> | null;

  /** `clock`: milliseconds for the layers' lifetimes (tests pass their own; default performance.now). */
  constructor(maxBytes: number, clock?: { now(): number }) {
    this.entries =
      maxBytes > 0
        ? new LRUCache<string, CachedTile>({
            maxSize: maxBytes,
            sizeCalculation: (tile, key) => tile.bytes.length + (tile.gzipped?.length ?? 0) + key.length + ENTRY_OVERHEAD_BYTES,
            ...(clock ? { perf: clock, ttlResolution: 0 } : {}),
          })
        : null;
  }

  get enabled(): boolean {
    return this.entries !== null;
  }

  /** The tile from the cache, or rendered by `render` and stored. */
  async getOrRender(key: TileCacheKey, render: () => Promise<Buffer>): Promise<{ tile: CachedTile; outcome: TileCacheOutcome }> {
    if (!this.entries || key.sourceVersion === undefined) return { tile: await prepareTile(await render()), outcome: 'off' };
    const cacheKey = `${key.sourceVersion}|${key.layer}/${key.zoom}/${key.x}/${key.y}|${key.jurisdictionCode}`;
    const cached = this.entries.get(cacheKey);
    if (cached) return { tile: cached, outcome: 'hit' };
    const tile = await prepareTile(await render());
    this.entries.set(cacheKey, tile, { ttl: TILE_LAYERS[key.layer].cacheSeconds * 1000 });
    return { tile, outcome: 'miss' };
  }
}

/** Compresses once (level 1, tile_encoding.ts): nearly every client asks for gzip. */
async function prepareTile(bytes: Buffer): Promise<CachedTile> {
  if (bytes.length === 0) return { bytes, gzipped: null, etag: null };
  return { bytes, gzipped: await gzipTile(bytes), etag: tileEtag(bytes) };
}
