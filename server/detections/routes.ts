import { z } from 'zod';
import type { AppConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { DETECTION_REJECT_REASONS, DETECTION_REVIEW_ACTIONS, DETECTION_REVIEW_STATUSES } from '../domain/detection_rules.ts';
import { VIOLATION_CATEGORIES } from '../domain/violation_categories.ts';
import { ZONE_KINDS } from '../domain/zones.ts';
import { bboxSchema, calendarDateOrRangeSchema, calendarDateSchema, idParamsSchema, pagingSchema } from '../http/common_schemas.ts';
import { keysetPagingSchema } from '../paging/keyset.ts';
import { AppError } from '../http/errors.ts';
import { defineRoute, requireUser } from '../http/route_definition.ts';
import type { JobQueue } from '../jobs/job_queue.ts';
import { enqueueDetectionIngest } from './ingest_job.ts';
import { insertBatch, selectExistingBatch } from './queries.ts';
import { listBatches, listDetections, requireBatch, requireDetection, reviewDetection, toDetectionFeature } from './service.ts';
import { DETECTION_CRS, type DetectionCrs } from './types.ts';
import { CRS_CHOICE_HINT, parseCrsChoice } from '../files/source_crs.ts';
import { sniffVectorFormat, VECTOR_FORMATS_HINT } from '../files/read_vector_file.ts';
import { tileTemplateProblem } from './tile_template.ts';

const optionalText = (name: string, max: number) => z.string().trim().max(max, `${name} must be at most ${max} characters`).optional().transform((value) => value || undefined);
const dateOrRange = (name: string) => calendarDateOrRangeSchema(name);
const tileUrl = (name: string, allowedOrigins: readonly string[]) =>
  z
    .string()
    .trim()
    .max(500)
    .superRefine((url, context) => {
      const problem = tileTemplateProblem(url, allowedOrigins);
      if (problem) context.addIssue({ code: 'custom', message: `${name} ${problem}` });
    })
    .optional();

const uploadBodyOf = (allowedImageryOrigins: readonly string[]) => z.object({
  source: z.string().trim().min(1, 'source is required (e.g. GF-2, Sentinel-2)').max(64),
  sensor: optionalText('sensor', 100),
  modelName: optionalText('modelName', 100),
  beforeDate: dateOrRange('beforeDate'),
  afterDate: dateOrRange('afterDate'),
  groundResolutionMeters: z.coerce.number().positive('groundResolutionMeters must be positive').max(1000).optional(),
  crs: z
    .string()
    .trim()
    .optional()
    .transform((text, context): DetectionCrs => {
      if (!text || text.toUpperCase() === 'AUTO') return 'AUTO';
      const choice = parseCrsChoice(text);
      if (!choice) {
        context.addIssue({ code: 'custom', message: `crs must be ${CRS_CHOICE_HINT}, or empty for the file's own CRS` });
        return z.NEVER;
      }
      const named = (DETECTION_CRS as readonly string[]).find((name) => name === text.toUpperCase().replace(/[ -]/g, ''));
      return (named as DetectionCrs | undefined) ?? (choice.kind === 'epsg' ? `EPSG:${choice.srid}` : 'GCJ02');
    }),
  layer: optionalText('layer', 200),
  batchId: optionalText('batchId', 128),
  beforeTileUrl: tileUrl('beforeTileUrl', allowedImageryOrigins),
  afterTileUrl: tileUrl('afterTileUrl', allowedImageryOrigins),
});

const csvList = <T extends string>(values: readonly T[], name: string) =>
  z
    .string()
    .transform((text) => text.split(',').map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values as unknown as [T, ...T[]], `${name} must be a comma-separated list of ${values.join(', ')}`)));

const listQuery = z.object({
  batch: z.coerce.number().int().positive('batch must be a batch id').optional(),
  zone: csvList(ZONE_KINDS, 'zone').optional(),
  status: csvList(DETECTION_REVIEW_STATUSES, 'status').optional(),
  category: csvList(VIOLATION_CATEGORIES, 'category').optional(),
  jurisdiction: z.string().regex(/^\d{6}$/, 'jurisdiction must be a 6-digit division code').optional(),
  minConfidence: z.coerce.number().min(0).max(1, 'minConfidence is 0–1').optional(),
  minArea: z.coerce.number().min(0, 'minArea is square metres, 0 or more').optional(),
  includeOutOfScope: z.enum(['true', 'false'], 'includeOutOfScope must be true or false').default('false').transform((text) => text === 'true'),
  bbox: bboxSchema.optional(),
  createdFrom: calendarDateSchema('createdFrom').optional(),
  createdTo: calendarDateSchema('createdTo').optional(),
  reviewLateDays: z.coerce.number().int().min(0).max(365, 'reviewLateDays is 0–365 days').optional(),
  sort: z.enum(['priority', 'confidence', 'area', 'stake'], 'sort must be priority, confidence, area or stake').default('priority'),
  order: z.enum(['asc', 'desc'], 'order must be asc or desc').default('desc'),
  ...keysetPagingSchema(100),
});

const reviewBody = z
  .object({
    action: z.enum(DETECTION_REVIEW_ACTIONS, `action must be one of ${DETECTION_REVIEW_ACTIONS.join(', ')}`),
    expectedStatus: z.enum(DETECTION_REVIEW_STATUSES).optional(),
    category: z.enum(VIOLATION_CATEGORIES, 'category is not a violation category').optional(),
    attributes: z.record(z.string(), z.unknown()).optional(),
    rejectReason: z.enum(DETECTION_REJECT_REASONS, `rejectReason must be one of ${DETECTION_REJECT_REASONS.join(', ')}`).optional(),
    note: z.string().trim().max(2000).optional(),
    violationId: z.number().int().positive().optional(),
    caseNumber: z.string().trim().min(1, 'caseNumber is the case number (统一编号), e.g. 410104-2026-000123').max(40).optional(),
  })
  .superRefine((body, context) => {
    if (body.action === 'reject' && !body.rejectReason) context.addIssue({ code: 'custom', path: ['rejectReason'], message: 'rejectReason is required to reject' });
    if (body.action === 'merge' && body.violationId === undefined && body.caseNumber === undefined) {
      context.addIssue({ code: 'custom', path: ['caseNumber'], message: 'caseNumber (or violationId) is required to merge' });
    }
    if (body.violationId !== undefined && body.caseNumber !== undefined) context.addIssue({ code: 'custom', path: ['caseNumber'], message: 'send caseNumber or violationId, not both' });
  });

/** Routes of docs/detections_api.md. Uploads are ingested by the job queue (ingest_job.ts). */
export function detectionRoutes(_db: Database, config: AppConfig, jobs: JobQueue | null) {
  return [
    defineRoute({
      method: 'post',
      path: '/detection-batches',
      tag: 'detections',
      summary: 'Upload a batch of satellite change detections (GeoJSON, GeoJSONSeq, zipped Shapefile, FlatGeobuf, GeoPackage, KML/KMZ, CSV with WKT); ingested in the background',
      access: { permission: 'detections.ingest' },
      upload: { field: 'file', maxBytes: config.LUYU_DETECTION_MAX_BYTES },
      body: uploadBodyOf(config.LUYU_IMAGERY_ORIGINS),
      successStatus: 202,
      handler: async ({ body, file, db: scoped, audit, response, ...input }) => {
        const user = requireUser(input);
        if (!file || file.sizeBytes === 0) throw new AppError(400, 'FILE_REQUIRED', 'Send the detections file in the multipart field "file"');
        const format = sniffVectorFormat(file.head);
        if (!format) throw new AppError(400, 'DETECTION_FORMAT_UNSUPPORTED', `The file is none of the accepted formats: ${VECTOR_FORMATS_HINT}`);
        const contentSha256 = file.sha256;
        const found = await selectExistingBatch(scoped, body.batchId ?? null, contentSha256, user.jurisdiction.code);
        if (found !== null && found.crs !== body.crs) {
          // The same coordinates read in another CRS are other places: never answer with the old batch.
          throw new AppError(409, 'DETECTION_BATCH_CRS_DIFFERS', `This file (or batchId) is batch ${found.id}, uploaded with crs ${found.crs}, not ${body.crs}; fix that batch or upload a different file`, { batchId: found.id, crs: found.crs });
        }
        const existing = found?.id ?? null;
        if (existing !== null) {
          // Idempotent retry: same batchId or same bytes → the existing batch, nothing created.
          await audit({ action: 'detection_batch.resubmit', entityType: 'detection_batch', entityId: existing, after: { contentSha256 } });
          response.status(200).json(await requireBatch(scoped, existing));
          return undefined;
        }
        let id: number;
        try {
          id = await insertBatch(scoped, {
            ...body,
            contentSha256,
            fileFormat: format,
            jurisdictionCode: user.jurisdiction.code,
            createdBy: user.id,
            isDemo: false,
            status: 'queued',
          });
        } catch (error) {
          // Keys are per jurisdiction: only a concurrent upload of the same batch by this district collides.
          if ((error as { code?: string }).code === '23505') throw new AppError(409, 'DETECTION_BATCH_EXISTS', 'The same batch (batchId or file content) is being uploaded at this moment; retry to get it');
          throw error;
        }
        await audit({ action: 'detection_batch.create', entityType: 'detection_batch', entityId: id, after: { format, source: body.source, bytes: file.sizeBytes, contentSha256 } });
        // The job commits with the batch row; the queue looks at once when the answer went out.
        const job = await enqueueDetectionIngest(scoped, {
          batchId: id,
          uploadedPath: file.path,
          uploadDirectory: config.LUYU_UPLOAD_DIR,
          format,
          crs: body.crs,
          layer: body.layer ?? null,
          jurisdictionCode: user.jurisdiction.code,
          createdBy: user.id,
        });
        response.once('finish', () => jobs?.wake());
        return { id, status: 'queued', jobId: job.id };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/detection-batches',
      tag: 'detections',
      summary: 'Detection batches (newest first) with counts and precision statistics',
      access: { permission: 'detections.read' },
      query: z.object(pagingSchema(50)),
      handler: async ({ query, db: scoped }) => listBatches(scoped, query.limit, query.offset),
    }),
    defineRoute({
      method: 'get',
      path: '/detection-batches/:id',
      tag: 'detections',
      summary: 'One detection batch: status, progress, rejected features, counts',
      access: { permission: 'detections.read' },
      params: idParamsSchema,
      handler: async ({ params, db: scoped }) => requireBatch(scoped, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/detections',
      tag: 'detections',
      summary: 'Detections (satellite leads) as a FeatureCollection, filtered and sorted',
      access: { permission: 'detections.read' },
      query: listQuery,
      handler: async ({ query, db: scoped, request }) =>
        listDetections(
          scoped,
          {
            batchId: query.batch,
            zones: query.zone,
            statuses: query.status,
            categories: query.category,
            jurisdiction: query.jurisdiction,
            minConfidence: query.minConfidence,
            minAreaSquareMeters: query.minArea,
            includeOutOfScope: query.includeOutOfScope,
            bbox: query.bbox,
            createdFrom: query.createdFrom,
            createdTo: query.createdTo,
            reviewLateDays: query.reviewLateDays,
            sort: query.sort,
            order: query.order,
          },
          query.limit,
          query,
          request.originalUrl,
        ),
    }),
    defineRoute({
      method: 'get',
      path: '/detections/:id',
      tag: 'detections',
      summary: 'One detection',
      access: { permission: 'detections.read' },
      params: idParamsSchema,
      handler: async ({ params, db: scoped }) => toDetectionFeature(await requireDetection(scoped, params.id)),
    }),
    defineRoute({
      method: 'post',
      path: '/detections/:id/review',
      tag: 'detections',
      summary: 'Review a detection: confirm (creates a satellite_lead violation), reject, send to the field, or merge into a violation',
      access: { permission: 'detections.review' },
      params: idParamsSchema,
      body: reviewBody,
      handler: async ({ params, body, db: scoped, audit, ...input }) => {
        const user = requireUser(input);
        const result = await reviewDetection(scoped, params.id, body, user);
        await audit({ action: `detection.${body.action}`, entityType: 'detection', entityId: params.id, before: result.before, after: result.after });
        return result.feature;
      },
    }),
  ];
}

