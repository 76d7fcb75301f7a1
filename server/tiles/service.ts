import { createHash } from 'node:crypto';
import type { DatabaseMode, Queryable } from '../db/database.ts';
import { encodeTileLayer } from './encode_tile.ts';
import { selectTileFeatures, selectTileMvt, type TileQuery } from './queries.ts';
import { simplifyToleranceMeters, TILE_LAYERS, type TileLayerName } from './tile_layers.ts';

/** How a tile is encoded: by PostGIS (ST_AsMVT) or by vt-pbf from the same clipped rows. */
export type TileEncoder = 'postgis' | 'node';

/** The embedded database's PostGIS has no protobuf-c (docs/embedded_database.md). */
export function tileEncoderFor(mode: DatabaseMode): TileEncoder {
  return mode === 'embedded' ? 'node' : 'postgis';
}

/**
 * The embedded database draws zone tiles from the per-segment bands at every zoom: it serves one
 * district (where the dissolved layer saves little) in the server's own thread, and keeping the
 * dissolved layer current there would run seconds-long unions on its only connection, stalling
 * every request (see registerZoneJobs). PostgreSQL uses the dissolved layer below z14.
 */
export function usesPerSegmentZones(mode: DatabaseMode): boolean {
  return mode === 'embedded';
}

export function tileQuery(layer: TileLayerName, zoom: number, x: number, y: number): TileQuery {
  return { layer, zoom, x, y, featureLimit: TILE_LAYERS[layer].featureLimit, toleranceMeters: simplifyToleranceMeters(zoom) };
}

/** The tile's bytes; empty when the layer has nothing there or the zoom is outside its range. */
export async function renderTile(
  db: Queryable,
  encoder: TileEncoder,
  layer: TileLayerName,
  zoom: number,
  x: number,
  y: number,
  options: { perSegmentZones: boolean },
): Promise<Buffer> {
  const definition = TILE_LAYERS[layer];
  if (zoom < definition.minZoom || zoom > definition.maxZoom) return Buffer.alloc(0);
  const query = { ...tileQuery(layer, zoom, x, y), perSegmentZones: options.perSegmentZones };
  if (encoder === 'postgis') return selectTileMvt(db, query);
  return encodeTileLayer(layer, await selectTileFeatures(db, query, 'sql'));
}

/** A strong validator: the bytes' hash (a tile depends on the user's scope, so it is private). */
export function tileEtag(bytes: Buffer): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 32)}"`;
}

/** Whether an If-None-Match header names this ETag (a list, or *). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}
