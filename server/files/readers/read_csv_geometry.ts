import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import wkx from 'wkx';
import { FileRejectedError } from '../file_limits.ts';
import type { ReadContext } from './read_context.ts';

const WKT_COLUMNS = ['wkt', 'geometry', 'geom', 'the_geom', 'shape', 'wkt_geom', '几何', '图形'];
const LON_COLUMNS = ['lon', 'lng', 'long', 'longitude', 'x', '经度'];
const LAT_COLUMNS = ['lat', 'latitude', 'y', '纬度'];

/**
 * A CSV whose geometry is a WKT column (GDAL's `-lco GEOMETRY=AS_WKT` writes `WKT`) or lon/lat
 * columns; every other column becomes a property. UTF-8 (with or without BOM) or GB18030, decided on
 * the first 64 KiB. The CRS comes from the form (CSV has no place for one).
 */
export async function* readCsvGeometry(filePath: string, context: ReadContext): AsyncGenerator<GeoJSON.Feature> {
  context.declareSrid(null);
  const head = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    createReadStream(filePath, { start: 0, end: 64 * 1024 - 1 }).on('data', (chunk) => chunks.push(chunk as Buffer)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
  let encoding = 'utf8';
  try {
    // A character cut at the 64 KiB boundary is not a decoding error: stream mode keeps it pending.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    encoding = 'gb18030';
  }
  const firstLine = iconv.decode(head, encoding).split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].map((candidate) => [candidate, firstLine.split(candidate).length] as const).reduce((best, next) => (next[1] > best[1] ? next : best))[0];
  const records = createReadStream(filePath).pipe(iconv.decodeStream(encoding)).pipe(parse({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true }));
  let header: string[] | null = null;
  let wktIndex = -1;
  let lonIndex = -1;
  let latIndex = -1;
  let rowNumber = 0;
  for await (const cells of records as AsyncIterable<string[]>) {
    if (!header) {
      header = cells.map((cell) => cell.trim());
      const find = (names: string[]) => header!.findIndex((name) => names.includes(name.toLowerCase()));
      wktIndex = find(WKT_COLUMNS);
      lonIndex = find(LON_COLUMNS);
      latIndex = find(LAT_COLUMNS);
      if (wktIndex < 0 && (lonIndex < 0 || latIndex < 0)) {
        throw new FileRejectedError('CSV_NO_GEOMETRY', `The CSV needs a WKT column (WKT, geometry) or lon and lat columns; found: ${header.join(', ')}`);
      }
      continue;
    }
    rowNumber += 1;
    const properties: Record<string, unknown> = {};
    header.forEach((name, index) => {
      if (index !== wktIndex && name !== '' && cells[index] !== undefined && cells[index] !== '') properties[name] = cells[index];
    });
    let geometry: GeoJSON.Geometry | null = null;
    const wkt = wktIndex >= 0 ? (cells[wktIndex] ?? '').trim() : '';
    if (wkt !== '') {
      try {
        geometry = wkx.Geometry.parse(wkt).toGeoJSON() as GeoJSON.Geometry;
      } catch (error) {
        throw new FileRejectedError('FILE_UNREADABLE', `Row ${rowNumber} of the CSV has unreadable WKT: ${(error as Error).message}`);
      }
    } else if (lonIndex >= 0 && latIndex >= 0 && cells[lonIndex] && cells[latIndex]) {
      geometry = { type: 'Point', coordinates: [Number(cells[lonIndex]), Number(cells[latIndex])] };
    }
    yield { type: 'Feature', properties, geometry } as GeoJSON.Feature;
  }
}
