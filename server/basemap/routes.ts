import { z } from 'zod';
import { bboxSchema, pagingSchema } from '../http/common_schemas.ts';
import { feature, pagedCollection } from '../http/geojson.ts';
import { defineRoute } from '../http/route_definition.ts';
import { offsetPage } from '../paging/keyset.ts';
import { countBasemapRoads, selectBasemapRoads, selectJurisdictions } from './queries.ts';

/** The self-hosted basemap's data: district boundaries and every source road (no tile server needed). */
export function basemapRoutes() {
  return [
    defineRoute({
      method: 'get',
      path: '/jurisdictions',
      tag: 'basemap',
      summary: 'Jurisdictions (province, city, districts) with boundaries',
      access: { permission: 'network.read' },
      handler: async ({ db }) => {
        const rows = await selectJurisdictions(db);
        return {
          type: 'FeatureCollection',
          features: rows.map((row) =>
            // A jurisdiction without a surveyed boundary still appears, with a null geometry.
            ({ type: 'Feature', id: row.code, geometry: row.geometry, properties: { code: row.code, name: row.name, level: row.level, parentCode: row.parent_code } }),
          ),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/basemap/roads',
      tag: 'basemap',
      summary: 'All source roads (ramps and unnamed roads included) for the basemap',
      access: { permission: 'network.read' },
      query: z.object({ bbox: bboxSchema.optional(), ...pagingSchema(5000) }),
      handler: async ({ db, query }) => {
        const page = await offsetPage(await selectBasemapRoads(db, query.bbox, query.limit, query.offset), query.limit, query.offset, () => countBasemapRoads(db, query.bbox));
        return pagedCollection(
          page.rows.map((row) => feature(row.osm_id, row.geometry, { osmId: row.osm_id, highway: row.highway, name: row.name, ref: row.ref })),
          { numberMatched: page.numberMatched, numberMatchedIsEstimate: page.numberMatchedIsEstimate, limit: query.limit, offset: query.offset },
        );
      },
    }),
  ];
}
