import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { AppError } from '../http/errors.ts';
import { attributeAlias, canonicalField, normalizeAliasKey, type CanonicalField } from './import_aliases.ts';
import { buildImportRow, type MappedRecord, type RowContext } from './build_import_row.ts';
import { IMPORT_DATUMS, MAX_IMPORT_ROWS, type ImportDatum, type ImportFormat, type ImportResult, type ParseImportFileInput } from './import_types.ts';
import { excelWallClockToIso, type CellValue } from './parse_cell_values.ts';

function invalid(message: string): AppError {
  return new AppError(400, 'IMPORT_FILE_INVALID', message);
}

const ACCEPTED_FORMATS_HINT = 'accepted: GeoJSON FeatureCollection, CSV (UTF-8 or GBK/GB18030), Excel .xlsx';

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte);
}

/**
 * Chinese Excel saves "CSV" in the ANSI code page (GBK); other tools write UTF-8, with or without BOM,
 * and "Unicode text" is UTF-16LE. Strict UTF-8 first: GBK text is almost never valid UTF-8, so a
 * decoding failure is a reliable sign; GB18030 is a superset of GBK and GB2312.
 */
export function decodeText(bytes: Uint8Array): string {
  if (startsWith(bytes, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(bytes);
  if (startsWith(bytes, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes); // strips a BOM
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** The format is decided by content; the file name only breaks the tie for text files. */
function detectFormat(bytes: Uint8Array, text: () => string): ImportFormat {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'xlsx';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) throw invalid('this is an Excel 97-2003 .xls file, which is not supported; save it as .xlsx or CSV');
  const head = bytes.subarray(0, 512);
  if (head.includes(0) && !startsWith(bytes, [0xff, 0xfe]) && !startsWith(bytes, [0xfe, 0xff])) {
    throw invalid(`the file is binary and not a spreadsheet; ${ACCEPTED_FORMATS_HINT}`);
  }
  return text().trimStart().startsWith('{') ? 'geojson' : 'csv';
}

function mapHeaders(headers: readonly string[]): { fields: Map<number, CanonicalField>; extra: Map<number, string> } {
  const fields = new Map<number, CanonicalField>();
  const extra = new Map<number, string>();
  const seen = new Map<string, string>();
  headers.forEach((raw, index) => {
    const header = raw.trim();
    if (header === '') return;
    const field = canonicalField(header);
    const key = field ?? attributeAlias(header)?.key ?? normalizeAliasKey(header);
    const earlier = seen.get(key);
    if (earlier !== undefined) throw invalid(`columns "${earlier}" and "${header}" both mean ${key}; keep one of them`);
    seen.set(key, header);
    if (field) fields.set(index, field);
    else extra.set(index, header);
  });
  const has = (field: CanonicalField) => [...fields.values()].includes(field);
  const hasPoint = has('lon') && has('lat');
  const hasStake = has('route') && has('stake');
  if (!hasPoint && !hasStake && !has('wkt')) {
    const found = headers.filter((header) => header.trim() !== '').join(', ') || '(empty)';
    throw invalid(
      `header row 1 must name the location: a WKT column, lon and lat columns (经度, 纬度), or route and stake columns (路线, 桩号); found: ${found}`,
    );
  }
  return { fields, extra };
}

function mapRecords(headers: readonly string[], rows: readonly { rowNumber: number; cells: readonly CellValue[] }[]): MappedRecord[] {
  const { fields, extra } = mapHeaders(headers);
  return rows.map(({ rowNumber, cells }) => {
    const record: MappedRecord = { rowNumber, fields: {}, extra: {} };
    for (const [index, field] of fields) record.fields[field] = cells[index] ?? null;
    for (const [index, header] of extra) record.extra[header] = cells[index] ?? null;
    return record;
  });
}

function isBlank(cells: readonly CellValue[]): boolean {
  return cells.every((cell) => cell === null || (typeof cell === 'string' && cell.trim() === ''));
}

function tooManyRows(count: number): AppError {
  return invalid(`the file has ${count} data rows; at most ${MAX_IMPORT_ROWS} rows can be imported at once, split it into smaller files`);
}

/** Comma is the norm; Excel in some locales writes semicolons and "Unicode text" uses tabs. */
function guessDelimiter(firstLine: string): string {
  const counts = [',', ';', '\t'].map((delimiter) => [delimiter, firstLine.split(delimiter).length - 1] as const);
  return counts.reduce((best, candidate) => (candidate[1] > best[1] ? candidate : best))[0];
}

function parseCsvRecords(text: string): MappedRecord[] {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw invalid('the file is empty; it needs a header row and at least one data row');
  let table: string[][];
  try {
    table = parseCsv(body, { delimiter: guessDelimiter(body.split(/\r?\n/, 1)[0] ?? ''), relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (error) {
    throw invalid(`the CSV cannot be read: ${(error as Error).message}`);
  }
  const [headers, ...dataRows] = table;
  if (!headers) throw invalid('the file has no header row');
  // Row numbers count blank rows too, so they match what the user sees in the spreadsheet.
  const rows = dataRows.map((cells, index) => ({ rowNumber: index + 1, cells })).filter((row) => !isBlank(row.cells));
  if (rows.length > MAX_IMPORT_ROWS) throw tooManyRows(rows.length);
  return mapRecords(headers, rows);
}

function xlsxCell(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return excelWallClockToIso(value);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('error' in value) return null;
    // Formula cells: the cached result is what the user saw.
    if ('result' in value) return value.result === undefined ? null : xlsxCell(value.result as ExcelJS.CellValue);
    if ('text' in value) return typeof value.text === 'string' ? value.text : xlsxCell(value.text as ExcelJS.CellValue);
  }
  return null;
}

async function parseXlsxRecords(bytes: Uint8Array): Promise<MappedRecord[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw invalid(`the Excel file cannot be read (${(error as Error).message}); save it again as .xlsx`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet || sheet.actualRowCount === 0) throw invalid('the first worksheet is empty; it needs a header row and at least one data row');
  if (sheet.actualRowCount - 1 > MAX_IMPORT_ROWS) throw tooManyRows(sheet.actualRowCount - 1);
  const columnCount = sheet.columnCount;
  const readRow = (row: ExcelJS.Row): CellValue[] => Array.from({ length: columnCount }, (_, index) => xlsxCell(row.getCell(index + 1).value));
  const headers = readRow(sheet.getRow(1)).map((cell) => (cell === null ? '' : String(cell)));
  const rows: { rowNumber: number; cells: CellValue[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, excelRowNumber) => {
    if (excelRowNumber === 1) return;
    const cells = readRow(row);
    if (!isBlank(cells)) rows.push({ rowNumber: excelRowNumber - 1, cells });
  });
  return mapRecords(headers, rows);
}

function parseGeoJsonRecords(text: string): MappedRecord[] {
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw invalid(`the GeoJSON is not valid JSON: ${(error as Error).message}`);
  }
  if (document === null || typeof document !== 'object' || (document as { type?: unknown }).type !== 'FeatureCollection') {
    throw invalid('the GeoJSON must be a FeatureCollection of Point or Polygon features');
  }
  const { features, crs } = document as { features?: unknown; crs?: { properties?: { name?: unknown } } };
  // Legacy GeoJSON may name a projected CRS (e.g. EPSG:3857); its metres are not degrees.
  const crsName = crs?.properties?.name;
  if (typeof crsName === 'string' && !/(CRS84|EPSG:*:?4326|EPSG:*:?4490)$/i.test(crsName)) {
    throw invalid(`the GeoJSON crs ${crsName} is not supported; export longitude/latitude (EPSG:4326 or CGCS2000 EPSG:4490)`);
  }
  if (!Array.isArray(features)) throw invalid('the GeoJSON FeatureCollection has no features array');
  if (features.length === 0) throw invalid('the GeoJSON FeatureCollection has no features');
  return recordsOfFeatures(features);
}

/** Features (of any vector format) → records: properties by alias, the geometry checked later. */
export function recordsOfFeatures(features: readonly unknown[]): MappedRecord[] {
  if (features.length > MAX_IMPORT_ROWS) throw tooManyRows(features.length);
  return features.map((feature: unknown, index): MappedRecord => {
    const record: MappedRecord = { rowNumber: index + 1, fields: {}, extra: {}, geometry: null };
    if (feature === null || typeof feature !== 'object') return record;
    const { geometry, properties, id } = feature as { geometry?: unknown; properties?: unknown; id?: unknown };
    record.geometry = geometry ?? null;
    if (typeof id === 'string' || typeof id === 'number') record.fields.externalId = id;
    if (properties !== null && typeof properties === 'object') {
      for (const [key, value] of Object.entries(properties as Record<string, unknown>)) {
        const cell: CellValue =
          value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value);
        const field = canonicalField(key);
        // Location columns make no sense beside a geometry; they stay attributes rather than a second location.
        if (field && !['lon', 'lat', 'route', 'stake', 'side', 'offset', 'direction'].includes(field)) record.fields[field] = cell;
        else record.extra[key] = cell;
      }
    }
    return record;
  });
}

/**
 * Parses a violation import file into rows. Row problems are `errors` on the row; only a file that
 * cannot be read at all throws AppError `IMPORT_FILE_INVALID` (400). Geometries come out in WGS84.
 */
/** Rows of features another reader produced (server/files/readers), in `geometrySrid` unless GCJ-02. */
export function importResultOfFeatures(format: ImportFormat, features: readonly unknown[], datum: ImportDatum, geometrySrid: number, upboundDirection: 1 | -1 = 1): ImportResult {
  if (features.length === 0) throw invalid('the file holds no features');
  const context: RowContext = { datum, upboundDirection, geometrySrid };
  return { format, rows: recordsOfFeatures(features).map((record) => buildImportRow(record, context)) };
}

export async function parseImportFile(input: ParseImportFileInput): Promise<ImportResult> {
  const { bytes, datum } = input;
  if (!IMPORT_DATUMS.includes(datum)) throw invalid(`datum must be one of ${IMPORT_DATUMS.join(', ')}`);
  if (bytes.byteLength === 0) throw invalid(`the file is empty; ${ACCEPTED_FORMATS_HINT}`);
  let decoded: string | undefined;
  const text = () => (decoded ??= decodeText(bytes));
  const format = detectFormat(bytes, text);
  const records = format === 'xlsx' ? await parseXlsxRecords(bytes) : format === 'geojson' ? parseGeoJsonRecords(text()) : parseCsvRecords(text());
  if (records.length === 0) throw invalid('the file has a header row but no data rows');
  const context: RowContext = { datum, upboundDirection: input.upboundDirection ?? 1 };
  return { format, rows: records.map((record) => buildImportRow(record, context)) };
}
