import { open } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { FileRejectedError } from '../file_limits.ts';

/**
 * The iconv-lite encoding a .cpg names, the way GDAL reads it: code page numbers (`936`, `65001`,
 * `1252`), `CP936`, `ANSI 936`, `8859-1`/`88591`, and labels such as `GBK`, `GB2312`, `GB18030`,
 * `UTF-8`, `Big5`. GB2312 files written by Chinese tools use GBK bytes, so GB2312 is read as its
 * superset GBK (as GDAL does through iconv's CP936 fallback).
 */
export function encodingOfCpg(text: string): string {
  const value = text.trim().replace(/^ANSI\s*/i, '').toUpperCase();
  let name: string;
  if (/^\d+$/.test(value)) {
    if (value === '65001') name = 'utf8';
    else if (/^8859\d{1,2}$/.test(value) || /^88591\d?$/.test(value)) name = `iso-8859-${value.slice(4)}`;
    else name = `cp${value}`;
  } else if (/^8859-?\d{1,2}$/.test(value)) name = `iso-8859-${value.replace(/^8859-?/, '')}`;
  else if (value === 'GB2312' || value === 'EUC-CN') name = 'gbk';
  else name = value.toLowerCase();
  if (!iconv.encodingExists(name)) {
    throw new FileRejectedError('SHAPEFILE_ENCODING_UNKNOWN', `The .cpg names the encoding "${text.trim()}", which is not known; write e.g. UTF-8, GBK, GB18030 or 936 in it`);
  }
  return name;
}

/** dBase language driver ids that mean the Chinese code page 936 (GB2312/GBK). */
const CP936_LANGUAGE_DRIVERS = new Set([0x4d, 0x7a]);

/**
 * The encoding of a .dbf that came without a .cpg: the language driver id of its header when it says
 * code page 936, else UTF-8 when every text byte is valid UTF-8 (GBK text almost never is), else the
 * file is refused — never read in a guessed code page, which turned GBK change types into `other`.
 */
export async function detectDbfEncoding(dbfPath: string): Promise<string> {
  const handle = await open(dbfPath, 'r');
  try {
    const header = Buffer.alloc(32);
    await handle.read(header, 0, 32, 0);
    if (CP936_LANGUAGE_DRIVERS.has(header[29]!)) return 'cp936';
    const headerBytes = header.readUInt16LE(8);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const chunk = Buffer.alloc(64 * 1024);
    let position = headerBytes;
    try {
      for (;;) {
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
        if (bytesRead === 0) break;
        decoder.decode(chunk.subarray(0, bytesRead), { stream: true });
        position += bytesRead;
      }
      decoder.decode();
    } catch {
      throw new FileRejectedError(
        'SHAPEFILE_ENCODING_UNKNOWN',
        'The Shapefile has no .cpg and its text is not UTF-8 (probably GBK); add a .cpg file to the zip containing the encoding, e.g. GBK or 936',
      );
    }
    return 'utf8';
  } finally {
    await handle.close();
  }
}
