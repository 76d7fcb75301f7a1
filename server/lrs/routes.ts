import { z } from 'zod';
import type { AppConfig } from '../config.ts';
import { directionSchema, latitudeSchema, longitudeSchema, routeCodeSchema } from '../http/common_schemas.ts';
import { defineRoute } from '../http/route_definition.ts';
import { locatePoint, pointAtStake } from './service.ts';

export function lrsRoutes(config: AppConfig) {
  return [
    defineRoute({
      method: 'get',
      path: '/lrs/locate',
      tag: 'linear referencing',
      summary: 'Point → route, stake, side, offset and legal zone',
      access: { permission: 'network.read' },
      query: z.object({
        lon: longitudeSchema,
        lat: latitudeSchema,
        radius: z.coerce.number().positive('radius must be positive').max(5000, 'radius must be at most 5000 m').optional(),
      }),
      handler: ({ db, query }) => locatePoint(db, query.lon, query.lat, query.radius ?? config.LUYU_LOCATE_RADIUS_METERS),
    }),
    defineRoute({
      method: 'get',
      path: '/lrs/point',
      tag: 'linear referencing',
      summary: 'Route + stake (+ direction) → point on the centreline',
      access: { permission: 'network.read' },
      query: z.object({
        route: routeCodeSchema,
        stake: z.string().max(32, 'stake is at most 32 characters'),
        direction: directionSchema.optional(),
      }),
      handler: ({ db, query }) => pointAtStake(db, query.route, query.stake, query.direction),
    }),
  ];
}
