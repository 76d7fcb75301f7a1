import type pg from 'pg';
import type { AppConfig } from '../config.ts';
import type { Queryable } from '../db/database.ts';
import { withTransaction } from '../db/transaction.ts';
import { isRole, type Role } from '../domain/roles.ts';
import { AppError, badRequest } from '../http/errors.ts';
import type { AuditEntry } from '../http/route_definition.ts';
import { passwordWeakness } from './password_strength.ts';
import { dummyPasswordHash, hashPassword, hashToken, newToken, verifyPassword } from './credentials.ts';
import {
  clearLoginFailures,
  deleteExpiredSessions,
  deleteOtherSessions,
  deleteSession,
  insertSession,
  insertUser,
  recordLoginFailure,
  selectJurisdiction,
  selectLockedKeys,
  selectTopJurisdictions,
  selectUserById,
  selectUserByUsername,
  updatePasswordHash,
} from './queries.ts';
import type { SessionUser } from './session_user.ts';

const INVALID_CREDENTIALS_MESSAGE = 'Username or password is wrong';

export interface LoginResult {
  token: string;
  csrfToken: string;
  expiresInSeconds: number;
  user: { username: string; displayName: string | null; role: Role; jurisdiction: { code: string; name: string; level: string } };
}

type AuditWriter = (entry: AuditEntry, on?: Queryable) => Promise<void>;

/**
 * The account is throttled per client address (issue 9): failures from one address lock that
 * address out of the account, never the account's owner at another address; each address also
 * has its own limit across accounts (password spraying).
 */
function throttleKeys(username: string, clientIp: string | null): { account: string; client: string | null } {
  const account = `user:${username.trim().toLowerCase()}`;
  return { account: clientIp ? `${account}|ip:${clientIp}` : account, client: clientIp ? `ip:${clientIp}` : null };
}

/**
 * Password login with throttling kept in the database. The lock is checked BEFORE the password,
 * so a locked account answers 429 without revealing whether a guess was right. Unknown users are
 * verified against a dummy hash and counted like wrong passwords: both cases do the same work.
 * Failures and their audit rows are written outside any transaction so they survive the 401.
 */
export async function login(
  pool: pg.Pool,
  config: AppConfig,
  credentials: { username: string; password: string },
  clientIp: string | null,
  audit: AuditWriter,
): Promise<LoginResult> {
  const keys = throttleKeys(credentials.username, clientIp);
  const lockedKeys = await selectLockedKeys(pool, keys.client ? [keys.account, keys.client] : [keys.account]);
  if (lockedKeys.length > 0) {
    const retryAfterSeconds = Math.max(1, ...lockedKeys.map((row) => row.locked_seconds));
    await audit({ action: 'auth.login_locked', entityType: 'user', entityId: credentials.username.slice(0, 64) });
    throw new AppError(429, 'ACCOUNT_LOCKED', `Too many failed logins; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }

  const user = await selectUserByUsername(pool, credentials.username);
  const passwordMatches = await verifyPassword(credentials.password, user?.password_hash ?? (await dummyPasswordHash()));
  // Demo accounts share a published password: production refuses them unless explicitly allowed.
  const demoRefused = user?.is_demo === true && config.NODE_ENV === 'production' && config.LUYU_ALLOW_DEMO_USERS !== 'true';
  if (!user || !passwordMatches || user.disabled_at !== null || !isRole(user.role) || demoRefused) {
    const limits = { windowSeconds: config.LUYU_LOGIN_WINDOW_SECONDS, lockSeconds: config.LUYU_LOGIN_LOCK_SECONDS, firstLockSeconds: config.LUYU_LOGIN_FIRST_LOCK_SECONDS };
    await recordLoginFailure(pool, keys.account, { ...limits, maxFailures: config.LUYU_LOGIN_MAX_FAILURES });
    if (keys.client) await recordLoginFailure(pool, keys.client, { ...limits, maxFailures: config.LUYU_LOGIN_MAX_FAILURES_PER_IP });
    // Never the password; the attempted name only, cut to the length a username can have.
    await audit({ action: 'auth.login_failed', entityType: 'user', entityId: credentials.username.slice(0, 64), jurisdictionCode: user?.jurisdiction_code ?? null });
    throw new AppError(401, 'INVALID_CREDENTIALS', INVALID_CREDENTIALS_MESSAGE);
  }

  const jurisdiction = await selectJurisdiction(pool, user.jurisdiction_code);
  if (!jurisdiction) throw new Error(`user ${user.id} has unknown jurisdiction ${user.jurisdiction_code}`);
  const token = newToken();
  const csrfToken = newToken();
  const lifetimeSeconds = Math.round(config.LUYU_SESSION_HOURS * 3600);
  await withTransaction(pool, async (client) => {
    await clearLoginFailures(client, keys.account);
    await deleteExpiredSessions(client);
    await insertSession(client, { tokenHash: hashToken(token), csrfHash: hashToken(csrfToken), userId: user.id, lifetimeSeconds, clientIp });
    await audit(
      {
        action: 'auth.login',
        entityType: 'user',
        entityId: user.id,
        actor: { id: user.id, username: user.username, role: user.role, jurisdictionCode: user.jurisdiction_code },
      },
      client,
    );
  });
  return {
    token,
    csrfToken,
    expiresInSeconds: lifetimeSeconds,
    user: {
      username: user.username,
      displayName: user.display_name,
      role: user.role,
      jurisdiction: { code: jurisdiction.code, name: jurisdiction.name, level: jurisdiction.level },
    },
  };
}

/** Ends the request's own session (runs in the request's scoped transaction). */
export async function logout(db: Queryable, user: SessionUser): Promise<void> {
  await deleteSession(db, user.sessionId);
}

/** Checks the current password and the rules, stores a new hash, and ends the user's other sessions. */
export async function changePassword(db: Queryable, user: SessionUser, passwords: { currentPassword: string; newPassword: string }): Promise<{ endedSessions: number }> {
  const row = await selectUserById(db, user.id);
  if (!row || !(await verifyPassword(passwords.currentPassword, row.password_hash))) {
    throw new AppError(400, 'CURRENT_PASSWORD_WRONG', 'The current password is wrong');
  }
  const problem = passwordWeakness(passwords.newPassword, user.username);
  if (problem) throw badRequest('PASSWORD_TOO_WEAK', problem, { path: 'newPassword' });
  if (passwords.newPassword === passwords.currentPassword) throw badRequest('PASSWORD_TOO_WEAK', 'the new password must differ from the current one', { path: 'newPassword' });
  await updatePasswordHash(db, user.id, await hashPassword(passwords.newPassword));
  return { endedSessions: await deleteOtherSessions(db, user.id, user.sessionId) };
}

export interface NewUser {
  username: string;
  password: string;
  role: string;
  jurisdictionCode?: string;
  displayName?: string | null;
  /** 执法证号 (officers and managers): printed on enforcement documents. */
  certificateNumber?: string | null;
  isDemo?: boolean;
  /** Demo accounts only: their well-known password (luyu-demo) is below the length rule. */
  skipPasswordRules?: boolean;
}

/** Creates an account (CLI, first admin from the environment, demo users); runs as the owner. */
export async function createUser(db: Queryable, input: NewUser): Promise<{ id: number; jurisdictionCode: string }> {
  if (!isRole(input.role)) throw badRequest('ROLE_UNKNOWN', `role must be one of admin, manager, officer, dispatcher, patrol, viewer`);
  if (!/^[A-Za-z0-9_.-]{2,64}$/.test(input.username)) throw badRequest('USERNAME_INVALID', 'username must be 2–64 letters, digits, _ . or -');
  const problem = input.skipPasswordRules ? null : passwordWeakness(input.password, input.username);
  if (problem) throw badRequest('PASSWORD_TOO_WEAK', problem);
  let jurisdictionCode = input.jurisdictionCode;
  if (!jurisdictionCode) {
    const tops = await selectTopJurisdictions(db);
    if (tops.length !== 1) throw badRequest('JURISDICTION_REQUIRED', 'name the jurisdiction code (e.g. 410000): the jurisdiction tree has no single top');
    jurisdictionCode = tops[0]!.code;
  }
  if (!(await selectJurisdiction(db, jurisdictionCode))) {
    throw badRequest('JURISDICTION_UNKNOWN', `jurisdiction ${jurisdictionCode} does not exist; load the jurisdictions (or the demo data) first`);
  }
  if (await selectUserByUsername(db, input.username)) throw new AppError(409, 'USERNAME_TAKEN', `user ${input.username} already exists`);
  if (input.certificateNumber != null && !/^[0-9A-Za-z-]{4,32}$/.test(input.certificateNumber)) {
    throw badRequest('CERTIFICATE_NUMBER_INVALID', 'certificate number must be 4–32 letters, digits or -');
  }
  const id = await insertUser(db, {
    username: input.username,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    jurisdictionCode,
    displayName: input.displayName ?? null,
    certificateNumber: input.certificateNumber ?? null,
    isDemo: input.isDemo ?? false,
  });
  return { id, jurisdictionCode };
}

/** LUYU_ADMIN_USERNAME / LUYU_ADMIN_PASSWORD: the first admin of a real deployment, created once. */
export async function ensureConfiguredAdmin(db: Queryable, config: AppConfig): Promise<string | null> {
  if (!config.LUYU_ADMIN_USERNAME || !config.LUYU_ADMIN_PASSWORD) return null;
  if (await selectUserByUsername(db, config.LUYU_ADMIN_USERNAME)) return null;
  await createUser(db, {
    username: config.LUYU_ADMIN_USERNAME,
    password: config.LUYU_ADMIN_PASSWORD,
    role: 'admin',
    jurisdictionCode: config.LUYU_ADMIN_JURISDICTION,
  });
  return config.LUYU_ADMIN_USERNAME;
}
