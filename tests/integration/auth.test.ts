import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/auth/service.ts';
import { DEMO_PASSWORD } from '../../data/seed/demo_users.ts';
import { startTestServer, type TestResponse, type TestServer } from './helpers/test_server.ts';

/** These tests play a reverse proxy on loopback that sets X-Forwarded-For (LUYU_TRUST_PROXY trusts it). */
const BEHIND_PROXY = { LUYU_TRUST_PROXY: 'loopback' };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ as: null, env: BEHIND_PROXY });
});
afterAll(async () => {
  await server.close();
});

const unique = () => randomBytes(4).toString('hex');
/** A distinct client address per attempt, so the per-IP limiter stays out of the way (BEHIND_PROXY). */
const randomIp = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

async function newUser(role = 'officer', jurisdictionCode = '410104'): Promise<{ username: string; password: string }> {
  const username = `t_${role}_${unique()}`;
  const password = `pw-${unique()}-${unique()}`;
  await createUser(server.db.pool, { username, password, role, jurisdictionCode });
  return { username, password };
}

function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  return server.requestWith(undefined, path, { method: 'POST', body: JSON.stringify(body), headers: { 'x-forwarded-for': randomIp(), ...headers } });
}

async function auditRowsOf(response: TestResponse<unknown>): Promise<{ action: string; actor_username: string | null }[]> {
  const requestId = response.headers.get('x-request-id');
  expect(requestId).toBeTruthy();
  const rows = await server.db.pool.query<{ action: string; actor_username: string | null }>(
    'SELECT action, actor_username FROM audit_log WHERE request_id = $1',
    [requestId],
  );
  return rows.rows;
}

function cookiesOf(response: TestResponse<unknown>): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [name, value] = pair!.split('=');
    cookies.set(name!.trim(), line.includes('Max-Age=0') || line.includes('Expires=Thu, 01 Jan 1970') ? '' : value!.trim());
  }
  return cookies;
}

describe('login', () => {
  it('returns a token and the user with jurisdiction, sets HttpOnly session and readable CSRF cookies, and audits once', async () => {
    const response = await postJson('/auth/login', { username: 'officer', password: DEMO_PASSWORD });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      token: expect.any(String),
      user: { username: 'officer', role: 'officer', jurisdiction: { code: '410104', name: '管城回族区', level: 'district' } },
    });
    const setCookies = response.headers.getSetCookie();
    const session = setCookies.find((line) => line.startsWith('luyu_session='))!;
    const csrf = setCookies.find((line) => line.startsWith('luyu_csrf='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(csrf).not.toMatch(/HttpOnly/i);
    expect(await auditRowsOf(response)).toEqual([{ action: 'auth.login', actor_username: 'officer' }]);
    // Only the hash is stored.
    const stored = await server.db.pool.query('SELECT count(*)::integer AS count FROM sessions WHERE token_hash = $1', [(response.body as { token: string }).token]);
    expect(stored.rows[0].count).toBe(0);
  });

  it('answers unknown user and wrong password with the same 401 INVALID_CREDENTIALS, each audited once', async () => {
    const wrong = await postJson('/auth/login', { username: 'officer', password: 'not-the-password' });
    const unknown = await postJson('/auth/login', { username: `nobody_${unique()}`, password: 'whatever-password' });
    for (const response of [wrong, unknown]) {
      expect(response.status).toBe(401);
      expect((response.body as any).error.code).toBe('INVALID_CREDENTIALS');
      expect(await auditRowsOf(response)).toEqual([{ action: 'auth.login_failed', actor_username: null }]);
    }
    expect((wrong.body as any).error.message).toBe((unknown.body as any).error.message);
  });

  it('refuses a body over the route limit with 413', async () => {
    const response = await postJson('/auth/login', { username: 'officer', password: 'x'.repeat(10_000) });
    expect(response.status).toBe(413);
    expect((response.body as any).error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('sessions', () => {
  it('GET /me answers with a bearer token and 401 UNAUTHENTICATED without or with a bad one', async () => {
    const token = await server.login('viewer');
    const me = await server.requestWith(token, '/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'viewer', role: 'viewer', jurisdiction: { code: '410104' }, permissions: expect.arrayContaining(['network.read']) });
    expect((await server.requestWith(undefined, '/me')).body.error.code).toBe('UNAUTHENTICATED');
    expect((await server.requestWith('A'.repeat(43), '/me')).status).toBe(401);
  });

  it('cookie sessions need the CSRF header on writes; logout ends the session and audits once', async () => {
    const login = await postJson('/auth/login', { username: 'manager', password: DEMO_PASSWORD });
    const cookies = cookiesOf(login);
    const cookieHeader = `luyu_session=${cookies.get('luyu_session')}; luyu_csrf=${cookies.get('luyu_csrf')}`;
    expect((await server.requestWith(undefined, '/me', { headers: { cookie: cookieHeader } })).status).toBe(200);

    const forged = await server.requestWith(undefined, '/auth/logout', { method: 'POST', headers: { cookie: cookieHeader } });
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('CSRF_TOKEN_INVALID');
    const wrongToken = await server.requestWith(undefined, '/auth/logout', { method: 'POST', headers: { cookie: cookieHeader, 'x-csrf-token': 'B'.repeat(43) } });
    expect(wrongToken.status).toBe(403);
    expect(await auditRowsOf(forged)).toEqual([]);

    const logout = await server.requestWith(undefined, '/auth/logout', {
      method: 'POST',
      headers: { cookie: cookieHeader, 'x-csrf-token': cookies.get('luyu_csrf')! },
    });
    expect(logout.status).toBe(200);
    expect(cookiesOf(logout).get('luyu_session')).toBe('');
    expect(await auditRowsOf(logout)).toEqual([{ action: 'auth.logout', actor_username: 'manager' }]);
    expect((await server.requestWith(undefined, '/me', { headers: { cookie: cookieHeader } })).status).toBe(401);
  });

  it('bearer requests are exempt from CSRF, and a logged-out token is dead', async () => {
    const token = await server.login('patrol');
    const logout = await server.requestWith(token, '/auth/logout', { method: 'POST' });
    expect(logout.status).toBe(200);
    expect(await auditRowsOf(logout)).toEqual([{ action: 'auth.logout', actor_username: 'patrol' }]);
    expect((await server.requestWith(token, '/me')).status).toBe(401);
  });
});

describe('password change', () => {
  it('enforces the rules, then changes the password, ends the other sessions and audits once', async () => {
    const { username, password } = await newUser();
    const token = await server.login(username, password);
    const otherSession = await server.login(username, password);
    const change = (body: unknown) => server.requestWith(token, '/auth/password', { method: 'POST', body: JSON.stringify(body) });

    expect((await change({ currentPassword: password, newPassword: 'short' })).body.error.code).toBe('PASSWORD_TOO_WEAK');
    expect((await change({ currentPassword: password, newPassword: username })).status).toBe(400);
    const wrongCurrent = await change({ currentPassword: 'wrong-password-123', newPassword: 'a-good-new-password' });
    expect(wrongCurrent.body.error.code).toBe('CURRENT_PASSWORD_WRONG');

    const changed = await change({ currentPassword: password, newPassword: 'a-good-new-password' });
    expect(changed.status).toBe(200);
    expect(await auditRowsOf(changed)).toEqual([{ action: 'auth.password_change', actor_username: username }]);
    expect((await server.requestWith(token, '/me')).status).toBe(200);
    expect((await server.requestWith(otherSession, '/me')).status).toBe(401);
    expect((await postJson('/auth/login', { username, password })).status).toBe(401);
    expect((await postJson('/auth/login', { username, password: 'a-good-new-password' })).status).toBe(200);
    const stored = await server.db.pool.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE username = $1', [username]);
    expect(stored.rows[0]!.password_hash).toMatch(/^scrypt\$/);
    expect(stored.rows[0]!.password_hash).not.toContain('a-good-new-password');
  });
});

describe('brute force', () => {
  it('refuses the 11th wrong password from one address within a minute with 429, even when it is the right password', async () => {
    const { username, password } = await newUser();
    const from = { 'x-forwarded-for': randomIp() };
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const response = await postJson('/auth/login', { username, password: `wrong-${attempt}` }, from);
      expect(response.status, `attempt ${attempt}`).toBe(401);
    }
    const eleventh = await postJson('/auth/login', { username, password: 'wrong-11' }, from);
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(eleventh.body.error.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(await auditRowsOf(eleventh)).toEqual([{ action: 'auth.login_locked', actor_username: null }]);
    const correct = await postJson('/auth/login', { username, password }, from);
    expect(correct.status).toBe(429);
    // Another account is not affected.
    expect((await postJson('/auth/login', { username: 'dispatcher', password: DEMO_PASSWORD }, from)).status).toBe(200);
  });

  it('locks an account only for the address the failures came from: its owner elsewhere still logs in', async () => {
    const limited = await startTestServer({ as: null, env: { ...BEHIND_PROXY, LUYU_LOGIN_MAX_FAILURES: '3' } });
    try {
      const { username, password } = await newUser();
      const attacker = randomIp();
      const owner = randomIp();
      const attempt = (from: string, secret: string) =>
        limited.requestWith(undefined, '/auth/login', { method: 'POST', body: JSON.stringify({ username, password: secret }), headers: { 'x-forwarded-for': from } });
      for (let index = 1; index <= 3; index += 1) expect((await attempt(attacker, `wrong-${index}`)).status).toBe(401);
      const locked = await attempt(attacker, password);
      expect(locked.status).toBe(429);
      expect(locked.headers.get('retry-after')).toBe(String(locked.body.error.details.retryAfterSeconds));
      expect((await attempt(owner, password)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('makes each lock of the same account and address twice as long as the one before', async () => {
    const limited = await startTestServer({ as: null, env: { ...BEHIND_PROXY, LUYU_LOGIN_MAX_FAILURES: '2', LUYU_LOGIN_FIRST_LOCK_SECONDS: '1' } });
    try {
      const { username } = await newUser();
      const from = randomIp();
      const attempt = () =>
        limited.requestWith(undefined, '/auth/login', { method: 'POST', body: JSON.stringify({ username, password: 'wrong-password-x' }), headers: { 'x-forwarded-for': from } });
      const lockSeconds = async () => {
        const row = await limited.db.pool.query<{ seconds: number }>(
          `SELECT extract(epoch FROM locked_until - last_failure_at)::float8 AS seconds FROM login_throttle WHERE key = $1`,
          [`user:${username.toLowerCase()}|ip:${from}`],
        );
        return Math.round(row.rows[0]!.seconds);
      };
      expect((await attempt()).status).toBe(401);
      expect((await attempt()).status).toBe(401); // the limit: first lock, 1 s
      expect(await lockSeconds()).toBe(1);
      expect((await attempt()).status).toBe(429);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect((await attempt()).status).toBe(401); // counted again after the lock: 2 s
      expect(await lockSeconds()).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 2_200));
      expect((await attempt()).status).toBe(401); // 4 s
      expect(await lockSeconds()).toBe(4);
    } finally {
      await limited.close();
    }
  });

  it('locks a client address after too many failures across accounts', async () => {
    const limited = await startTestServer({ as: null, env: { ...BEHIND_PROXY, LUYU_LOGIN_MAX_FAILURES_PER_IP: '3' } });
    try {
      const ip = randomIp();
      const attempt = (username: string, password: string) =>
        limited.requestWith(undefined, '/auth/login', { method: 'POST', body: JSON.stringify({ username, password }), headers: { 'x-forwarded-for': ip } });
      for (let index = 0; index < 3; index += 1) expect((await attempt(`ghost_${unique()}`, 'whatever-password')).status).toBe(401);
      expect((await attempt('viewer', DEMO_PASSWORD)).status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe('timing', () => {
  it('an unknown user costs the same time as a wrong password (paired medians within 5 ms, or a quarter of a login under load)', async () => {
    const relaxed = await startTestServer({ as: null, env: { ...BEHIND_PROXY, LUYU_LOGIN_MAX_FAILURES: '1000' } });
    try {
      const { username } = await newUser();
      const attempt = async (name: string) => {
        const started = performance.now();
        const response = await relaxed.requestWith(undefined, '/auth/login', {
          method: 'POST',
          body: JSON.stringify({ username: name, password: 'wrong-password-1' }),
          headers: { 'x-forwarded-for': randomIp() },
        });
        expect(response.status).toBe(401);
        return performance.now() - started;
      };
      await attempt(username); // warm-up (dummy hash, statement caches)
      await attempt(`ghost_${unique()}`);
      // A real leak (no dummy hash) is a whole scrypt, ~30 ms, in every round. Noise from the other
      // test worker sharing the database is a few ms and rarely repeats: up to three rounds, one
      // under 5 ms passes.
      const measureRound = async (): Promise<{ difference: number; allowedMs: number }> => {
        // Pairs measured back to back so load drift on a busy machine cancels out. Half the pairs
        // start with the known user, half with the unknown one; averaging the two halves' medians
        // cancels any "first of a pair is slower" effect, leaving what an attacker could observe.
        const known: number[] = [];
        const unknown: number[] = [];
        const knownFirst: number[] = [];
        const unknownFirst: number[] = [];
        for (let index = 0; index < 16; index += 1) {
          let knownMs: number;
          let unknownMs: number;
          if (index % 2 === 0) {
            knownMs = await attempt(username);
            unknownMs = await attempt(`ghost_${unique()}`);
            knownFirst.push(knownMs - unknownMs);
          } else {
            unknownMs = await attempt(`ghost_${unique()}`);
            knownMs = await attempt(username);
            unknownFirst.push(knownMs - unknownMs);
          }
          known.push(knownMs);
          unknown.push(unknownMs);
        }
        const median = (values: number[]) => {
          const sorted = [...values].sort((a, b) => a - b);
          const middle = sorted.length / 2;
          return sorted.length % 2 === 0 ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[Math.floor(middle)]!;
        };
        const difference = (median(knownFirst) + median(unknownFirst)) / 2;
        console.log(
          `[timing] medians: wrong password ${median(known).toFixed(1)} ms, unknown user ${median(unknown).toFixed(1)} ms, ` +
            `paired difference ${difference.toFixed(1)} ms (order effect ${((median(knownFirst) - median(unknownFirst)) / 2).toFixed(1)} ms)`,
        );
        // What may differ: 5 ms, or a quarter of a login when the machine is so loaded that a login
        // takes hundreds of ms (CI under load failed at 190–360 ms per login). A leak skips the whole
        // scrypt, which is most of a login, so it stays far above a quarter at any load.
        return { difference, allowedMs: Math.max(5, median(known) / 4) };
      };
      const rounds: Array<{ difference: number; allowedMs: number }> = [];
      for (let round = 0; round < 3; round += 1) {
        rounds.push(await measureRound());
        if (Math.abs(rounds.at(-1)!.difference) < rounds.at(-1)!.allowedMs) break;
      }
      expect(rounds.some((round) => Math.abs(round.difference) < round.allowedMs), JSON.stringify(rounds)).toBe(true);
    } finally {
      await relaxed.close();
    }
  });
});

describe('production and logs', () => {
  it('refuses demo users in production unless LUYU_ALLOW_DEMO_USERS=true', async () => {
    const production = await startTestServer({ as: null, env: { ...BEHIND_PROXY, NODE_ENV: 'production', LUYU_LOG_LEVEL: 'silent' } });
    const allowed = await startTestServer({ as: null, env: { ...BEHIND_PROXY, NODE_ENV: 'production', LUYU_ALLOW_DEMO_USERS: 'true', LUYU_LOG_LEVEL: 'silent' } });
    try {
      const body = JSON.stringify({ username: 'viewer', password: DEMO_PASSWORD });
      const refused = await production.requestWith(undefined, '/auth/login', { method: 'POST', body, headers: { 'x-forwarded-for': randomIp() } });
      expect(refused.status).toBe(401);
      const accepted = await allowed.requestWith(undefined, '/auth/login', { method: 'POST', body, headers: { 'x-forwarded-for': randomIp() } });
      expect(accepted.status).toBe(200);
      expect(accepted.headers.getSetCookie().join('\n')).toMatch(/Secure/);
    } finally {
      await production.close();
      await allowed.close();
    }
  });

  it('never logs passwords, tokens, cookies or Authorization headers', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logged = await startTestServer({ as: null, env: BEHIND_PROXY, logger: pino({ level: 'trace' }, sink) });
    try {
      const password = DEMO_PASSWORD;
      const login = await logged.requestWith(undefined, '/auth/login', { method: 'POST', body: JSON.stringify({ username: 'viewer', password }) });
      const { token, csrfToken } = login.body as { token: string; csrfToken: string };
      await logged.requestWith(token, '/me');
      await logged.requestWith(undefined, '/me', { headers: { cookie: `luyu_session=${token}; luyu_csrf=${csrfToken}` } });
      await logged.requestWith(undefined, `/segments?token=${token}`);
      const output = lines.join('');
      expect(output.length).toBeGreaterThan(0);
      for (const secret of [password, token, csrfToken]) expect(output).not.toContain(secret);
      expect(output.toLowerCase()).not.toContain('authorization');
      expect(output.toLowerCase()).not.toContain('cookie');
    } finally {
      await logged.close();
    }
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const preflight = { method: 'OPTIONS', headers: { origin: 'https://example.org', 'access-control-request-method': 'GET' } };
    const closed = await server.requestWith(undefined, '/segments', preflight);
    expect(closed.headers.get('access-control-allow-origin')).toBeNull();
    const open = await startTestServer({ as: null, env: { ...BEHIND_PROXY, LUYU_CORS_ORIGINS: 'https://example.org' } });
    try {
      const allowed = await open.requestWith(undefined, '/segments', preflight);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://example.org');
    } finally {
      await open.close();
    }
  });
});

describe('OpenAPI', () => {
  it('marks protected operations with their security and permission, public ones with none', async () => {
    const document = (await server.requestWith(undefined, '/openapi.json')).body;
    expect(document.paths['/api/v1/segments'].get['x-permission']).toBe('network.read');
    expect(document.paths['/api/v1/segments'].get.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
    expect(document.paths['/api/v1/auth/login'].post.security).toEqual([]);
    expect(document.paths['/api/v1/audit'].get['x-permission']).toBe('audit.read');
  });
});
