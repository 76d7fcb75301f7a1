import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AppConfig } from '../config.ts';
import { idParamsSchema } from '../http/common_schemas.ts';
import { defineRoute, requireUser } from '../http/route_definition.ts';
import { trackSettings } from '../tracks/service.ts';
import { contentDisposition } from '../violations/ledger_export.ts';
import { renderPatrolLogHtml, writePatrolLogXlsx } from './log_documents.ts';
import { getPatrolLog, listPatrolLogs, updatePatrolLogEntry } from './service.ts';

const listQuery = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD (Asia/Shanghai)').optional(),
  crew: z.coerce.number().int().positive('crew must be a crew id').optional(),
});
const detailQuery = z.object({ format: z.enum(['json', 'html', 'xlsx'], 'format must be json, html or xlsx').default('json') });
const entryBody = z.object({
  weather: z.string().trim().max(100, 'weather must be at most 100 characters').nullable(),
  note: z.string().trim().max(4000, 'note must be at most 4,000 characters').nullable(),
  expectedVersion: z.number().int().min(0, 'expectedVersion is the log version you read (0 before any entry)'),
});

/** 巡查日志 (docs/field_app.md). */
export function patrolLogRoutes(config: AppConfig) {
  const settings = trackSettings(config);
  return [
    defineRoute({
      method: 'get',
      path: '/patrol-logs',
      tag: 'patrol-logs',
      summary: 'Patrol logs (one per started assignment) by date and crew',
      access: { permission: 'violations.read' },
      query: listQuery,
      handler: ({ db, query }) => listPatrolLogs(db, { date: query.date ?? null, crewId: query.crew ?? null }),
    }),
    defineRoute({
      method: 'get',
      path: '/patrol-logs/:id',
      tag: 'patrol-logs',
      summary: 'One patrol log written from the record; ?format=html (printable) or xlsx',
      access: { permission: 'violations.read' },
      params: idParamsSchema,
      query: detailQuery,
      responseType: 'application/json',
      handler: async ({ db, params, query, response }) => {
        const log = await getPatrolLog(db, params.id, settings);
        if (query.format === 'json') return log;
        if (query.format === 'xlsx') {
          response.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
          response.setHeader('Content-Disposition', contentDisposition(`巡查日志-${log.date}-${log.crew.name}.xlsx`));
          response.status(200).send(await writePatrolLogXlsx(log));
          return undefined;
        }
        const nonce = randomBytes(16).toString('base64');
        response.setHeader('Content-Security-Policy', `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'`);
        response.setHeader('Content-Type', 'text/html; charset=utf-8');
        response.status(200).send(renderPatrolLogHtml(log, nonce));
        return undefined;
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/patrol-logs/:id',
      tag: 'patrol-logs',
      summary: 'The parts of the log no record holds: weather and a note (409 when changed meanwhile)',
      access: { permission: 'findings.record' },
      params: idParamsSchema,
      body: entryBody,
      handler: async ({ db, params, body, audit, ...input }) => {
        const result = await updatePatrolLogEntry(db, params.id, body, requireUser(input));
        await audit({ action: 'patrol_log.update', entityType: 'assignment', entityId: params.id, after: { weather: body.weather, version: result.version } });
        return result;
      },
    }),
  ];
}
