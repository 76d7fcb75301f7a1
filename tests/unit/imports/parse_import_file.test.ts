import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import gcoord from 'gcoord';
import type { Point, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../server/http/errors.ts';
import type { ImportRow } from '../../../server/imports/import_types.ts';
import { decodeText, parseImportFile } from '../../../server/imports/parse_import_file.ts';

const FIXTURES = path.join(import.meta.dirname, '../../fixtures/imports');
const fixture = (name: string) => readFile(path.join(FIXTURES, name));

/** Great-circle distance in metres; enough for checking datum shifts. */
function distanceMeters(a: Position, b: Position): number {
  const radians = Math.PI / 180;
  const [lon1 = 0, lat1 = 0] = a;
  const [lon2 = 0, lat2 = 0] = b;
  const dLat = (lat2 - lat1) * radians;
  const dLon = (lon2 - lon1) * radians;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * radians) * Math.cos(lat2 * radians) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

function pointOf(row: ImportRow | undefined): Position {
  if (row?.location?.kind !== 'geometry' || row.location.geometry.type !== 'Point') throw new Error('expected a point location');
  return row.location.geometry.coordinates;
}

async function expectInvalid(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('IMPORT_FILE_INVALID');
  expect((error as AppError).message).toMatch(message);
}

async function xlsxBytes(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('违法线索');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}

describe('parseImportFile: GeoJSON', () => {
  it('converts every GCJ-02 vertex to WGS84 and reports bad features per row', async () => {
    const bytes = await fixture('violations_gcj02.geojson');
    const { format, rows } = await parseImportFile({ fileName: 'amap.geojson', bytes, datum: 'GCJ02' });
    expect(format).toBe('geojson');
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2, 3, 4, 5]);

    const [point, polygon, line, openRing, swapped] = rows;
    expect(point).toMatchObject({ externalId: 'AMAP-001', category: 'structure', description: '彩钢棚', source: '巡查', errors: [] });
    // A structure's 面积 is its footprint (the key of the structure attribute schema).
    expect(point?.attributes).toEqual({ footprintSquareMeters: 36.5 });
    // Near Zhengzhou the GCJ-02 offset is roughly 500–600 m.
    const shift = distanceMeters([113.6253, 34.7466], pointOf(point));
    expect(shift).toBeGreaterThan(400);
    expect(shift).toBeLessThan(700);

    expect(polygon?.errors).toEqual([]);
    expect(polygon?.attributes).toEqual({ material: '砂石', volumeCubicMeters: 120 });
    if (polygon?.location?.kind !== 'geometry' || polygon.location.geometry.type !== 'Polygon') throw new Error('expected a polygon');
    const ring = polygon.location.geometry.coordinates[0] ?? [];
    expect(ring).toHaveLength(5);
    for (const [index, vertex] of ring.entries()) {
      const original: Position = [[113.62, 34.74], [113.621, 34.74], [113.621, 34.741], [113.62, 34.741], [113.62, 34.74]][index] ?? [];
      expect(distanceMeters(original, vertex)).toBeGreaterThan(400);
    }
    expect(ring[0]).toEqual(ring[4]);

    expect(line?.errors).toEqual([{ field: 'geometry', message: 'geometry type LineString is not supported; use Point or Polygon' }]);
    expect(openRing?.errors).toEqual([
      { field: 'geometry', message: 'Polygon outer ring must be closed: its last position must equal its first' },
      { field: 'category', message: expect.stringContaining('category "sign" is not known: use one of billboard') },
    ]);
    expect(swapped?.errors).toEqual([{ field: 'geometry', message: 'Point coordinates: lat must be between -90 and 90, got 113.62 (lon and lat look swapped)' }]);
  });

  it('leaves WGS84 and CGCS2000 coordinates unchanged', async () => {
    const bytes = await fixture('violations_gcj02.geojson');
    for (const datum of ['WGS84', 'CGCS2000'] as const) {
      const { rows } = await parseImportFile({ fileName: 'x.geojson', bytes, datum });
      expect(pointOf(rows[0])).toEqual([113.6253, 34.7466]);
    }
  });

  it('round-trips WGS84 → GCJ-02 → import within half a metre', async () => {
    const truth: [number, number] = [113.6654, 34.7568];
    const gcj = gcoord.transform(truth, gcoord.WGS84, gcoord.GCJ02) as [number, number];
    const geojson = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: gcj } }] };
    const { rows } = await parseImportFile({ fileName: 'p.geojson', bytes: Buffer.from(JSON.stringify(geojson)), datum: 'GCJ02' });
    expect(distanceMeters(truth, pointOf(rows[0]))).toBeLessThan(0.5);
    expect(distanceMeters(truth, gcj)).toBeGreaterThan(400);
  });

  it('refuses a projected CRS and a non-FeatureCollection', async () => {
    const projected = { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3857' } }, features: [] };
    await expectInvalid(parseImportFile({ fileName: 'a.geojson', bytes: Buffer.from(JSON.stringify(projected)), datum: 'WGS84' }), /crs .*3857 is not supported/);
    const point = { type: 'Point', coordinates: [113, 34] };
    await expectInvalid(parseImportFile({ fileName: 'a.geojson', bytes: Buffer.from(JSON.stringify(point)), datum: 'WGS84' }), /must be a FeatureCollection/);
    await expectInvalid(parseImportFile({ fileName: 'a.geojson', bytes: Buffer.from('{"type": "Feature'), datum: 'WGS84' }), /not valid JSON/);
  });
});

describe('parseImportFile: CSV', () => {
  it('reads UTF-8 with BOM, Chinese headers, coordinates and stakes, with row errors that say what is valid', async () => {
    const { format, rows } = await parseImportFile({ fileName: '线索.csv', bytes: await fixture('violations_utf8_bom.csv'), datum: 'WGS84' });
    expect(format).toBe('csv');
    // Data row 5 is blank: skipped, but later rows keep their spreadsheet position.
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2, 3, 4, 6]);
    const [billboard, piling, structure, unknown, empty] = rows;

    expect(billboard).toMatchObject({ externalId: 'A-1', category: 'billboard', description: '高炮广告', source: '巡查', errors: [] });
    expect(pointOf(billboard)).toEqual([113.6253, 34.7466]);
    // "1,234.5" is a number; a permit number keeps its leading zeros.
    expect(billboard?.attributes).toEqual({ faceAreaSquareMeters: 1234.5, permitNumber: '007' });

    expect(piling?.errors).toEqual([]);
    // The ledger's source label 群众举报 is read as its code; the service checks the code.
    expect(piling).toMatchObject({ category: 'piling', description: '堆放砂石, 约 20 方', source: 'complaint' });
    expect(piling?.location).toEqual({ kind: 'stake', route: 'G107', stake: 'K3+200', chainageMeters: 3200, side: 'left', offsetMeters: 25, direction: 1 });

    expect(structure?.location).toBeNull();
    expect(structure?.errors).toEqual([
      { field: 'stake', message: 'stake K3+1200 is not valid: write K<kilometres>+<three-digit metres 000–999>, e.g. K3+200 or K3+200.5' },
      { field: 'side', message: 'side "中间" is not valid: write 左/左侧/L/left or 右/右侧/R/right' },
      { field: 'offset', message: 'offset must be 0 or more metres from the centreline; give left/right in the side column' },
      { field: 'direction', message: 'direction "北" is not valid: write 上行/下行, +/-, or 1/-1' },
    ]);

    expect(unknown?.errors).toEqual([
      { field: 'lat', message: 'lat must be between -90 and 90, got 95.2' },
      { field: 'category', message: expect.stringContaining('category "晒粮" is not known') },
    ]);
    expect(empty?.errors).toEqual([
      { field: 'location', message: 'location is missing: give lon and lat, or route and stake (with optional side, offset, direction)' },
    ]);
  });

  it('detects GBK bytes from Chinese Excel and decodes them as GB18030', async () => {
    // "经度,纬度,类别,描述\r\n113.6,34.7,违法堆放,路肩堆土\r\n" saved by Excel in code page 936.
    const gbk = Buffer.from('beadb6c82cceb3b6c82cc0e0b1f02cc3e8caf60d0a3131332e362c33342e372ccea5b7a8b6d1b7c52cc2b7bce7b6d1cdc10d0a', 'hex');
    expect(decodeText(gbk)).toBe('经度,纬度,类别,描述\r\n113.6,34.7,违法堆放,路肩堆土\r\n');
    const { rows } = await parseImportFile({ fileName: 'export.csv', bytes: gbk, datum: 'WGS84' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ category: 'piling', description: '路肩堆土', errors: [] });
    expect(pointOf(rows[0])).toEqual([113.6, 34.7]);
  });

  it('accepts English headers, semicolons, sides L/R and directions -1/下行 with a provincial 上行 convention', async () => {
    const csv = 'route;stake;side;offset;direction;category\nS312;K12+045;R;3.5米;下行;trading\nS312;K0+000;l;0;-1;摆摊\n';
    const { rows } = await parseImportFile({ fileName: 'x.csv', bytes: Buffer.from(csv), datum: 'WGS84', upboundDirection: -1 });
    expect(rows.map((row) => row.location)).toEqual([
      { kind: 'stake', route: 'S312', stake: 'K12+045', chainageMeters: 12045, side: 'right', offsetMeters: 3.5, direction: 1 },
      { kind: 'stake', route: 'S312', stake: 'K0+000', chainageMeters: 0, side: 'left', offsetMeters: 0, direction: -1 },
    ]);
    expect(rows.map((row) => row.category)).toEqual(['trading', 'trading']);
  });

  it('explains malformed numbers and offsets in other units', async () => {
    const csv = '经度,纬度,偏距(m),高度(m),route,stake\n"113,6",34.7,,12 m,,\n,,2 km,,G4,K1+000\n';
    const { rows } = await parseImportFile({ fileName: 'x.csv', bytes: Buffer.from(csv), datum: 'WGS84' });
    expect(rows[0]?.errors).toEqual([{ field: 'lon', message: 'lon "113,6" is not a number; write digits like 1234.5 or 1,234.5' }]);
    expect(rows[0]?.attributes).toEqual({ heightMeters: 12 });
    expect(rows[1]?.errors).toEqual([{ field: 'offset', message: 'offset "2 km" is not a number; write digits like 1234.5 or 1,234.5 (optionally followed by m or 米)' }]);
  });

  it('reads the ledger export: WKT wins over the representative point, the attributes JSON column, derived columns dropped silently', async () => {
    const csv = [
      '案件编号,违法类型,办理状态,发现方式,经度（°，WGS84）,纬度（°，WGS84）,外部编号,属性（JSON）,WKT',
      'ZZ-1,违法搭建,待核查,巡查发现,113.60005,34.70005,luyu-violation-7,"{""storeys"":2,""footprintSquareMeters"":40}","POLYGON((113.6 34.7,113.6001 34.7,113.6001 34.7001,113.6 34.7001,113.6 34.7),(113.60002 34.70002,113.60002 34.70004,113.60004 34.70004,113.60004 34.70002,113.60002 34.70002))"',
      'ZZ-2,违法堆放,待核查,巡查发现,113.7,34.8,luyu-violation-8,,POINT(113.7 34.8)',
      'ZZ-3,违法堆放,待核查,巡查发现,113.7,34.8,luyu-violation-9,[1],POINT(113.7',
      'ZZ-4,私设平交道口,待核查,卫星线索,113.7,34.8,luyu-violation-10,,',
    ].join('\r\n');
    const { rows } = await parseImportFile({ fileName: 'ledger.csv', bytes: Buffer.from(csv), datum: 'WGS84' });
    const [polygon, point, broken] = rows;
    expect(polygon).toMatchObject({ externalId: 'luyu-violation-7', category: 'structure', source: 'patrol', errors: [], warnings: [] });
    expect(polygon?.attributes).toEqual({ storeys: 2, footprintSquareMeters: 40 });
    expect(polygon?.location).toEqual({
      kind: 'geometry',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [[113.6, 34.7], [113.6001, 34.7], [113.6001, 34.7001], [113.6, 34.7001], [113.6, 34.7]],
          [[113.60002, 34.70002], [113.60002, 34.70004], [113.60004, 34.70004], [113.60004, 34.70002], [113.60002, 34.70002]],
        ],
      },
    });
    expect(point?.location).toEqual({ kind: 'geometry', geometry: { type: 'Point', coordinates: [113.7, 34.8] } });
    expect(broken?.errors.map((error) => error.field).sort()).toEqual(['attributes', 'wkt']);
    // An optional category's ledger label; no WKT → the point columns.
    expect(rows[3]).toMatchObject({ category: 'level_crossing', source: 'satellite_lead', errors: [] });
    expect(pointOf(rows[3])).toEqual([113.7, 34.8]);
  });

  it('refuses files that cannot be read at all', async () => {
    await expectInvalid(parseImportFile({ fileName: 'e.csv', bytes: Buffer.alloc(0), datum: 'WGS84' }), /empty/);
    await expectInvalid(parseImportFile({ fileName: 'e.csv', bytes: Buffer.from('\uFEFF\r\n'), datum: 'WGS84' }), /empty/);
    await expectInvalid(
      parseImportFile({ fileName: 'h.csv', bytes: Buffer.from('113.6,34.7,违建\n113.7,34.8,违建\n'), datum: 'WGS84' }),
      /header row 1 must name the location: a WKT column, lon and lat columns \(经度, 纬度\), or route and stake columns/,
    );
    await expectInvalid(parseImportFile({ fileName: 'd.csv', bytes: Buffer.from('经度,lon,纬度\n1,2,3\n'), datum: 'WGS84' }), /"经度" and "lon" both mean lon/);
    await expectInvalid(parseImportFile({ fileName: 'o.csv', bytes: Buffer.from('lon,lat\n'), datum: 'WGS84' }), /no data rows/);
    const big = `lon,lat\n${'113.6,34.7\n'.repeat(10_001)}`;
    await expectInvalid(parseImportFile({ fileName: 'big.csv', bytes: Buffer.from(big), datum: 'WGS84' }), /10001 data rows; at most 10000/);
    await expectInvalid(parseImportFile({ fileName: 'q.csv', bytes: Buffer.from('lon,lat\n"113.6,34.7\n'), datum: 'WGS84' }), /CSV cannot be read/);
    await expectInvalid(parseImportFile({ fileName: 'p.jpg', bytes: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), datum: 'WGS84' }), /binary/);
    await expectInvalid(parseImportFile({ fileName: 'old.xls', bytes: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]), datum: 'WGS84' }), /\.xls .*save it as \.xlsx/);
  });
});

describe('parseImportFile: xlsx', () => {
  it('reads the first worksheet with typed cells and aliases', async () => {
    const bytes = await xlsxBytes([
      ['外部编号', '路线', '桩号', '侧别', '偏距', '方向', '类别', '是否亮化', '高度(m)', '发现时间'],
      [1001, 'G310', 'K45+120', '右', 12, '上行', 'billboard', '是', 8, new Date(Date.UTC(2024, 4, 1, 10, 0, 0))],
      [],
      [1003, 'G310', 'K45+500', '左', '6', '+', '违法采挖', '否', 'ten', null],
    ]);
    const { format, rows } = await parseImportFile({ fileName: 'x.xlsx', bytes, datum: 'WGS84' });
    expect(format).toBe('xlsx');
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 3]);
    expect(rows[0]).toMatchObject({ externalId: '1001', category: 'billboard', errors: [] });
    expect(rows[0]?.location).toEqual({ kind: 'stake', route: 'G310', stake: 'K45+120', chainageMeters: 45120, side: 'right', offsetMeters: 12, direction: 1 });
    // Excel date-times are Shanghai wall time.
    // An unknown column is left out of the (strict) attributes and named in a warning, never an error.
    expect(rows[0]?.attributes).toEqual({ illuminated: true, heightMeters: 8 });
    expect(rows[0]?.warnings.map((warning) => warning.field)).toEqual(['发现时间']);
    expect(rows[1]?.category).toBe('excavation');
    expect(rows[1]?.errors).toEqual([{ field: 'heightMeters', message: '高度(m) "ten" is not a number; write digits like 1234.5 or 1,234.5 (optionally followed by m or 米)' }]);
  });

  it('converts GCJ-02 coordinates from xlsx too', async () => {
    const bytes = await xlsxBytes([
      ['经度', '纬度', '类别'],
      [113.6253, 34.7466, '占道经营'],
    ]);
    const { rows } = await parseImportFile({ fileName: 'x.xlsx', bytes, datum: 'GCJ02' });
    const expected = gcoord.transform([113.6253, 34.7466], gcoord.GCJ02, gcoord.WGS84) as Point['coordinates'];
    expect(pointOf(rows[0])).toEqual(expected);
  });

  it('refuses a zip that is not a workbook and an empty workbook', async () => {
    const emptyBook = new ExcelJS.Workbook();
    emptyBook.addWorksheet('空');
    await expectInvalid(parseImportFile({ fileName: 'e.xlsx', bytes: Buffer.from((await emptyBook.xlsx.writeBuffer()) as ArrayBuffer), datum: 'WGS84' }), /worksheet is empty/);
    await expectInvalid(parseImportFile({ fileName: 'z.xlsx', bytes: Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), datum: 'WGS84' }), /Excel file cannot be read/);
  });
});
