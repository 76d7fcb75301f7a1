import type { CookieOptions, Request, Response } from 'express';
import type pg from 'pg';
import { z } from 'zod';
import type { AppConfig } from '../config.ts';
import { permissionsOf } from '../domain/roles.ts';
import { defineRoute, requireUser } from '../http/route_definition.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from './cookies.ts';
import { changePassword, login, logout } from './service.ts';
import { authenticateRequest, publicUser } from './session_user.ts';

const loginBody = z.object({
  username: z.string().trim().min(1, 'username is required').max(200, 'username is at most 200 characters'),
  password: z.string().min(1, 'password is required').max(1024, 'password is at most 1024 characters'),
});

const passwordBody = z.object({
  currentPassword: z.string().min(1, 'currentPassword is required').max(1024),
  newPassword: z.string().max(1024, 'newPassword is at most 1024 characters'),
});

/**
 * `auto`: Secure whenever the request came over HTTPS (`req.secure`, which believes a proxy's
 * X-Forwarded-Proto only when LUYU_TRUST_PROXY trusts that proxy) and always in production.
 */
function cookieOptions(config: AppConfig, request: Request): CookieOptions {
  const secure = config.LUYU_COOKIE_SECURE === 'true' || (config.LUYU_COOKIE_SECURE === 'auto' && (request.secure || config.NODE_ENV === 'production'));
  return { sameSite: 'lax', secure, path: '/' };
}

function clearSessionCookies(request: Request, response: Response, config: AppConfig): void {
  response.clearCookie(SESSION_COOKIE, { ...cookieOptions(config, request), httpOnly: true });
  response.clearCookie(CSRF_COOKIE, cookieOptions(config, request));
}

export function authRoutes(pool: pg.Pool, config: AppConfig) {
  return [
    defineRoute({
      method: 'post',
      path: '/auth/login',
      tag: 'auth',
      summary: 'Password login → bearer token, HttpOnly session cookie and luyu_csrf cookie',
      access: 'public',
      body: loginBody,
      bodyLimit: '4kb',
      handler: async ({ body, request, response, context, audit }) => {
        const result = await login(pool, config, body, context.clientIp, audit);
        const maxAge = result.expiresInSeconds * 1000;
        response.cookie(SESSION_COOKIE, result.token, { ...cookieOptions(config, request), httpOnly: true, maxAge });
        // Not HttpOnly: the page reads it and echoes it in X-CSRF-Token (double submit).
        response.cookie(CSRF_COOKIE, result.csrfToken, { ...cookieOptions(config, request), httpOnly: false, maxAge });
        response.setHeader('Cache-Control', 'no-store');
        return { token: result.token, csrfToken: result.csrfToken, expiresInSeconds: result.expiresInSeconds, user: result.user };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/logout',
      tag: 'auth',
      summary: 'End the current session (cookie or bearer token)',
      access: { permission: 'account.self' },
      bodyLimit: '1kb',
      handler: async (input) => {
        const user = requireUser(input);
        await logout(input.db, user);
        await input.audit({ action: 'auth.logout', entityType: 'user', entityId: user.id });
        clearSessionCookies(input.request, input.response, config);
        return { loggedOut: true };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/password',
      tag: 'auth',
      summary: 'Change the own password (at least 10 characters, not the username); ends the other sessions',
      access: { permission: 'account.self' },
      body: passwordBody,
      bodyLimit: '4kb',
      handler: async (input) => {
        const user = requireUser(input);
        const { endedSessions } = await changePassword(input.db, user, input.body);
        // Never the hashes: the row says that it changed, not to what.
        await input.audit({ action: 'auth.password_change', entityType: 'user', entityId: user.id, after: { endedSessions } });
        return { changed: true, endedSessions };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/me',
      tag: 'auth',
      summary: 'The current user, their jurisdiction and permissions',
      access: { permission: 'account.self' },
      handler: async (input) => {
        const user = requireUser(input);
        return { ...publicUser(user), permissions: permissionsOf(user.role), authenticatedBy: user.authenticatedBy };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/auth/session',
      tag: 'auth',
      summary: 'Who is logged in, or { user: null } — 200 either way, so an anonymous page load logs no failed request',
      access: 'public',
      handler: async ({ response }) => {
        response.setHeader('Cache-Control', 'no-store');
        const authentication = await authenticateRequest(pool, response.req);
        if (authentication.status !== 'ok') return { user: null };
        const user = authentication.user;
        return { user: { ...publicUser(user), permissions: permissionsOf(user.role), authenticatedBy: user.authenticatedBy } };
      },
    }),
  ];
}
