import type pg from 'pg';
import { markBatchFailed } from './queries.ts';
import { featuresOfFile, poolRunner, stageAndPublish, type DetectionFileFormat } from './service.ts';
import type { DetectionCrs } from './types.ts';

export interface IngestJob {
  batchId: number;
  bytes: Uint8Array;
  format: DetectionFileFormat;
  crs: DetectionCrs;
}

/**
 * The process's ingest queue: one batch at a time, so two large uploads never compete for the
 * (embedded: single) connection, and every step is a short committed transaction. A batch still
 * queued when the process stops is failed at the next start (failInterruptedBatches).
 */
export class DetectionIngestQueue {
  private readonly waiting: IngestJob[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly onError: (error: unknown, batchId: number) => void = () => undefined,
  ) {}

  enqueue(job: IngestJob): void {
    this.waiting.push(job);
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  /** Resolves when the queue is empty (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (let job = this.waiting.shift(); job; job = this.waiting.shift()) {
      try {
        await stageAndPublish(poolRunner(this.pool), job.batchId, featuresOfFile(job.bytes, job.format), job.crs);
      } catch (error) {
        this.onError(error, job.batchId);
        const reason = `Ingest failed: ${error instanceof Error ? error.message : String(error)}`;
        await markBatchFailed(this.pool, job.batchId, reason, []).catch((secondary: unknown) => this.onError(secondary, job.batchId));
      }
    }
  }
}
