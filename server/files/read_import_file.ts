import { readFile } from 'node:fs/promises';
import { parseImportFile } from '../imports/parse_import_file.ts';
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

/** A violation import file parsed inside the parsing worker (see parse_import_file.ts for the formats). */
export async function readImportFile(filePath: string, fileName: string, datum: ImportDatum, limits: ParseLimits): Promise<ImportResult> {
  const bytes = await readFile(filePath);
  if (ZIP_MAGIC.every((byte, index) => bytes[index] === byte)) await assertXlsxRowCount(filePath, limits);
  return parseImportFile({ fileName, bytes, datum });
}
