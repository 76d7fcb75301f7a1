import { FileRejectedError, type ParseLimits } from './file_limits.ts';
import { readVectorFeatures, type VectorFormat } from './read_vector_file.ts';
import { CrsError, parseCrsChoice, resolveSourceCrs, CRS_CHOICE_HINT, type CrsChoice } from './source_crs.ts';

export interface SourceFeatureOptions {
  format: VectorFormat;
  /** The form's crs field (datum name or EPSG:n); null: the file's own, else WGS 84. */
  crs: string | null;
  layer: string | null;
  workDir: string;
  limits: ParseLimits;
}

export function crsChoiceOf(text: string | null): CrsChoice | null {
  if (text === null || text === '' || text.toUpperCase() === 'AUTO') return null;
  const choice = parseCrsChoice(text);
  if (!choice) throw new FileRejectedError('CRS_UNSUPPORTED', `crs ${text} is not supported; use ${CRS_CHOICE_HINT}`);
  return choice;
}

/**
 * The features of an uploaded file with their CRS settled: the file's declaration and the form's
 * choice are resolved once, before the first feature (source_crs.ts resolveSourceCrs). A geometry in
 * another EPSG system than WGS 84 carries it as a GeoJSON 2008 `crs` member, which PostGIS's
 * ST_GeomFromGeoJSON reads, so ST_Transform in the staging SQL does the transformation. GCJ-02 stays
 * the caller's to convert (`sourceCrs.kind === 'gcj02'`).
 */
export async function* readSourceFeatures(filePath: string, options: SourceFeatureOptions, onCrs: (crs: CrsChoice) => void = () => undefined): AsyncGenerator<GeoJSON.Feature> {
  const choice = crsChoiceOf(options.crs);
  let declared: number | null | undefined;
  let resolved: CrsChoice | null = null;
  const features = readVectorFeatures(filePath, options.format, {
    workDir: options.workDir,
    limits: options.limits,
    layer: options.layer,
    declareSrid: (srid) => {
      declared = srid;
    },
  });
  try {
    for await (const feature of features) {
      if (!resolved) {
        resolved = resolveSourceCrs(choice, declared ?? null);
        onCrs(resolved);
      }
      if (resolved.kind === 'epsg' && resolved.srid !== 4326 && feature?.geometry) {
        (feature.geometry as GeoJSON.Geometry & { crs?: unknown }).crs = { type: 'name', properties: { name: `EPSG:${resolved.srid}` } };
      }
      yield feature;
    }
  } catch (error) {
    if (error instanceof CrsError) throw new FileRejectedError(error.code, error.message);
    throw error;
  }
}
