import { z } from 'zod';
import type { AppConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { defineRoute, requireUser } from '../http/route_definition.ts';
import { selectLayerBounds, selectTileSourceVersion } from './queries.ts';
import { etagMatches, renderTile, tileEncoderFor, usesPerSegmentZones } from './service.ts';
import { TileCache } from './tile_cache.ts';
import { TILE_LAYER_NAMES, TILE_LAYERS } from './tile_layers.ts';

export const MVT_MEDIA_TYPE = 'application/vnd.mapbox-vector-tile';
/** Tiles are scoped by the user's jurisdiction: private caches only, and short (data changes). */
const TILE_CACHE_CONTROL = 'private, max-age=60';

/** Web Mercator's world, TileJSON's default bounds. */
const WORLD_BOUNDS: [number, number, number, number] = [-180, -85.0511, 180, 85.0511];

const layerSchema = z.enum(TILE_LAYER_NAMES, { message: `layer must be one of ${TILE_LAYER_NAMES.join(', ')}` });
const tileCoordinate = z.string().regex(/^\d{1,7}$/, 'must be a whole number').transform(Number);

const tileParamsSchema = z
  .object({ layer: layerSchema, z: tileCoordinate, x: tileCoordinate, y: tileCoordinate })
  .refine((tile) => tile.z <= 22, { message: 'z must be 0…22', path: ['z'] })
  .refine((tile) => tile.x < 2 ** tile.z && tile.y < 2 ** tile.z, { message: 'x and y must be below 2^z', path: ['x'] });

export function tileRoutes(db: Database, config: Pick<AppConfig, 'LUYU_TILE_CACHE_MB'>) {
  const encoder = tileEncoderFor(db.mode);
  const perSegmentZones = usesPerSegmentZones(db.mode);
  const cache = new TileCache(config.LUYU_TILE_CACHE_MB * 1024 * 1024);
  return [
    defineRoute({
      method: 'get',
      path: '/tiles/:layer.json',
      tag: 'tiles',
      summary: 'TileJSON 3.0 of a vector tile layer',
      access: { permission: 'network.read' },
      readReplica: true,
      params: z.object({ layer: layerSchema }),
      handler: async ({ db: scoped, params, request }) => {
        const layer = TILE_LAYERS[params.layer];
        // The extent of what this user may see (the map fits it at start); the world when empty.
        const bounds = (await selectLayerBounds(scoped, params.layer)) ?? WORLD_BOUNDS;
        const base = `${request.protocol}://${request.get('host')}${request.baseUrl}`;
        return {
          tilejson: '3.0.0',
          name: layer.name,
          description: layer.description,
          scheme: 'xyz',
          tiles: [`${base}/tiles/${layer.name}/{z}/{x}/{y}.mvt`],
          minzoom: layer.minZoom,
          maxzoom: layer.maxZoom,
          bounds: bounds.map((degrees) => Math.round(degrees * 1e6) / 1e6),
          vector_layers: [{ id: layer.name, description: layer.description, minzoom: layer.minZoom, maxzoom: layer.maxZoom, fields: layer.fields }],
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tiles/:layer/:z/:x/:y.mvt',
      tag: 'tiles',
      summary: 'A Mapbox vector tile of a layer, scoped to the user’s jurisdiction (204 when empty)',
      access: { permission: 'network.read' },
      readReplica: true,
      params: tileParamsSchema,
      responseType: MVT_MEDIA_TYPE,
      // The layer's source version first: a cached tile is then answered without opening the scoped
      // transaction. Without a cache, nothing to read: the session and scope take one statement.
      readBeforeScope: cache.enabled
        ? (pool, params): Promise<number | undefined> => selectTileSourceVersion(pool, TILE_LAYERS[params.layer].sourceTables)
        : undefined,
      handler: async ({ db: scoped, params, request, response, user, beforeScope: sourceVersion }) => {
        const key = { layer: params.layer, zoom: params.z, x: params.x, y: params.y, jurisdictionCode: requireUser({ user }).jurisdiction.code, sourceVersion };
        const { tile, outcome } = await cache.getOrRender(key, () => renderTile(scoped, encoder, params.layer, params.z, params.x, params.y, { perSegmentZones }));
        response.setHeader('X-Tile-Cache', outcome);
        response.setHeader('Cache-Control', TILE_CACHE_CONTROL);
        response.setHeader('Vary', 'Cookie, Authorization, Accept-Encoding');
        if (tile.bytes.length === 0 || !tile.etag) {
          response.status(204).end();
          return undefined;
        }
        response.setHeader('ETag', tile.etag);
        if (etagMatches(request.headers['if-none-match'], tile.etag)) {
          response.status(304).end();
          return undefined;
        }
        // Compressed once, whole (tile_cache.ts); the compression middleware passes an encoded body.
        if (tile.gzipped && request.acceptsEncodings('gzip', 'identity') === 'gzip') {
          response.setHeader('Content-Encoding', 'gzip');
          response.status(200).type(MVT_MEDIA_TYPE).send(tile.gzipped);
          return undefined;
        }
        response.status(200).type(MVT_MEDIA_TYPE).send(tile.bytes);
        return undefined;
      },
    }),
  ];
}
