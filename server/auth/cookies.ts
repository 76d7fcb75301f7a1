import type { Request } from 'express';

export const SESSION_COOKIE = 'luyu_session';
/** Readable by the page's script (not HttpOnly): it sends the value back in X-CSRF-Token. */
export const CSRF_COOKIE = 'luyu_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The request's cookies; malformed pairs are skipped (no cookie-parser dependency needed). */
export function readCookies(request: Request): Map<string, string> {
  const cookies = new Map<string, string>();
  const header = request.headers.cookie;
  if (!header) return cookies;
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator <= 0) continue;
    const name = pair.slice(0, separator).trim();
    let value = pair.slice(separator + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      if (!cookies.has(name)) cookies.set(name, decodeURIComponent(value));
    } catch {
      // not percent-encoded properly: ignore this cookie
    }
  }
  return cookies;
}

/** The bearer token of `Authorization: Bearer <token>`, or undefined. */
export function readBearerToken(request: Request): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})\s*$/i.exec(header);
  return match?.[1];
}
