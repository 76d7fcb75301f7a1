import type { Request } from 'express';
import type pg from 'pg';
import { isRole, type Role } from '../domain/roles.ts';
import { CSRF_COOKIE, readBearerToken, readCookies, SESSION_COOKIE } from './cookies.ts';
import { hashToken } from './credentials.ts';
import { selectSessionUser } from './queries.ts';

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

/**
 * Finds the session of a request: `Authorization: Bearer` first (API clients), else the session
 * cookie (browser). A presented but unknown, expired or malformed credential is `invalid`, never
 * silently anonymous.
 */
export async function authenticateRequest(pool: pg.Pool, request: Request): Promise<Authentication> {
  let token: string | undefined;
  let authenticatedBy: SessionUser['authenticatedBy'];
  if (request.headers.authorization !== undefined) {
    token = readBearerToken(request);
    authenticatedBy = 'bearer';
    if (!token) return { status: 'invalid' };
  } else {
    token = readCookies(request).get(SESSION_COOKIE);
    authenticatedBy = 'cookie';
    if (token === undefined) return { status: 'anonymous' };
  }
  const row = await selectSessionUser(pool, hashToken(token));
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
      authenticatedBy,
      csrfHash: row.csrf_hash,
    },
  };
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
