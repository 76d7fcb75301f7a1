import type { Request } from 'express';
import type pg from 'pg';
import { isRole, type Role } from '../domain/roles.ts';
import { CSRF_COOKIE, readBearerToken, readCookies, SESSION_COOKIE } from './cookies.ts';
import { hashToken } from './credentials.ts';
import type { Queryable } from '../db/database.ts';
import { selectSessionUser, selectSessionUserSettingScope, type SessionUserRow } from './queries.ts';

/** The logged-in user of a request, with the session that authenticated it. */
export interface SessionUser {
  id: number;
  sessionId: number;
  username: string;
  displayName: string | null;
  role: Role;
  jurisdiction: { code: string; name: string; level: string };
  /** Codes of the user's jurisdiction and all below it (what row-level security lets them see). */
  scopeCodes: string[];
  jurisdictionIsTop: boolean;
  /** Cookie requests need the CSRF header on unsafe methods; bearer requests cannot be forged cross-site. */
  authenticatedBy: 'bearer' | 'cookie';
  csrfHash: string;
}

export type Authentication = { status: 'anonymous' } | { status: 'invalid' } | { status: 'ok'; user: SessionUser };

/** The credential a request presents, before it is looked up. */
type PresentedToken = { status: 'anonymous' } | { status: 'invalid' } | { status: 'presented'; token: string; authenticatedBy: SessionUser['authenticatedBy'] };

/**
 * The credential of a request: `Authorization: Bearer` first (API clients), else the session
 * cookie (browser). A presented but malformed credential is `invalid`, never silently anonymous.
 */
function presentedToken(request: Request): PresentedToken {
  if (request.headers.authorization !== undefined) {
    const token = readBearerToken(request);
    return token ? { status: 'presented', token, authenticatedBy: 'bearer' } : { status: 'invalid' };
  }
  const token = readCookies(request).get(SESSION_COOKIE);
  return token === undefined ? { status: 'anonymous' } : { status: 'presented', token, authenticatedBy: 'cookie' };
}

/**
 * Finds the session of a request with `lookUp` (a query by token hash). An unknown or expired
 * credential is `invalid`.
 */
async function authenticateWith(request: Request, lookUp: (tokenHash: string) => Promise<SessionUserRow | undefined>): Promise<Authentication> {
  const presented = presentedToken(request);
  if (presented.status !== 'presented') return presented;
  const row = await lookUp(hashToken(presented.token));
  if (!row || !isRole(row.role)) return { status: 'invalid' };
  return {
    status: 'ok',
    user: {
      id: row.user_id,
      sessionId: row.session_id,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      jurisdiction: { code: row.jurisdiction_code, name: row.jurisdiction_name, level: row.jurisdiction_level },
      scopeCodes: row.scope_codes,
      jurisdictionIsTop: row.jurisdiction_is_top,
      authenticatedBy: presented.authenticatedBy,
      csrfHash: row.csrf_hash,
    },
  };
}

/** Finds the session of a request (its own query on the pool). */
export function authenticateRequest(pool: pg.Pool, request: Request): Promise<Authentication> {
  return authenticateWith(request, (tokenHash) => selectSessionUser(pool, tokenHash));
}

/**
 * Finds the session of a request inside an open transaction and, in the same statement, sets the
 * request's scope on it as withRequestScope does (auth/queries.ts selectSessionUserSettingScope).
 * Not `ok`: nothing was set.
 */
export function authenticateRequestSettingScope(client: Queryable, request: Request): Promise<Authentication> {
  return authenticateWith(request, (tokenHash) => selectSessionUserSettingScope(client, tokenHash));
}

/** Double-submit check bound to the session: header = cookie, and it is the session's own token. */
export function csrfTokenValid(request: Request, user: SessionUser, headerValue: string | undefined): boolean {
  if (!headerValue) return false;
  const cookieValue = readCookies(request).get(CSRF_COOKIE);
  return cookieValue === headerValue && hashToken(headerValue) === user.csrfHash;
}

/** What the API says about the current user (login response and GET /me). */
export function publicUser(user: Pick<SessionUser, 'username' | 'displayName' | 'role' | 'jurisdiction'>) {
  return {
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    jurisdiction: user.jurisdiction,
  };
}
