import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';

/**
 * Features of a GeoJSON FeatureCollection file one by one: the token stream assembles only the
 * current element of `features`, so a batch of 100,000 polygons never sits in memory as one object tree.
 */
export async function* parseGeoJsonStream(filePath: string): AsyncGenerator<GeoJSON.Feature> {
  // pipeline(), not .pipe(): a syntax error in the JSON must reach the consumer, not hang it.
  const stream = pipeline(createReadStream(filePath), parser.asStream(), pick.asStream({ filter: 'features' }), streamArray.asStream(), () => undefined);
  for await (const item of stream as AsyncIterable<{ key: number; value: unknown }>) {
    yield item.value as GeoJSON.Feature;
  }
}
