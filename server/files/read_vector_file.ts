import { FileRejectedError } from './file_limits.ts';
import type { FeatureReader, ReadContext } from './readers/read_context.ts';

/** Vector formats read from uploads; `shapefile` and `kmz` are both zips (read_zip_layers.ts tells them apart by their entries). */
export const VECTOR_FORMATS = ['geojson', 'geojsonseq', 'shapefile', 'kmz', 'flatgeobuf', 'geopackage', 'kml', 'csv'] as const;
export type VectorFormat = (typeof VECTOR_FORMATS)[number];

export const VECTOR_FORMATS_HINT = 'GeoJSON, GeoJSONSeq, zipped Shapefile, FlatGeobuf, GeoPackage, KML/KMZ, CSV with a WKT or lon/lat column';

/**
 * Each reader is loaded when its format arrives: the parsing worker starts fresh for every file, and
 * loading every parser (sql.js, togeojson, dbffile, …) for a GeoJSON upload cost seconds of its stall budget.
 */
const READERS: Record<VectorFormat, () => Promise<FeatureReader>> = {
  geojson: async () => (await import('./readers/read_geojson.ts')).readGeoJson,
  geojsonseq: async () => (await import('./readers/read_geojson_seq.ts')).readGeoJsonSeq,
  shapefile: async () => (await import('./readers/read_zip_layers.ts')).readZipLayers,
  kmz: async () => (await import('./readers/read_zip_layers.ts')).readZipLayers,
  flatgeobuf: async () => (await import('./readers/read_flatgeobuf.ts')).readFlatGeobuf,
  geopackage: async () => (await import('./readers/read_geopackage.ts')).readGeoPackage,
  kml: async () => (await import('./readers/read_kml.ts')).readKml,
  csv: async () => (await import('./readers/read_csv_geometry.ts')).readCsvGeometry,
};

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) => signature.every((byte, index) => bytes[offset + index] === byte);

/**
 * The format from the file's first bytes, never its name: zip, FlatGeobuf and SQLite magic numbers,
 * else text — `{` a GeoJSON object (a sequence when its first line is a whole Feature), RS a GeoJSON
 * text sequence, `<…<kml` KML, and any other text a CSV. Null: binary and none of these.
 */
export function sniffVectorFormat(head: Uint8Array): VectorFormat | null {
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    // The first entry's name (local header at 0: name length at 26, name at 30) tells a KMZ apart for the record; the reader decides by all entries.
    const nameLength = head[26]! | (head[27]! << 8);
    const firstName = Buffer.from(head.subarray(30, 30 + nameLength)).toString('latin1').toLowerCase();
    return firstName.endsWith('.kml') ? 'kmz' : 'shapefile';
  }
  if (startsWith(head, [0x66, 0x67, 0x62, 0x03])) return 'flatgeobuf';
  if (Buffer.from(head.subarray(0, 16)).toString('latin1') === 'SQLite format 3\0') return 'geopackage';
  let index = startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (index < head.length && [0x20, 0x0a, 0x0d, 0x09].includes(head[index]!)) index += 1;
  if (head[index] === 0x1e) return 'geojsonseq';
  const text = Buffer.from(head.subarray(index)).toString('utf8');
  if (text.startsWith('{')) {
    const firstLine = text.split('\n', 1)[0]!;
    try {
      return (JSON.parse(firstLine) as { type?: unknown }).type === 'Feature' ? 'geojsonseq' : 'geojson';
    } catch {
      return 'geojson';
    }
  }
  if (text.startsWith('<')) return /<kml[\s>]/.test(text) ? 'kml' : null;
  const sample = head.subarray(0, Math.min(head.length, 1024));
  if (sample.includes(0)) return null;
  // A CSV names its columns on the first line: at least two, so one word of text is not a table.
  return /[,;\t]/.test(text.split(/\r?\n/, 1)[0]!) ? 'csv' : null;
}

/** The reader of each format (run inside the parsing worker, never on the main thread). */
export async function* readVectorFeatures(filePath: string, format: VectorFormat, context: ReadContext): AsyncGenerator<GeoJSON.Feature> {
  const load = READERS[format];
  if (!load) throw new FileRejectedError('FORMAT_UNSUPPORTED', `The format ${String(format)} is not read; accepted: ${VECTOR_FORMATS_HINT}`);
  yield* (await load())(filePath, context);
}
