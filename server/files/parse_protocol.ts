import type { VectorFormat } from './read_vector_file.ts';
import type { ImportResult } from '../imports/import_types.ts';
import type { ParseLimits } from './file_limits.ts';

/** What the parsing worker is asked to do (its workerData). */
export type ParseTask =
  | { kind: 'detection-features'; filePath: string; format: VectorFormat; crs: string | null; layer: string | null; limits: ParseLimits }
  | { kind: 'violation-import'; filePath: string; fileName: string; crs: string; layer: string | null; limits: ParseLimits };

/** What it answers. */
export type WorkerReply =
  | { type: 'features'; features: GeoJSON.Feature[] }
  | { type: 'end'; count: number }
  | { type: 'import'; result: ImportResult }
  | { type: 'error'; code: string; message: string; status: number; details?: unknown };
