import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { writeCsv, writeXlsx, type ExportColumn } from '../../../server/imports/export_writers.ts';
import { parseImportFile } from '../../../server/imports/parse_import_file.ts';

const columns: ExportColumn[] = [
  { key: 'externalId', header: '外部编号' },
  { key: 'category', header: '类别' },
  { key: 'lon', header: '经度' },
  { key: 'lat', header: '纬度' },
  { key: 'description', header: '描述', width: 40 },
  { key: 'foundAt', header: '发现时间' },
];
const rows = [
  { externalId: 'V-1', category: '违法搭建', lon: 113.6253, lat: 34.7466, description: '彩钢棚, "临时"\n两间', foundAt: new Date('2024-05-01T02:00:00Z') },
  { externalId: '=HYPERLINK("http://evil")', category: 'piling', lon: 113.7, lat: 34.8, description: null, foundAt: undefined },
];

describe('writeCsv', () => {
  it('starts with a UTF-8 BOM, quotes per RFC 4180, writes Shanghai time and defuses formulas', () => {
    const bytes = writeCsv(columns, rows);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text).toBe(
      '外部编号,类别,经度,纬度,描述,发现时间\r\n' +
        'V-1,违法搭建,113.6253,34.7466,"彩钢棚, ""临时""\n两间",2024-05-01 10:00:00\r\n' +
        `"'=HYPERLINK(""http://evil"")",piling,113.7,34.8,,\r\n`,
    );
  });

  it('is read back by the importer', async () => {
    const { rows: imported } = await parseImportFile({ fileName: 'export.csv', bytes: writeCsv(columns, rows), datum: 'WGS84' });
    expect(imported[0]).toMatchObject({ externalId: 'V-1', category: 'structure', description: '彩钢棚, "临时"\n两间', errors: [] });
  });
});

describe('writeXlsx', () => {
  it('round-trips: bold frozen header, widths, numbers as numbers, dates as Shanghai wall time', async () => {
    const bytes = await writeXlsx('违法台账/2024', columns, rows);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    expect(sheet.name).toBe('违法台账 2024');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).getCell(1).value).toBe('外部编号');
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getColumn(5).width).toBe(40);
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(10);
    expect(sheet.getRow(2).getCell(3).value).toBe(113.6253);
    const foundAt = sheet.getRow(2).getCell(6).value;
    expect(foundAt).toBeInstanceOf(Date);
    expect((foundAt as Date).toISOString()).toBe('2024-05-01T10:00:00.000Z');
    expect(sheet.getRow(2).getCell(6).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(sheet.getRow(3).getCell(1).value).toBe('=HYPERLINK("http://evil")');
    expect(sheet.getRow(3).getCell(5).value).toBeNull();
  });

  it('is read back by the importer', async () => {
    const { rows: imported } = await parseImportFile({ fileName: 'export.xlsx', bytes: await writeXlsx('s', columns, rows), datum: 'WGS84' });
    expect(imported.map((row) => row.category)).toEqual(['structure', 'piling']);
    expect(imported[0]?.attributes).toEqual({});
    expect(imported[0]?.warnings.map((warning) => warning.field)).toEqual(['发现时间']);
  });
});
