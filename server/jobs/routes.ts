import { idParamsSchema } from '../http/common_schemas.ts';
import { AppError } from '../http/errors.ts';
import { defineRoute } from '../http/route_definition.ts';
import { selectJob, type JobRow } from './queries.ts';

export function toJobReport(row: JobRow) {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    progressDone: row.progress_done,
    progressTotal: row.progress_total,
    progressMessage: row.progress_message,
    result: row.result,
    error: row.error,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at === null ? null : row.finished_at.toISOString(),
  };
}

/** GET /jobs/:id: status and progress of background work, visible within the job's jurisdiction (RLS). */
export function jobRoutes() {
  return [
    defineRoute({
      method: 'get',
      path: '/jobs/:id',
      tag: 'system',
      summary: 'A background job: status, progress, result or error',
      access: { permission: 'network.read' },
      params: idParamsSchema,
      handler: async ({ params, db }) => {
        const row = await selectJob(db, params.id);
        if (!row) throw new AppError(404, 'JOB_NOT_FOUND', `No job with id ${params.id} in your jurisdiction`, { id: params.id });
        return toJobReport(row);
      },
    }),
  ];
}
