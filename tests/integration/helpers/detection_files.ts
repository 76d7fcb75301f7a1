import JSZip from 'jszip';
import { serialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { TestServer } from './test_server.ts';

/** A square polygon of `halfSideMeters` around a point (local metres). */
export function squareAround(center: GeoJSON.Position, halfSideMeters: number): GeoJSON.Polygon {
  const dx = halfSideMeters / (111_320 * Math.cos((center[1]! * Math.PI) / 180));
  const dy = halfSideMeters / 110_540;
  const [x, y] = [center[0]!, center[1]!];
  const r = (value: number) => Math.round(value * 1e7) / 1e7;
  return { type: 'Polygon', coordinates: [[[r(x - dx), r(y - dy)], [r(x + dx), r(y - dy)], [r(x + dx), r(y + dy)], [r(x - dx), r(y + dy)], [r(x - dx), r(y - dy)]]] };
}

export function featureCollection(features: GeoJSON.Feature[]): Buffer {
  return Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));
}

/**
 * A minimal zipped Polygon Shapefile (.shp + .dbf; `shapefile` reads no .shx) with the fields
 * externalId, changeType, confidence: enough to exercise the upload path without a GIS library.
 */
export async function shapefileZip(features: { polygon: GeoJSON.Polygon; externalId: string; changeType: string; confidence: number }[]): Promise<Buffer> {
  const records = features.map((feature) => {
    // Shapefile outer rings are clockwise.
    const ring = [...feature.polygon.coordinates[0]!].reverse();
    const xs = ring.map((p) => p[0]!);
    const ys = ring.map((p) => p[1]!);
    const content = Buffer.alloc(44 + 4 + ring.length * 16);
    content.writeInt32LE(5, 0);
    [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((value, i) => content.writeDoubleLE(value, 4 + i * 8));
    content.writeInt32LE(1, 36);
    content.writeInt32LE(ring.length, 40);
    content.writeInt32LE(0, 44);
    ring.forEach((p, i) => {
      content.writeDoubleLE(p[0]!, 48 + i * 16);
      content.writeDoubleLE(p[1]!, 56 + i * 16);
    });
    return content;
  });
  const body = Buffer.concat(
    records.flatMap((content, index) => {
      const header = Buffer.alloc(8);
      header.writeInt32BE(index + 1, 0);
      header.writeInt32BE(content.length / 2, 4);
      return [header, content];
    }),
  );
  const header = Buffer.alloc(100);
  header.writeInt32BE(9994, 0);
  header.writeInt32BE((100 + body.length) / 2, 24);
  header.writeInt32LE(1000, 28);
  header.writeInt32LE(5, 32);
  const shp = Buffer.concat([header, body]);

  const fields: [string, 'C' | 'N', number, number][] = [['externalId', 'C', 32, 0], ['changeType', 'C', 32, 0], ['confidence', 'N', 10, 3]];
  const recordLength = 1 + fields.reduce((sum, field) => sum + field[2], 0);
  const dbfHeader = Buffer.alloc(32 + fields.length * 32 + 1);
  dbfHeader.writeUInt8(3, 0);
  dbfHeader.writeUInt8(126, 1);
  dbfHeader.writeUInt8(3, 2);
  dbfHeader.writeUInt8(15, 3);
  dbfHeader.writeUInt32LE(features.length, 4);
  dbfHeader.writeUInt16LE(dbfHeader.length, 8);
  dbfHeader.writeUInt16LE(recordLength, 10);
  fields.forEach(([name, type, length, decimals], i) => {
    dbfHeader.write(name, 32 + i * 32, 'latin1');
    dbfHeader.write(type, 32 + i * 32 + 11, 'latin1');
    dbfHeader.writeUInt8(length, 32 + i * 32 + 16);
    dbfHeader.writeUInt8(decimals, 32 + i * 32 + 17);
  });
  dbfHeader.writeUInt8(0x0d, dbfHeader.length - 1);
  const dbfRecords = features.map((feature) => {
    const values = [feature.externalId.padEnd(32), feature.changeType.padEnd(32), feature.confidence.toFixed(3).padStart(10)];
    return Buffer.from(` ${values.join('')}`, 'latin1');
  });
  const dbf = Buffer.concat([dbfHeader, ...dbfRecords, Buffer.from([0x1a])]);
  const zip = new JSZip();
  zip.file('changes.shp', shp);
  zip.file('changes.dbf', dbf);
  zip.file('changes.prj', 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.0174532925199433]]');
  return zip.generateAsync({ type: 'nodebuffer' });
}

export function flatGeobuf(features: GeoJSON.Feature[]): Buffer {
  return Buffer.from(serialize({ type: 'FeatureCollection', features } as never));
}

export function uploadForm(bytes: Buffer, fields: Record<string, string>, fileName = 'changes.geojson'): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries({ source: 'GF-2', beforeDate: '2026-02-01', afterDate: '2026-03-01/2026-03-15', crs: 'WGS84', ...fields })) form.append(key, value);
  form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
  return form;
}

/** Polls a batch until it is done or failed (the ingest runs in the background). */
export async function waitForBatch(server: TestServer, id: number, token?: string): Promise<any> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const response = await server.requestWith(token ?? server.token, `/detection-batches/${id}`);
    if (response.status === 200 && (response.body.status === 'done' || response.body.status === 'failed')) return response.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`batch ${id} did not finish`);
}
