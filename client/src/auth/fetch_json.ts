/**
 * fetch for the API with the browser session: same-origin cookies, the CSRF header on unsafe
 * methods (double submit: the luyu_csrf cookie's value), one error type for the API's error
 * shape, and a 401 turned into "back to the login page, then to this view" (?next=).
 */

export const CSRF_COOKIE = 'luyu_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
export const LOGIN_PATH = '/login';

/** The API's `{error:{code,message,details}}` as an exception. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

export function readCookie(name: string): string | undefined {
  for (const pair of document.cookie.split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** The view to come back to after logging in; only same-site paths (no open redirect). */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith(LOGIN_PATH)) return '/';
  return next;
}

export function loginUrlFor(currentPath: string): string {
  return `${LOGIN_PATH}?next=${encodeURIComponent(safeNextPath(currentPath))}`;
}

type UnauthenticatedHandler = (loginUrl: string) => void;
let onUnauthenticated: UnauthenticatedHandler = (loginUrl) => window.location.assign(loginUrl);

/** Lets the app's router navigate instead of a full page load. */
export function setUnauthenticatedHandler(handler: UnauthenticatedHandler): void {
  onUnauthenticated = handler;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface FetchJsonOptions extends Omit<RequestInit, 'body'> {
  /** Serialised as JSON. */
  json?: unknown;
  /** Do not redirect on 401 (the login form and the initial "who am I" check). */
  allowUnauthenticated?: boolean;
}

/** `path` is below /api/v1, e.g. `/segments?limit=100`. */
export async function fetchJson<T>(path: string, options: FetchJsonOptions = {}): Promise<T> {
  const { json, allowUnauthenticated, ...init } = options;
  const method = (init.method ?? (json === undefined ? 'GET' : 'POST')).toUpperCase();
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  if (json !== undefined) headers.set('Content-Type', 'application/json');
  if (UNSAFE_METHODS.has(method)) {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers.set(CSRF_HEADER, csrf);
  }
  const response = await fetch(`/api/v1${path}`, {
    ...init,
    method,
    headers,
    credentials: 'same-origin',
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await response.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (response.ok) return body as T;
  const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
  const apiError = new ApiError(response.status, error?.code ?? 'HTTP_ERROR', error?.message ?? `HTTP ${response.status}`, error?.details ?? null);
  if (response.status === 401 && !allowUnauthenticated) {
    onUnauthenticated(loginUrlFor(`${window.location.pathname}${window.location.search}${window.location.hash}`));
  }
  throw apiError;
}
