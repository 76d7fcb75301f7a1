/**
 * Keeping the dissolved zones (migration 034) current. Writers never call this: triggers on
 * protection_zones, segments and road_structures mark the (district, kind) sets a change touches,
 * and this job rebuilds stale sets, each in its own transaction (one statement), so a district's
 * redraw never holds the whole province. Until a set is rebuilt, the zone tiles below z14 show
 * its previous union and classification does not use the dissolved pieces at all.
 */
import type { JobQueue } from '../jobs/job_queue.ts';
import { deleteFinishedJobs } from '../management/queries.ts';
import { rebuildDissolvedSet, selectStaleDissolvedSets } from './queries.ts';

export const DISSOLVED_ZONES_JOB = 'zones.rebuild_dissolved';
/** A zone edit shows in the low-zoom tiles within this plus one rebuild. */
export const DISSOLVED_ZONES_EVERY_SECONDS = 5;
/** Sets taken per run: a province district's set takes ~1 s, so one run stays well inside its lease. */
const SETS_PER_RUN = 50;
const KEEP_FINISHED_JOBS_MINUTES = 60;

/**
 * `schedule: false` (the embedded database, see usesPerSegmentZones): the handler is there, nothing
 * runs it every few seconds — nothing there reads the pieces but classification's gate, which stays
 * open (same results, no shortcut) while a set is stale.
 */
export function registerZoneJobs(queue: JobQueue, options: { schedule: boolean } = { schedule: true }): void {
  queue.register(
    DISSOLVED_ZONES_JOB,
    async (job) => {
      const stale = await selectStaleDissolvedSets(job.pool, SETS_PER_RUN);
      let rebuilt = 0;
      for (const setId of stale) {
        if (job.signal.aborted) break;
        // -1: a zone edit holds the set right now; it stays stale and the next run takes it.
        if ((await rebuildDissolvedSet(job.pool, setId)) >= 0) rebuilt += 1;
      }
      await deleteFinishedJobs(job.pool, DISSOLVED_ZONES_JOB, KEEP_FINISHED_JOBS_MINUTES);
      return { stale: stale.length, rebuilt };
    },
    { leaseSeconds: 300, maxAttempts: 3, concurrency: 1 },
  );
  if (options.schedule) queue.schedule(DISSOLVED_ZONES_JOB, DISSOLVED_ZONES_EVERY_SECONDS);
}
