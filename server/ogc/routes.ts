/**
 * OGC API – Features – Part 1: Core + GeoJSON (OGC 17-069r4) at /ogc, so QGIS, ArcGIS Pro and
 * GDAL's OAPIF driver read the working layers. Every route is a protected read: it runs in the
 * caller's jurisdiction-scoped transaction, so each collection, extent, count and feature is of the
 * caller's district only (row-level security). Clients authenticate with the API's bearer token,
 * e.g. GDAL_HTTP_HEADERS="Authorization: Bearer …" (docs/ogc_api.md).
 */
import type { Request } from 'express';
import { z } from 'zod';
import { hasPermission, type Permission, type Role } from '../domain/roles.ts';
import { bboxSchema } from '../http/common_schemas.ts';
import { AppError } from '../http/errors.ts';
import { defineRoute, requireUser, type RouteDefinition } from '../http/route_definition.ts';
import { countFeatures, selectCollectionExtent, selectFeature, selectFeatures, type OgcCollectionId, type OgcFeatureRow } from './queries.ts';

/** Where the OGC API is mounted (outside /api/v1: its paths are fixed by the standard). */
export const OGC_BASE_PATH = '/ogc';
export const OGC_DEFAULT_LIMIT = 100;
/** Larger limits are clamped to this (OGC 17-069r4 §7.15.3 lets a server cap the page size). */
export const OGC_MAX_LIMIT = 1000;

const GEOJSON = 'application/geo+json';
const JSON_TYPE = 'application/json';
const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';

export const CONFORMANCE_CLASSES = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
];
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

interface CollectionInfo {
  id: OgcCollectionId;
  title: string;
  description: string;
  permission: Permission;
}

export const OGC_COLLECTIONS: readonly CollectionInfo[] = [
  { id: 'segments', title: '路段', description: '公路路段中心线（线性参考的基础）', permission: 'network.read' },
  { id: 'zones', title: '控制区', description: '公路用地、建筑控制区等保护区范围', permission: 'network.read' },
  { id: 'violations', title: '违法案件', description: '路域违法行为案件登记', permission: 'violations.read' },
  { id: 'detections', title: '遥感变化图斑', description: '卫星影像变化检测图斑', permission: 'detections.read' },
];

/** The collection of a path, 404 for an unknown id or one the caller's role may not read. */
function collectionFor(id: string, role: Role): CollectionInfo {
  const collection = OGC_COLLECTIONS.find((candidate) => candidate.id === id);
  if (!collection || !hasPermission(role, collection.permission)) {
    throw new AppError(404, 'OGC_COLLECTION_NOT_FOUND', `No collection "${id}": the collections are ${OGC_COLLECTIONS.map((c) => c.id).join(', ')}`, { collectionId: id });
  }
  return collection;
}

/** Absolute base URL from the request: protocol and host honour the app's trust-proxy setting. */
function baseUrl(request: Request): string {
  return `${request.protocol}://${request.host}${OGC_BASE_PATH}`;
}

/**
 * JSON is the only encoding (f=json, or an Accept that takes JSON or GeoJSON); anything else 406.
 * `f` wins over Accept, as the standard's examples do.
 */
function negotiate(request: Request, f: string | undefined, preferred: string): void {
  if (f !== undefined) return;
  if (!request.headers.accept) return;
  if (!request.accepts([preferred, JSON_TYPE, GEOJSON])) {
    throw new AppError(406, 'OGC_NOT_ACCEPTABLE', 'Only JSON is served here: send Accept: application/json or application/geo+json, or f=json', {
      accept: request.headers.accept.slice(0, 200),
    });
  }
}

const formatQuery = z.object({
  f: z.enum(['json', 'geojson'], { message: 'f must be json (the only encoding served)' }).optional(),
});

const collectionParams = z.object({ collectionId: z.string().max(100) });
const featureParams = z.object({ collectionId: z.string().max(100), featureId: z.string().max(100) });

const itemsQuery = formatQuery.extend({
  bbox: bboxSchema.optional(),
  limit: z.coerce
    .number({ message: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .transform((limit) => Math.min(limit, OGC_MAX_LIMIT))
    .default(OGC_DEFAULT_LIMIT),
  offset: z.coerce.number({ message: 'offset must be a number' }).int('offset must be a whole number').min(0, 'offset must be 0 or more').max(10_000_000).default(0),
});

function collectionDocument(base: string, collection: CollectionInfo, bbox: [number, number, number, number] | null) {
  const self = `${base}/collections/${collection.id}`;
  return {
    id: collection.id,
    title: collection.title,
    description: collection.description,
    itemType: 'feature',
    crs: [CRS84],
    storageCrs: CRS84,
    // No feature in scope: the whole-world box is the honest "anywhere" (extent.spatial.bbox must hold one box).
    extent: { spatial: { bbox: [bbox ?? [-180, -90, 180, 90]], crs: CRS84 } },
    links: [
      { href: self, rel: 'self', type: JSON_TYPE, title: collection.title },
      { href: `${self}/items`, rel: 'items', type: GEOJSON, title: collection.title },
    ],
  };
}

function featureDocument(row: OgcFeatureRow): GeoJSON.Feature {
  return { type: 'Feature', id: row.id, geometry: row.geometry, properties: row.properties };
}

/** The query string of a page, other parameters kept (bbox as the client wrote it). */
function pageHref(request: Request, base: string, collectionId: string, offset: number, limit: number): string {
  const params = new URLSearchParams();
  const bbox = request.query.bbox;
  if (typeof bbox === 'string') params.set('bbox', bbox);
  params.set('limit', String(limit));
  params.set('offset', String(offset));
  return `${base}/collections/${collectionId}/items?${params.toString()}`;
}

export function ogcRouteDefinitions(): RouteDefinition<any, any, any, any>[] {
  return [
    defineRoute({
      method: 'get',
      path: OGC_BASE_PATH,
      tag: 'ogc',
      summary: 'OGC API Features landing page',
      access: { permission: 'network.read' },
      query: formatQuery,
      handler: async ({ request, query }) => {
        negotiate(request, query.f, JSON_TYPE);
        const base = baseUrl(request);
        const apiDescription = `${request.protocol}://${request.host}/api/v1/openapi.json`;
        return {
          title: '路域 Luyu — OGC API Features',
          description: '公路路域巡查数据（按当前用户的辖区范围）',
          links: [
            { href: base, rel: 'self', type: JSON_TYPE, title: 'This document' },
            { href: apiDescription, rel: 'service-desc', type: OPENAPI_TYPE, title: 'The Luyu REST API (OpenAPI 3)' },
            { href: `${base}/conformance`, rel: 'conformance', type: JSON_TYPE, title: 'Conformance classes' },
            { href: `${base}/collections`, rel: 'data', type: JSON_TYPE, title: 'Collections' },
          ],
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${OGC_BASE_PATH}/conformance`,
      tag: 'ogc',
      summary: 'OGC API Features conformance classes',
      access: { permission: 'network.read' },
      query: formatQuery,
      handler: async ({ request, query }) => {
        negotiate(request, query.f, JSON_TYPE);
        return { conformsTo: CONFORMANCE_CLASSES };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${OGC_BASE_PATH}/collections`,
      tag: 'ogc',
      summary: 'OGC API Features collections (segments, zones, violations, detections)',
      access: { permission: 'network.read' },
      query: formatQuery,
      readReplica: true,
      handler: async (input) => {
        negotiate(input.request, input.query.f, JSON_TYPE);
        const user = requireUser(input);
        const base = baseUrl(input.request);
        const collections = [];
        // One query at a time on the request's client (see server/db/transaction.ts).
        for (const collection of OGC_COLLECTIONS.filter((candidate) => hasPermission(user.role, candidate.permission))) {
          collections.push(collectionDocument(base, collection, await selectCollectionExtent(input.db, collection.id)));
        }
        return {
          links: [{ href: `${base}/collections`, rel: 'self', type: JSON_TYPE, title: 'Collections' }],
          collections,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${OGC_BASE_PATH}/collections/:collectionId`,
      tag: 'ogc',
      summary: 'One OGC API Features collection',
      access: { permission: 'network.read' },
      query: formatQuery,
      params: collectionParams,
      readReplica: true,
      handler: async (input) => {
        negotiate(input.request, input.query.f, JSON_TYPE);
        const collection = collectionFor(input.params.collectionId, requireUser(input).role);
        return collectionDocument(baseUrl(input.request), collection, await selectCollectionExtent(input.db, collection.id));
      },
    }),
    defineRoute({
      method: 'get',
      path: `${OGC_BASE_PATH}/collections/:collectionId/items`,
      tag: 'ogc',
      summary: 'Features of a collection (bbox, limit, offset)',
      access: { permission: 'network.read' },
      query: itemsQuery,
      params: collectionParams,
      responseType: GEOJSON,
      readReplica: true,
      handler: async (input) => {
        const { request, response, query } = input;
        negotiate(request, query.f, GEOJSON);
        const collection = collectionFor(input.params.collectionId, requireUser(input).role);
        const matched = await countFeatures(input.db, collection.id, query.bbox);
        // One row past the page says whether a next page exists, whatever the count's precision.
        const fetched = await selectFeatures(input.db, collection.id, { bbox: query.bbox, limit: query.limit + 1, offset: query.offset });
        const rows = fetched.slice(0, query.limit);
        const base = baseUrl(request);
        const links = [
          { href: pageHref(request, base, collection.id, query.offset, query.limit), rel: 'self', type: GEOJSON, title: 'This page' },
          { href: `${base}/collections/${collection.id}`, rel: 'collection', type: JSON_TYPE, title: collection.title },
        ];
        if (fetched.length > query.limit) {
          links.push({ href: pageHref(request, base, collection.id, query.offset + query.limit, query.limit), rel: 'next', type: GEOJSON, title: 'Next page' });
        }
        if (query.offset > 0) {
          links.push({ href: pageHref(request, base, collection.id, Math.max(0, query.offset - query.limit), query.limit), rel: 'prev', type: GEOJSON, title: 'Previous page' });
        }
        response.type(GEOJSON);
        return {
          type: 'FeatureCollection',
          timeStamp: new Date().toISOString(),
          // OGC API Features: numberMatched is optional and, when given, exact — so beyond the exact
          // count limit (a province's detections) it is left out rather than estimated.
          ...(matched.numberMatchedIsEstimate ? {} : { numberMatched: matched.numberMatched }),
          numberReturned: rows.length,
          features: rows.map(featureDocument),
          links,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${OGC_BASE_PATH}/collections/:collectionId/items/:featureId`,
      tag: 'ogc',
      summary: 'One feature of a collection',
      access: { permission: 'network.read' },
      query: formatQuery,
      params: featureParams,
      responseType: GEOJSON,
      readReplica: true,
      handler: async (input) => {
        const { request, response, query, params } = input;
        negotiate(request, query.f, GEOJSON);
        const collection = collectionFor(params.collectionId, requireUser(input).role);
        // Feature ids are the records' positive integer ids; anything else names no feature.
        const row = /^[1-9]\d{0,14}$/.test(params.featureId) ? await selectFeature(input.db, collection.id, Number(params.featureId)) : undefined;
        if (!row) {
          throw new AppError(404, 'OGC_FEATURE_NOT_FOUND', `No feature ${params.featureId} in collection ${collection.id}`, {
            collectionId: collection.id,
            featureId: params.featureId,
          });
        }
        const base = baseUrl(request);
        response.type(GEOJSON);
        return {
          ...featureDocument(row),
          links: [
            { href: `${base}/collections/${collection.id}/items/${row.id}`, rel: 'self', type: GEOJSON, title: 'This feature' },
            { href: `${base}/collections/${collection.id}`, rel: 'collection', type: JSON_TYPE, title: collection.title },
          ],
        };
      },
    }),
  ];
}
