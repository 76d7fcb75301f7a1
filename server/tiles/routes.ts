import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { defineRoute } from '../http/route_definition.ts';
import { selectLayerBounds } from './queries.ts';
import { etagMatches, renderTile, tileEncoderFor, tileEtag, usesPerSegmentZones } from './service.ts';
import { gzipTile } from './tile_encoding.ts';
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

export function tileRoutes(db: Database) {
  const encoder = tileEncoderFor(db.mode);
  const perSegmentZones = usesPerSegmentZones(db.mode);
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
      handler: async ({ db: scoped, params, request, response }) => {
        const bytes = await renderTile(scoped, encoder, params.layer, params.z, params.x, params.y, { perSegmentZones });
        response.setHeader('Cache-Control', TILE_CACHE_CONTROL);
        response.setHeader('Vary', 'Cookie, Authorization, Accept-Encoding');
        if (bytes.length === 0) {
          response.status(204).end();
          return undefined;
        }
        const etag = tileEtag(bytes);
        response.setHeader('ETag', etag);
        if (etagMatches(request.headers['if-none-match'], etag)) {
          response.status(304).end();
          return undefined;
        }
        // Compressed here, whole (tile_encoding.ts); the compression middleware passes an encoded body.
        if (request.acceptsEncodings('gzip', 'identity') === 'gzip') {
          response.setHeader('Content-Encoding', 'gzip');
          response.status(200).type(MVT_MEDIA_TYPE).send(await gzipTile(bytes));
          return undefined;
        }
        response.status(200).type(MVT_MEDIA_TYPE).send(bytes);
        return undefined;
      },
    }),
  ];
}
