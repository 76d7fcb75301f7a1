import type { AppConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { readMigrationStatus } from '../db/migrate.ts';
import { authenticateRequest } from '../auth/session_user.ts';
import { defineRoute } from '../http/route_definition.ts';

export function healthRoutes(db: Database, config: AppConfig) {
  return [
    defineRoute({
      method: 'get',
      path: '/health',
      tag: 'system',
      summary: 'Liveness: status for anyone; database mode, PostgreSQL and PostGIS versions and migration level for administrators',
      access: 'public',
      handler: async ({ db: pool, request }) => {
        // Versions tell an attacker which exploits to try: only an administrator's session sees them.
        const authentication = await authenticateRequest(db.pool, request);
        if (authentication.status !== 'ok' || authentication.user.role !== 'admin') {
          await pool.query('SELECT 1');
          return { status: 'ok' };
        }
        const versions = await pool.query<{ postgres: string; postgis: string }>(
          `SELECT current_setting('server_version') AS postgres, postgis_lib_version() AS postgis`,
        );
        const migrations = await readMigrationStatus(pool);
        return {
          status: 'ok',
          database: { mode: db.mode, postgresVersion: versions.rows[0]?.postgres, postgisVersion: versions.rows[0]?.postgis },
          migrations,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/config',
      tag: 'system',
      summary: 'Client settings: optional external basemap style, direction labels',
      access: 'public',
      handler: async () => ({
        basemapStyleUrl: config.LUYU_BASEMAP_STYLE_URL ?? null,
        directionLabels: { plus: config.LUYU_DIRECTION_LABEL_PLUS, minus: config.LUYU_DIRECTION_LABEL_MINUS },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/imagery-basemap',
      tag: 'system',
      summary: 'The satellite imagery basemap (XYZ template, attribution) or null; not public: the template may carry the operator\'s key',
      access: { permission: 'network.read' },
      handler: async () => ({
        imagery: config.LUYU_IMAGERY_TEMPLATE ? { template: config.LUYU_IMAGERY_TEMPLATE, attribution: config.LUYU_IMAGERY_ATTRIBUTION ?? null } : null,
      }),
    }),
  ];
}
