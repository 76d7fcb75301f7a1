import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCacheControl, clientStatic } from '../../../server/http/static_client.ts';

describe('clientCacheControl', () => {
  it('caches content-hashed assets for a year, immutable', () => {
    expect(clientCacheControl('assets/index-B3x_9kQz.js')).toBe('public, max-age=31536000, immutable');
    expect(clientCacheControl('assets/maplibre-gl-Dk2a81Xy.css')).toBe('public, max-age=31536000, immutable');
  });
  it('revalidates index.html and unhashed files', () => {
    expect(clientCacheControl('index.html')).toBe('no-cache');
    expect(clientCacheControl('favicon.svg')).toBe('no-cache');
    expect(clientCacheControl('assets/logo.svg')).toBe('no-cache');
  });
});

describe('clientStatic', () => {
  let directory: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'luyu-dist-'));
    mkdirSync(path.join(directory, 'assets'));
    writeFileSync(path.join(directory, 'index.html'), '<!doctype html>');
    writeFileSync(path.join(directory, 'assets', 'index-B3x_9kQz.js'), 'console.log(1)');
    writeFileSync(path.join(directory, 'assets', 'index-B3x_9kQz.js.map'), '{"version":3}');
    const app = express();
    app.use(...clientStatic(directory));
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(directory, { recursive: true, force: true });
  });

  it('serves a hashed asset as immutable', async () => {
    const response = await fetch(`${base}/assets/index-B3x_9kQz.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('never serves a source map', async () => {
    const response = await fetch(`${base}/assets/index-B3x_9kQz.js.map`);
    expect(response.status).toBe(404);
  });
});
