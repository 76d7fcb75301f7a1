import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamValues } from 'stream-json/streamers/stream-values.js';
import { FileRejectedError } from '../file_limits.ts';
import { sridOfCrsName } from '../../files/source_crs.ts';
import type { ReadContext } from './read_context.ts';

/**
 * A GeoJSON FeatureCollection read as a token stream: only the legacy `crs` member and the current
 * element of `features` are ever assembled, so 100,000 polygons never sit in memory as one tree.
 */
export async function* readGeoJson(filePath: string, context: ReadContext): AsyncGenerator<GeoJSON.Feature> {
  // pipeline(), not .pipe(): a syntax error in the JSON must reach the consumer, not hang it.
  const stream = pipeline(
    createReadStream(filePath),
    parser.asStream(),
    pick.asStream({ filter: (stack: readonly (string | number | null)[]) => (stack.length === 1 && stack[0] === 'crs') || (stack.length === 2 && stack[0] === 'features' && typeof stack[1] === 'number') }),
    streamValues.asStream(),
    () => undefined,
  );
  let declared = false;
  for await (const item of stream as AsyncIterable<{ key: number; value: unknown }>) {
    const value = item.value as { type?: unknown; properties?: { name?: unknown } } | null;
    if (value && value.type !== 'Feature' && value.properties && typeof value.properties.name === 'string') {
      if (declared) throw new FileRejectedError('CRS_CONFLICT', 'The GeoJSON crs member comes after its features; put it before "features"');
      context.declareSrid(sridOfCrsName(value.properties.name));
      declared = true;
      continue;
    }
    if (!declared) {
      context.declareSrid(null);
      declared = true;
    }
    yield item.value as GeoJSON.Feature;
  }
  if (!declared) context.declareSrid(null);
}
