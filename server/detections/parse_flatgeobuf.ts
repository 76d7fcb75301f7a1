import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';

/** Features of a FlatGeobuf file one by one (flatgeobuf's generator decodes them lazily). */
export async function* parseFlatGeobuf(bytes: Uint8Array): AsyncGenerator<GeoJSON.Feature> {
  for await (const feature of deserialize(bytes)) yield feature as unknown as GeoJSON.Feature;
}
