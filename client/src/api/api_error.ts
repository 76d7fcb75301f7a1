/**
 * The one error type of the client's API layer. It mirrors the server's error body
 * `{ error: { code, message, details } }`; network failures and unreadable bodies get
 * client-side codes so callers branch on `code` only, never on the message.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** SCREAMING_SNAKE code from the server, or NETWORK_ERROR / BAD_RESPONSE / HTTP_<status>. */
    readonly code: string,
    message: string,
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
    readonly details: unknown = null,
  ) {
    super(message);
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

interface ServerErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function isServerErrorBody(body: unknown): body is ServerErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}
