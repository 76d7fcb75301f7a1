import { readFile } from 'node:fs/promises';
import { kml } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { FileRejectedError } from '../file_limits.ts';
import type { ReadContext } from './read_context.ts';

/**
 * KML (Google Earth, 奥维地图 exports) through @tmcw/togeojson on an @xmldom DOM. KML coordinates are
 * WGS 84 by the standard. A KML document is read whole: it is XML, and togeojson walks a DOM.
 */
export async function* readKmlText(text: string, context: ReadContext): AsyncGenerator<GeoJSON.Feature> {
  context.declareSrid(null);
  let document: Document;
  try {
    document = new DOMParser({ onError: (level, message) => { if (level === 'fatalError') throw new Error(message); } }).parseFromString(text, 'text/xml') as unknown as Document;
  } catch (error) {
    throw new FileRejectedError('FILE_UNREADABLE', `The KML is not well-formed XML: ${(error as Error).message}`);
  }
  for (const feature of kml(document).features) yield feature as GeoJSON.Feature;
}

export async function* readKml(filePath: string, context: ReadContext): AsyncGenerator<GeoJSON.Feature> {
  yield* readKmlText(await readFile(filePath, 'utf8'), context);
}
