import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { badRequest } from '../http/errors.ts';
import { decodeText } from '../imports/parse_import_file.ts';

/** A survey table as header → text per row; row numbers as the spreadsheet shows them (header = 1). */
export interface SurveyRow {
  rowNumber: number;
  cells: Record<string, string>;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((part) => part.text).join('');
  if (typeof value === 'object' && 'result' in value) return value.result === undefined ? '' : String(value.result);
  return String(value);
}

function toRows(headers: readonly string[], table: readonly (readonly string[])[]): SurveyRow[] {
  const keys = headers.map((header) => header.replace(/^\uFEFF/, '').trim().toLowerCase());
  return table
    .map((cells, index) => ({ rowNumber: index + 2, cells: Object.fromEntries(keys.map((key, column) => [key, (cells[column] ?? '').trim()])) }))
    .filter((row) => Object.values(row.cells).some((text) => text !== ''));
}

/** Reads the first sheet of an .xlsx, or a CSV in UTF-8 / GBK (what Chinese Excel saves). */
export async function readSurveyTable(fileName: string, bytes: Uint8Array): Promise<SurveyRow[]> {
  if (/\.xlsx$/i.test(fileName)) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw badRequest('SURVEY_FILE_EMPTY', `${fileName}: the workbook has no worksheet`);
    const table: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row) => {
      const values = row.values as ExcelJS.CellValue[];
      table.push(values.slice(1).map(cellText));
    });
    const [headers = [], ...body] = table;
    return toRows(headers, body);
  }
  if (/\.csv$/i.test(fileName)) {
    const table = parseCsv(decodeText(bytes), { relax_column_count: true, skip_empty_lines: true }) as string[][];
    const [headers = [], ...body] = table;
    return toRows(headers, body);
  }
  throw badRequest('SURVEY_FILE_TYPE', `${fileName}: a survey table is .csv or .xlsx`);
}
