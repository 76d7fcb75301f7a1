import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { z } from 'zod';
import type { AppConfig } from '../config.ts';
import { calendarDateSchema, idParamsSchema } from '../http/common_schemas.ts';
import { defineRoute } from '../http/route_definition.ts';
import { contentDisposition } from '../violations/ledger_export.ts';
import { renderArchiveHtml, writeArchiveXlsx } from './archive_documents.ts';
import { getSegmentArchive, getUnitArchive, type SegmentArchive, type UnitArchive } from './service.ts';

const archiveQuery = z.object({
  from: calendarDateSchema('from'),
  to: calendarDateSchema('to'),
  format: z.enum(['json', 'html', 'xlsx'], 'format must be json, html or xlsx').default('json'),
});
const unitParams = z.object({ code: z.string().trim().regex(/^[1-8][0-9]{5}$/, 'code must be a 6-digit administrative division code, e.g. 410104') });

/** JSON as it is; html (printable) and xlsx written here, the handler then answers nothing more. */
async function answer(archive: SegmentArchive | UnitArchive, format: 'json' | 'html' | 'xlsx', fileStem: string, response: Response) {
  if (format === 'json') return archive;
  if (format === 'xlsx') {
    response.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    response.setHeader('Content-Disposition', contentDisposition(`${archive.title}-${fileStem}-${archive.from}-${archive.to}.xlsx`));
    response.status(200).send(await writeArchiveXlsx(archive));
    return undefined;
  }
  const nonce = randomBytes(16).toString('base64');
  response.setHeader('Content-Security-Policy', `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'`);
  response.setHeader('Content-Type', 'text/html; charset=utf-8');
  response.status(200).send(renderArchiveHtml(archive, nonce));
  return undefined;
}

/** 路域环境调查档案 and 监督检查日志档案 (docs/field_app.md "Archives"). */
export function archiveRoutes(config: AppConfig) {
  return [
    defineRoute({
      method: 'get',
      path: '/archives/segments/:id',
      tag: 'archives',
      summary: '路域环境调查档案: every patrol, finding, satellite lead and case step on the segment from..to (Asia/Shanghai days); ?format=html|xlsx',
      // A record of the corridor, like the patrol log: every role that reads findings.
      access: { permission: 'violations.read' },
      params: idParamsSchema,
      query: archiveQuery,
      responseType: 'application/json',
      handler: async ({ db, params, query, response }) => {
        const archive = await getSegmentArchive(db, params.id, { from: query.from, to: query.to }, config.LUYU_COVERAGE_SHARE);
        return answer(archive, query.format, `${archive.segment.route}-${archive.segment.stakeFrom}`, response);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/archives/units/:code',
      tag: 'archives',
      summary: '监督检查日志档案: the unit’s (and its subordinate units’) patrol logs, findings, case steps and supervision steps from..to; ?format=html|xlsx',
      // Holds supervision items: whoever may read supervision (the office; crews work from their logs).
      access: { permission: 'supervisions.read' },
      params: unitParams,
      query: archiveQuery,
      responseType: 'application/json',
      handler: async ({ db, params, query, response }) => {
        const archive = await getUnitArchive(db, params.code, { from: query.from, to: query.to });
        return answer(archive, query.format, archive.unit.code, response);
      },
    }),
  ];
}
