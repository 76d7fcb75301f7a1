import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ADMIN_CLASSES } from './domain/admin_class.ts';
import { DEFAULT_PATROL_SPEEDS_KMH } from './domain/patrol_rules.ts';
import { tileTemplateProblem, xyzTileTemplate } from './detections/tile_template.ts';

/** Where the repository root is, so relative defaults work from any working directory. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..');

const optionalText = z
  .string()
  .trim()
  .transform((text) => (text === '' ? undefined : text))
  .optional();

/** A JSON setting (default `{}`) parsed before its own schema checks it; `example` goes into the message when it is not JSON. */
function jsonText(example: string) {
  return z
    .string()
    .default('{}')
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: `must be JSON, e.g. ${example}` });
        return z.NEVER;
      }
    });
}

const classWidthsSchema = z.partialRecord(z.enum(ADMIN_CLASSES), z.number().nonnegative()).optional();
const zoneWidthOverridesSchema = z
  .object({
    building_control: classWidthsSchema,
    excavation_ban: classWidthsSchema,
    settlement_setback: classWidthsSchema,
    bridge_range: z.number().nonnegative().optional(),
    tunnel_range: z.number().nonnegative().optional(),
  })
  .strict();

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: optionalText,
  /** A streaming replica of DATABASE_URL for tiles, lists and dashboards (docs/scaling.md); unset = the primary. */
  DATABASE_READ_URL: optionalText,
  LUYU_DATA_DIR: z.string().default(path.join(REPO_ROOT, '.luyu', 'pgdata')),
  /** Port number in the embedded database's Unix socket name (.s.PGSQL.<port>; 0 = 5432). No TCP port is opened. */
  LUYU_EMBEDDED_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  LUYU_LOAD_DEMO: z.enum(['auto', 'never']).default('auto'),
  LUYU_BASEMAP_STYLE_URL: optionalText,
  /**
   * Hosts of the before/after review imagery (XYZ tiles) of detection batches, comma-separated
   * https origins such as https://tiles.example.cn. The page may load tiles from these only
   * (Content-Security-Policy), and a batch's tile templates must point at one of them.
   */
  LUYU_IMAGERY_ORIGINS: z
    .string()
    .default('')
    .transform((text) => text.split(',').map((origin) => origin.trim().replace(/\/+$/, '')).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, 'each imagery origin must be https://host or https://host:port (no path)'))),
  /**
   * Satellite imagery offered as a switchable basemap on every map: an https XYZ template with {z},
   * {x} and {y}, or a WMTS KVP/REST one with {TileMatrix}, {TileRow} and {TileCol} (kept as the XYZ
   * form), on one of LUYU_IMAGERY_ORIGINS (so the Content-Security-Policy lets it in), e.g.
   * Tianditu's img_w with the operator's key. Served to signed-in users only (GET /imagery-basemap).
   */
  LUYU_IMAGERY_TEMPLATE: optionalText.transform((template) => (template === undefined ? undefined : xyzTileTemplate(template))),
  /** Credit shown on the map with the imagery (e.g. 天地图 · 国家地理信息公共服务平台). */
  LUYU_IMAGERY_ATTRIBUTION: optionalText,
  LUYU_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Direction labels differ by province: + is 上行 by the most common convention. */
  LUYU_DIRECTION_LABEL_PLUS: z.string().min(1).default('上行'),
  LUYU_DIRECTION_LABEL_MINUS: z.string().min(1).default('下行'),
  /** Wider-than-law zone widths, JSON like {"building_control":{"national":25},"bridge_range":250}. */
  LUYU_ZONE_WIDTHS: jsonText('{"building_control":{"national":25}}').pipe(zoneWidthOverridesSchema),
  /** Evidence photos (originals and thumbnails, content-addressed). */
  LUYU_PHOTO_DIR: z.string().default(path.join(REPO_ROOT, '.luyu', 'photos')),
  LUYU_PHOTO_MAX_BYTES: z.coerce.number().int().positive().max(100 * 1024 * 1024).default(15 * 1024 * 1024),
  /** Largest satellite change-detection upload (GeoJSON, zipped Shapefile, FlatGeobuf). */
  LUYU_DETECTION_MAX_BYTES: z.coerce.number().int().positive().max(2 * 1024 * 1024 * 1024).default(200 * 1024 * 1024),
  /** Uploads stream to temporary files here (0700); detection files wait here for their job. */
  LUYU_UPLOAD_DIR: z.string().default(path.join(tmpdir(), 'luyu-uploads')),
  /** Rendered vector tiles kept in memory per server process (server/tiles/tile_cache.ts); 0 turns the cache off. */
  LUYU_TILE_CACHE_MB: z.coerce.number().min(0).max(65536).default(64),
  /** On SIGTERM/SIGINT running jobs get this long to finish before they are handed back to the queue. */
  LUYU_SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  /** Untrusted files are parsed in a worker thread with this heap and wall-clock budget (docs/operations.md). */
  LUYU_PARSE_MEMORY_MB: z.coerce.number().int().min(32).max(16384).default(512),
  LUYU_PARSE_TIMEOUT_SECONDS: z.coerce.number().positive().max(24 * 3600).default(600),
  LUYU_PARSE_STALL_SECONDS: z.coerce.number().positive().max(3600).default(30),
  LUYU_PARSE_MAX_FEATURES: z.coerce.number().int().positive().default(1_000_000),
  LUYU_ZIP_MAX_ENTRIES: z.coerce.number().int().positive().default(100),
  LUYU_ZIP_MAX_UNCOMPRESSED_MB: z.coerce.number().positive().default(2048),
  LUYU_ZIP_MAX_RATIO: z.coerce.number().positive().default(100),
  LUYU_LOCATE_RADIUS_METERS: z.coerce.number().positive().max(5000).default(500),
  /** Optional violation categories to switch on, comma-separated: level_crossing, crops. */
  LUYU_EXTRA_CATEGORIES: z
    .string()
    .default('')
    .transform((text) => text.split(',').map((name) => name.trim()).filter(Boolean)),
  /** An open violation of the same category this close (metres) to a new one is a possible duplicate. */
  LUYU_DUPLICATE_RADIUS_METERS: z.coerce.number().positive().max(1000).default(30),
  /** Issuing unit on the rectification notice: the jurisdiction's name + this suffix. */
  LUYU_ISSUING_UNIT_SUFFIX: z.string().min(1).default('交通运输综合行政执法大队'),
  /** Field tracks (docs/field_app.md): a segment counts as patrolled when the track covers this share of it. */
  LUYU_COVERAGE_SHARE: z.coerce.number().gt(0).max(1).default(0.8),
  /** A GPS fix this far (metres) from a segment may match it (phone noise is about ±15 m). */
  LUYU_TRACK_MATCH_METERS: z.coerce.number().positive().max(200).default(30),
  /** Fixes further apart in time are a gap: the road between them is not counted. */
  LUYU_TRACK_GAP_SECONDS: z.coerce.number().positive().max(3600).default(30),
  /** Largest angle between the direction driven and a one-way carriageway's direction. */
  LUYU_TRACK_HEADING_DEGREES: z.coerce.number().positive().max(90).default(45),
  /** Chromium for PDF downloads of enforcement documents; absent → 503 PDF_RENDERER_UNAVAILABLE. */
  LUYU_CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),

  /** Absolute lifetime of a login session (cookie and bearer token). */
  LUYU_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(12),
  /** Login throttling: this many failures within the window lock the account (or client IP). */
  LUYU_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
  LUYU_LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(50),
  LUYU_LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  LUYU_LOGIN_LOCK_SECONDS: z.coerce.number().int().min(1).default(900),
  /** The first lock of a throttle key; each further one doubles, up to LUYU_LOGIN_LOCK_SECONDS. */
  LUYU_LOGIN_FIRST_LOCK_SECONDS: z.coerce.number().int().min(1).default(30),
  /**
   * Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (Express 'trust proxy': a hop
   * count, or comma-separated addresses/subnets like 10.0.0.1,loopback). Empty: none, so a client
   * cannot pick its own address for the login throttle by sending the header.
   */
  LUYU_TRUST_PROXY: z
    .string()
    .default('')
    .transform((text): boolean | number | string[] => {
      const trimmed = text.trim();
      if (trimmed === '' || trimmed === 'false') return false;
      if (/^\d+$/.test(trimmed)) return Number(trimmed);
      return trimmed.split(',').map((part) => part.trim()).filter(Boolean);
    }),
  /** Secure cookies: auto = when the request came over HTTPS, and always in production. */
  LUYU_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  /** Comma-separated origins allowed to call the API cross-site (bearer tokens only); empty = no CORS. */
  LUYU_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((text) => text.split(',').map((origin) => origin.trim()).filter(Boolean)),
  /** Demo users (password luyu-demo) are refused in production unless this is true. */
  LUYU_ALLOW_DEMO_USERS: z.enum(['true', 'false']).default('false'),
  /** First administrator of a real deployment, created at start when the username does not exist. */
  LUYU_ADMIN_USERNAME: optionalText,
  LUYU_ADMIN_PASSWORD: optionalText,
  /** Its jurisdiction code; default: the top of the jurisdiction tree (e.g. 410000). */
  LUYU_ADMIN_JURISDICTION: optionalText,
  /** Patrol driving speeds (km/h) per class and for connectors (ramps, unnamed roads), JSON like {"county":35,"connector":25}; the rest keep their defaults. */
  LUYU_PATROL_SPEEDS_KMH: jsonText('{"county":35,"connector":25}')
    .pipe(z.partialRecord(z.enum([...ADMIN_CLASSES, 'connector']), z.number().min(5).max(130)).optional())
    .transform((overrides) => Object.freeze({ ...DEFAULT_PATROL_SPEEDS_KMH, ...overrides })),
});

export type AppConfig = Readonly<z.infer<typeof configSchema>>;

/** Reads process.env once; a bad value stops the start with a message naming the variable. */
export function readConfig(environment: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = configSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const imagery = parsed.data.LUYU_IMAGERY_TEMPLATE;
  if (imagery !== undefined) {
    // MapLibre takes one URL per tile source: a {s} subdomain template would fetch literal "{s}".
    const problem = imagery.includes('{s}') ? 'must name one host ({s} subdomains are not supported)' : tileTemplateProblem(imagery, parsed.data.LUYU_IMAGERY_ORIGINS);
    if (problem) throw new Error(`Invalid configuration:\n  LUYU_IMAGERY_TEMPLATE: ${problem}`);
  }
  return Object.freeze(parsed.data);
}
