import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type express from 'express';
import sharp from 'sharp';
import { storePhoto } from '../../server/evidence/photo_store.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRouteDefinitions } from '../../server/app.ts';
import { ogcRouteDefinitions } from '../../server/ogc/routes.ts';
import type { RouteDefinition } from '../../server/http/route_definition.ts';
import { DEMO_USERS } from '../../data/seed/demo_users.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

/**
 * Every route actually mounted in the Express app × anonymous and every demo user × own and
 * sibling jurisdiction. Who may call each route is typed out below (ACCESS), reviewed against
 * DOMAIN.md and the roles' intent, NOT read from server/domain/roles.ts: a route mounted without a
 * line here fails, and so does a permission table that drifts from the intent. A record the user
 * may see must answer 200 with that record; one of the other district 404.
 */

const EVERYONE = ['admin', 'manager', 'officer', 'dispatcher', 'patrol', 'viewer'];
/** Findings are recorded by the field and enforcement staff; admin too (it imports registers). */
const RECORDERS = ['admin', 'manager', 'officer', 'patrol'];
/** Patrol planning (issue 11). */
const PLANNERS = ['admin', 'dispatcher', 'manager'];
/** Management figures: everyone in the office; patrol crews work from their assignments. */
const REPORT_READERS = ['admin', 'manager', 'officer', 'dispatcher', 'viewer'];

/**
 * `METHOD path` → who may call it ('public' = anyone, no session needed), and what an allowed call
 * with the fixtures below answers: `record` = 200 with the record of that id, or a literal status.
 */
const ACCESS: Record<string, { roles: 'public' | string[]; allowed: 'record' | 'image' | number }> = {
  'post /auth/login': { roles: 'public', allowed: 400 },
  'get /health': { roles: 'public', allowed: 200 },
  'get /config': { roles: 'public', allowed: 200 },
  'get /openapi.json': { roles: 'public', allowed: 200 },
  // Signed-in only: an imagery template may carry the operator's key (Tianditu tk).
  'get /imagery-basemap': { roles: EVERYONE, allowed: 200 },
  'post /auth/logout': { roles: EVERYONE, allowed: 200 },
  'post /auth/password': { roles: EVERYONE, allowed: 400 },
  'get /me': { roles: EVERYONE, allowed: 200 },
  // Who is logged in, answered 200 with { user: null } to anyone (no failed request on an anonymous page load).
  'get /auth/session': { roles: 'public', allowed: 200 },
  // The road network, zones and linear referencing are everyone's working map.
  'get /jurisdictions': { roles: EVERYONE, allowed: 200 },
  'get /basemap/roads': { roles: EVERYONE, allowed: 200 },
  'get /lrs/locate': { roles: EVERYONE, allowed: 200 },
  'get /lrs/point': { roles: EVERYONE, allowed: 200 },
  'get /lrs/offset-point': { roles: EVERYONE, allowed: 200 },
  'get /routes': { roles: EVERYONE, allowed: 200 },
  'get /routes/example': { roles: EVERYONE, allowed: 200 },
  'get /routes/:code': { roles: EVERYONE, allowed: 200 },
  'get /segments': { roles: EVERYONE, allowed: 200 },
  'get /segments/:id': { roles: EVERYONE, allowed: 'record' },
  'get /zones': { roles: EVERYONE, allowed: 200 },
  'get /segments/:id/zones': { roles: EVERYONE, allowed: 200 },
  // Vector tiles of the working map (segments, zones, violations, detections): every role reads
  // them, scoped like the lists (tests/integration/vector_tiles.test.ts decodes and checks scope).
  'get /tiles/:layer.json': { roles: EVERYONE, allowed: 200 },
  'get /tiles/:layer/:z/:x/:y.mvt': { roles: EVERYONE, allowed: 200 },
  // The audit trail is the system administrator's.
  'get /audit': { roles: ['admin'], allowed: 200 },
  // Recording findings: never the read-only viewer, nor the dispatcher who plans patrols.
  'post /violation-imports': { roles: RECORDERS, allowed: 400 },
  'post /violations/assess': { roles: RECORDERS, allowed: 400 },
  'post /violations': { roles: RECORDERS, allowed: 400 },
  'post /photos': { roles: RECORDERS, allowed: 400 },
  // The register is readable by every role.
  'get /violations': { roles: EVERYONE, allowed: 200 },
  'get /violations/export': { roles: EVERYONE, allowed: 200 },
  'get /violations/:id': { roles: EVERYONE, allowed: 'record' },
  // The fixture case is 'reported': no notice issued yet.
  'get /violations/:id/notice': { roles: EVERYONE, allowed: 409 },
  'get /violations/:id/documents/:kind': { roles: EVERYONE, allowed: 409 },
  // Separation of duties (issue 14): everyone reads the rules in force, managers (and admin) set
  // them ({} is invalid: 400, nothing changes); the second officer on a notice is picked by those
  // who move cases.
  'get /duty-rules': { roles: EVERYONE, allowed: 200 },
  'put /duty-rules': { roles: ['admin', 'manager'], allowed: 400 },
  'get /officers/certified': { roles: ['officer', 'manager', 'patrol'], allowed: 200 },
  'get /photos/:id/thumbnail': { roles: EVERYONE, allowed: 'image' },
  'get /photos/:id/original': { roles: EVERYONE, allowed: 'image' },
  // Lifecycle events: officers and managers enforce, patrol crews report a site cleared; never admin, dispatcher or viewer.
  'post /violations/bulk-transitions': { roles: ['officer', 'manager', 'patrol'], allowed: 400 },
  'post /violations/:id/transitions': { roles: ['officer', 'manager', 'patrol'], allowed: 409 },
  // Satellite batches: uploaded by office staff; reviewed into cases by officers and managers only.
  'post /detection-batches': { roles: ['admin', 'manager', 'officer', 'dispatcher'], allowed: 400 },
  'get /detection-batches': { roles: EVERYONE, allowed: 200 },
  'get /detection-batches/:id': { roles: EVERYONE, allowed: 'record' },
  'get /detections': { roles: EVERYONE, allowed: 200 },
  'get /detections/:id': { roles: EVERYONE, allowed: 'record' },
  'post /detections/:id/review': { roles: ['officer', 'manager'], allowed: 409 },
  // Patrol planning: dispatchers plan, managers and admins too; frequencies are a manager's decision.
  'get /segments/due': { roles: PLANNERS, allowed: 200 },
  'get /patrol-tasks/due': { roles: PLANNERS, allowed: 200 },
  'get /patrol-frequencies': { roles: PLANNERS, allowed: 200 },
  'put /patrol-frequencies': { roles: ['admin', 'manager'], allowed: 400 },
  'get /routing-graph': { roles: PLANNERS, allowed: 200 },
  'get /crews': { roles: PLANNERS, allowed: 200 },
  'post /crews': { roles: PLANNERS, allowed: 400 },
  'get /crews/member-choices': { roles: PLANNERS, allowed: 200 },
  // The dispatcher's live map of crews under way (issue 12 "Office side").
  'get /crews/live': { roles: PLANNERS, allowed: 200 },
  'get /crews/:id': { roles: PLANNERS, allowed: 'record' },
  'patch /crews/:id': { roles: PLANNERS, allowed: 409 },
  'get /crews/:id/unreachable': { roles: PLANNERS, allowed: 200 },
  // Management figures are for the office (not the patrol crews' phones); campaigns and the scoring formula are managers' decisions.
  'get /dashboard': { roles: REPORT_READERS, allowed: 200 },
  'get /campaigns': { roles: REPORT_READERS, allowed: 200 },
  'post /campaigns': { roles: ['manager'], allowed: 400 },
  'get /campaigns/:id': { roles: REPORT_READERS, allowed: 'record' },
  'get /campaigns/:id/progress': { roles: REPORT_READERS, allowed: 200 },
  'get /campaigns/:id/report': { roles: REPORT_READERS, allowed: 200 },
  'get /rankings': { roles: REPORT_READERS, allowed: 200 },
  'get /rankings/bulletin': { roles: REPORT_READERS, allowed: 200 },
  'get /scoring-formula': { roles: REPORT_READERS, allowed: 200 },
  'put /scoring-formula': { roles: ['manager'], allowed: 400 },
  // Supervision (督办): read in the office, issued by managers, moved by managers and the officers named.
  'get /supervisions': { roles: REPORT_READERS, allowed: 200 },
  'post /supervisions': { roles: ['manager'], allowed: 400 },
  'get /supervisions/:id': { roles: REPORT_READERS, allowed: 'record' },
  'post /supervisions/:id/transitions': { roles: ['manager', 'officer'], allowed: 409 },
  // Background jobs report their progress to anyone who can see the jurisdiction they run for.
  'get /jobs/:id': { roles: EVERYONE, allowed: 'record' },
  // Patrol plans (issue 11) are the planners'. The fixture plan is published: no longer editable
  // or publishable (409).
  'post /patrol-plans': { roles: PLANNERS, allowed: 400 },
  'get /patrol-plans/latest': { roles: PLANNERS, allowed: 200 },
  'get /patrol-plans/:id': { roles: PLANNERS, allowed: 'record' },
  'patch /patrol-plans/:id': { roles: PLANNERS, allowed: 409 },
  'post /patrol-plans/:id/publish': { roles: PLANNERS, allowed: 409 },
  // Assignments: planners and the crews. Crews are made of officers and patrol staff (DOMAIN.md
  // "Patrols": at least two officers), each of whom sees its own crews' only (the fixture crew
  // holds every user of the district); viewers do not run patrols. Dispatchers and managers
  // publish and cancel, the crew accepts, starts, completes; admin takes no part in the workflow.
  // Coverage and track belong to the assignment.
  'get /assignments': { roles: ['admin', 'dispatcher', 'manager', 'officer', 'patrol'], allowed: 200 },
  'post /assignments/:id/transitions': { roles: ['dispatcher', 'manager', 'officer', 'patrol'], allowed: 409 },
  'get /assignments/:id/coverage': { roles: ['admin', 'dispatcher', 'manager', 'officer', 'patrol'], allowed: 200 },
  'get /assignments/:id/track': { roles: ['admin', 'dispatcher', 'manager', 'officer', 'patrol'], allowed: 200 },
  // The track is recorded on a crew member's phone (officer or patrol; admin for imports).
  'post /assignments/:id/track': { roles: ['admin', 'officer', 'patrol'], allowed: 409 },
  // The field app's sync and resumable photos are how findings get recorded: the recorders. The
  // fixture upload belongs to a user who is none of the demo users: 404 for all of them.
  'post /sync': { roles: RECORDERS, allowed: 400 },
  'get /sync/applied': { roles: RECORDERS, allowed: 200 },
  'post /uploads': { roles: RECORDERS, allowed: 400 },
  'get /uploads/:id': { roles: RECORDERS, allowed: 404 },
  'patch /uploads/:id': { roles: RECORDERS, allowed: 404 },
  'post /uploads/:id/finalize': { roles: RECORDERS, allowed: 404 },
  // The patrol log (巡查日志, 条例 art. 47) is a record every role reads; the crew and the
  // enforcement staff add weather and a note (the fixture's version is stale: 409).
  'get /patrol-logs': { roles: EVERYONE, allowed: 200 },
  'get /patrol-logs/:id': { roles: EVERYONE, allowed: 'record' },
  'patch /patrol-logs/:id': { roles: RECORDERS, allowed: 409 },
  // 路域环境调查档案 is a record of the corridor every role reads, like the patrol log; the unit's
  // 监督检查日志档案 holds supervision items, read by whoever reads supervision (not the crews).
  'get /archives/segments/:id': { roles: EVERYONE, allowed: 'record' },
  'get /archives/units/:code': { roles: REPORT_READERS, allowed: 'record' },
  // OGC API Features (outside /api/v1): the same working map and register as the lists, scoped alike.
  'get /ogc': { roles: EVERYONE, allowed: 200 },
  'get /ogc/conformance': { roles: EVERYONE, allowed: 200 },
  'get /ogc/collections': { roles: EVERYONE, allowed: 200 },
  'get /ogc/collections/:collectionId': { roles: EVERYONE, allowed: 200 },
  'get /ogc/collections/:collectionId/items': { roles: EVERYONE, allowed: 200 },
  'get /ogc/collections/:collectionId/items/:featureId': { roles: EVERYONE, allowed: 'record' },
};

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
let routes: { mounted: MountedRoute; definition: RouteDefinition<any, any, any, any> }[];
const tokens = new Map<string, string>();
/** Segment and structure ids per district, read as the superuser (no RLS). */
const segmentIds = new Map<string, number[]>();
const structureIds = new Map<string, number[]>();
/** Demo violations still 'reported' per district (the demo loader keeps the first ones so). */
const violationIds = new Map<string, number[]>();
/** Demo detections per district, and an empty batch uploaded by each district (visible to it only). */
const detectionIds = new Map<string, number[]>();
const detectionBatchIds = new Map<string, number>();
const crewIds = new Map<string, number>();
const assignmentIds = new Map<string, number>();
/** A completed assignment per district: it has a patrol log. */
const loggedAssignmentIds = new Map<string, number>();
const planIds = new Map<string, number>();
const jobIds = new Map<string, number>();
const uploadIds = new Map<string, string>();
let sampleQueries: Record<string, string>;
let templateSamples: Record<string, string>;

const photoIds = new Map<string, number>();
const campaignIds = new Map<string, number>();
const supervisionIds = new Map<string, number>();
let photoDir: string;

beforeAll(async () => {
  photoDir = mkdtempSync(path.join(os.tmpdir(), 'luyu-matrix-photos-'));
  server = await startTestServer({ as: null, env: { LUYU_PHOTO_DIR: photoDir } });
  const definitions = [...apiRouteDefinitions(server.db, server.config), ...ogcRouteDefinitions()];
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
    // One crew per district (the demo has crews in 410104 only). Inactive, and its plans dated in
    // 2998: other test files plan and list today's assignments of 410104 on a shared PostgreSQL.
    const crew = await server.db.pool.query<{ id: number }>(
      `INSERT INTO crews (name, jurisdiction_code, base, shift_start_minutes, shift_end_minutes, is_active)
       VALUES ($1, $2, ST_SetSRID(ST_MakePoint(113.75, 34.7), 4326), 480, 1020, false) RETURNING id`,
      [`matrix crew ${randomBytes(4).toString('hex')}`, code],
    );
    crewIds.set(code, crew.rows[0]!.id);
    // Every user of the district on the crew, and a published (not started) assignment: a track
    // chunk is refused with 409 and nothing changes; the log (started assignments only) is 404.
    await server.db.pool.query(`INSERT INTO crew_members (crew_id, user_id) SELECT $1, id FROM users WHERE jurisdiction_code = $2`, [crew.rows[0]!.id, code]);
    const plan = await server.db.pool.query<{ id: number }>(
      `INSERT INTO patrol_plans (jurisdiction_code, plan_date, status, seed, seconds) VALUES ($1, DATE '2998-01-02', 'published', 1, 10) RETURNING id`,
      [code],
    );
    const assignment = await server.db.pool.query<{ id: number }>(
      `INSERT INTO patrol_assignments (plan_id, crew_id, assignment_date, jurisdiction_code, status) VALUES ($1, $2, DATE '2998-01-02', $3, 'published') RETURNING id`,
      [plan.rows[0]!.id, crew.rows[0]!.id, code],
    );
    assignmentIds.set(code, assignment.rows[0]!.id);
    planIds.set(code, plan.rows[0]!.id);
    const logged = await server.db.pool.query<{ id: number }>(
      `WITH p AS (INSERT INTO patrol_plans (jurisdiction_code, plan_date, status, seed, seconds) VALUES ($2, DATE '2998-01-01', 'published', 1, 10) RETURNING id, plan_date)
       INSERT INTO patrol_assignments (plan_id, crew_id, assignment_date, jurisdiction_code, status, started_at, completed_at)
       SELECT p.id, $1, p.plan_date, $2, 'completed', TIMESTAMPTZ '2998-01-01 08:30+08', TIMESTAMPTZ '2998-01-01 16:30+08' FROM p RETURNING id`,
      [crew.rows[0]!.id, code],
    );
    loggedAssignmentIds.set(code, logged.rows[0]!.id);
    const job = await server.db.pool.query<{ id: number }>(
      `INSERT INTO jobs (kind, status, jurisdiction_code, finished_at) VALUES ('matrix.fixture', 'done', $1, now()) RETURNING id`,
      [code],
    );
    jobIds.set(code, job.rows[0]!.id);
    // Uploads are their creator's: this one's is a user outside the demo set.
    const upload = await server.db.pool.query<{ id: string }>(
      `WITH u AS (INSERT INTO users (username, password_hash, role, jurisdiction_code) VALUES ($2, 'scrypt$x', 'patrol', $1) RETURNING id)
       INSERT INTO photo_uploads (id, jurisdiction_code, user_id, size_bytes, sha256) SELECT gen_random_uuid(), $1, u.id, 10, repeat('a', 64) FROM u RETURNING id::text`,
      [code, `matrix_uploader_${randomBytes(4).toString('hex')}`],
    );
    uploadIds.set(code, upload.rows[0]!.id);
    // One real stored photo per district, so the image routes answer 200 for the owner.
    const stored = await storePhoto({ root: photoDir, bytes: await sharp({ create: { width: 8, height: 8, channels: 3, background: code === OWN ? '#aa0000' : '#0000aa' } }).jpeg().toBuffer() });
    const photo = await server.db.pool.query<{ id: number }>(
      // Attached to the district's fixture case: an unattached photo is attached (and moved into
      // the case's district) by any transition naming its id, which the bad-input fuzz running
      // beside this file on PostgreSQL does as the city manager (it moved photo 1 into 410105).
      `INSERT INTO evidence_photos (sha256, media_type, byte_size, storage_path, thumbnail_path, width, height, jurisdiction_code, violation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [stored.sha256, stored.mediaType, stored.byteSize, stored.storagePath, stored.thumbnailPath, stored.width, stored.height, code, violationIds.get(code)![0]!],
    );
    photoIds.set(code, photo.rows[0]!.id);
    const campaign = await server.db.pool.query<{ id: number }>(
      `INSERT INTO campaigns (name, scope, start_date, deadline, jurisdiction_code) VALUES ('matrix fixture', '{}', '2026-01-01', '2026-12-31', $1) RETURNING id`,
      [code],
    );
    campaignIds.set(code, campaign.rows[0]!.id);
    // One supervision item per district, issued by it, its officer responsible (officer / officer2).
    const supervision = await server.db.pool.query<{ id: number }>(
      `INSERT INTO supervisions (supervision_number, issuing_jurisdiction_code, subject, backlog, responsible_jurisdiction_code, responsible_user_id, deadline, instructions)
       SELECT 'DB-' || $1 || '-2099-000001', $1, 'backlog', '{"overdue": true}', $1, u.id, '2099-01-01', 'matrix fixture'
       FROM users u WHERE u.username = CASE WHEN $1 = '410104' THEN 'officer' ELSE 'officer2' END RETURNING id`,
      [code],
    );
    supervisionIds.set(code, supervision.rows[0]!.id);
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
    '/rankings': '?period=2026-01',
    '/rankings/bulletin': '?period=2026-01',
    '/lrs/point': `?route=${point.route_code}&stake=${encodeURIComponent(stake)}`,
    '/lrs/offset-point': `?route=${point.route_code}&stake=${encodeURIComponent(stake)}&side=right&offset=25`,
    '/segments': '?limit=5000',
    '/zones': '?limit=5000',
    '/basemap/roads': '?limit=5000',
    '/archives/segments/:id': '?from=2026-01-01&to=2026-01-31',
    '/archives/units/:code': '?from=2026-01-01&to=2026-01-31',
  };
  // The z11 tile around the sample point holds segments of both demo districts.
  const n = 2 ** 11;
  const tileX = Math.floor(((point.lon + 180) / 360) * n);
  const latRad = (point.lat * Math.PI) / 180;
  const tileY = Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n);
  templateSamples = {
    '/tiles/:layer.json': '/tiles/segments.json',
    '/routes/:code': '/routes/G4',
    '/tiles/:layer/:z/:x/:y.mvt': `/tiles/segments/11/${tileX}/${tileY}.mvt`,
  };
});

afterAll(async () => {
  await server.close();
  rmSync(photoDir, { recursive: true, force: true });
});

/** Ids for `:id` per entity (first path part): one visible to the principal, one in the other district. */
const ID_FIXTURES: Record<string, (own: string, other: string) => { own: number | string; other: number | string }> = {
  segments: (own, other) => ({ own: segmentIds.get(own)![0]!, other: segmentIds.get(other)![0]! }),
  violations: (own, other) => ({ own: violationIds.get(own)![0]!, other: violationIds.get(other)![0]! }),
  photos: (own, other) => ({ own: photoIds.get(own)!, other: photoIds.get(other)! }),
  detections: (own, other) => ({ own: detectionIds.get(own)![0]!, other: detectionIds.get(other)![0]! }),
  'detection-batches': (own, other) => ({ own: detectionBatchIds.get(own)!, other: detectionBatchIds.get(other)! }),
  crews: (own, other) => ({ own: crewIds.get(own)!, other: crewIds.get(other)! }),
  campaigns: (own, other) => ({ own: campaignIds.get(own)!, other: campaignIds.get(other)! }),
  supervisions: (own, other) => ({ own: supervisionIds.get(own)!, other: supervisionIds.get(other)! }),
  assignments: (own, other) => ({ own: assignmentIds.get(own)!, other: assignmentIds.get(other)! }),
  'patrol-logs': (own, other) => ({ own: loggedAssignmentIds.get(own)!, other: loggedAssignmentIds.get(other)! }),
  'patrol-plans': (own, other) => ({ own: planIds.get(own)!, other: planIds.get(other)! }),
  jobs: (own, other) => ({ own: jobIds.get(own)!, other: jobIds.get(other)! }),
  // Uploads belong to their creator: anyone else in the district gets 404 too (allowed, not visible).
  uploads: (own, other) => ({ own: uploadIds.get(own)!, other: uploadIds.get(other)! }),
  // The archives name a segment or a unit (its code is the record id).
  'archives/segments': (own, other) => ({ own: segmentIds.get(own)![0]!, other: segmentIds.get(other)![0]! }),
  'archives/units': (own, other) => ({ own: Number(own), other: Number(other) }),
  // OGC features: the violations collection (concretePaths names it).
  'ogc/collections': (own, other) => ({ own: violationIds.get(own)![0]!, other: violationIds.get(other)![0]! }),
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
  // A version no crew has: the owner gets 409, nothing changes.
  '/crews/:id': { version: 999999 },
  // The fixture item is 'assigned': follow_up is not possible from there, every allowed role gets 409.
  '/supervisions/:id/transitions': { event: 'follow_up', satisfaction: 'satisfied' },
  // The assignment is published, not started: every crew member gets 409, nothing is stored.
  '/assignments/:id/track': {
    chunkId: '00000000-0000-4000-8000-000000000001',
    track: { type: 'Feature', geometry: { type: 'LineString', coordinates: [[113.75, 34.7], [113.751, 34.7]] }, properties: { coordTimes: [1764460800000, 1764460810000] } },
  },
  '/patrol-logs/:id': { weather: null, note: null, expectedVersion: 999999 },
  // From 'published' no 'complete' exists: every allowed caller gets 409, nothing changes.
  '/assignments/:id/transitions': { event: 'complete', expectedVersion: 999999 },
  // The plan is published: neither editable nor publishable again (409), nothing changes.
  '/patrol-plans/:id': { version: 999999, replan: true },
  '/patrol-plans/:id/publish': { version: 999999 },
  // Out of range (0.5–60 s): every planner gets 400 and no plan is generated.
  '/patrol-plans': { seconds: 0 },
};

/** Path parameters beside the record id: one valid sample each (the fixture case is 'reported': 409). */
const PARAM_SAMPLES: Record<string, string> = { kind: 'rectification_notice' };

type Principal = { username: string | null; jurisdictionCode: string | null; role: string | null };
const PRINCIPALS: Principal[] = [
  { username: null, jurisdictionCode: null, role: null },
  ...DEMO_USERS.map((user) => ({ username: user.username, jurisdictionCode: user.jurisdictionCode, role: user.role })),
];

/** Users above the districts (province, city) see both demo districts. */
const ABOVE_DISTRICTS = ['410000', '410100'];

function otherDistrict(code: string | null): string {
  return code === SIBLING ? OWN : SIBLING;
}

// Stake → point is scoped (a stake on another district's road: 403 OUTSIDE_JURISDICTION, issue 14);
// point → stake (/lrs/locate) reads the whole network (roads are not secret, issue 9).
const LOCATED_IN_OWN = new Set(['/lrs/point', '/lrs/offset-point']);
const WHOLE_NETWORK = new Set(['/lrs/locate']);

/** The id of a record answer: a GeoJSON Feature's `id`, or an object's `id`. */
function recordId(body: unknown): number | string | null {
  if (body === null || typeof body !== 'object') return null;
  const id = (body as { id?: unknown }).id;
  return typeof id === 'number' ? id : typeof id === 'string' ? (/^\d+$/.test(id) ? Number(id) : id) : null;
}

function concretePaths(templatePath: string, principal: Principal): { path: string; visible: boolean; id: number | string | null }[] {
  // The OGC collection id is a name, not a record id: the violations register stands for all four.
  const path = templatePath.replace('/:collectionId', '/violations');
  // Path parameters that are not record ids: one concrete sample each.
  if (templateSamples[path]) return [{ path: templateSamples[path], visible: true, id: null }];
  if (!path.includes(':')) {
    // The linear-referencing samples lie on a 410104 road: another district's user finds no road there (404).
    const visible = !LOCATED_IN_OWN.has(path) || principal.jurisdictionCode === OWN || ABOVE_DISTRICTS.includes(principal.jurisdictionCode ?? '');
    return [{ path: `${path}${sampleQueries[path] ?? ''}`, visible, id: null }];
  }
  const entity = path.split('/')[1]!;
  const fixture = ID_FIXTURES[path.split('/').slice(1, 3).join('/')] ?? ID_FIXTURES[entity];
  if (!fixture) throw new Error(`no id fixture for ${path}: add one to ID_FIXTURES`);
  const own = principal.jurisdictionCode && !ABOVE_DISTRICTS.includes(principal.jurisdictionCode) ? principal.jurisdictionCode : OWN;
  const ids = fixture(own, otherDistrict(own));
  const withId = (id: number | string) => path.replace(/:([A-Za-z]+)/g, (_match, name: string) => PARAM_SAMPLES[name] ?? String(id)) + (sampleQueries[path] ?? '');
  // A province-level user sees both districts.
  return [
    { path: withId(ids.own), visible: true, id: ids.own },
    { path: withId(ids.other), visible: ABOVE_DISTRICTS.includes(principal.jurisdictionCode ?? ''), id: ids.other },
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
  // Segment features only: the features of /segments/:id/zones are zones (their ids are zone ids;
  // each carries its segmentId, checked above).
  visit(body, null, /^GET \/segments(\/\d+)?(\?|$)/.test(where));
}

/** The API below /api/v1; the OGC API at its own /ogc paths. */
async function requestRoute(token: string | undefined, path: string, init: RequestInit) {
  if (!path.startsWith('/ogc')) return server.requestWith(token, path, init);
  const response = await fetch(`${server.baseUrl}${path}`, { ...init, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body, headers: response.headers };
}

describe('authorization matrix over every mounted route', () => {
  it('finds the API routes in the Express router and each declares its access', () => {
    expect(routes.length).toBeGreaterThanOrEqual(14);
    const paths = routes.map((route) => `${route.mounted.method} ${route.mounted.path}`);
    expect(paths).toEqual(expect.arrayContaining(['get /segments/:id', 'post /auth/login', 'get /audit', 'get /health']));
    expect(new Set(paths).size).toBe(paths.length);
    // Every mounted route has a hand-written line, and no line names a route that is gone.
    expect(paths.filter((path) => !ACCESS[path])).toEqual([]);
    expect(Object.keys(ACCESS).filter((key) => !paths.includes(key))).toEqual([]);
  });

  it.each(PRINCIPALS.map((principal) => [principal.username ?? 'anonymous', principal] as const))('%s gets the designed status on every route', async (_name, principal) => {
    const failures: string[] = [];
    for (const { mounted } of routes) {
      const unsafe = mounted.method !== 'get';
      for (const target of concretePaths(mounted.path, principal)) {
        // Writes (logout!) get a session of their own so they do not end the one the loop uses.
        const token = principal.username ? (unsafe ? await server.login(principal.username) : tokens.get(principal.username)) : undefined;
        const response = await requestRoute(token, target.path, {
          method: mounted.method.toUpperCase(),
          ...(unsafe ? { body: JSON.stringify(SAMPLE_BODIES[mounted.path] ?? {}) } : {}),
        });
        const label = `${mounted.method.toUpperCase()} ${target.path} as ${principal.username ?? 'anonymous'} → ${response.status} ${JSON.stringify(response.body).slice(0, 160)}`;
        const access = ACCESS[`${mounted.method} ${mounted.path}`];
        let expected: string;
        let ok: boolean;
        if (!access) {
          expected = 'a line in ACCESS for this route';
          ok = false;
        } else if (access.roles === 'public') {
          expected = `public: ${access.allowed}`;
          ok = response.status === access.allowed;
        } else if (!principal.role) {
          expected = '401 UNAUTHENTICATED';
          ok = response.status === 401 && response.body?.error?.code === 'UNAUTHENTICATED';
        } else if (!access.roles.includes(principal.role)) {
          expected = '403 FORBIDDEN';
          ok = response.status === 403 && response.body?.error?.code === 'FORBIDDEN';
        } else if (!target.visible && LOCATED_IN_OWN.has(mounted.path)) {
          // A stake on another district's road says so (issue 14), instead of "out of the route's range".
          expected = '403 OUTSIDE_JURISDICTION';
          ok = response.status === 403 && response.body?.error?.code === 'OUTSIDE_JURISDICTION';
        } else if (!target.visible) {
          expected = '404 (other jurisdiction is invisible)';
          ok = response.status === 404;
        } else if (access.allowed === 'record') {
          expected = `200 with record ${target.id}`;
          ok = response.status === 200 && recordId(response.body) === target.id;
        } else if (access.allowed === 'image') {
          expected = '200 image/*';
          ok = response.status === 200 && (response.headers.get('content-type') ?? '').startsWith('image/');
        } else {
          expected = String(access.allowed);
          ok = response.status === access.allowed;
        }
        if (!ok) failures.push(`${label} (expected ${expected})`);
        if (ok && principal.jurisdictionCode && !ABOVE_DISTRICTS.includes(principal.jurisdictionCode) && !WHOLE_NETWORK.has(mounted.path) && response.status < 300) {
          assertNoForeignRecords(response.body, principal.jurisdictionCode, `${mounted.method.toUpperCase()} ${target.path}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

/** Segment ids now (all districts when `code` is undefined), read as the superuser (no RLS). */
async function segmentIdsNow(code?: string): Promise<Set<number>> {
  const result = await server.db.pool.query<{ id: number }>('SELECT id::integer AS id FROM segments WHERE $1::text IS NULL OR jurisdiction_code = $1', [code ?? null]);
  return new Set(result.rows.map((row) => row.id));
}

/**
 * What a request made between two reads of the segment ids may see: at least every segment in both
 * reads, at most one in either. Other files running beside this one on PostgreSQL add fixture
 * segments (track fixtures, 410104) and delete them (chainage calibration's afterAll), so one read
 * taken before or after the request bounds it on one side only.
 */
function segmentBounds(before: Set<number>, after: Set<number>) {
  const both = [...before].filter((id) => after.has(id));
  return { both, atLeast: both.length, atMost: new Set([...before, ...after]).size };
}

describe('jurisdiction scoping of lists over the whole demo area', () => {
  it('a 410104 officer lists exactly the 410104 segments and /routes counts only those', async () => {
    const token = tokens.get('officer');
    const before = await segmentIdsNow(OWN);
    const segments = await server.requestWith(token, '/segments?limit=5000');
    const routeList = await server.requestWith(token, '/routes');
    const bounds = segmentBounds(before, await segmentIdsNow(OWN));
    expect(segments.status).toBe(200);
    expect(routeList.status).toBe(200);
    const ids: number[] = segments.body.features.map((feature: { id: number }) => feature.id).sort((a: number, b: number) => a - b);
    // Every 410104 segment that existed throughout is listed, and every listed one is 410104's
    // (a fixture segment deleted since the list was taken is no longer in the table: not foreign).
    expect(ids).toEqual(expect.arrayContaining(bounds.both));
    const listed = await server.db.pool.query<{ code: string }>('SELECT DISTINCT jurisdiction_code AS code FROM segments WHERE id = ANY($1)', [ids]);
    expect(listed.rows.map((row) => row.code)).toEqual([OWN]);
    expect(ids.length).toBeLessThanOrEqual(bounds.atMost);
    // A leak of 410105's segments would add its whole demo network (far more than the fixtures).
    const counted = routeList.body.routes.reduce((sum: number, route: { segmentCount: number }) => sum + route.segmentCount, 0);
    expect(counted).toBeGreaterThanOrEqual(bounds.atLeast);
    expect(counted).toBeLessThanOrEqual(bounds.atMost);
  });

  it('the 410105 officer sees only 410105 and the province admin sees both', async () => {
    const siblingBefore = await segmentIdsNow(SIBLING);
    const sibling = await server.requestWith(tokens.get('officer2'), '/segments?limit=5000');
    const siblingBounds = segmentBounds(siblingBefore, await segmentIdsNow(SIBLING));
    expect(sibling.body.numberMatched).toBeGreaterThanOrEqual(siblingBounds.atLeast);
    expect(sibling.body.numberMatched).toBeLessThanOrEqual(siblingBounds.atMost);
    assertNoForeignRecords(sibling.body, SIBLING, 'GET /segments as officer2');
    const allBefore = await segmentIdsNow();
    const province = await server.requestWith(tokens.get('province_admin'), '/segments?limit=5000');
    const allBounds = segmentBounds(allBefore, await segmentIdsNow());
    expect(province.body.numberMatched).toBeGreaterThanOrEqual(allBounds.atLeast);
    expect(province.body.numberMatched).toBeLessThanOrEqual(allBounds.atMost);
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
