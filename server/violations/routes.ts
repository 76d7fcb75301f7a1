import { z } from 'zod';
import type { AppConfig } from '../config.ts';
import { CASE_EVENTS, CASE_STATUSES, REJECT_REASONS } from '../domain/case_workflow.ts';
import { parseStake } from '../domain/stake.ts';
import { RESPONSIBLE_PARTY, VIOLATION_SOURCES } from '../domain/violation_attributes.ts';
import { VIOLATION_CATEGORIES } from '../domain/violation_categories.ts';
import { bboxSchema, calendarDateSchema, idParamsSchema, isCalendarDate, routeCodeSchema } from '../http/common_schemas.ts';
import { keysetPagingSchema } from '../paging/keyset.ts';
import { AppError } from '../http/errors.ts';
import { defineRoute, requireUser } from '../http/route_definition.ts';
import { contentDisposition, LEDGER_FORMATS, LEDGER_GEOMETRY_TYPES, LEDGER_MAXIMUM_ROWS, writeLedger } from './ledger_export.ts';
import { documentRoutes } from '../documents/routes.ts';
import { countViolations, selectExportGeometries, selectViolations } from './queries.ts';
import {
  assessOne,
  bulkTransitionViolations,
  createViolation,
  getViolationDetail,
  listViolations,
  toFeature,
  transitionViolation,
} from './service.ts';
import { violationSettings, VIOLATION_SORTS, type ViolationFilter } from './types.ts';

const longitude = z.number('longitude must be a number').min(-180, 'longitude must be between -180 and 180').max(180, 'longitude must be between -180 and 180');
const latitude = z.number('latitude must be a number').min(-90, 'latitude must be between -90 and 90').max(90, 'latitude must be between -90 and 90');
const position = z.tuple([longitude, latitude], 'a position is [longitude, latitude]');

export const pointSchema = z.object({ type: z.literal('Point'), coordinates: position });
const ringSchema = z
  .array(position)
  .min(4, 'a polygon ring needs at least 4 positions (closed)')
  .max(5000, 'a polygon ring may have at most 5,000 positions')
  // zod runs every check of the array even after min() failed: an empty ring must not crash this one.
  .refine((ring) => ring.length === 0 || (ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1]), 'a polygon ring must end where it starts');
/** A finding is one site: its polygon spans at most this many degrees either way (about 20 km). */
const MAX_FINDING_SPAN_DEGREES = 0.2;
const polygonSchema = z
  .object({ type: z.literal('Polygon'), coordinates: z.array(ringSchema).min(1, 'a polygon needs an outer ring').max(50) })
  .refine((polygon) => {
    const positions = polygon.coordinates.flat().filter((position) => Array.isArray(position) && position.every(Number.isFinite));
    if (positions.length === 0) return true;
    const longitudes = positions.map((position) => position[0]);
    const latitudes = positions.map((position) => position[1]);
    return Math.max(...longitudes) - Math.min(...longitudes) <= MAX_FINDING_SPAN_DEGREES && Math.max(...latitudes) - Math.min(...latitudes) <= MAX_FINDING_SPAN_DEGREES;
  }, `a finding's polygon must span at most ${MAX_FINDING_SPAN_DEGREES}° (about 20 km) in longitude and latitude: draw the site, not the region`);
export const findingGeometrySchema = z.discriminatedUnion('type', [pointSchema, polygonSchema], 'geometry must be a GeoJSON Point or Polygon');

const csvList = <T extends string>(values: readonly T[], name: string) =>
  z
    .string()
    .transform((text) => text.split(',').map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values as unknown as [T, ...T[]], `${name} must be a comma-separated list of ${values.join(', ')}`)));

const booleanText = (name: string) => z.enum(['true', 'false'], `${name} must be true or false`).transform((text) => text === 'true');
const stakeText = (name: string) =>
  z.string().transform((text, context) => {
    const parsed = parseStake(text);
    if (!parsed.ok) {
      context.addIssue({ code: 'custom', message: `${name}: ${parsed.message}` });
      return z.NEVER;
    }
    return parsed.chainageMeters;
  });
const dateText = (name: string) => calendarDateSchema(name);

const filterFields = {
  bbox: bboxSchema.optional(),
  category: csvList(VIOLATION_CATEGORIES, 'category').optional(),
  status: csvList(CASE_STATUSES, 'status').optional(),
  overdue: booleanText('overdue').optional(),
  route: routeCodeSchema.optional(),
  stakeFrom: stakeText('stakeFrom').optional(),
  stakeTo: stakeText('stakeTo').optional(),
  jurisdiction: z.string().regex(/^\d{6}$/, 'jurisdiction must be a 6-digit division code').optional(),
  source: z.enum(VIOLATION_SOURCES, `source must be ${VIOLATION_SOURCES.join(', ')}`).optional(),
  reportedFrom: dateText('reportedFrom').optional(),
  reportedTo: dateText('reportedTo').optional(),
  clearedFrom: dateText('clearedFrom').optional(),
  clearedTo: dateText('clearedTo').optional(),
  clearedLate: booleanText('clearedLate').optional(),
  deadlineFrom: dateText('deadlineFrom').optional(),
  deadlineTo: dateText('deadlineTo').optional(),
  reopenedFrom: dateText('reopenedFrom').optional(),
  reopenedTo: dateText('reopenedTo').optional(),
  isViolation: booleanText('isViolation').optional(),
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(VIOLATION_SORTS, `sort must be one of ${VIOLATION_SORTS.join(', ')}`).default('reportedAt'),
  order: z.enum(['asc', 'desc'], 'order must be asc or desc').default('desc'),
};
const listQuery = z.object({ ...filterFields, ...keysetPagingSchema(100) });
const exportQuery = z.object({
  ...filterFields,
  format: z.enum(LEDGER_FORMATS, `format must be one of ${LEDGER_FORMATS.join(', ')}`).default('xlsx'),
  geometryType: z.enum(LEDGER_GEOMETRY_TYPES, `geometryType must be one of ${LEDGER_GEOMETRY_TYPES.join(', ')}`).optional(),
});

function toFilter(query: z.output<typeof exportQuery> | z.output<typeof listQuery>): ViolationFilter {
  return {
    bbox: query.bbox,
    categories: query.category,
    statuses: query.status,
    overdue: query.overdue,
    route: query.route,
    chainageFromMeters: query.stakeFrom,
    chainageToMeters: query.stakeTo,
    jurisdiction: query.jurisdiction,
    source: query.source,
    reportedFrom: query.reportedFrom,
    reportedTo: query.reportedTo,
    clearedFrom: query.clearedFrom,
    clearedTo: query.clearedTo,
    clearedLate: query.clearedLate,
    deadlineFrom: query.deadlineFrom,
    deadlineTo: query.deadlineTo,
    reopenedFrom: query.reopenedFrom,
    reopenedTo: query.reopenedTo,
    isViolation: query.isViolation,
    q: query.q,
    geometryType: 'geometryType' in query ? query.geometryType : undefined,
    sort: query.sort,
    order: query.order,
  };
}

/** The Feature POST /violations takes; the field sync (server/sync) validates finding.create with it too. */
export const createViolationBody = z.object({
  type: z.literal('Feature', 'body must be a GeoJSON Feature'),
  geometry: findingGeometrySchema,
  properties: z.object({
    category: z.string('category is required'),
    attributes: z.unknown().optional(),
    description: z.string().max(4000, 'description must be at most 4,000 characters').nullish(),
    source: z.string('source is required'),
    externalId: z.string().trim().min(1).max(128, 'externalId must be 1 to 128 characters').nullish(),
    party: z.unknown().optional(),
    confirmNotDuplicate: z.boolean('confirmNotDuplicate must be true or false').optional(),
    referral: z.boolean('referral must be true or false').optional(),
  }),
});

const assessBody = z.object({ geometry: findingGeometrySchema, category: z.string('category is required'), attributes: z.unknown().optional() });

/**
 * An ISO instant, or a calendar date meaning the end of that day in Asia/Shanghai (a notice says
 * "by 29 November": the whole day counts).
 */
const deadlineSchema = z.string().transform((text, context) => {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const instant = new Date(dateOnly ? `${text}T23:59:59+08:00` : text);
  // The day part must exist: Date would roll 2026-02-30 over into March.
  if (Number.isNaN(instant.getTime()) || !isCalendarDate(text.slice(0, 10)) || (!dateOnly && !/^\d{4}-\d{2}-\d{2}T/.test(text))) {
    context.addIssue({ code: 'custom', message: 'deadline must be an ISO date (2026-12-01) or date-time with offset' });
    return z.NEVER;
  }
  return instant;
});

const transitionFields = {
  event: z.enum(CASE_EVENTS, `event must be one of ${CASE_EVENTS.join(', ')}`),
  note: z.string().max(4000, 'note must be at most 4,000 characters').nullish(),
  deadline: deadlineSchema.nullish(),
  rejectReason: z.enum(REJECT_REASONS, `rejectReason must be one of ${REJECT_REASONS.join(', ')}`).nullish(),
  /** The second officer named on a notice (separation of duties: two officers). */
  secondOfficerId: z.number('secondOfficerId must be a user id').int().positive().nullish(),
};
const transitionBody = z.object({
  ...transitionFields,
  expectedVersion: z.number().int().positive().optional(),
  party: RESPONSIBLE_PARTY.nullish(),
  photoIds: z.array(z.number().int().positive()).max(50, 'at most 50 photos per transition').optional(),
  location: pointSchema.nullish(),
});
const bulkBody = z.object({
  ...transitionFields,
  ids: z.array(z.number().int().positive()).min(1, 'ids must name at least one case').max(500, 'at most 500 cases at once'),
});

/** A bad polygon reaches the database's ST_IsValid check; say so instead of a 500. */
function geometryInvalid(error: unknown): never {
  if ((error as { code?: string }).code === '23514' && String((error as Error).message).includes('geom')) {
    throw new AppError(400, 'GEOMETRY_INVALID', 'The polygon is not valid (self-intersecting or degenerate); redraw it');
  }
  throw error;
}

export function violationRoutes(config: AppConfig) {
  const settings = violationSettings(config);
  return [
    defineRoute({
      method: 'get',
      path: '/violations',
      tag: 'violations',
      summary: 'Violations register, filtered, sorted and paged (GeoJSON FeatureCollection)',
      access: { permission: 'violations.read' },
      query: listQuery,
      handler: ({ db, query, request }) => listViolations(db, toFilter(query), query.limit, query, request.originalUrl),
    }),
    defineRoute({
      method: 'get',
      path: '/violations/export',
      tag: 'violations',
      summary: 'The filtered register as a ledger (台账): xlsx or CSV (with WKT and a representative point), or GeoJSON (geometryType=point|polygon for one type per file); every format imports back through /violation-imports',
      access: { permission: 'violations.read' },
      query: exportQuery,
      responseType: 'application/octet-stream',
      handler: async ({ db, query, response }) => {
        const filter = toFilter(query);
        // One row more than the ledger holds tells it is too large; then the count says by how much.
        const rows = await selectViolations(db, filter, LEDGER_MAXIMUM_ROWS, { kind: 'offset', offset: 0 });
        if (rows.length > LEDGER_MAXIMUM_ROWS) {
          const { numberMatched } = await countViolations(db, filter, LEDGER_MAXIMUM_ROWS * 4);
          throw new AppError(400, 'EXPORT_TOO_LARGE', `${numberMatched} records match; a ledger holds at most ${LEDGER_MAXIMUM_ROWS.toLocaleString('en-US')}: narrow the filter`, {
            numberMatched,
            maximum: LEDGER_MAXIMUM_ROWS,
          });
        }
        const features = rows.map(toFeature);
        const geometries = query.format === 'geojson' ? [] : await selectExportGeometries(db, features.map((feature) => feature.properties.id));
        const file = await writeLedger(query.format, { features, geometries: new Map(geometries.map((row) => [row.id, row])), geometryType: query.geometryType });
        response.setHeader('Content-Type', file.mediaType);
        response.setHeader('Content-Disposition', contentDisposition(file.fileName));
        response.status(200).send(file.body);
        return undefined;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/violations/assess',
      tag: 'violations',
      summary: 'Dry assessment of a finding: location, verdict, possible duplicates; nothing saved',
      access: { permission: 'findings.record' },
      body: assessBody,
      bodyLimit: '1mb',
      handler: async ({ db, body, audit }) => {
        const result = await assessOne(db, body, settings);
        // Every non-GET request leaves one audit row; this one records the question, not a change.
        await audit({ action: 'violations.assess', entityType: 'violation', after: { category: body.category, geometryType: body.geometry.type } });
        return result;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/violations/bulk-transitions',
      tag: 'violations',
      summary: 'One event on many cases, all or nothing',
      access: { permission: 'cases.transition' },
      body: bulkBody,
      handler: async ({ db, body, audit, ...input }) => {
        const user = requireUser(input);
        const { ids, ...request } = body;
        const result = await bulkTransitionViolations(db, ids, request, user);
        await audit({ action: 'violations.bulk_transition', entityType: 'violation', after: { event: body.event, ids: result.updated } });
        return result;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/violations',
      tag: 'violations',
      summary: 'Record a finding: located and assessed on save; 409 POSSIBLE_DUPLICATE; idempotent on externalId',
      access: { permission: 'findings.record' },
      body: createViolationBody,
      bodyLimit: '1mb',
      successStatus: 201,
      handler: async ({ db, body, audit, response, ...input }) => {
        const user = requireUser(input);
        const result = await createViolation(db, { ...body.properties, geometry: body.geometry }, user, settings).catch(geometryInvalid);
        await audit({
          action: result.created ? 'violations.create' : 'violations.create_existing',
          entityType: 'violation',
          entityId: result.feature.id,
          after: result.created ? { category: result.feature.properties.category, status: 'reported', isViolation: result.feature.properties.verdict.isViolation } : null,
        });
        if (!result.created) {
          // Idempotent repeat: 200 with the record as it is, nothing new.
          response.status(200).json(result.feature);
          return undefined;
        }
        return result.feature;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/violations/:id',
      tag: 'violations',
      summary: 'One violation with its timeline, photos and the events the user may send',
      access: { permission: 'violations.read' },
      params: idParamsSchema,
      handler: ({ db, params, ...input }) => getViolationDetail(db, params.id, requireUser(input).role),
    }),
    defineRoute({
      method: 'post',
      path: '/violations/:id/transitions',
      tag: 'violations',
      summary: 'Send a lifecycle event (verify, issue_notice, …) to a case',
      access: { permission: 'cases.transition' },
      params: idParamsSchema,
      body: transitionBody,
      handler: async ({ db, params, body, audit, ...input }) => {
        const user = requireUser(input);
        const feature = await transitionViolation(db, params.id, body, user);
        await audit({
          action: 'violations.transition',
          entityType: 'violation',
          entityId: params.id,
          after: { event: body.event, status: feature.properties.status, version: feature.properties.version, caseNumber: feature.properties.caseNumber },
        });
        return feature;
      },
    }),
    ...documentRoutes(settings.issuingUnitSuffix, config.LUYU_CHROMIUM_PATH),
  ];
}
