/**
 * Issue 9, sessions: weak passwords refused beyond length, X-Forwarded-* believed only from
 * LUYU_TRUST_PROXY, Secure cookies over HTTPS, no-store on API answers, /health versions for
 * administrators only.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../server/auth/service.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

let direct: TestServer;
let proxied: TestServer;

beforeAll(async () => {
  direct = await startTestServer({ as: null });
  proxied = await startTestServer({ as: null, env: { LUYU_TRUST_PROXY: 'loopback' } });
});
afterAll(async () => {
  await direct?.close();
  await proxied?.close();
});

const unique = () => randomBytes(4).toString('hex');

async function newUser(server: TestServer, role = 'officer') {
  const username = `s_${role}_${unique()}`;
  const password = `pw-${unique()}-${unique()}-ok`;
  await createUser(server.db.pool, { username, password, role, jurisdictionCode: '410104' });
  return { username, password };
}

function login(server: TestServer, body: unknown, headers: Record<string, string> = {}) {
  return server.requestWith(undefined, '/auth/login', { method: 'POST', body: JSON.stringify(body), headers });
}

describe('weak passwords', () => {
  it.each(['          ', 'aaaaaaaaaa', '1234567890', 'password123', 'qwertyuiop'])('refuses %j as a new user password', async (password) => {
    await expect(createUser(direct.db.pool, { username: `weak_${unique()}`, password, role: 'officer', jurisdictionCode: '410104' })).rejects.toMatchObject({
      code: 'PASSWORD_TOO_WEAK',
    });
  });

  it('refuses a password built on the username and accepts a long unrelated passphrase', async () => {
    const username = `river_${unique()}`;
    await expect(createUser(direct.db.pool, { username, password: `${username}2024`, role: 'officer', jurisdictionCode: '410104' })).rejects.toMatchObject({ code: 'PASSWORD_TOO_WEAK' });
    await expect(createUser(direct.db.pool, { username, password: 'lantern-orchard-Kiln-47', role: 'officer', jurisdictionCode: '410104' })).resolves.toMatchObject({ jurisdictionCode: '410104' });
  });
});

describe('trust proxy', () => {
  it('ignores X-Forwarded-For from a client when no proxy is trusted (the audit keeps the socket address)', async () => {
    const { username } = await newUser(direct);
    const response = await login(direct, { username, password: 'wrong-password-x' }, { 'x-forwarded-for': '203.0.113.9' });
    expect(response.status).toBe(401);
    const rows = await direct.db.pool.query<{ client_ip: string }>('SELECT client_ip::text FROM audit_log WHERE request_id = $1', [response.headers.get('x-request-id')]);
    expect(rows.rows.map((row) => row.client_ip.replace(/\/\d+$/, ''))).toEqual([expect.stringMatching(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/)]);
  });

  it('believes X-Forwarded-For from a trusted proxy', async () => {
    const { username } = await newUser(proxied);
    const response = await login(proxied, { username, password: 'wrong-password-x' }, { 'x-forwarded-for': '203.0.113.9' });
    const rows = await proxied.db.pool.query<{ client_ip: string }>('SELECT client_ip::text FROM audit_log WHERE request_id = $1', [response.headers.get('x-request-id')]);
    expect(rows.rows.map((row) => row.client_ip.replace(/\/\d+$/, ''))).toEqual(['203.0.113.9']);
  });
});

describe('cookies and caching', () => {
  const cookiesOf = (response: { headers: Headers }) => response.headers.getSetCookie();

  it('sets Secure cookies when a trusted proxy says the request came over HTTPS, and not on plain HTTP', async () => {
    const user = await newUser(proxied);
    const overHttps = await login(proxied, user, { 'x-forwarded-proto': 'https' });
    expect(overHttps.status).toBe(200);
    expect(cookiesOf(overHttps)).toHaveLength(2);
    for (const cookie of cookiesOf(overHttps)) expect(cookie).toMatch(/;\s*Secure/i);
    const plain = await login(proxied, user);
    for (const cookie of cookiesOf(plain)) expect(cookie).not.toMatch(/;\s*Secure/i);
    // The same header from an untrusted client changes nothing.
    const directUser = await newUser(direct);
    const spoofed = await login(direct, directUser, { 'x-forwarded-proto': 'https' });
    for (const cookie of cookiesOf(spoofed)) expect(cookie).not.toMatch(/;\s*Secure/i);
  });

  it('answers API JSON with Cache-Control: no-store', async () => {
    const token = await direct.login('officer');
    for (const path of ['/routes', '/detection-batches', '/nope']) {
      const response = await direct.requestWith(token, path);
      expect(response.headers.get('cache-control'), path).toBe('no-store');
    }
  });
});

describe('/health', () => {
  it('tells anonymous callers and non-admins only the status, and administrators the versions', async () => {
    const anonymous = await direct.requestWith(undefined, '/health');
    expect(anonymous.body).toEqual({ status: 'ok' });
    const officer = await direct.requestWith(await direct.login('officer'), '/health');
    expect(officer.body).toEqual({ status: 'ok' });
    const admin = await direct.requestWith(await direct.login('province_admin'), '/health');
    expect(admin.body.database.postgresVersion).toMatch(/^\d+/);
    expect(admin.body.migrations.applied).toContain('008_jobs.sql');
  });
});
