import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openShp } from 'shapefile';
import { DBFFile, DELETED } from 'dbffile';
import { extractZipEntries, type ExtractedEntry } from '../extract_zip_entries.ts';
import { FileRejectedError } from '../file_limits.ts';
import { sridOfPrj } from '../source_crs.ts';
import { chooseLayer } from './choose_layer.ts';
import { readKmlText } from './read_kml.ts';
import { detectDbfEncoding, encodingOfCpg } from './shapefile_encoding.ts';
import type { ReadContext } from './read_context.ts';

const KEPT_EXTENSIONS = ['.shp', '.dbf', '.cpg', '.prj', '.kml'] as const;

/**
 * A zip of Shapefiles (each .shp with its .dbf, .prj, .cpg) or a KMZ (a .kml inside). Entries are
 * inflated to `workDir` under the zip limits with names of our own; a zip with several layers is
 * read only when the form's `layer` names one of them.
 */
export async function* readZipLayers(zipPath: string, context: ReadContext): AsyncGenerator<GeoJSON.Feature> {
  let entryNumber = 0;
  const { names, extracted } = await extractZipEntries(zipPath, context.workDir, context.limits, (name) => {
    if (name.startsWith('__MACOSX/') || path.posix.basename(name).startsWith('._')) return null;
    const extension = KEPT_EXTENSIONS.find((candidate) => name.toLowerCase().endsWith(candidate));
    if (!extension) return null;
    // Our own file names: nothing of the entry's name (paths, '..') reaches the file system.
    entryNumber += 1;
    return `entry-${entryNumber}${extension}`;
  });
  const stemOf = (entry: ExtractedEntry) => entry.name.slice(0, entry.name.lastIndexOf('.')).toLowerCase();
  const shapefiles = extracted.filter((entry) => entry.name.toLowerCase().endsWith('.shp'));
  const kmls = extracted.filter((entry) => entry.name.toLowerCase().endsWith('.kml'));
  if (shapefiles.length === 0 && kmls.length > 0) {
    // KMZ: doc.kml holds the placemarks, or only NetworkLinks to one .kml per layer (GDAL's LIBKML
    // writes layers/<name>.kml): the documents with placemarks are the layers.
    const texts = await Promise.all(kmls.map(async (entry) => ({ entry, text: await readFile(entry.path, 'utf8') })));
    const layers = texts.filter(({ text }) => text.includes('<Placemark'));
    const chosen = chooseLayer(layers.map(({ entry, text }) => ({ name: path.posix.basename(entry.name).replace(/\.kml$/i, ''), value: text })), context.layer, 'KMZ');
    yield* readKmlText(chosen, context);
    return;
  }
  if (shapefiles.length === 0) throw new FileRejectedError('DETECTION_FILE_INVALID', `The zip holds no .shp or .kml file (found: ${names.slice(0, 20).join(', ') || 'nothing'})`);
  const layerName = (entry: ExtractedEntry) => path.posix.basename(entry.name).replace(/\.shp$/i, '');
  const shp = chooseLayer(shapefiles.map((entry) => ({ name: layerName(entry), value: entry })), context.layer, 'zip');
  const sibling = (extension: string) => extracted.find((entry) => stemOf(entry) === stemOf(shp) && entry.name.toLowerCase().endsWith(extension));
  const dbf = sibling('.dbf');
  const cpg = sibling('.cpg');
  const prj = sibling('.prj');
  context.declareSrid(prj && prj.bytes < 64 * 1024 ? sridOfPrj(await readFile(prj.path, 'utf8')) : null);
  const encoding = cpg && cpg.bytes < 100 ? encodingOfCpg(await readFile(cpg.path, 'latin1')) : dbf ? await detectDbfEncoding(dbf.path) : 'utf8';
  const geometries = await openShp(shp.path);
  const table = dbf ? await DBFFile.open(dbf.path, { encoding, readMode: 'loose', includeDeletedRecords: true }) : null;
  const batch: Record<string, unknown>[] = [];
  for (;;) {
    const next = await geometries.read();
    if (next.done) return;
    if (table && batch.length === 0) batch.push(...(await table.readRecords(500)));
    const record = batch.shift() ?? null;
    if (record && (record as { [DELETED]?: true })[DELETED]) continue;
    const properties: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record ?? {})) properties[key] = typeof value === 'string' ? value.trim() : value instanceof Date ? value.toISOString().slice(0, 10) : value;
    yield { type: 'Feature', properties, geometry: next.value as GeoJSON.Geometry };
  }
}
