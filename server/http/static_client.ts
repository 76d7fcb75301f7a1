/**
 * Serving the built client: Vite puts content-hashed files under /assets/, so they never change
 * under their name and are cached for a year as immutable; index.html and the few unhashed files
 * are revalidated. Source maps are built "hidden" (no sourceMappingURL) and never served: they
 * stay on the server's disk for whoever decodes a stack trace, not on the public web.
 */
import path from 'node:path';
import express, { type RequestHandler } from 'express';

export const HASHED_ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
export const REVALIDATE_CACHE_CONTROL = 'no-cache';

/** The Cache-Control header for a file below the client's dist directory (path relative, `/`-separated). */
export function clientCacheControl(relativePath: string): string {
  return /^assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/.test(relativePath) ? HASHED_ASSET_CACHE_CONTROL : REVALIDATE_CACHE_CONTROL;
}

export function clientStatic(distDir: string): RequestHandler[] {
  const refuseSourceMaps: RequestHandler = (request, response, next) => {
    if (request.path.endsWith('.map')) {
      response.status(404).json({ error: { code: 'NOT_FOUND', message: 'Not found', details: null } });
      return;
    }
    next();
  };
  const files = express.static(distDir, {
    index: false,
    setHeaders: (response, filePath) => {
      response.setHeader('Cache-Control', clientCacheControl(path.relative(distDir, filePath).split(path.sep).join('/')));
    },
  });
  return [refuseSourceMaps, files];
}
