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

/** GET a JSON document; every failure becomes an ApiError. */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' }, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('NETWORK_ERROR', `Could not reach the server (${String(error)})`, 0);
  }
  let body: unknown = null;
  const text = await response.text();
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!response.ok) {
    if (isServerErrorBody(body)) {
      throw new ApiError(body.error.code, body.error.message, response.status, body.error.details ?? null);
    }
    throw new ApiError(`HTTP_${response.status}`, `The server answered ${response.status} ${response.statusText}`.trim(), response.status);
  }
  if (body === null) {
    throw new ApiError('BAD_RESPONSE', `The server sent no JSON for ${url}`, response.status);
  }
  return body as T;
}
