import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import { sridOfEpsgCode } from '../source_crs.ts';
import type { ReadContext } from './read_context.ts';

/** FlatGeobuf features streamed from disk; the header's CRS (org + code) is declared before the first one. */
export async function* readFlatGeobuf(filePath: string, context: ReadContext): AsyncGenerator<GeoJSON.Feature> {
  const stream = Readable.toWeb(createReadStream(filePath)) as ReadableStream<Uint8Array>;
  let header: HeaderMeta | null = null;
  let declared = false;
  for await (const feature of deserialize(stream as unknown as globalThis.ReadableStream, { headerMetaFn: (meta) => (header = meta) })) {
    if (!declared) {
      const crs = (header as HeaderMeta | null)?.crs;
      context.declareSrid(crs ? sridOfEpsgCode(crs.org, crs.code, 'the FlatGeobuf header') : null);
      declared = true;
    }
    yield feature as unknown as GeoJSON.Feature;
  }
  if (!declared) context.declareSrid(null);
}
