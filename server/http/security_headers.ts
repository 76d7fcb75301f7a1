import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../config.ts';

/**
 * Helmet with a Content-Security-Policy that fits where Luyu runs: on a LAN over plain HTTP as well
 * as behind TLS. Helmet's default `upgrade-insecure-requests` makes a browser on http://10.x.x.x
 * ask for https:// for every script and style — a blank page — so it is sent only when the request
 * itself came over HTTPS (`req.secure`, which believes X-Forwarded-Proto only from LUYU_TRUST_PROXY).
 * Review imagery hosts (LUYU_IMAGERY_ORIGINS) may be painted and fetched: MapLibre loads raster
 * tiles with fetch (connect-src) and paints them from blob: (img-src).
 */
export function securityHeaders(config: AppConfig): RequestHandler {
  const basemap = config.LUYU_BASEMAP_STYLE_URL ? ['https:'] : [];
  const imagery = config.LUYU_IMAGERY_ORIGINS;
  const directives = {
    // MapLibre runs its workers from blob: URLs and paints images from data:/blob:.
    'worker-src': ["'self'", 'blob:'],
    'child-src': ["'self'", 'blob:'],
    'img-src': ["'self'", 'data:', 'blob:', ...basemap, ...imagery],
    'connect-src': ["'self'", ...basemap, ...imagery],
    'style-src': ["'self'", "'unsafe-inline'"],
    'font-src': ["'self'", 'data:'],
  };
  const overHttps = helmet({ contentSecurityPolicy: { directives: { ...directives, 'upgrade-insecure-requests': [] } } });
  const overHttp = helmet({ contentSecurityPolicy: { directives: { ...directives, 'upgrade-insecure-requests': null } } });
  return (request, response, next) => (request.secure ? overHttps : overHttp)(request, response, next);
}
