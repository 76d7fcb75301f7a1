import { useSyncExternalStore } from 'react';
import { hasPermission, isRole, type Permission, type Role } from '@domain/roles.ts';
import { apiUrl, requestJson } from '../api/http';

export interface CurrentUser {
  username: string;
  displayName: string | null;
  role: Role;
  jurisdiction: { code: string; name: string; level: 'province' | 'city' | 'district' | string };
}

export type SessionState = { status: 'unknown' } | { status: 'anonymous' } | { status: 'authenticated'; user: CurrentUser };

let state: SessionState = { status: 'unknown' };
const listeners = new Set<() => void>();

function setState(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getSession(): SessionState {
  return state;
}

/** The session in a component; re-renders on login, logout and expiry. */
export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, getSession, getSession);
}

function toCurrentUser(body: { username: string; displayName?: string | null; role: string; jurisdiction: CurrentUser['jurisdiction'] }): CurrentUser {
  if (!isRole(body.role)) throw new Error(`unknown role ${body.role}`);
  return { username: body.username, displayName: body.displayName ?? null, role: body.role, jurisdiction: body.jurisdiction };
}

/** Asks the server who is logged in (the session cookie is HttpOnly, so only the server knows). */
export async function refreshSession(): Promise<SessionState> {
  // /auth/session answers 200 with user null when nobody is logged in: an anonymous page load then
  // shows no failed request in the console (GET /me answered 401).
  const session = await requestJson<{ user: Parameters<typeof toCurrentUser>[0] | null }>(apiUrl('auth/session'), { allowUnauthenticated: true });
  setState(session.user ? { status: 'authenticated', user: toCurrentUser(session.user) } : { status: 'anonymous' });
  return state;
}

/** Logs in with the cookie session; the bearer token in the answer is not kept (scripts should not hold it). */
export async function logIn(username: string, password: string): Promise<CurrentUser> {
  const result = await requestJson<{ user: Parameters<typeof toCurrentUser>[0] }>(apiUrl('auth/login'), {
    json: { username, password },
    allowUnauthenticated: true,
  });
  const user = toCurrentUser(result.user);
  setState({ status: 'authenticated', user });
  return user;
}

export async function logOut(): Promise<void> {
  try {
    await requestJson(apiUrl('auth/logout'), { method: 'POST', json: {}, allowUnauthenticated: true });
  } finally {
    setState({ status: 'anonymous' });
  }
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await requestJson(apiUrl('auth/password'), { json: { currentPassword, newPassword } });
}

/** Role-aware navigation: may the current user do this? (The server enforces it regardless.) */
export function can(session: SessionState, permission: Permission): boolean {
  return session.status === 'authenticated' && hasPermission(session.user.role, permission);
}

/** Navigation entries the current user's role can use. */
export function visibleNavigation<T extends { permission: Permission }>(session: SessionState, items: readonly T[]): T[] {
  return items.filter((item) => can(session, item.permission));
}
