import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';

/** Features of a FlatGeobuf file one by one, read from disk as a stream (flatgeobuf decodes them lazily). */
export async function* parseFlatGeobuf(filePath: string): AsyncGenerator<GeoJSON.Feature> {
  const stream = Readable.toWeb(createReadStream(filePath)) as ReadableStream<Uint8Array>;
  for await (const feature of deserialize(stream as unknown as globalThis.ReadableStream)) yield feature as unknown as GeoJSON.Feature;
}
