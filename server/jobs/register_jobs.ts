import type { AppConfig } from '../config.ts';
import type { DatabaseMode } from '../db/database.ts';
import { usesPerSegmentZones } from '../tiles/service.ts';
import { registerDetectionJobs } from '../detections/ingest_job.ts';
import { parseLimitsOf } from '../files/file_limits.ts';
import { registerManagementJobs } from '../management/aggregates.ts';
import type { JobQueue } from './job_queue.ts';
import { registerPatrolPlanJobs } from '../patrol_plans/plan_jobs.ts';
import { registerTileJobs } from '../tiles/tile_jobs.ts';
import { registerZoneJobs } from '../zones/dissolved_zones.ts';

/**
 * Every domain's job handlers on one queue: server/index.ts and the test helpers call this, so a
 * new domain adds its `registerXxxJobs(queue, deps)` line here and nowhere else.
 */
export function registerAllJobs(queue: JobQueue, config: AppConfig, mode: DatabaseMode): void {
  registerDetectionJobs(queue, { limits: parseLimitsOf(config) });
  registerManagementJobs(queue);
  registerPatrolPlanJobs(queue, config);
  registerZoneJobs(queue, { schedule: !usesPerSegmentZones(mode) });
  registerTileJobs(queue);
}
