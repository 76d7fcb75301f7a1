/** Messages between bench:tiles and its HTTP load worker (http_load_worker.mjs). */
export interface TilePath { layer: string; z: number; x: number; y: number }
export interface SweepRequest { tiles: TilePath[]; concurrency: number; decoded: boolean }
export interface SweepResult { wallMs: number; latencies: number[]; sizes: number[] }
