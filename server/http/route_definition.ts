import { readFile, unlink } from 'node:fs/promises';
import express, { type Request, type Response, type Router } from 'express';
import multer from 'multer';
import type pg from 'pg';
import { z } from 'zod';
import { insertAuditEntry } from '../audit/queries.ts';
import { CSRF_HEADER } from '../auth/cookies.ts';
import { authenticateRequest, authenticateRequestSettingScope, csrfTokenValid, type Authentication, type SessionUser } from '../auth/session_user.ts';
import type { Queryable } from '../db/database.ts';
import { DEFAULT_UPLOAD_DIRECTORY, diskHashingStorage, type StoredUpload } from '../files/upload_storage.ts';
import { withLazyRequestScope, withRequestScope, withTransaction, type RequestScope } from '../db/transaction.ts';
import { hasPermission, isPermission, type Permission } from '../domain/roles.ts';
import { AppError, validationDetails } from './errors.ts';
import { assertPlainInput } from './input_guard.ts';

type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route. `public`: anyone, no session looked up, `db` is the pool. A permission:
 * a logged-in user whose role holds it (server/domain/roles.ts), `db` is the request's
 * jurisdiction-scoped transaction.
 */
export type RouteAccess = 'public' | { permission: Permission };

/** One audit row; actor, jurisdiction, request id and client IP come from the request. */
export interface AuditEntry {
  action: string;
  entityType?: string | null;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  /** Public routes only (login): the actor is not the request's user, who is not known yet. */
  actor?: { id: number; username: string; role: string; jurisdictionCode: string };
  /** Jurisdiction that may read the row when there is no actor (a failed login of a known user). */
  jurisdictionCode?: string | null;
}

export interface UploadedFile {
  fieldName: string;
  originalName: string;
  /** As the client declared it: never trusted for content (sniff the bytes). */
  declaredMediaType: string;
  /** Temporary file on disk (deleted when the response ends unless the handler moved it). */
  path: string;
  sizeBytes: number;
  /** SHA-256 of the content, computed while it streamed to disk. */
  sha256: string;
  /** The first bytes, for sniffing the format (upload_storage.ts HEAD_BYTES). */
  head: Buffer;
  /** The whole content in memory: only for small files (photos, at most LUYU_PHOTO_MAX_BYTES). */
  readBytes(): Promise<Buffer>;
}

export interface RequestContext {
  requestId: string | null;
  clientIp: string | null;
}

/** Parsed input of a route, typed from its zod schemas. */
export interface RouteInput<Query, Params, Body, BeforeScope = undefined> {
  query: Query;
  params: Params;
  body: Body;
  request: Request;
  response: Response;
  /** Scoped transaction (protected routes) or the pool (public routes): run every query on this. */
  db: Queryable;
  /** The logged-in user; null on public routes (they do not look up sessions). */
  user: SessionUser | null;
  context: RequestContext;
  /** The uploaded file of an `upload` route (null when the form had none). */
  file: UploadedFile | null;
  /** The raw bytes of a `rawBody` route (null elsewhere). */
  rawBody: Buffer | null;
  /** What the route's `upload.parse` returned (parsed before the transaction opened). */
  parsedFile: unknown;
  /** What the route's `readBeforeScope` returned (undefined without one). */
  beforeScope: BeforeScope;
  /**
   * Appends the request's audit row. Protected routes: in the same transaction as the change.
   * `on` lets a public route (login) write it on a transaction of its own.
   */
  audit(entry: AuditEntry, on?: Queryable): Promise<void>;
}

/**
 * One route: its HTTP shape, access, schemas and handler. The handler returns the JSON body;
 * returning `undefined` means it wrote the response itself (files, HTML). The same definition
 * feeds the router, the OpenAPI document and the authorization matrix test, so none can drift.
 */
export interface RouteDefinition<Query = unknown, Params = unknown, Body = unknown, BeforeScope = undefined> {
  method: HttpMethod;
  /** Express path below /api/v1, e.g. `/segments/:id`. */
  path: string;
  summary: string;
  tag: string;
  /** Required: a definition without it stops the start (see mountRoutes). */
  access: RouteAccess;
  query?: z.ZodType<Query>;
  params?: z.ZodType<Params>;
  body?: z.ZodType<Body>;
  /** Largest accepted JSON body (express/bytes syntax, default 100kb). */
  bodyLimit?: string;
  /**
   * A multipart/form-data route with one file field: the file streams to a temporary file on disk
   * (at most `maxBytes`, never whole in memory) BEFORE the request's transaction opens, so a slow
   * upload never holds the database; the other form fields are validated by `body`. `parse`, when
   * given, reads the file (in a worker: server/files/) also before the transaction opens.
   */
  upload?: { field: string; maxBytes: number; parse?: (file: UploadedFile, body: Body) => Promise<unknown> };
  /**
   * The body is raw bytes (a resumable upload's chunk, at most `maxBytes`, small by design), read
   * before the transaction opens and handed to the handler as `rawBody`.
   */
  rawBody?: { maxBytes: number };
  /** Status of a successful response (default 200). */
  successStatus?: number;
  /** Media type of a successful response (default application/json). */
  responseType?: string;
  /**
   * Reads only, and may read data a few seconds old: runs on the read replica's pool when
   * DATABASE_READ_URL is set (tiles, lists, dashboards; docs/scaling.md). GET routes only.
   */
  readReplica?: boolean;
  /**
   * GET routes: a read of data nobody's scope restricts, on the route's pool (the replica's with
   * `readReplica`) after validation and before anything else, handed to the handler as
   * `beforeScope` (the tile cache's source version). With it the scoped transaction opens only at
   * the handler's first query on `db` (withLazyRequestScope), after this read: a handler that can
   * answer from it alone (a cached tile) costs the session lookup and this one statement.
   */
  readBeforeScope?: (pool: Queryable, params: Params) => Promise<BeforeScope>;
  handler: (input: RouteInput<Query, Params, Body, BeforeScope>) => Promise<unknown>;
}

export const DEFAULT_BODY_LIMIT = '100kb';
const SAFE_METHODS: readonly HttpMethod[] = ['get'];

/** Lets TypeScript infer a definition's generics from its schemas. */
export function defineRoute<Query = undefined, Params = undefined, Body = undefined, BeforeScope = undefined>(
  definition: RouteDefinition<Query, Params, Body, BeforeScope>,
): RouteDefinition<Query, Params, Body, BeforeScope> {
  return definition;
}

/** The user of a protected route's input (never null there; this narrows the type). */
export function requireUser(input: { user: SessionUser | null }): SessionUser {
  if (!input.user) throw new AppError(401, 'UNAUTHENTICATED', 'Log in first: POST /api/v1/auth/login');
  return input.user;
}

function parsePart<T>(schema: z.ZodType<T> | undefined, value: unknown, part: string): T {
  if (!schema) return undefined as T;
  assertPlainInput(value, part);
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const details = validationDetails(parsed.error).map((detail) => ({ ...detail, in: part }));
    const first = details[0];
    const message = first ? `${part} ${first.path ? `"${first.path}" ` : ''}is not valid: ${first.message}` : `${part} is not valid`;
    throw new AppError(400, 'VALIDATION_FAILED', message, details);
  }
  return parsed.data;
}

/** Refuses a definition whose access is missing or names an unknown permission, at mount time. */
export function assertAccessDeclared(definition: RouteDefinition<any, any, any, any>): void {
  const access = (definition as { access?: unknown }).access;
  const where = `${definition.method.toUpperCase()} ${definition.path}`;
  if (access === 'public') return;
  if (typeof access === 'object' && access !== null && typeof (access as { permission?: unknown }).permission === 'string') {
    if (isPermission((access as { permission: string }).permission)) return;
    throw new Error(`Route ${where} names unknown permission "${(access as { permission: string }).permission}" (see server/domain/roles.ts)`);
  }
  throw new Error(`Route ${where} declares no access: add access: 'public' or { permission } to its definition`);
}

/**
 * multer's limit errors as the API's error shape (413 for size, 400 for a malformed form). The
 * multipart parser's own errors (truncated form, bad part headers, no boundary) are the client's
 * too: 400. Only file-system errors of the temporary file (they carry a syscall) stay server errors.
 */
function uploadError(error: unknown, maxBytes: number): unknown {
  if (error instanceof multer.MulterError) {
    if (error.code === 'LIMIT_FILE_SIZE') return new AppError(413, 'PAYLOAD_TOO_LARGE', `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`, { maxBytes });
    return new AppError(400, 'MULTIPART_INVALID', `The form is not valid: ${error.message}`, { field: error.field ?? null });
  }
  if (error instanceof Error && !(error instanceof AppError) && !('syscall' in error)) {
    return new AppError(400, 'MULTIPART_INVALID', `The form is not valid multipart/form-data: ${error.message}`);
  }
  return error;
}

/** The user of an authenticated request, or the 401/403 it gets (no session, role without the permission, CSRF). */
function authorize(authentication: Authentication, access: { permission: Permission }, method: HttpMethod, request: Request): SessionUser {
  if (authentication.status !== 'ok') {
    throw new AppError(
      401,
      'UNAUTHENTICATED',
      authentication.status === 'invalid'
        ? 'The session or token is not valid (expired or logged out); log in again: POST /api/v1/auth/login'
        : 'Log in first: POST /api/v1/auth/login, then send the session cookie or Authorization: Bearer <token>',
    );
  }
  const user = authentication.user;
  if (!hasPermission(user.role, access.permission)) {
    throw new AppError(403, 'FORBIDDEN', `Role ${user.role} may not do this (needs permission ${access.permission})`, {
      permission: access.permission,
      role: user.role,
    });
  }
  if (user.authenticatedBy === 'cookie' && !SAFE_METHODS.includes(method)) {
    const header = request.headers[CSRF_HEADER];
    if (!csrfTokenValid(request, user, typeof header === 'string' ? header : undefined)) {
      throw new AppError(403, 'CSRF_TOKEN_INVALID', 'Send the luyu_csrf cookie value in the X-CSRF-Token header (or use a bearer token)');
    }
  }
  return user;
}

/**
 * After authorization: the body (JSON read, or an upload streamed to disk and parsed), validation
 * of query, path and body, then the handler, ready to run on a connection.
 */
async function prepareHandler(
  definition: RouteDefinition<any, any, any, any>,
  bodyParser: express.RequestHandler | undefined,
  request: Request,
  response: Response,
  user: SessionUser | null,
  beforeScopePool?: Queryable,
): Promise<(db: Queryable) => Promise<unknown>> {
  const upload = definition.upload;
  const rawBody = definition.rawBody;
  if (bodyParser) await runMiddleware(bodyParser, request, response).catch((error: unknown) => Promise.reject(upload ? uploadError(error, upload.maxBytes) : error));
  const multerFile = (request as Request & { file?: Express.Multer.File & StoredUpload }).file;
  const file: UploadedFile | null = multerFile
    ? {
        fieldName: multerFile.fieldname,
        originalName: multerFile.originalname,
        declaredMediaType: multerFile.mimetype,
        path: multerFile.path,
        sizeBytes: multerFile.size,
        sha256: multerFile.sha256,
        head: multerFile.head,
        readBytes: () => readFile(multerFile.path),
      }
    : null;
  // The temporary file never outlives the request (a handler that keeps it renames it first).
  if (file) response.once('close', () => void unlink(file.path).catch(() => undefined));
  const query = parsePart(definition.query, request.query, 'query');
  const params = parsePart(definition.params, request.params, 'path');
  const body = parsePart(definition.body, rawBody ? {} : (request.body ?? {}), 'body');
  const rawBytes = rawBody && Buffer.isBuffer(request.body) ? request.body : null;
  const parsedFile = file && upload?.parse ? await upload.parse(file, body) : null;
  const beforeScope = definition.readBeforeScope && beforeScopePool ? await definition.readBeforeScope(beforeScopePool, params) : undefined;
  const context: RequestContext = { requestId: typeof request.id === 'string' ? request.id : null, clientIp: request.ip ?? null };

  const run = async (db: Queryable) => {
    let auditCount = 0;
    const audit = async (entry: AuditEntry, on?: Queryable) => {
      auditCount += 1;
      const actor = user ? { id: user.id, username: user.username, role: user.role, jurisdictionCode: user.jurisdiction.code } : entry.actor;
      await insertAuditEntry(on ?? db, {
        actorUserId: actor?.id ?? null,
        actorUsername: actor?.username ?? null,
        actorRole: actor?.role ?? null,
        jurisdictionCode: actor?.jurisdictionCode ?? entry.jurisdictionCode ?? null,
        action: entry.action,
        entityType: entry.entityType ?? null,
        entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
        before: entry.before ?? null,
        after: entry.after ?? null,
        requestId: context.requestId,
        clientIp: context.clientIp,
      });
    };
    const result = await definition.handler({ query, params, body, request, response, db, user, context, file, rawBody: rawBytes, parsedFile, beforeScope, audit });
    if (!SAFE_METHODS.includes(definition.method) && auditCount !== 1) {
      throw new Error(`${definition.method.toUpperCase()} ${definition.path} wrote ${auditCount} audit rows; every write endpoint writes exactly one`);
    }
    return result;
  };
  return run;
}

function requestScopeOf(user: SessionUser): RequestScope {
  return { userId: user.id, role: user.role, scopeCodes: user.scopeCodes, isTop: user.jurisdictionIsTop };
}

function runMiddleware(middleware: express.RequestHandler, request: Request, response: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    middleware(request, response, (error?: unknown) => (error ? reject(error) : resolve()));
  });
}

export interface MountOptions {
  pool: pg.Pool;
  /** Where uploads stream to (LUYU_UPLOAD_DIR; default: luyu-uploads in the OS temporary directory). */
  uploadDirectory?: string;
  /** Pool of the read replica (DATABASE_READ_URL) for `readReplica` routes; default `pool`. */
  readPool?: pg.Pool;
}

/**
 * Mounts definitions on a router. Per request, in this order: authenticate and authorize
 * (401/403 before anything is parsed), CSRF for cookie sessions on unsafe methods, the JSON body
 * with the route's size limit, validation, then the handler — for protected routes inside one
 * transaction scoped to the user's jurisdiction (a GET on the primary looks its session up inside
 * that transaction, in the statement that sets the scope). A write (non-GET) must append exactly one audit
 * row, or it fails and rolls back: later endpoints cannot forget their audit trail.
 */
export function mountRoutes(router: Router, definitions: readonly RouteDefinition<any, any, any, any>[], options: MountOptions): void {
  for (const definition of definitions) assertAccessDeclared(definition);
  for (const definition of definitions) {
    if (definition.readBeforeScope && (definition.method !== 'get' || definition.access === 'public')) {
      throw new Error(`Route ${definition.method.toUpperCase()} ${definition.path}: readBeforeScope is for protected GET routes only`);
    }
  }
  for (const definition of definitions) {
    const upload = definition.upload;
    const rawBody = definition.rawBody;
    const bodyParser = rawBody
      ? express.raw({ type: () => true, limit: rawBody.maxBytes })
      : upload
      ? multer({ storage: diskHashingStorage(options.uploadDirectory ?? DEFAULT_UPLOAD_DIRECTORY), limits: { fileSize: upload.maxBytes, files: 1, fields: 20, fieldSize: 64 * 1024 } }).single(upload.field)
      : SAFE_METHODS.includes(definition.method)
        ? undefined
        : express.json({ limit: definition.bodyLimit ?? DEFAULT_BODY_LIMIT });
    router[definition.method](definition.path, async (request, response) => {
      const access = definition.access;
      const respond = (result: unknown) => {
        if (result !== undefined) response.status(definition.successStatus ?? 200).json(result);
      };
      if (access === 'public') return respond(await (await prepareHandler(definition, bodyParser, request, response, null))(options.pool));
      // A read without a body: the session lookup and the scope setting are one statement inside
      // the request's transaction (one connection and one round trip fewer; a map asks for dozens
      // of tiles at once). Not with a read replica: a session just written on the primary may not
      // have reached it yet.
      const readPool = definition.readReplica && definition.method === 'get' ? (options.readPool ?? options.pool) : options.pool;
      if (definition.readBeforeScope) {
        const user = authorize(await authenticateRequest(options.pool, request), access, definition.method, request);
        const run = await prepareHandler(definition, bodyParser, request, response, user, readPool);
        return respond(await withLazyRequestScope(readPool, requestScopeOf(user), run));
      }
      if (definition.method === 'get' && !bodyParser && readPool === options.pool) {
        return respond(
          await withTransaction(options.pool, async (client) => {
            const user = authorize(await authenticateRequestSettingScope(client, request), access, definition.method, request);
            return (await prepareHandler(definition, bodyParser, request, response, user))(client);
          }),
        );
      }
      const user = authorize(await authenticateRequest(options.pool, request), access, definition.method, request);
      const run = await prepareHandler(definition, bodyParser, request, response, user);
      respond(await withRequestScope(readPool, requestScopeOf(user), run));
    });
  }
}
