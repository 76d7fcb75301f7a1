import express from 'express';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../server/config.ts';
import { securityHeaders } from '../../../server/http/security_headers.ts';

async function cspOf(env: Record<string, string>, headers: Record<string, string> = {}): Promise<string> {
  const config = readConfig({ NODE_ENV: 'test', ...env });
  const app = express();
  app.set('trust proxy', config.LUYU_TRUST_PROXY);
  app.use(securityHeaders(config));
  app.get('/', (_request, response) => response.send('ok'));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers });
    return response.headers.get('content-security-policy') ?? '';
  } finally {
    server.close();
  }
}

describe('Content-Security-Policy', () => {
  it('does not ask a browser on plain HTTP to upgrade to https', async () => {
    expect(await cspOf({})).not.toContain('upgrade-insecure-requests');
  });

  it('asks for the upgrade when the request came over HTTPS through a trusted proxy', async () => {
    expect(await cspOf({ LUYU_TRUST_PROXY: 'loopback' }, { 'X-Forwarded-Proto': 'https' })).toContain('upgrade-insecure-requests');
  });

  it('believes no X-Forwarded-Proto from an untrusted client', async () => {
    expect(await cspOf({}, { 'X-Forwarded-Proto': 'https' })).not.toContain('upgrade-insecure-requests');
  });

  it('lets the page fetch and paint tiles of the configured imagery hosts only', async () => {
    const csp = await cspOf({ LUYU_IMAGERY_ORIGINS: 'https://tiles.example.cn, https://img.example.org:8443/' });
    const directive = (name: string) => csp.split(';').map((part) => part.trim()).find((part) => part.startsWith(`${name} `)) ?? '';
    expect(directive('img-src').split(' ').slice(1)).toEqual(expect.arrayContaining(['https://tiles.example.cn', 'https://img.example.org:8443']));
    expect(directive('connect-src').split(' ').slice(1)).toEqual(["'self'", 'https://tiles.example.cn', 'https://img.example.org:8443']);
  });

  it('refuses an imagery origin that is not https', () => {
    expect(() => readConfig({ LUYU_IMAGERY_ORIGINS: 'http://tiles.example.cn' })).toThrow(/LUYU_IMAGERY_ORIGINS/);
  });
});
