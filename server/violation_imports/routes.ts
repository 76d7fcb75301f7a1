import { z } from 'zod';
import { VIOLATION_SOURCES } from '../domain/violation_attributes.ts';
import { badRequest } from '../http/errors.ts';
import { defineRoute, requireUser } from '../http/route_definition.ts';
import { IMPORT_DATUMS } from '../imports/import_types.ts';
import { importViolations } from './service.ts';

const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

const importFields = z.object({
  datum: z.enum(IMPORT_DATUMS as ['WGS84', 'CGCS2000', 'GCJ02'], { message: `datum must be one of ${IMPORT_DATUMS.join(', ')} (the coordinates' datum; GCJ-02 is converted)` }),
  dryRun: z.enum(['true', 'false'], { message: 'dryRun must be true or false' }).default('true').transform((value) => value === 'true'),
  source: z.enum(VIOLATION_SOURCES, { message: `source must be one of ${VIOLATION_SOURCES.join(', ')}` }).default('import'),
});

/** Import of violations from GeoJSON, CSV or xlsx: dry run first, then all-or-nothing commit. */
export function violationImportRoutes() {
  return [
    defineRoute({
      method: 'post',
      path: '/violation-imports',
      tag: 'violations',
      summary: 'Import violations from GeoJSON, CSV (lon/lat or route+stake columns) or xlsx: dry run report per row, then all-or-nothing commit; idempotent on externalId',
      access: { permission: 'findings.record' },
      upload: { field: 'file', maxBytes: IMPORT_MAX_BYTES },
      body: importFields,
      handler: async ({ db, body, file, audit, ...input }) => {
        const user = requireUser(input);
        if (!file) throw badRequest('FILE_MISSING', 'Send the file as the multipart field "file" (GeoJSON, CSV or xlsx)');
        const report = await importViolations(db, { fileName: file.originalName, bytes: file.bytes, datum: body.datum, dryRun: body.dryRun, source: body.source }, user);
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
