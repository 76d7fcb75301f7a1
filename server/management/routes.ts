import { z } from 'zod';
import { ADMIN_CLASSES } from '../domain/admin_class.ts';
import { SCORING_RULES } from '../domain/scoring_formula.ts';
import { VIOLATION_CATEGORIES } from '../domain/violation_categories.ts';
import { ZONE_KINDS } from '../domain/zones.ts';
import { idParamsSchema, pagingSchema, routeCodeSchema } from '../http/common_schemas.ts';
import { defineRoute, requireUser } from '../http/route_definition.ts';
import type { AggregateReads } from './aggregates.ts';
import { createCampaign, getCampaignProgress, listCampaigns, requireCampaign, toCampaign } from './campaigns_service.ts';
import { getDashboard } from './dashboard_service.ts';
import { getScoringFormula, putScoringFormula } from './formula_service.ts';
import { getRankings } from './rankings_service.ts';
import { bulletinWorkbook, campaignWorkbook, renderBulletin, renderCampaignReport } from './report_pages.ts';

const jurisdictionCode = z.string().regex(/^\d{6}$/, 'jurisdiction must be a 6-digit division code');
const MANAGEMENT_FIRST_DAY = '2000-01-01';
const MANAGEMENT_LAST_DAY = '2099-12-31';
const isoDay = (name: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${name} must be a date YYYY-MM-DD (Asia/Shanghai)`)
    .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), `${name} is not a calendar date`)
    // Campaign series and reports have a point per day from the start: a date in year 9999 made one
    // request build millions of rows (the fuzz test's worker ran out of memory on a report).
    .refine((text) => text >= MANAGEMENT_FIRST_DAY && text <= MANAGEMENT_LAST_DAY, `${name} must lie between ${MANAGEMENT_FIRST_DAY} and ${MANAGEMENT_LAST_DAY}`);
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'effectiveFrom must be a month YYYY-MM');
const period = z.string().regex(/^\d{4}-(?:0[1-9]|1[0-2]|Q[1-4])$/, 'period must be a month (2026-10) or a quarter (2026-Q3)');
const listOf = <T extends string>(values: readonly T[], name: string) =>
  z.array(z.enum(values as unknown as [T, ...T[]], `${name} must be among ${values.join(', ')}`)).max(50).optional();

const campaignBody = z.object({
  name: z.string().trim().min(1, 'name is required').max(200, 'name must be at most 200 characters'),
  scope: z
    .object({
      jurisdictions: z.array(jurisdictionCode).max(200).optional(),
      routes: z.array(routeCodeSchema).max(200).optional(),
      adminClasses: listOf(ADMIN_CLASSES, 'adminClasses'),
      categories: listOf(VIOLATION_CATEGORIES, 'categories'),
      zones: listOf(ZONE_KINDS, 'zones'),
    })
    .strict(),
  startDate: isoDay('startDate'),
  deadline: isoDay('deadline'),
  target: z.number().int('target must be a whole number').positive('target must be positive').max(10_000_000).nullish(),
});

const ruleSchema = z
  .object({
    rule: z.enum(SCORING_RULES, `rule must be one of ${SCORING_RULES.join(', ')}`),
    maxPoints: z.number().min(0, 'maxPoints must be 0–100').max(100, 'maxPoints must be 0–100'),
    pointsEach: z.number().positive('pointsEach must be positive').max(100).optional(),
    withinDays: z.number().int().min(0).max(365, 'withinDays is 0–365').optional(),
  })
  .strict();
const formulaBody = z.object({
  jurisdiction: jurisdictionCode.optional(),
  effectiveFrom: month,
  rules: z.array(ruleSchema).min(1, 'a formula needs at least one rule').max(SCORING_RULES.length),
  note: z.string().max(1000).nullish(),
});

const reportFormat = z.enum(['html', 'xlsx'], 'format must be html or xlsx').default('html');
const PRINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

function sendReport(response: import('express').Response, format: 'html' | 'xlsx', fileName: string, html: () => string, xlsx: () => Promise<Buffer>): Promise<undefined> {
  if (format === 'html') {
    response.setHeader('Content-Security-Policy', PRINT_CSP);
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.status(200).send(html());
    return Promise.resolve(undefined);
  }
  return xlsx().then((bytes) => {
    response.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    response.setHeader('Content-Disposition', `attachment; filename="report.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    response.status(200).send(bytes);
    return undefined;
  });
}

/** `reads`: whether a job keeps the aggregates current or reads refresh them (aggregates.ts). */
export function managementRoutes(reads: AggregateReads) {
  return [
    defineRoute({
      method: 'get',
      path: '/dashboard',
      tag: 'management',
      summary: "The manager's dashboard: figures from the aggregates, each with the ledger list (href) it counts",
      access: { permission: 'reports.read' },
      query: z.object({ jurisdiction: jurisdictionCode.optional(), from: isoDay('from').optional(), to: isoDay('to').optional() }),
      handler: ({ db, query, ...input }) => getDashboard(db, requireUser(input), query, reads),
    }),
    defineRoute({
      method: 'get',
      path: '/campaigns',
      tag: 'management',
      summary: 'Campaigns (专项行动) of the jurisdiction, latest deadline first',
      access: { permission: 'reports.read' },
      query: z.object(pagingSchema(50)),
      handler: ({ db, query }) => listCampaigns(db, query.limit, query.offset),
    }),
    defineRoute({
      method: 'post',
      path: '/campaigns',
      tag: 'management',
      summary: 'Start a campaign: a saved filter, start date, deadline, target (a number or everything found in scope)',
      access: { permission: 'campaigns.manage' },
      body: campaignBody,
      successStatus: 201,
      handler: async ({ db, body, audit, ...input }) => {
        const campaign = await createCampaign(db, requireUser(input), body);
        await audit({ action: 'campaigns.create', entityType: 'campaign', entityId: campaign.id, after: body });
        return campaign;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/campaigns/:id',
      tag: 'management',
      summary: 'One campaign',
      access: { permission: 'reports.read' },
      params: idParamsSchema,
      handler: async ({ db, params }) => toCampaign(await requireCampaign(db, params.id)),
    }),
    defineRoute({
      method: 'get',
      path: '/campaigns/:id/progress',
      tag: 'management',
      summary: 'Cleared against target over time, per unit, with a finish-date forecast and its 90% window',
      access: { permission: 'reports.read' },
      params: idParamsSchema,
      query: z.object({ asOf: isoDay('asOf').optional() }),
      handler: async ({ db, params, query }) => getCampaignProgress(db, await requireCampaign(db, params.id), reads, query.asOf),
    }),
    defineRoute({
      method: 'get',
      path: '/campaigns/:id/report',
      tag: 'management',
      summary: 'Printable progress report (A4 HTML) or its xlsx',
      access: { permission: 'reports.read' },
      params: idParamsSchema,
      query: z.object({ format: reportFormat, asOf: isoDay('asOf').optional() }),
      responseType: 'text/html',
      handler: async ({ db, params, query, response }) => {
        const progress = await getCampaignProgress(db, await requireCampaign(db, params.id), reads, query.asOf);
        return sendReport(response, query.format, `${progress.campaign.name}-进度-${progress.asOf}.xlsx`, () => renderCampaignReport(progress), () => campaignWorkbook(progress));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/rankings',
      tag: 'management',
      summary: 'Unit scores and ranks for a month or quarter, every point lost with the records behind it',
      access: { permission: 'reports.read' },
      query: z.object({ period, jurisdiction: jurisdictionCode.optional() }),
      handler: ({ db, query, ...input }) => getRankings(db, requireUser(input), query, reads),
    }),
    defineRoute({
      method: 'get',
      path: '/rankings/bulletin',
      tag: 'management',
      summary: 'Monthly or quarterly bulletin (月督查、季通报): printable A4 HTML or xlsx',
      access: { permission: 'reports.read' },
      query: z.object({ period, jurisdiction: jurisdictionCode.optional(), format: reportFormat }),
      responseType: 'text/html',
      handler: async ({ db, query, response, ...input }) => {
        const rankings = await getRankings(db, requireUser(input), query, reads);
        return sendReport(response, query.format, `${rankings.jurisdiction.name}-${rankings.period}-通报.xlsx`, () => renderBulletin(rankings), () => bulletinWorkbook(rankings));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/scoring-formula',
      tag: 'management',
      summary: 'The scoring formula in force and every version (a past month is scored by the version in force then)',
      access: { permission: 'reports.read' },
      query: z.object({ jurisdiction: jurisdictionCode.optional() }),
      handler: ({ db, query, ...input }) => getScoringFormula(db, requireUser(input), query),
    }),
    defineRoute({
      method: 'put',
      path: '/scoring-formula',
      tag: 'management',
      summary: 'A new formula version for the unit, effective from a month (this month or later)',
      access: { permission: 'scoring.manage' },
      body: formulaBody,
      handler: async ({ db, body, audit, ...input }) => {
        const formula = await putScoringFormula(db, requireUser(input), body);
        await audit({ action: 'scoring_formula.create_version', entityType: 'scoring_formula', entityId: formula.version, after: formula });
        return formula;
      },
    }),
  ];
}
