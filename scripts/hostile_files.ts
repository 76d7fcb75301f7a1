/**
 * The hostile files of issue 9, built in memory (nothing committed is large): the hostile-file
 * integration test and `npm run bench:hostile` upload these. Sizes are parameters so the test can
 * stay quick while the bench uses the sizes.
 */
import { constants, crc32 as zlibCrc32, deflateRawSync } from 'node:zlib';

/** A zip entry already deflated (or stored), with the sizes and CRC the headers declare. */
interface ZipEntry {
  name: string;
  compressed: Buffer;
  uncompressedBytes: number;
  crc32: number;
  method: 0 | 8;
}

const crc32 = (bytes: Uint8Array) => zlibCrc32(bytes);

function deflatedEntry(name: string, content: Buffer): ZipEntry {
  return { name, compressed: deflateRawSync(content), uncompressedBytes: content.length, crc32: crc32(content), method: 8 };
}

/** A plain zip (no data descriptors, no zip64): local headers, data, central directory. */
export function buildZip(entries: readonly ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(entry.method, 8);
    local.writeUInt32LE(entry.crc32, 14);
    local.writeUInt32LE(entry.compressed.length, 18);
    local.writeUInt32LE(entry.uncompressedBytes, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, entry.compressed);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(0x0800, 8);
    record.writeUInt16LE(entry.method, 10);
    record.writeUInt32LE(entry.crc32, 16);
    record.writeUInt32LE(entry.compressed.length, 20);
    record.writeUInt32LE(entry.uncompressedBytes, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE(offset, 42);
    central.push(record, name);
    offset += local.length + name.length + entry.compressed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

/** A zip of these files, deflated. */
export function buildZipOfFiles(files: readonly [string, Buffer][]): Buffer {
  return buildZip(files.map(([name, content]) => deflatedEntry(name, content)));
}

/** `fgb` magic and 100 zero bytes: FlatGeobuf's reader looped on it forever on the main thread. */
export function flatGeobufMagicAndZeros(): Buffer {
  return Buffer.concat([Buffer.from([0x66, 0x67, 0x62, 0x03]), Buffer.alloc(100)]);
}

/**
 * A zip whose only entry (`declaredBytes`: what its headers claim, to test readers that trust them), a .shp (no .dbf), inflates to `inflatedMebibytes` of zeros. Deflate blocks
 * ended by a full flush are independent, so one compressed mebibyte of zeros is repeated instead of
 * deflating a gibibyte here. The declared CRC is 0 (wrong): readers stop long before checking it,
 * and the old reader (JSZip without checkCRC32) never checked it.
 */
export function zipBombShapefile(inflatedMebibytes = 1024, declaredBytes = inflatedMebibytes * 1024 * 1024): Buffer {
  const mebibyte = Buffer.alloc(1024 * 1024);
  const block = deflateRawSync(mebibyte, { finishFlush: constants.Z_FULL_FLUSH });
  const finalBlock = Buffer.from([0x03, 0x00]);
  const compressed = Buffer.concat([...Array.from({ length: inflatedMebibytes }, () => block), finalBlock]);
  return buildZip([{ name: 'bomb.shp', compressed, uncompressedBytes: declaredBytes, crc32: 0, method: 8 }]);
}

/** A FeatureCollection of about `megabytes` MB of features with null geometry. */
export function nullGeometryGeoJson(megabytes: number): Buffer {
  const feature = '{"type":"Feature","geometry":null,"properties":{"confidence":0.9}}';
  const count = Math.ceil((megabytes * 1024 * 1024) / (feature.length + 1));
  return Buffer.from(`{"type":"FeatureCollection","features":[${Array.from({ length: count }, () => feature).join(',')}]}`);
}

/**
 * A minimal .xlsx whose first sheet has `rows` data rows (lon, lat; the category column stays empty): written as the
 * SpreadsheetML parts by hand, so two million rows take seconds, not ExcelJS minutes.
 */
export function manyRowXlsx(rows: number): Buffer {
  const header = '<row r="1"><c r="A1" t="inlineStr"><is><t>lon</t></is></c><c r="B1" t="inlineStr"><is><t>lat</t></is></c><c r="C1" t="inlineStr"><is><t>category</t></is></c></row>';
  const body: string[] = [];
  for (let index = 2; index <= rows + 1; index += 1) {
    body.push(`<row r="${index}"><c><v>${(113.6 + (index % 1000) * 1e-4).toFixed(4)}</v></c><c><v>${(34.7 + (index % 977) * 1e-4).toFixed(4)}</v></c></row>`);
  }
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${header}${body.join('')}</sheetData></worksheet>`;
  const file = (name: string, text: string) => deflatedEntry(name, Buffer.from(text, 'utf8'));
  return buildZip([
    file('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    file('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    file('xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    file('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
    file('xl/worksheets/sheet1.xml', sheet),
  ]);
}

/** A PNG signature and IHDR of a 4000×4000 image whose pixel data is garbage. */
export function corruptPng(): Buffer {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdrData = Buffer.alloc(13);
  ihdrData.writeUInt32BE(4000, 0);
  ihdrData.writeUInt32BE(4000, 4);
  ihdrData.writeUInt8(8, 8);
  ihdrData.writeUInt8(2, 9);
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  return Buffer.concat([signature, chunk('IHDR', ihdrData), chunk('IDAT', Buffer.from('this is not zlib data at all, just garbage bytes')), chunk('IEND', Buffer.alloc(0))]);
}

/** A multipart body cut off in the middle of its file part (no closing boundary). */
export function truncatedMultipart(): { contentType: string; body: Buffer } {
  const boundary = 'luyu-hostile-boundary';
  const body = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="source"\r\n\r\nGF-2\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.geojson"\r\nContent-Type: application/json\r\n\r\n{"type":"FeatureCollection","features":[`,
  );
  return { contentType: `multipart/form-data; boundary=${boundary}`, body };
}
