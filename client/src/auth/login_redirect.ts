/** Where login sends the user back to: only same-site paths, never an open redirect. */
export const LOGIN_PATH = '/login';

export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith(LOGIN_PATH)) return '/';
  return next;
}

/** `expired`: the session ended while the user was working (say so on the login form). */
export function loginUrlFor(currentPath: string, expired = false): string {
  return `${LOGIN_PATH}?next=${encodeURIComponent(safeNextPath(currentPath))}${expired ? '&expired=1' : ''}`;
}

/** The view the user is on now, to come back to after logging in. */
export function currentViewPath(): string {
  return `${window.location.pathname}${window.location.search}${window.location.hash}`;
}
