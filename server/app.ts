import { clientStatic } from './http/static_client.ts';
import { dutyRoutes } from './duties/routes.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { Router } from 'express';
import helmet from 'helmet';
import { pino, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import { readConfig, REPO_ROOT, type AppConfig } from './config.ts';
import type { Database } from './db/database.ts';
import { auditRoutes } from './audit/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { basemapRoutes } from './basemap/routes.ts';
import { detectionRoutes } from './detections/routes.ts';
import { corsMiddleware } from './http/cors.ts';
import { crewRoutes } from './crews/routes.ts';
import { patrolRoutes } from './patrols/routes.ts';
import { healthRoutes } from './health/routes.ts';
import { errorHandler, notFoundHandler } from './http/errors.ts';
import { buildOpenApiDocument } from './http/openapi.ts';
import { defineRoute, mountRoutes, type RouteDefinition } from './http/route_definition.ts';
import { lrsRoutes } from './lrs/routes.ts';
import { managementRoutes } from './management/routes.ts';
import { photoRoutes } from './photos/routes.ts';
import { violationImportRoutes } from './violation_imports/routes.ts';
import { roadRoutes } from './roads/routes.ts';
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
}

/** Every API route of the app, in mount order (the OpenAPI document and tests read this list). */
export function apiRouteDefinitions(db: Database, config: AppConfig): RouteDefinition<any, any, any>[] {
  const domainRoutes = [
    ...healthRoutes(db, config),
    ...authRoutes(db.pool, config),
    // Before roadRoutes: /segments/due must win over /segments/:id.
    ...patrolRoutes(config),
    ...roadRoutes(),
    ...zoneRoutes(),
    ...lrsRoutes(config),
    ...basemapRoutes(),
    ...auditRoutes(),
    ...violationRoutes(config),
    ...dutyRoutes(),
    ...photoRoutes(config),
    ...violationImportRoutes(),
    ...detectionRoutes(db, config),
    ...crewRoutes(config),
    ...managementRoutes(),
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
  app.set('trust proxy', 'loopback');
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
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // MapLibre runs its workers from blob: URLs and paints images from data:/blob:.
          'worker-src': ["'self'", 'blob:'],
          'child-src': ["'self'", 'blob:'],
          'img-src': ["'self'", 'data:', 'blob:', ...(config.LUYU_BASEMAP_STYLE_URL ? ['https:'] : [])],
          'connect-src': ["'self'", ...(config.LUYU_BASEMAP_STYLE_URL ? ['https:'] : [])],
          'style-src': ["'self'", "'unsafe-inline'"],
          'font-src': ["'self'", 'data:'],
        },
      },
    }),
  );

  // Crews work on phones with poor signal: zones and segments compress about 8:1.
  app.use(compression());

  const api = Router();
  // No CORS unless LUYU_CORS_ORIGINS names origins. JSON bodies are parsed per route with its own limit.
  if (config.LUYU_CORS_ORIGINS.length > 0) api.use(corsMiddleware(config.LUYU_CORS_ORIGINS));
  mountRoutes(api, apiRouteDefinitions(options.db, config), { pool: options.db.pool });
  api.use(notFoundHandler);
  app.use('/api/v1', api);

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
