/** Time budget, cancellation and progress reporting shared by both planner modes. */
export interface SearchControl {
  /** Wall-clock budget in seconds (default 10). */
  seconds?: number;
  /** Stops the search early; the best plan so far is returned. */
  signal?: AbortSignal;
  /** Called now and then with the fraction of the budget used and the best objective so far. */
  onProgress?: (fraction: number, bestCost: number) => void;
}

export class SearchBudget {
  private readonly startedAt = performance.now();
  private readonly limitMs: number;
  private lastReportAt = 0;

  constructor(private readonly control: SearchControl) {
    this.limitMs = Math.max(0, (control.seconds ?? 10) * 1000);
  }

  elapsedSeconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  exhausted(): boolean {
    return this.control.signal?.aborted === true || performance.now() - this.startedAt >= this.limitMs;
  }

  /** Reports progress at most every 200 ms (and always when `force`). */
  report(bestCost: number, force = false): void {
    if (!this.control.onProgress) return;
    const now = performance.now();
    if (!force && now - this.lastReportAt < 200) return;
    this.lastReportAt = now;
    const fraction = this.limitMs === 0 ? 1 : Math.min(1, (now - this.startedAt) / this.limitMs);
    this.control.onProgress(force ? 1 : fraction, bestCost);
  }
}
