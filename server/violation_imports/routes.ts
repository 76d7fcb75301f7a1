import { z } from 'zod';
import { VIOLATION_SOURCES } from '../domain/violation_attributes.ts';
import { badRequest } from '../http/errors.ts';
import { defineRoute, requireUser } from '../http/route_definition.ts';
import { CRS_CHOICE_HINT, parseCrsChoice } from '../files/source_crs.ts';
import type { AppConfig } from '../config.ts';
import { parseLimitsOf } from '../files/file_limits.ts';
import { ParseFailedError, readImportFileIsolated } from '../files/run_parse_worker.ts';
import type { ImportResult } from '../imports/import_types.ts';
import { AppError } from '../http/errors.ts';
import { importViolations } from './service.ts';

const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

const importFields = z.object({
  datum: z
    .string()
    .trim()
    .refine((text) => parseCrsChoice(text) !== null, { message: `datum must be ${CRS_CHOICE_HINT} (GCJ-02 is converted; a Shapefile's .prj, a GeoPackage's or FlatGeobuf's CRS win over WGS84/CGCS2000)` }),
  layer: z.string().trim().max(200).optional().transform((text) => text || null),
  dryRun: z.enum(['true', 'false'], { message: 'dryRun must be true or false' }).default('true').transform((value) => value === 'true'),
  source: z.enum(VIOLATION_SOURCES, { message: `source must be one of ${VIOLATION_SOURCES.join(', ')}` }).default('import'),
});

/** Import of violations from GeoJSON, CSV or xlsx: dry run first, then all-or-nothing commit. */
export function violationImportRoutes(config: AppConfig) {
  const limits = parseLimitsOf(config);
  return [
    defineRoute({
      method: 'post',
      path: '/violation-imports',
      tag: 'violations',
      summary: 'Import violations from GeoJSON, CSV (lon/lat or route+stake columns), xlsx, zipped Shapefile, GeoPackage, FlatGeobuf, KML/KMZ or GeoJSONSeq: dry run report per row, then all-or-nothing commit; idempotent on externalId',
      access: { permission: 'findings.record' },
      upload: {
        field: 'file',
        maxBytes: IMPORT_MAX_BYTES,
        // Parsed in a worker with memory and time limits, before the request's transaction opens.
        parse: async (file, body: z.infer<typeof importFields>) => {
          try {
            return await readImportFileIsolated(file.path, file.originalName, { crs: body.datum, layer: body.layer }, limits);
          } catch (error) {
            if (error instanceof ParseFailedError) throw new AppError(error.status, error.code, error.message, error.details);
            throw error;
          }
        },
      },
      body: importFields,
      handler: async ({ db, body, file, parsedFile, audit, ...input }) => {
        const user = requireUser(input);
        if (!file) throw badRequest('FILE_MISSING', 'Send the file as the multipart field "file" (GeoJSON, CSV or xlsx)');
        const report = await importViolations(db, { parsed: parsedFile as ImportResult, dryRun: body.dryRun, source: body.source }, user);
        await audit({
          action: body.dryRun ? 'violations.import_dry_run' : 'violations.import',
          entityType: 'violation_import',
          entityId: file.originalName.slice(0, 120),
          after: { ...report.summary, createdIds: report.rows.flatMap((row) => (row.createdId ? [row.createdId] : [])) },
        });
        return report;
      },
    }),
  ];
}
