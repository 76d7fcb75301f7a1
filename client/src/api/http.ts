import { ApiError, isServerErrorBody } from './api_error';

type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

/** Builds `/api/v1/<path>?a=1&b=2`, skipping null/undefined values and joining arrays with commas. */
export function apiUrl(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined) continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const search = params.toString();
  return `/api/v1/${path.replace(/^\//, '')}${search ? `?${search}` : ''}`;
}

export const CSRF_COOKIE = 'luyu_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function readCookie(name: string): string | undefined {
  for (const pair of document.cookie.split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

type UnauthenticatedHandler = () => void;
let onUnauthenticated: UnauthenticatedHandler = () => undefined;

/** What to do when a request answers 401 (the session expired): the app sends the user to login. */
export function setUnauthenticatedHandler(handler: UnauthenticatedHandler): void {
  onUnauthenticated = handler;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as the JSON body. */
  json?: unknown;
  signal?: AbortSignal;
  /** A 401 is an answer, not an expired session (the "who am I" check, the login form). */
  allowUnauthenticated?: boolean;
}

/**
 * The one fetch of the client: same-origin session cookie, the CSRF header on unsafe methods
 * (double submit of the luyu_csrf cookie), every failure as an ApiError, 401 → login.
 */
export async function requestJson<T>(url: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? (options.json === undefined ? 'GET' : 'POST');
  const headers = new Headers({ Accept: 'application/json' });
  if (options.json !== undefined) headers.set('Content-Type', 'application/json');
  if (UNSAFE_METHODS.has(method)) {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers.set(CSRF_HEADER, csrf);
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError('NETWORK_ERROR', `Could not reach the server (${String(error)})`, 0);
  }
  return readBody<T>(response, url, options.allowUnauthenticated === true);
}

/**
 * Multipart upload (photos, import files) through the same path as requestJson: session cookie,
 * CSRF header, ApiError on failure, 401 → login. The browser sets the multipart boundary.
 */
export async function requestForm<T>(url: string, form: FormData, options: { signal?: AbortSignal } = {}): Promise<T> {
  const headers = new Headers({ Accept: 'application/json' });
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers.set(CSRF_HEADER, csrf);
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, credentials: 'same-origin', body: form, signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError('NETWORK_ERROR', `Could not reach the server (${String(error)})`, 0);
  }
  return readBody<T>(response, url, false);
}

async function readBody<T>(response: Response, url: string, allowUnauthenticated: boolean): Promise<T> {
  let body: unknown = null;
  // `null` is a valid JSON answer (e.g. GET /patrol-plans/latest when there is no plan yet), so
  // "no JSON" means an empty or unparseable body, not a body that parses to null.
  let parsed = false;
  const text = await response.text();
  if (text) {
    try {
      body = JSON.parse(text);
      parsed = true;
    } catch {
      body = null;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && !allowUnauthenticated) onUnauthenticated();
    if (isServerErrorBody(body)) {
      throw new ApiError(body.error.code, body.error.message, response.status, body.error.details ?? null);
    }
    throw new ApiError(`HTTP_${response.status}`, `The server answered ${response.status} ${response.statusText}`.trim(), response.status);
  }
  if (!parsed && response.status !== 204) {
    throw new ApiError('BAD_RESPONSE', `The server sent no JSON for ${url}`, response.status);
  }
  return body as T;
}

/** GET a JSON document; every failure becomes an ApiError. */
export function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return requestJson<T>(url, { signal });
}
