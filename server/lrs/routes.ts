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
    defineRoute({
      method: 'get',
      path: '/lrs/offset-point',
      tag: 'linear referencing',
      summary: 'Route + stake + side + offset → the point that far square to the road ("G107 K3+200 右侧 25 m")',
      access: { permission: 'network.read' },
      query: z.object({
        route: routeCodeSchema,
        stake: z.string().max(32, 'stake is at most 32 characters'),
        direction: directionSchema.optional(),
        side: z.enum(['left', 'right'], { message: 'side must be left or right (looking in the + direction)' }),
        offset: z.coerce.number().min(0, 'offset must be 0 or more metres').max(5000, 'offset must be at most 5000 m'),
      }),
      handler: ({ db, query }) => pointAtStake(db, query.route, query.stake, query.direction, { side: query.side, offsetMeters: query.offset }),
    }),
  ];
}
