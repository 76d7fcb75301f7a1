import type { Queryable } from '../db/database.ts';

export interface UserRow {
  id: number;
  username: string;
  display_name: string | null;
  password_hash: string;
  role: string;
  jurisdiction_code: string;
  disabled_at: Date | null;
  is_demo: boolean;
}

export async function selectUserByUsername(db: Queryable, username: string): Promise<UserRow | undefined> {
  const result = await db.query<UserRow>(
    `SELECT id, username, display_name, password_hash, role, jurisdiction_code, disabled_at, is_demo
     FROM users WHERE lower(username) = lower($1)`,
    [username],
  );
  return result.rows[0];
}

export async function selectUserById(db: Queryable, id: number): Promise<UserRow | undefined> {
  const result = await db.query<UserRow>(
    'SELECT id, username, display_name, password_hash, role, jurisdiction_code, disabled_at, is_demo FROM users WHERE id = $1',
    [id],
  );
  return result.rows[0];
}

export interface SessionUserRow {
  session_id: number;
  csrf_hash: string;
  user_id: number;
  username: string;
  display_name: string | null;
  role: string;
  jurisdiction_code: string;
  jurisdiction_name: string;
  jurisdiction_level: string;
  jurisdiction_is_top: boolean;
  /** The user's jurisdiction and every jurisdiction below it. */
  scope_codes: string[];
}

const SESSION_USER_SQL = `WITH RECURSIVE s AS (
       SELECT se.id AS session_id, se.csrf_hash, u.id AS user_id, u.username, u.display_name, u.role, u.jurisdiction_code
       FROM sessions se JOIN users u ON u.id = se.user_id
       WHERE se.token_hash = $1 AND se.expires_at > now() AND u.disabled_at IS NULL
     ), subtree AS (
       SELECT j.code FROM jurisdictions j JOIN s ON j.code = s.jurisdiction_code
       UNION
       SELECT child.code FROM jurisdictions child JOIN subtree ON child.parent_code = subtree.code
     )
     SELECT s.*, j.name AS jurisdiction_name, j.level AS jurisdiction_level, j.parent_code IS NULL AS jurisdiction_is_top,
            ARRAY(SELECT code FROM subtree ORDER BY code) AS scope_codes
     FROM s JOIN jurisdictions j ON j.code = s.jurisdiction_code`;

/** The live session of a token hash with its user and the user's jurisdiction subtree. */
export async function selectSessionUser(db: Queryable, tokenHash: string): Promise<SessionUserRow | undefined> {
  const result = await db.query<SessionUserRow>(SESSION_USER_SQL, [tokenHash]);
  return result.rows[0];
}

/**
 * The live session of a token hash, and — in the same statement, inside the caller's transaction —
 * the request's scope set as `withRequestScope` sets it (role luyu_app, scope codes, top flag, user
 * id and role; transaction-local). One round trip instead of two for a read request. The role
 * switch takes effect after this statement: the statement itself was planned and checked as the
 * connecting owner, so it still reads sessions and users. No live session: no row, nothing set.
 */
export async function selectSessionUserSettingScope(db: Queryable, tokenHash: string): Promise<SessionUserRow | undefined> {
  // Not a named prepared statement: planning costs 0.4 ms against 0.2 ms running for a province
  // manager, but the embedded database's socket answers named statements out of protocol order.
  const result = await db.query<SessionUserRow>(
    `SELECT session_user_row.*,
            set_config('role', 'luyu_app', true) AS scope_role,
            set_config('luyu.scope_codes', array_to_string(session_user_row.scope_codes, ','), true) AS scope_codes_setting,
            set_config('luyu.scope_is_top', CASE WHEN session_user_row.jurisdiction_is_top THEN 'on' ELSE 'off' END, true) AS scope_is_top_setting,
            set_config('luyu.user_id', session_user_row.user_id::text, true) AS scope_user_id,
            set_config('luyu.role', session_user_row.role, true) AS scope_user_role
     FROM (${SESSION_USER_SQL}) session_user_row`,
    [tokenHash],
  );
  return result.rows[0];
}

export interface JurisdictionRow {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
}

export async function selectJurisdiction(db: Queryable, code: string): Promise<JurisdictionRow | undefined> {
  const result = await db.query<JurisdictionRow>('SELECT code, name, level, parent_code FROM jurisdictions WHERE code = $1', [code]);
  return result.rows[0];
}

export async function selectTopJurisdictions(db: Queryable): Promise<JurisdictionRow[]> {
  const result = await db.query<JurisdictionRow>('SELECT code, name, level, parent_code FROM jurisdictions WHERE parent_code IS NULL ORDER BY code');
  return result.rows;
}

export async function insertSession(
  db: Queryable,
  session: { tokenHash: string; csrfHash: string; userId: number; lifetimeSeconds: number; clientIp: string | null },
): Promise<void> {
  await db.query(
    `INSERT INTO sessions (token_hash, csrf_hash, user_id, expires_at, client_ip)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4), $5)`,
    [session.tokenHash, session.csrfHash, session.userId, session.lifetimeSeconds, session.clientIp],
  );
}

export async function deleteSession(db: Queryable, sessionId: number): Promise<number> {
  const result = await db.query('DELETE FROM sessions WHERE id = $1', [sessionId]);
  return result.rowCount ?? 0;
}

/** After a password change every other session of the user ends. */
export async function deleteOtherSessions(db: Queryable, userId: number, keepSessionId: number): Promise<number> {
  const result = await db.query('DELETE FROM sessions WHERE user_id = $1 AND id <> $2', [userId, keepSessionId]);
  return result.rowCount ?? 0;
}

export async function deleteExpiredSessions(db: Queryable): Promise<number> {
  const result = await db.query('DELETE FROM sessions WHERE expires_at <= now()');
  return result.rowCount ?? 0;
}

export async function updatePasswordHash(db: Queryable, userId: number, passwordHash: string): Promise<number> {
  const result = await db.query('UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1', [userId, passwordHash]);
  return result.rowCount ?? 0;
}

export async function insertUser(
  db: Queryable,
  user: { username: string; passwordHash: string; role: string; jurisdictionCode: string; displayName: string | null; certificateNumber: string | null; isDemo: boolean },
): Promise<number> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO users (username, password_hash, role, jurisdiction_code, display_name, is_demo, enforcement_certificate_number)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [user.username, user.passwordHash, user.role, user.jurisdictionCode, user.displayName, user.isDemo, user.certificateNumber],
  );
  return result.rows[0]!.id;
}

export async function countUsers(db: Queryable): Promise<number> {
  const result = await db.query<{ count: number }>('SELECT count(*)::integer AS count FROM users');
  return result.rows[0]?.count ?? 0;
}

export interface ThrottleRow {
  key: string;
  locked_seconds: number;
}

/** Seconds each key is still locked (keys that are not locked are absent). */
export async function selectLockedKeys(db: Queryable, keys: string[]): Promise<ThrottleRow[]> {
  const result = await db.query<ThrottleRow>(
    `SELECT key, ceil(extract(epoch FROM locked_until - now()))::integer AS locked_seconds
     FROM login_throttle WHERE key = ANY ($1::text[]) AND locked_until > now()`,
    [keys],
  );
  return result.rows;
}

// A key is forgotten once a quiet window has passed after its last failure and after its lock.
const FRESH = `greatest(t.last_failure_at, coalesce(t.locked_until, t.last_failure_at)) <= now() - make_interval(secs => $3::double precision)`;
const FAILURES = `CASE WHEN ${FRESH} THEN 1 ELSE t.failure_count + 1 END`;
const LOCKS = `CASE WHEN ${FRESH} THEN 0 ELSE t.lock_count END`;

/**
 * Counts one failure for a key. From the key's limit on, every failure locks it, each lock twice as
 * long as the one before (first `firstLockSeconds`, at most `lockSeconds`): a growing delay instead
 * of one long lock. While locked, login refuses before checking the password, so a failure can only
 * be counted after a lock ran out. One statement per key, so concurrent failures count exactly.
 */
export async function recordLoginFailure(
  db: Queryable,
  key: string,
  limits: { maxFailures: number; windowSeconds: number; lockSeconds: number; firstLockSeconds: number },
): Promise<void> {
  await db.query(
    `INSERT INTO login_throttle AS t (key, failure_count, window_started_at, last_failure_at, lock_count, locked_until)
     VALUES ($1, 1, now(), now(), CASE WHEN $2::integer <= 1 THEN 1 ELSE 0 END,
             CASE WHEN $2::integer <= 1 THEN now() + make_interval(secs => least($4::double precision, $5::double precision)) END)
     ON CONFLICT (key) DO UPDATE SET
       failure_count = ${FAILURES},
       lock_count = CASE WHEN ${FAILURES} >= $2 THEN ${LOCKS} + 1 ELSE ${LOCKS} END,
       locked_until = CASE WHEN ${FAILURES} >= $2 THEN now() + make_interval(secs => least($4::double precision, $5::double precision * power(2, ${LOCKS})))
                           WHEN ${FRESH} THEN NULL ELSE t.locked_until END,
       window_started_at = CASE WHEN ${FRESH} THEN now() ELSE t.window_started_at END,
       last_failure_at = now()`,
    [key, limits.maxFailures, limits.windowSeconds, limits.lockSeconds, limits.firstLockSeconds],
  );
}

export async function clearLoginFailures(db: Queryable, key: string): Promise<void> {
  await db.query('DELETE FROM login_throttle WHERE key = $1', [key]);
}
