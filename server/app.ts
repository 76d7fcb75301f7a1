import { clientStatic } from './http/static_client.ts';
import { dutyRoutes } from './duties/routes.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { Router } from 'express';
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import { readConfig, REPO_ROOT, type AppConfig } from './config.ts';
import type { Database } from './db/database.ts';
import { archiveRoutes } from './archives/routes.ts';
import { auditRoutes } from './audit/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { basemapRoutes } from './basemap/routes.ts';
import { detectionRoutes } from './detections/routes.ts';
import { corsMiddleware } from './http/cors.ts';
import { securityHeaders } from './http/security_headers.ts';
import { crewRoutes } from './crews/routes.ts';
import { patrolRoutes } from './patrols/routes.ts';
import { patrolPlanRoutes } from './patrol_plans/routes.ts';
import { healthRoutes } from './health/routes.ts';
import type { JobQueue } from './jobs/job_queue.ts';
import { jobRoutes } from './jobs/routes.ts';
import { errorHandler, notFoundHandler } from './http/errors.ts';
import { buildOpenApiDocument } from './http/openapi.ts';
import { defineRoute, mountRoutes, type RouteDefinition } from './http/route_definition.ts';
import { lrsRoutes } from './lrs/routes.ts';
import { OGC_BASE_PATH, ogcRouteDefinitions } from './ogc/routes.ts';
import { managementRoutes } from './management/routes.ts';
import { supervisionRoutes } from './supervisions/routes.ts';
import { photoRoutes } from './photos/routes.ts';
import { violationImportRoutes } from './violation_imports/routes.ts';
import { roadRoutes } from './roads/routes.ts';
import { syncRoutes } from './sync/routes.ts';
import { trackRoutes } from './tracks/routes.ts';
import { patrolLogRoutes } from './patrol_logs/routes.ts';
import { uploadRoutes } from './uploads/routes.ts';
import { tileRoutes } from './tiles/routes.ts';
import { violationRoutes } from './violations/routes.ts';
import { zoneRoutes } from './zones/routes.ts';

export const DEFAULT_CLIENT_DIST_DIR = path.join(REPO_ROOT, 'client', 'dist');
const API_VERSION = '0.1.0';

export interface AppOptions {
  db: Database;
  config?: AppConfig;
  /** Built client to serve at /; omitted or missing → API only. */
  clientDistDir?: string;
  logger?: Logger;
  /** The job queue background work is handed to (server/jobs/); null: uploads queue jobs that another instance runs. */
  jobs?: JobQueue | null;
}

/** Every API route of the app, in mount order (the OpenAPI document and tests read this list). */
export function apiRouteDefinitions(db: Database, config: AppConfig, jobs: JobQueue | null = null, logger?: Logger): RouteDefinition<any, any, any, any>[] {
  const domainRoutes = [
    ...healthRoutes(db, config),
    ...authRoutes(db.pool, config),
    // Before roadRoutes: /segments/due must win over /segments/:id.
    ...patrolRoutes(config),
    ...roadRoutes(),
    ...zoneRoutes(),
    ...tileRoutes(db, config),
    ...lrsRoutes(config),
    ...basemapRoutes(),
    ...auditRoutes(),
    ...violationRoutes(config),
    ...dutyRoutes(),
    ...photoRoutes(config),
    ...violationImportRoutes(config),
    ...detectionRoutes(db, config, jobs),
    ...jobRoutes(),
    ...crewRoutes(config),
    // With a job queue the refresh job keeps the aggregates current; without one, reads fold waiting marks.
    ...managementRoutes(jobs ? 'job' : 'on_read'),
    ...supervisionRoutes(),
    ...patrolPlanRoutes(config),
    ...uploadRoutes(config),
    ...trackRoutes(config),
    ...patrolLogRoutes(config),
    ...archiveRoutes(config),
    ...syncRoutes(config, logger),
  ];
  const openApiRoute: RouteDefinition = defineRoute({
    method: 'get',
    path: '/openapi.json',
    tag: 'system',
    summary: 'This OpenAPI document',
    access: 'public',
    handler: async (): Promise<unknown> => buildOpenApiDocument([...domainRoutes, openApiRoute], API_VERSION),
  });
  return [...domainRoutes, openApiRoute];
}

/** Builds the Express app (no listen), so tests drive the same app the server runs. */
export function createApp(options: AppOptions): express.Express {
  const config = options.config ?? readConfig();
  const logger = options.logger ?? pino({ level: config.NODE_ENV === 'test' ? 'silent' : config.LUYU_LOG_LEVEL });
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-* only from the proxies LUYU_TRUST_PROXY names (default none): req.ip and req.secure.
  app.set('trust proxy', config.LUYU_TRUST_PROXY);
  app.use(
    pinoHttp({
      logger,
      genReqId: (request, response) => {
        const id = randomUUID();
        response.setHeader('X-Request-Id', id);
        return id;
      },
      // Never log credentials: only method, path (no query string) and status; no headers, no bodies.
      serializers: {
        req: (request: { id: string; method: string; url: string }) => ({ id: request.id, method: request.method, url: request.url?.split('?')[0] }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
    }),
  );
  app.use(securityHeaders(config));

  // Crews work on phones with poor signal: zones and segments compress about 8:1. Vector tiles
  // compress in their route, in one piece (server/tiles/tile_encoding.ts), and pass through here.
  app.use(compression());

  const api = Router();
  // API answers carry user data: no shared or browser cache keeps them (a route may set its own, e.g. photos).
  api.use((_request, response, next) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  // No CORS unless LUYU_CORS_ORIGINS names origins. JSON bodies are parsed per route with its own limit.
  if (config.LUYU_CORS_ORIGINS.length > 0) api.use(corsMiddleware(config.LUYU_CORS_ORIGINS));
  mountRoutes(api, apiRouteDefinitions(options.db, config, options.jobs ?? null, logger), { pool: options.db.pool, readPool: options.db.readPool, uploadDirectory: config.LUYU_UPLOAD_DIR });
  api.use(notFoundHandler);
  app.use('/api/v1', api);

  // OGC API Features (server/ogc/): its own paths (fixed by the standard), same guards as the API.
  const ogc = Router();
  ogc.use(OGC_BASE_PATH, (_request, response, next) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  if (config.LUYU_CORS_ORIGINS.length > 0) ogc.use(OGC_BASE_PATH, corsMiddleware(config.LUYU_CORS_ORIGINS));
  mountRoutes(ogc, ogcRouteDefinitions(), { pool: options.db.pool, readPool: options.db.readPool });
  ogc.use(OGC_BASE_PATH, notFoundHandler);
  app.use(ogc);

  const clientDistDir = options.clientDistDir;
  if (clientDistDir && existsSync(path.join(clientDistDir, 'index.html'))) {
    app.use(...clientStatic(clientDistDir));
    // Single-page app: any other GET is the client's own route.
    app.get(/^\/(?!api\/).*/, (_request, response) => {
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(path.join(clientDistDir, 'index.html'));
    });
  }
  app.use(errorHandler(logger));
  return app;
}
