import type { ParseLimits } from '../file_limits.ts';

/** What a format reader gets besides the file: a scratch directory, the limits, the chosen layer. */
export interface ReadContext {
  workDir: string;
  limits: ParseLimits;
  /** The form's `layer`: which layer of a file with several (zip of shapefiles, GeoPackage). */
  layer: string | null;
  /** The CRS the file declares (EPSG code), or null when it declares none; called before the first feature. */
  declareSrid(srid: number | null): void;
}

/** One reader per format: features one by one, never the whole file as one object tree when avoidable. */
export type FeatureReader = (filePath: string, context: ReadContext) => AsyncGenerator<GeoJSON.Feature>;
