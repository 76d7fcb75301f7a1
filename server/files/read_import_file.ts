import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { importResultOfFeatures, parseImportFile } from '../imports/parse_import_file.ts';
import { sniffVectorFormat } from './read_vector_file.ts';
import { crsChoiceOf, readSourceFeatures } from './source_features.ts';
import { isGeographic } from './source_crs.ts';
import { MAX_IMPORT_ROWS, type ImportDatum, type ImportResult } from '../imports/import_types.ts';
import { extractZipEntries } from './extract_zip_entries.ts';
import { FileRejectedError, type ParseLimits } from './file_limits.ts';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/**
 * Counts the rows of every worksheet of an .xlsx while inflating it (the `<row` tags of
 * xl/worksheets/*.xml), and refuses the file as soon as one holds more than MAX_IMPORT_ROWS data
 * rows: a 2,000,000-row sheet is refused after reading a sliver, before ExcelJS builds anything.
 */
async function assertXlsxRowCount(filePath: string, limits: ParseLimits): Promise<void> {
  const tag = Buffer.from('<row ');
  await extractZipEntries(filePath, '', limits, (name) => {
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(name)) return null;
    let rows = 0;
    let carry = Buffer.alloc(0);
    return (chunk) => {
      const text = Buffer.concat([carry, chunk]);
      for (let index = text.indexOf(tag); index !== -1; index = text.indexOf(tag, index + tag.length)) rows += 1;
      carry = text.subarray(Math.max(0, text.length - tag.length + 1));
      // The header row is one of them.
      if (rows - 1 > MAX_IMPORT_ROWS) {
        throw new FileRejectedError('IMPORT_TOO_MANY_ROWS', `the worksheet ${name} has more than ${MAX_IMPORT_ROWS} data rows; at most ${MAX_IMPORT_ROWS} rows can be imported at once, split it into smaller files`);
      }
    };
  });
}

/** An .xlsx is a zip too: its entries tell it apart from a zip of Shapefiles or a KMZ. */
async function isSpreadsheetZip(filePath: string, limits: ParseLimits): Promise<boolean> {
  const { names } = await extractZipEntries(filePath, '', limits, () => null);
  return names.some((name) => name === '[Content_Types].xml' || name.startsWith('xl/'));
}

/**
 * A violation import file parsed inside the parsing worker. Spreadsheets, CSV and GeoJSON go through
 * parse_import_file.ts; the other vector formats through the same readers as detection uploads
 * (server/files/readers), with the file's CRS resolved against the form's `datum` (names or EPSG:n):
 * geometries in another EPSG system keep a crs member and PostGIS transforms them before locating.
 */
export async function readImportFile(
  filePath: string,
  fileName: string,
  crs: string,
  limits: ParseLimits,
  options: { layer?: string | null; workDir?: string } = {},
): Promise<ImportResult> {
  const head = Buffer.alloc(4096);
  const handle = await open(filePath, 'r');
  const { bytesRead } = await handle.read(head, 0, head.length, 0).finally(() => handle.close());
  const sniffed = sniffVectorFormat(head.subarray(0, bytesRead));
  const isZip = ZIP_MAGIC.every((byte, index) => head[index] === byte);
  const vector = isZip ? !(await isSpreadsheetZip(filePath, limits)) : sniffed !== null && !['geojson', 'csv'].includes(sniffed);
  const choice = crsChoiceOf(crs);
  const datum: ImportDatum = choice?.kind === 'gcj02' ? 'GCJ02' : 'WGS84';
  if (vector && sniffed) {
    const workDir = await mkdtemp(path.join(options.workDir ?? path.dirname(filePath), 'import-'));
    try {
      let srid = 4326;
      const features: GeoJSON.Feature[] = [];
      const source = readSourceFeatures(filePath, { format: sniffed, crs, layer: options.layer ?? null, workDir, limits }, (resolved) => {
        srid = resolved.kind === 'epsg' ? resolved.srid : 4326;
      });
      for await (const feature of source) {
        features.push(feature);
        if (features.length > MAX_IMPORT_ROWS) throw new FileRejectedError('IMPORT_TOO_MANY_ROWS', `the file holds more than ${MAX_IMPORT_ROWS} features; at most ${MAX_IMPORT_ROWS} can be imported at once, split it`);
      }
      return importResultOfFeatures(sniffed, features, datum, srid);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
  if (choice?.kind === 'epsg' && !isGeographic(choice.srid)) {
    throw new FileRejectedError('CRS_UNSUPPORTED', `a spreadsheet, CSV or GeoJSON import takes longitude/latitude (WGS84, CGCS2000 or GCJ02), not EPSG:${choice.srid}; send projected data as Shapefile, GeoPackage or FlatGeobuf`);
  }
  const bytes = await readFile(filePath);
  if (isZip) await assertXlsxRowCount(filePath, limits);
  return parseImportFile({ fileName, bytes, datum: choice?.kind === 'epsg' && choice.srid === 4490 ? 'CGCS2000' : datum });
}
