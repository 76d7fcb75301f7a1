import { parseFlatGeobuf } from '../detections/parse_flatgeobuf.ts';
import { parseGeoJsonStream } from '../detections/parse_geojson_stream.ts';
import { parseShapefileZip } from '../detections/parse_shapefile_zip.ts';
import type { DetectionFileFormat } from '../detections/types.ts';
import type { ParseLimits } from './file_limits.ts';

/** The reader of each detection format (run inside the parsing worker, never on the main thread). */
export function detectionFeaturesOfFile(filePath: string, format: DetectionFileFormat, workDir: string, limits: ParseLimits): AsyncIterable<GeoJSON.Feature> {
  if (format === 'shapefile') return parseShapefileZip(filePath, workDir, limits);
  if (format === 'flatgeobuf') return parseFlatGeobuf(filePath);
  return parseGeoJsonStream(filePath);
}
