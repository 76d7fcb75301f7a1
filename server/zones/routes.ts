import { z } from 'zod';
import { ZONE_KINDS } from '../domain/zones.ts';
import { bboxSchema, idParamsSchema, pagingSchema } from '../http/common_schemas.ts';
import { defineRoute } from '../http/route_definition.ts';
import { requireSegment } from '../roads/service.ts';
import { listZones } from './service.ts';

const zoneKindsSchema = z
  .string()
  .transform((text) => text.split(',').map((part) => part.trim()).filter(Boolean))
  .pipe(z.array(z.enum(ZONE_KINDS, { message: `kind must be a comma-separated list of ${ZONE_KINDS.join(', ')}` })).min(1));

export function zoneRoutes() {
  return [
    defineRoute({
      method: 'get',
      path: '/zones',
      tag: 'zones',
      summary: 'Legal protection zones as polygons, filtered by bbox and kind',
      access: { permission: 'network.read' },
      query: z.object({ bbox: bboxSchema.optional(), kind: zoneKindsSchema.optional(), ...pagingSchema(2000) }),
      handler: ({ db, query }) => listZones(db, { bbox: query.bbox, kinds: query.kind, limit: query.limit, offset: query.offset }),
    }),
    defineRoute({
      method: 'get',
      path: '/segments/:id/zones',
      tag: 'zones',
      summary: 'The protection zones of one segment',
      access: { permission: 'network.read' },
      params: idParamsSchema,
      handler: async ({ db, params }) => {
        await requireSegment(db, params.id);
        return listZones(db, { segmentId: params.id, limit: 100, offset: 0 });
      },
    }),
  ];
}
