/**
 * Enforcement documents of a case: HTML to preview and print (A4 print CSS), or ?format=pdf from the
 * same HTML. /violations/:id/notice stays as the short link to the rectification notice.
 */
import { randomBytes } from 'node:crypto';
import type { Response } from 'express';
import { z } from 'zod';
import { idParamsSchema } from '../http/common_schemas.ts';
import { defineRoute } from '../http/route_definition.ts';
import type { Queryable } from '../db/database.ts';
import { DOCUMENT_KINDS, type DocumentKind } from './document_templates.ts';
import { renderPdf } from './pdf_renderer.ts';
import { renderDocument } from './render_document.ts';
import { documentContext } from './service.ts';

const formatQuery = z.object({
  format: z.enum(['html', 'pdf'], 'format must be html or pdf').default('html'),
  /** For a service record: which document was served (default the rectification notice). */
  of: z.enum(DOCUMENT_KINDS, `of must be one of ${DOCUMENT_KINDS.join(', ')}`).optional(),
});

async function sendDocument(
  db: Queryable,
  response: Response,
  id: number,
  kind: DocumentKind,
  query: z.output<typeof formatQuery>,
  issuingUnitSuffix: string,
  chromiumPath: string,
): Promise<undefined> {
  const pdf = query.format === 'pdf';
  const nonce = pdf ? null : randomBytes(16).toString('base64');
  const context = await documentContext(db, id, kind, { issuingUnitSuffix }, nonce);
  const html = renderDocument(kind, context, query.of ?? 'rectification_notice');
  if (pdf) {
    const bytes = await renderPdf(html, chromiumPath);
    response.setHeader('Content-Type', 'application/pdf');
    response.setHeader('Content-Disposition', `attachment; filename="${kind}-${context.caseNumber}.pdf"`);
    response.status(200).send(bytes);
    return undefined;
  }
  // Self-contained: inline styles and SVG, one nonce'd script for the print button.
  response.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'`,
  );
  response.setHeader('Content-Type', 'text/html; charset=utf-8');
  response.status(200).send(html);
  return undefined;
}

export function documentRoutes(issuingUnitSuffix: string, chromiumPath: string) {
  return [
    defineRoute({
      method: 'get',
      path: '/violations/:id/notice',
      tag: 'violations',
      summary: 'Printable rectification notice (限期整改通知书), HTML or ?format=pdf; 409 before issue_notice',
      access: { permission: 'violations.read' },
      params: idParamsSchema,
      query: formatQuery,
      responseType: 'text/html',
      handler: ({ db, params, query, response }) => sendDocument(db, response, params.id, 'rectification_notice', query, issuingUnitSuffix, chromiumPath),
    }),
    defineRoute({
      method: 'get',
      path: '/violations/:id/documents/:kind',
      tag: 'violations',
      summary: 'An enforcement document of a case (限期整改通知书, 责令停止违法行为通知书, 现场检查笔录, 送达回证), HTML or ?format=pdf (503 without Chromium)',
      access: { permission: 'violations.read' },
      params: idParamsSchema.extend({ kind: z.enum(DOCUMENT_KINDS, `kind must be one of ${DOCUMENT_KINDS.join(', ')}`) }),
      query: formatQuery,
      responseType: 'text/html',
      handler: ({ db, params, query, response }) => sendDocument(db, response, params.id, params.kind, query, issuingUnitSuffix, chromiumPath),
    }),
  ];
}
