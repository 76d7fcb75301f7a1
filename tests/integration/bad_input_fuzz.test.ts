import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEMO_USERS } from '../../data/seed/demo_users.ts';
import { apiRouteDefinitions } from '../../server/app.ts';
import { ogcRouteDefinitions } from '../../server/ogc/routes.ts';
import { hasPermission } from '../../server/domain/roles.ts';
import type { RouteDefinition } from '../../server/http/route_definition.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

/**
 * Zero 5xx on bad input: every route of the registry (apiRouteDefinitions and the OGC API's) gets inputs derived
 * from its zod schemas and then mutated — wrong types, NUL bytes, huge strings, impossible dates,
 * out-of-range and non-finite numbers, empty / self-intersecting / whole-world polygons, deep
 * JSON, malformed JSON and multipart, corrupt files — and must answer a status below 500, and a
 * 4xx must carry {error:{code,message,details}}. Deterministic: a seeded generator picks the
 * mutations, so a failure names a reproducible request.
 */

/** Mulberry32: small, seeded, good enough to pick mutations reproducibly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonSchema = Record<string, any>;

const toJsonSchema = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

/** A plausible value for a JSON schema: the base that mutations start from. */
function sampleOf(schema: JsonSchema | undefined, depth = 0): Json {
  if (!schema || depth > 6) return null;
  if (schema.const !== undefined) return schema.const as Json;
  if (Array.isArray(schema.enum)) return schema.enum[0] as Json;
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union)) return sampleOf(union.find((option: JsonSchema) => option.type !== 'null') ?? union[0], depth + 1);
  switch (Array.isArray(schema.type) ? schema.type[0] : schema.type) {
    case 'string':
      if (schema.format === 'date') return '2026-03-01';
      if (schema.format === 'date-time') return '2030-03-01T08:00:00+08:00';
      return 'x'.repeat(Math.max(1, Math.min(schema.minLength ?? 1, 8)));
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? schema.exclusiveMinimum ?? 1, Math.min(schema.maximum ?? 1, 1));
    case 'boolean':
      return false;
    case 'array': {
      if (Array.isArray(schema.prefixItems)) return schema.prefixItems.map((item: JsonSchema) => sampleOf(item, depth + 1));
      const count = Math.max(1, schema.minItems ?? 1);
      return Array.from({ length: Math.min(count, 5) }, () => sampleOf(schema.items, depth + 1));
    }
    case 'object': {
      const result: Record<string, Json> = {};
      for (const [key, property] of Object.entries<JsonSchema>(schema.properties ?? {})) result[key] = sampleOf(property, depth + 1);
      return result;
    }
    default:
      return null;
  }
}

const HUGE = 'é'.repeat(60_000);
const DEEP_ARRAY_TEXT = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
const WHOLE_WORLD = { type: 'Polygon', coordinates: [[[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]] };
const BOWTIE = { type: 'Polygon', coordinates: [[[113.7, 34.7], [113.71, 34.71], [113.71, 34.7], [113.7, 34.71], [113.7, 34.7]]] };
const COLLAPSED = { type: 'Polygon', coordinates: [[[113.7, 34.7], [113.7, 34.7], [113.7, 34.7], [113.7, 34.7]]] };
const SPIKE = { type: 'Polygon', coordinates: [[[113.7, 34.7], [113.71, 34.7], [113.7, 34.7], [113.71, 34.7]]] };

/** Values that replace one place of a valid-ish body. */
const VALUE_MUTATIONS: Json[] = [
  null,
  0,
  -1,
  1e308,
  -1e308,
  1.5,
  true,
  '',
  'text',
  'a\u0000b',
  '\u0000',
  HUGE,
  '2026-02-30',
  '2026-13-01T00:00:00Z',
  '0000-00-00',
  '9999-12-31T23:59:59Z',
  'NaN',
  'Infinity',
  '1e400',
  [],
  [null],
  {},
  { type: 'Point', coordinates: [999, 999] },
  { type: 'Point', coordinates: [180, 90] },
  { type: 'Point', coordinates: [-180, -90] },
  { type: 'Point', coordinates: [113.7] },
  { type: 'Point', coordinates: [null, null] },
  { type: 'Polygon', coordinates: [[]] },
  { type: 'Polygon', coordinates: [] },
  WHOLE_WORLD,
  BOWTIE,
  COLLAPSED,
  SPIKE,
  { type: 'MultiPolygon', coordinates: [] },
  { type: 'GeometryCollection', geometries: [] },
  [[[1, 2]]],
  ['a\u0000'],
];

/** Query and path values (strings: that is what a URL carries). */
const TEXT_MUTATIONS: string[] = [
  '',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e400',
  '-1',
  '0',
  '180',
  '90',
  '-90',
  '1.5',
  '99999999999999999999999',
  'a\u0000b',
  '\u0000',
  '2026-02-30',
  '2026-13-45',
  '0000-00-00',
  '9999-12-31',
  'x'.repeat(3000),
  '%',
  '[]',
  '{}',
  '-200,-100,200,100',
  '1,1,0,0',
  'NaN,NaN,NaN,NaN',
  'true',
  '😀',
];

/** Query values every key gets (the rest are sampled). */
const ALWAYS_TRIED_TEXT: readonly string[] = ['a\u0000b', '2026-02-30', 'NaN', '1e400', 'x'.repeat(3000), '-1', '180', '-90'];

interface Place {
  path: (string | number)[];
}

function placesOf(value: Json, path: (string | number)[] = [], out: Place[] = []): Place[] {
  out.push({ path });
  if (Array.isArray(value)) value.slice(0, 3).forEach((item, index) => placesOf(item, [...path, index], out));
  else if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) placesOf(child, [...path, key], out);
  return out;
}

function replaceAt(value: Json, path: (string | number)[], replacement: Json): Json {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, index) => (index === head ? replaceAt(item, rest, replacement) : item));
  if (value && typeof value === 'object') return { ...value, [head as string]: replaceAt((value as Record<string, Json>)[head as string] ?? null, rest, replacement) };
  return value;
}

interface Attempt {
  method: string;
  path: string;
  body?: string | FormData | Uint8Array;
  contentType?: string;
  label: string;
}

function objectKeys(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const json = toJsonSchema(schema);
  return Object.keys(json.properties ?? {});
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Every attempt for one route, picked deterministically from the mutation lists. */
function attemptsFor(definition: RouteDefinition<any, any, any, any>, random: () => number, perRoute: number): Attempt[] {
  const method = definition.method.toUpperCase();
  const concretePath = (value: string) => definition.path.replace(/:[A-Za-z]+/g, encodeURIComponent(value));
  // An OGC collection is named (violations); every other parameter is an id.
  const validPath = definition.path.replace(':collectionId', 'violations').replace(/:[A-Za-z]+/g, '1');
  const attempts: Attempt[] = [];
  const queryKeys = objectKeys(definition.query);
  const queryBase = definition.query ? (sampleOf(toJsonSchema(definition.query)) as Record<string, Json>) : {};
  const queryText = (values: Record<string, Json>) =>
    new URLSearchParams(Object.entries(values).flatMap(([key, value]) => (value === null || value === undefined ? [] : [[key, String(value)]]))).toString();

  if (definition.path.includes(':')) {
    for (const value of TEXT_MUTATIONS.slice(0, 14)) attempts.push({ method, path: concretePath(value), label: `path ${JSON.stringify(value.slice(0, 20))}` });
  }
  // Every query key gets the mutations that used to reach the database, and a seeded sample of the rest.
  for (const key of queryKeys) {
    const values = [...ALWAYS_TRIED_TEXT, ...TEXT_MUTATIONS.filter((value) => !ALWAYS_TRIED_TEXT.includes(value)).sort(() => random() - 0.5).slice(0, 1)];
    for (const value of values) {
      const query = queryText({ ...queryBase, [key]: value });
      attempts.push({ method, path: `${validPath}?${query}`, label: `query ${key}=${JSON.stringify(value.slice(0, 20))}` });
    }
  }
  if (queryKeys.length > 0) {
    // Repeated and bracketed keys: Express's query parser turns them into arrays and objects.
    const key = queryKeys[0]!;
    attempts.push({ method, path: `${validPath}?${key}=1&${key}=2`, label: `query ${key} twice` });
    attempts.push({ method, path: `${validPath}?${key}[a][b]=1`, label: `query ${key} as object` });
  }
  if (method === 'GET') return attempts;

  if (definition.upload) {
    const field = definition.upload.field;
    const form = (bytes: Uint8Array, name: string, extra: Record<string, string> = {}) => {
      const data = new FormData();
      for (const [key, value] of Object.entries({ ...(sampleOf(definition.body ? toJsonSchema(definition.body) : undefined) as Record<string, Json> | null), ...extra })) {
        if (value !== null && value !== undefined) data.set(key, typeof value === 'string' ? value : JSON.stringify(value));
      }
      data.set(field, new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
      return data;
    };
    const corruptPng = new Uint8Array([...PNG_SIGNATURE, ...Array.from({ length: 200 }, (_, index) => (index * 37) % 256)]);
    const zeros = new Uint8Array(256);
    attempts.push({ method, path: validPath, body: form(corruptPng, 'photo.png'), label: 'corrupt PNG' });
    attempts.push({ method, path: validPath, body: form(new Uint8Array([0x66, 0x67, 0x62, 0x03, ...zeros.slice(0, 100)]), 'batch.fgb'), label: 'fgb magic + zeros' });
    attempts.push({ method, path: validPath, body: form(new TextEncoder().encode('{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[]]}}]}'), 'x.geojson'), label: 'geojson empty ring' });
    attempts.push({ method, path: validPath, body: form(new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...zeros]), 'x.zip'), label: 'truncated zip' });
    attempts.push({ method, path: validPath, body: form(new TextEncoder().encode('a\u0000b,c\n\u0000'), 'x.csv', { datum: 'a\u0000' }), label: 'NUL csv + field' });
    attempts.push({ method, path: validPath, body: form(new Uint8Array(0), 'empty.png'), label: 'empty file' });
    attempts.push({
      method,
      path: validPath,
      body: new TextEncoder().encode('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n\u0089PNG'),
      contentType: 'multipart/form-data; boundary=XYZ',
      label: 'truncated multipart',
    });
    attempts.push({ method, path: validPath, body: 'not multipart at all', contentType: 'multipart/form-data', label: 'multipart without boundary' });
    attempts.push({ method, path: validPath, body: '{}', contentType: 'application/json', label: 'JSON to an upload route' });
    return attempts;
  }

  const base = definition.body ? sampleOf(toJsonSchema(definition.body)) : {};
  const places = placesOf(base);
  // Every place × every value, then a seeded sample when that is more than `perRoute`; the places
  // of geometries are always kept whole (PostGIS is where bad geometry used to end in a 500).
  const candidates = places.flatMap((place) => VALUE_MUTATIONS.map((value) => ({ place, value })));
  const isGeometry = (place: Place) => place.path.some((segment) => segment === 'geometry' || segment === 'coordinates' || segment === 'location');
  const kept = [
    ...candidates.filter((candidate) => isGeometry(candidate.place) && candidate.place.path.at(-1) !== 'coordinates' && typeof candidate.place.path.at(-1) !== 'number'),
    ...candidates.filter((candidate) => !isGeometry(candidate.place)).sort(() => random() - 0.5).slice(0, perRoute),
  ];
  for (const { place, value } of kept) {
    attempts.push({
      method,
      path: validPath,
      body: JSON.stringify(replaceAt(base, place.path, value)),
      contentType: 'application/json',
      label: `body ${place.path.join('.') || '(root)'} = ${JSON.stringify(value)?.slice(0, 40)}`,
    });
  }
  attempts.push({ method, path: validPath, body: DEEP_ARRAY_TEXT, contentType: 'application/json', label: 'deep JSON array (10,000 levels)' });
  const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
  attempts.push({ method, path: validPath, body: deepObject, contentType: 'application/json', label: 'deep JSON object (10,000 levels)' });
  if (base && typeof base === 'object' && !Array.isArray(base)) {
    const key = Object.keys(base)[0];
    if (key) attempts.push({ method, path: validPath, body: `{"${key}":${DEEP_ARRAY_TEXT}}`, contentType: 'application/json', label: `deep JSON in ${key}` });
  }
  attempts.push({ method, path: validPath, body: '{"a":', contentType: 'application/json', label: 'truncated JSON' });
  attempts.push({ method, path: validPath, body: '{"a":NaN}', contentType: 'application/json', label: 'NaN literal' });
  attempts.push({ method, path: validPath, body: '"\\u0000"', contentType: 'application/json', label: 'NUL string body' });
  attempts.push({ method, path: validPath, body: 'a=1', contentType: 'application/x-www-form-urlencoded', label: 'form body' });
  return attempts;
}

const SEED = 20_260_901;
const PER_ROUTE = 15;
const SKIPPED_PATHS = new Set(['/auth/logout']);

let server: TestServer;
const tokens = new Map<string, string>();

beforeAll(async () => {
  server = await startTestServer({ as: null, env: { LUYU_LOGIN_MAX_FAILURES: '100000', LUYU_LOGIN_MAX_FAILURES_PER_IP: '100000' } });
  for (const user of DEMO_USERS) tokens.set(user.role, await server.login(user.username));
});
afterAll(async () => {
  await server?.close();
});

describe('bad input never answers 5xx', () => {
  it('every route of the registry answers below 500, with the error shape on 4xx', async () => {
    const definitions = [...apiRouteDefinitions(server.db, server.config), ...ogcRouteDefinitions()].filter((definition) => !SKIPPED_PATHS.has(definition.path));
    expect(definitions.length).toBeGreaterThan(30);
    const random = seededRandom(SEED);
    const failures: string[] = [];
    let sent = 0;
    for (const definition of definitions) {
      const access = definition.access;
      const role = access === 'public' ? null : DEMO_USERS.find((user) => hasPermission(user.role, access.permission))?.role;
      const token = role ? tokens.get(role) : undefined;
      const routeStartedAt = performance.now();
      for (const attempt of attemptsFor(definition, random, PER_ROUTE)) {
        const headers = new Headers();
        if (token) headers.set('authorization', `Bearer ${token}`);
        if (attempt.contentType) headers.set('content-type', attempt.contentType);
        // The OGC API lives at its own /ogc paths, the rest below /api/v1.
        const prefix = definition.path.startsWith('/ogc') ? '' : '/api/v1';
        const response = await fetch(`${server.baseUrl}${prefix}${attempt.path}`, { method: attempt.method, headers, body: attempt.body as BodyInit | undefined });
        const text = await response.text();
        sent += 1;
        const where = `${attempt.method} ${definition.path} · ${attempt.label}`;
        if (response.status >= 500) {
          failures.push(`${response.status} ${where}: ${text.slice(0, 200)}`);
          continue;
        }
        if (response.status >= 400 && response.status !== 404 && !response.headers.get('content-type')?.includes('json')) {
          failures.push(`${response.status} without JSON ${where}: ${text.slice(0, 120)}`);
          continue;
        }
        if (response.status >= 400 && response.headers.get('content-type')?.includes('json')) {
          const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
          const shaped = typeof body.error?.code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(body.error.code) && typeof body.error.message === 'string' && 'details' in body.error;
          if (!shaped) failures.push(`${response.status} not in the error shape ${where}: ${text.slice(0, 120)}`);
        }
      }
      if (process.env.FUZZ_TIMING) console.log(`${definition.method} ${definition.path} ${(performance.now() - routeStartedAt).toFixed(0)} ms`);
    }
    console.log(`[bad input] ${sent} requests over ${definitions.length} routes`);
    expect(sent).toBeGreaterThan(900);
    expect(failures, failures.join('\n')).toEqual([]);
    // About 3,000 requests over ~100 routes now: over 480 s on the embedded database of a loaded
    // 2-core machine, where the timeout then killed the worker mid-run and the test was reported
    // as skipped. The budget is generous; FUZZ_TIMING=1 prints each route's share.
  }, 1_200_000);
});
