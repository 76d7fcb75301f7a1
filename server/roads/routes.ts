import { z } from 'zod';
import { bboxSchema, idParamsSchema, routeCodeSchema } from '../http/common_schemas.ts';
import { keysetPagingSchema } from '../paging/keyset.ts';
import { defineRoute } from '../http/route_definition.ts';
import { getExampleRoute, getRoute, getSegmentDetail, listRoutes, listSegments } from './service.ts';

const segmentListQuery = z.object({
  bbox: bboxSchema.optional(),
  route: routeCodeSchema.optional(),
  ...keysetPagingSchema(1000),
});

export function roadRoutes() {
  return [
    defineRoute({
      method: 'get',
      path: '/routes',
      tag: 'roads',
      summary: 'Routes with their class, segment count, length and chainage range',
      access: { permission: 'network.read' },
      handler: ({ db }) => listRoutes(db),
    }),
    defineRoute({
      method: 'get',
      path: '/routes/example',
      tag: 'roads',
      summary: 'The route an example stake is taken from (search hints): preferred class with ≥ 500 m of chainage, else the longest; null on an empty network',
      access: { permission: 'network.read' },
      handler: ({ db }) => getExampleRoute(db),
    }),
    // After /routes/example: 'example' is no route code (a letter and 1–4 digits), so it never reaches this one.
    defineRoute({
      method: 'get',
      path: '/routes/:code',
      tag: 'roads',
      summary: 'One route with its class, segment count, length and chainage range (404 ROUTE_NOT_FOUND)',
      access: { permission: 'network.read' },
      params: z.object({ code: routeCodeSchema }),
      handler: ({ db, params }) => getRoute(db, params.code),
    }),
    defineRoute({
      method: 'get',
      path: '/segments',
      tag: 'roads',
      summary: 'Segments as a GeoJSON FeatureCollection, filtered by bbox and route, paged',
      access: { permission: 'network.read' },
      query: segmentListQuery,
      handler: ({ db, query, request }) => listSegments(db, { bbox: query.bbox, routeCode: query.route }, query.limit, query, request.originalUrl),
    }),
    defineRoute({
      method: 'get',
      path: '/segments/:id',
      tag: 'roads',
      summary: 'One segment with its zone widths and structures',
      access: { permission: 'network.read' },
      params: idParamsSchema,
      handler: ({ db, params }) => getSegmentDetail(db, params.id),
    }),
  ];
}
