import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { bboxSchema, idParamsSchema, pagingSchema, routeCodeSchema } from '../http/common_schemas.ts';
import { defineRoute } from '../http/route_definition.ts';
import { getSegmentDetail, listRoutes, listSegments } from './service.ts';

const segmentListQuery = z.object({
  bbox: bboxSchema.optional(),
  route: routeCodeSchema.optional(),
  ...pagingSchema(1000),
});

export function roadRoutes(db: Database) {
  return [
    defineRoute({
      method: 'get',
      path: '/routes',
      tag: 'roads',
      summary: 'Routes with their class, segment count, length and chainage range',
      handler: () => listRoutes(db.pool),
    }),
    defineRoute({
      method: 'get',
      path: '/segments',
      tag: 'roads',
      summary: 'Segments as a GeoJSON FeatureCollection, filtered by bbox and route, paged',
      query: segmentListQuery,
      handler: ({ query }) => listSegments(db.pool, { bbox: query.bbox, routeCode: query.route, limit: query.limit, offset: query.offset }),
    }),
    defineRoute({
      method: 'get',
      path: '/segments/:id',
      tag: 'roads',
      summary: 'One segment with its zone widths and structures',
      params: idParamsSchema,
      handler: ({ params }) => getSegmentDetail(db.pool, params.id),
    }),
  ];
}
