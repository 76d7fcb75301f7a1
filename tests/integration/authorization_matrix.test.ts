import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type express from 'express';
import sharp from 'sharp';
import { storePhoto } from '../../server/evidence/photo_store.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRouteDefinitions } from '../../server/app.ts';
import { hasPermission, isRole } from '../../server/domain/roles.ts';
import type { RouteDefinition } from '../../server/http/route_definition.ts';
import { DEMO_USERS } from '../../data/seed/demo_users.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

/**
 * Every route actually mounted in the Express app × anonymous and every demo user × own and
 * sibling jurisdiction. The expected status comes from the route's access declaration, so a new
 * route is covered the moment it is mounted; a `:param` route without an id fixture below fails.
 */

interface MountedRoute {
  method: string;
  path: string;
}

interface ExpressLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: ExpressLayer[] };
}

/** Routes from the app's router stack (Express 5), sub-routers included. */
function mountedRoutes(app: express.Express): MountedRoute[] {
  const found: MountedRoute[] = [];
  const walk = (stack: ExpressLayer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, enabled] of Object.entries(layer.route.methods)) if (enabled && method !== '_all') found.push({ method, path: layer.route.path });
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: ExpressLayer[] } }).router.stack);
  return found;
}

const OWN = '410104';
const SIBLING = '410105';

let server: TestServer;
let routes: { mounted: MountedRoute; definition: RouteDefinition<any, any, any> }[];
const tokens = new Map<string, string>();
/** Segment and structure ids per district, read as the superuser (no RLS). */
const segmentIds = new Map<string, number[]>();
const structureIds = new Map<string, number[]>();
/** Demo violations still 'reported' per district (the demo loader keeps the first ones so). */
const violationIds = new Map<string, number[]>();
/** Demo detections per district, and an empty batch uploaded by each district (visible to it only). */
const detectionIds = new Map<string, number[]>();
const detectionBatchIds = new Map<string, number>();
let sampleQueries: Record<string, string>;

const photoIds = new Map<string, number>();
let photoDir: string;

beforeAll(async () => {
  photoDir = mkdtempSync(path.join(os.tmpdir(), 'luyu-matrix-photos-'));
  server = await startTestServer({ as: null, env: { LUYU_PHOTO_DIR: photoDir } });
  const definitions = apiRouteDefinitions(server.db, server.config);
  routes = mountedRoutes(server.app)
    // The client's catch-all GET is not an API route (absent when there is no client build).
    .filter((route) => typeof route.path === 'string')
    .map((mounted) => {
      const definition = definitions.find((candidate) => candidate.method === mounted.method && candidate.path === mounted.path);
      if (!definition) throw new Error(`${mounted.method} ${mounted.path} is mounted without a route definition`);
      return { mounted, definition };
    });
  for (const user of DEMO_USERS) tokens.set(user.username, await server.login(user.username));
  for (const code of [OWN, SIBLING]) {
    const segments = await server.db.pool.query<{ id: number }>('SELECT id FROM segments WHERE jurisdiction_code = $1 ORDER BY id', [code]);
    segmentIds.set(code, segments.rows.map((row) => row.id));
    const structures = await server.db.pool.query<{ id: number }>('SELECT id FROM road_structures WHERE jurisdiction_code = $1 ORDER BY id', [code]);
    structureIds.set(code, structures.rows.map((row) => row.id));
    const violations = await server.db.pool.query<{ id: number }>(
      `SELECT id FROM violations WHERE jurisdiction_code = $1 AND is_demo AND status = 'reported' ORDER BY id`,
      [code],
    );
    violationIds.set(code, violations.rows.map((row) => row.id));
    const detections = await server.db.pool.query<{ id: number }>(`SELECT id FROM detections WHERE jurisdiction_code = $1 AND is_demo ORDER BY id`, [code]);
    detectionIds.set(code, detections.rows.map((row) => row.id));
    const batch = await server.db.pool.query<{ id: number }>(
      `INSERT INTO detection_batches (content_sha256, status, file_format, source, before_date, after_date, crs, jurisdiction_code, finished_at)
       VALUES ($1, 'done', 'geojson', 'matrix fixture', '2026-01-01', '2026-02-01', 'WGS84', $2, now()) RETURNING id`,
      [randomBytes(32).toString('hex'), code],
    );
    detectionBatchIds.set(code, batch.rows[0]!.id);
    // One real stored photo per district, so the image routes answer 200 for the owner.
    const stored = await storePhoto({ root: photoDir, bytes: await sharp({ create: { width: 8, height: 8, channels: 3, background: code === OWN ? '#aa0000' : '#0000aa' } }).jpeg().toBuffer() });
    const photo = await server.db.pool.query<{ id: number }>(
      `INSERT INTO evidence_photos (sha256, media_type, byte_size, storage_path, thumbnail_path, width, height, jurisdiction_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [stored.sha256, stored.mediaType, stored.byteSize, stored.storagePath, stored.thumbnailPath, stored.width, stored.height, code],
    );
    photoIds.set(code, photo.rows[0]!.id);
  }
  const sample = await server.db.pool.query<{ lon: number; lat: number; route_code: string; chainage: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat, route_code, round((chainage_from_meters + chainage_to_meters) / 2) AS chainage
     FROM (SELECT ST_LineInterpolatePoint(ST_Force2D(centreline), 0.5) AS p, route_code, chainage_from_meters, chainage_to_meters
           FROM segments WHERE jurisdiction_code = $1 ORDER BY id LIMIT 1) s`,
    [OWN],
  );
  const point = sample.rows[0]!;
  const stake = `K${Math.floor(point.chainage / 1000)}+${String(point.chainage % 1000).padStart(3, '0')}`;
  sampleQueries = {
    '/lrs/locate': `?lon=${point.lon}&lat=${point.lat}`,
    '/lrs/point': `?route=${point.route_code}&stake=${encodeURIComponent(stake)}`,
    '/lrs/offset-point': `?route=${point.route_code}&stake=${encodeURIComponent(stake)}&side=right&offset=25`,
    '/segments': '?limit=5000',
    '/zones': '?limit=5000',
    '/basemap/roads': '?limit=5000',
  };
});

afterAll(async () => {
  await server.close();
  rmSync(photoDir, { recursive: true, force: true });
});

/** Ids for `:id` per entity (first path part): one visible to the principal, one in the other district. */
const ID_FIXTURES: Record<string, (own: string, other: string) => { own: number; other: number }> = {
  segments: (own, other) => ({ own: segmentIds.get(own)![0]!, other: segmentIds.get(other)![0]! }),
  violations: (own, other) => ({ own: violationIds.get(own)![0]!, other: violationIds.get(other)![0]! }),
  photos: (own, other) => ({ own: photoIds.get(own)!, other: photoIds.get(other)! }),
  detections: (own, other) => ({ own: detectionIds.get(own)![0]!, other: detectionIds.get(other)![0]! }),
  'detection-batches': (own, other) => ({ own: detectionBatchIds.get(own)!, other: detectionBatchIds.get(other)! }),
};

/**
 * Bodies for write routes whose `{}` would fail validation before the record is looked up (so a
 * foreign id would get 400, not 404). Chosen to change nothing: `report_cleared` is not possible
 * from 'reported', so every role allowed to call gets 409 and the fixture case stays as it is.
 */
const SAMPLE_BODIES: Record<string, unknown> = {
  '/violations/:id/transitions': { event: 'report_cleared' },
  // The fixture detection is pending, never 'confirmed': every allowed reviewer gets 409, nothing changes.
  '/detections/:id/review': { action: 'field', expectedStatus: 'confirmed' },
};

type Principal = { username: string | null; jurisdictionCode: string | null; role: string | null };
const PRINCIPALS: Principal[] = [
  { username: null, jurisdictionCode: null, role: null },
  ...DEMO_USERS.map((user) => ({ username: user.username, jurisdictionCode: user.jurisdictionCode, role: user.role })),
];

function otherDistrict(code: string | null): string {
  return code === SIBLING ? OWN : SIBLING;
}

function concretePaths(path: string, principal: Principal): { path: string; visible: boolean }[] {
  if (!path.includes(':')) return [{ path: `${path}${sampleQueries[path] ?? ''}`, visible: true }];
  const entity = path.split('/')[1]!;
  const fixture = ID_FIXTURES[entity];
  if (!fixture) throw new Error(`no id fixture for ${path}: add one to ID_FIXTURES`);
  const own = principal.jurisdictionCode && principal.jurisdictionCode !== '410000' ? principal.jurisdictionCode : OWN;
  const ids = fixture(own, otherDistrict(own));
  const withId = (id: number) => path.replace(/:[A-Za-z]+/g, String(id));
  // A province-level user sees both districts.
  return [
    { path: withId(ids.own), visible: true },
    { path: withId(ids.other), visible: principal.jurisdictionCode === '410000' },
  ];
}

/** Every jurisdiction code, segment id and structure id in a response must be inside the principal's district. */
function assertNoForeignRecords(body: unknown, district: string, where: string): void {
  const foreignSegments = new Set(segmentIds.get(otherDistrict(district)));
  const foreignStructures = new Set(structureIds.get(otherDistrict(district)));
  const visit = (value: unknown, key: string | null, parentIsSegmentFeature: boolean) => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, null, parentIsSegmentFeature);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    if ('jurisdictionCode' in object && object.jurisdictionCode !== null) expect(object.jurisdictionCode, `${where}: jurisdictionCode`).toBe(district);
    if (key === 'jurisdiction' && typeof object.code === 'string') expect(object.code, `${where}: jurisdiction.code`).toBe(district);
    if (typeof object.segmentId === 'number') expect(foreignSegments.has(object.segmentId), `${where}: segment ${object.segmentId} of ${otherDistrict(district)}`).toBe(false);
    if (typeof object.structureId === 'number') expect(foreignStructures.has(object.structureId), `${where}: structure ${object.structureId}`).toBe(false);
    if (parentIsSegmentFeature && object.type === 'Feature' && typeof object.id === 'number') {
      expect(foreignSegments.has(object.id), `${where}: segment feature ${object.id}`).toBe(false);
    }
    for (const [childKey, child] of Object.entries(object)) visit(child, childKey, parentIsSegmentFeature);
  };
  visit(body, null, where.startsWith('GET /segments'));
}

describe('authorization matrix over every mounted route', () => {
  it('finds the API routes in the Express router and each declares its access', () => {
    expect(routes.length).toBeGreaterThanOrEqual(14);
    const paths = routes.map((route) => `${route.mounted.method} ${route.mounted.path}`);
    expect(paths).toEqual(expect.arrayContaining(['get /segments/:id', 'post /auth/login', 'get /audit', 'get /health']));
    expect(new Set(paths).size).toBe(paths.length);
  });

  it.each(PRINCIPALS.map((principal) => [principal.username ?? 'anonymous', principal] as const))('%s gets the designed status on every route', async (_name, principal) => {
    const failures: string[] = [];
    for (const { mounted, definition } of routes) {
      const unsafe = mounted.method !== 'get';
      for (const target of concretePaths(mounted.path, principal)) {
        // Writes (logout!) get a session of their own so they do not end the one the loop uses.
        const token = principal.username ? (unsafe ? await server.login(principal.username) : tokens.get(principal.username)) : undefined;
        const response = await server.requestWith(token, target.path, {
          method: mounted.method.toUpperCase(),
          ...(unsafe ? { body: JSON.stringify(SAMPLE_BODIES[mounted.path] ?? {}) } : {}),
        });
        const label = `${mounted.method.toUpperCase()} ${target.path} as ${principal.username ?? 'anonymous'} → ${response.status} ${JSON.stringify(response.body).slice(0, 160)}`;
        let expected: string;
        let ok: boolean;
        if (definition.access === 'public') {
          expected = 'public: not 401/403/5xx';
          ok = response.status < 500 && response.status !== 401 && response.status !== 403;
        } else if (!principal.role) {
          expected = '401 UNAUTHENTICATED';
          ok = response.status === 401 && response.body?.error?.code === 'UNAUTHENTICATED';
        } else if (!isRole(principal.role) || !hasPermission(principal.role, definition.access.permission)) {
          expected = '403 FORBIDDEN';
          ok = response.status === 403 && response.body?.error?.code === 'FORBIDDEN';
        } else if (!target.visible) {
          expected = '404 (other jurisdiction is invisible)';
          ok = response.status === 404;
        } else {
          expected = 'allowed: not 401/403/5xx';
          ok = response.status < 500 && response.status !== 401 && response.status !== 403;
        }
        if (!ok) failures.push(`${label} (expected ${expected})`);
        if (ok && principal.jurisdictionCode && principal.jurisdictionCode !== '410000' && response.status < 300) {
          assertNoForeignRecords(response.body, principal.jurisdictionCode, `${mounted.method.toUpperCase()} ${target.path}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('jurisdiction scoping of lists over the whole demo area', () => {
  it('a 410104 officer lists exactly the 410104 segments and /routes counts only those', async () => {
    const token = tokens.get('officer');
    const segments = await server.requestWith(token, '/segments?limit=5000');
    expect(segments.status).toBe(200);
    const ids = segments.body.features.map((feature: { id: number }) => feature.id).sort((a: number, b: number) => a - b);
    expect(ids).toEqual(segmentIds.get(OWN));
    const routeList = await server.requestWith(token, '/routes');
    const counted = routeList.body.routes.reduce((sum: number, route: { segmentCount: number }) => sum + route.segmentCount, 0);
    expect(counted).toBe(segmentIds.get(OWN)!.length);
  });

  it('the 410105 officer sees only 410105 and the province admin sees both', async () => {
    const sibling = await server.requestWith(tokens.get('officer2'), '/segments?limit=5000');
    expect(sibling.body.numberMatched).toBe(segmentIds.get(SIBLING)!.length);
    assertNoForeignRecords(sibling.body, SIBLING, 'GET /segments as officer2');
    const province = await server.requestWith(tokens.get('province_admin'), '/segments?limit=5000');
    const total = await server.db.pool.query<{ count: number }>('SELECT count(*)::integer AS count FROM segments');
    expect(province.body.numberMatched).toBe(total.rows[0]!.count);
  });

  it('zones of the other district are invisible, also through a segment id', async () => {
    const zones = await server.requestWith(tokens.get('officer'), '/zones?limit=5000');
    expect(zones.status).toBe(200);
    expect(zones.body.numberMatched).toBeGreaterThan(0);
    assertNoForeignRecords(zones.body, OWN, 'GET /zones as officer');
    const foreign = await server.requestWith(tokens.get('officer'), `/segments/${segmentIds.get(SIBLING)![0]}/zones`);
    expect(foreign.status).toBe(404);
  });
});
