import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { FileRejectedError } from '../file_limits.ts';
import type { ReadContext } from './read_context.ts';

/** GeoJSON text sequences (RFC 8142, RS-prefixed) and newline-delimited GeoJSON: one Feature per line, WGS 84. */
export async function* readGeoJsonSeq(filePath: string, context: ReadContext): AsyncGenerator<GeoJSON.Feature> {
  context.declareSrid(null);
  let lineNumber = 0;
  for await (const line of createInterface({ input: createReadStream(filePath, { encoding: 'utf8' }), crlfDelay: Infinity })) {
    lineNumber += 1;
    const text = line.replace(/^\uFEFF/, '').replace(/^\u001e/, '').trim();
    if (text === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new FileRejectedError('FILE_UNREADABLE', `Line ${lineNumber} of the GeoJSON sequence is not JSON: ${(error as Error).message}`);
    }
    yield value as GeoJSON.Feature;
  }
}
