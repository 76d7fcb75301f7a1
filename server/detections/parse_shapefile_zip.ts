import { readFile } from 'node:fs/promises';
import { open } from 'shapefile';
import { extractZipEntries } from '../files/extract_zip_entries.ts';
import { FileRejectedError, type ParseLimits } from '../files/file_limits.ts';

const KEPT_EXTENSIONS = ['.shp', '.dbf', '.cpg'] as const;

/**
 * Features of a zipped Shapefile (.shp + .dbf, optional .cpg for the attribute encoding): the
 * first .shp and its siblings are inflated to `workDir` under the zip limits, then the records are
 * read from disk one by one. The .prj is not interpreted: the `crs` form field says the datum
 * (WGS84/CGCS2000 degrees or GCJ-02), like every other format.
 */
export async function* parseShapefileZip(zipPath: string, workDir: string, limits: ParseLimits): AsyncGenerator<GeoJSON.Feature> {
  let stem: string | null = null;
  let entryNumber = 0;
  const { names, extracted } = await extractZipEntries(zipPath, workDir, limits, (name) => {
    if (name.startsWith('__MACOSX/')) return null;
    const lower = name.toLowerCase();
    const extension = KEPT_EXTENSIONS.find((candidate) => lower.endsWith(candidate));
    if (!extension) return null;
    // The first .shp decides the stem; its siblings may come before or after it in the zip.
    if (extension === '.shp') stem ??= lower.slice(0, -extension.length);
    // Our own file names: nothing of the entry's name (paths, '..') reaches the file system.
    entryNumber += 1;
    return `entry-${entryNumber}${extension}`;
  });
  if (stem === null) throw new FileRejectedError('DETECTION_FILE_INVALID', `The zip holds no .shp file (found: ${names.slice(0, 20).join(', ') || 'nothing'})`);
  const of = (extension: string) => extracted.find((entry) => entry.name.toLowerCase() === `${stem}${extension}`);
  const shp = of('.shp')!;
  const dbf = of('.dbf');
  const cpg = of('.cpg');
  const encoding = cpg && cpg.bytes < 100 ? (await readFile(cpg.path, 'utf8')).trim() || undefined : undefined;
  const source = await open(shp.path, dbf?.path, encoding ? { encoding } : undefined);
  for (;;) {
    const result = await source.read();
    if (result.done) return;
    yield result.value as GeoJSON.Feature;
  }
}
