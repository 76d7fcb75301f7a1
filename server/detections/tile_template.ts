import { isIP } from 'node:net';

/**
 * A WMTS GetTile template (KVP `…&TILEMATRIX={TileMatrix}&TILEROW={TileRow}&TILECOL={TileCol}` or
 * REST `…/{TileMatrix}/{TileRow}/{TileCol}.jpg`) as the XYZ template MapLibre reads. In a Web
 * Mercator tile matrix set whose matrix identifiers are the zoom levels (Tianditu's `w`, Google's
 * GoogleMapsCompatible) the matrix is z, the row y (counted from the top) and the column x. An
 * XYZ template comes back as it is. Placeholders are matched case-insensitively.
 */
export function xyzTileTemplate(template: string): string {
  return template.replace(/\{TileMatrix\}/gi, '{z}').replace(/\{TileRow\}/gi, '{y}').replace(/\{TileCol\}/gi, '{x}');
}

/**
 * Why an XYZ tile template of review imagery cannot be stored, or null when it can. The browser of
 * every reviewer fetches these URLs, so a template must be https, on a host the deployment allows
 * (LUYU_IMAGERY_ORIGINS, also the page's Content-Security-Policy) and not a private or loopback
 * address (a template must never turn reviewers' browsers into probes of their own LAN).
 */
export function tileTemplateProblem(template: string, allowedOrigins: readonly string[]): string | null {
  if (!template.includes('{z}') || !template.includes('{x}') || !template.includes('{y}')) return 'must be an XYZ template with {z}, {x} and {y}';
  let url: URL;
  try {
    url = new URL(template.replaceAll('{z}', '0').replaceAll('{x}', '0').replaceAll('{y}', '0').replaceAll('{s}', 'a'));
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:') return 'must be an https:// URL';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (isPrivateHost(url.hostname)) return `points at a private or loopback address (${url.hostname})`;
  if (allowedOrigins.length === 0) return 'cannot be used: no imagery host is allowed on this server (the administrator lists them in LUYU_IMAGERY_ORIGINS)';
  if (!allowedOrigins.includes(url.origin)) return `must be on an allowed imagery host (${allowedOrigins.join(', ')}), not ${url.origin}`;
  return null;
}

/** Loopback, private, link-local, carrier-grade NAT and unspecified addresses, and local-only names. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return true;
  const version = isIP(host);
  if (version === 4) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  if (version === 6) {
    if (host === '::' || host === '::1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    if (mapped) return isPrivateHost(mapped[1]!);
    return /^f[cd]/.test(host) || /^fe[89ab]/.test(host);
  }
  return false;
}
