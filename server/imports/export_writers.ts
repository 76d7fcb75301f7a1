import ExcelJS from 'exceljs';

export interface ExportColumn {
  key: string;
  header: string;
  /** Character width in Excel; estimated from the header and the data when absent. */
  width?: number;
}

export type ExportRow = Record<string, unknown>;

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** `2024-05-01 10:00:00` on the Asia/Shanghai clock (UTC+8, no DST): Excel recognises it as a date-time. */
function shanghaiLocal(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : shanghaiLocal(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Excel runs cells starting with = + - @ as formulas ("CSV injection"); a leading apostrophe keeps
 * them text. Plain numbers like -3 are left alone since Excel reads them as numbers, not formulas.
 */
function neutraliseFormula(text: string): string {
  if (/^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(\.\d+)?$/.test(text)) return `'${text}`;
  return text;
}

function csvField(value: unknown): string {
  const text = typeof value === 'string' ? neutraliseFormula(value) : textOf(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * RFC 4180 CSV (CRLF, quotes doubled) with a UTF-8 BOM: without the BOM, Chinese Excel opens the
 * file as GBK and shows mojibake. Dates are written as Asia/Shanghai wall time.
 */
export function writeCsv(columns: readonly ExportColumn[], rows: readonly ExportRow[]): Buffer {
  const lines = [columns.map((column) => csvField(column.header)).join(',')];
  for (const row of rows) lines.push(columns.map((column) => csvField(row[column.key])).join(','));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

/** CJK characters take two character widths in Excel's column-width unit. */
function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) width += /[\u2e80-\u9fff\uac00-\ud7af\uff00-\uffef]/.test(character) ? 2 : 1;
  return width;
}

function cellValue(value: unknown): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  // Excel date-times have no zone and exceljs writes the UTC fields: shift so they read as Shanghai wall time.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : new Date(value.getTime() + SHANGHAI_OFFSET_MS);
  return JSON.stringify(value);
}

/** Excel refuses sheet names over 31 characters or with : \ / ? * [ ]. */
function safeSheetName(name: string): string {
  const cleaned = name.replace(/[:\\/?*[\]]/g, ' ').trim().slice(0, 31);
  return cleaned === '' ? 'Sheet1' : cleaned;
}

/** An .xlsx with one sheet: bold frozen header, filter, widths, real numbers and dates (Asia/Shanghai wall time). */
export async function writeXlsx(sheetName: string, columns: readonly ExportColumn[], rows: readonly ExportRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(safeSheetName(sheetName), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => {
    const sample = rows.slice(0, 200).map((row) => displayWidth(textOf(row[column.key])));
    const estimated = Math.min(60, Math.max(8, displayWidth(column.header) + 2, ...sample.map((width) => width + 2)));
    return { key: column.key, header: column.header, width: column.width ?? estimated };
  });
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    const added = sheet.addRow(Object.fromEntries(columns.map((column) => [column.key, cellValue(row[column.key])])));
    columns.forEach((column, index) => {
      if (row[column.key] instanceof Date) added.getCell(index + 1).numFmt = 'yyyy-mm-dd hh:mm:ss';
    });
  }
  if (columns.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const output = await workbook.xlsx.writeBuffer();
  return Buffer.from(output as ArrayBuffer);
}
