import JSZip from 'jszip';
import { open } from 'shapefile';
import { AppError } from '../http/errors.ts';

/**
 * Features of a zipped Shapefile (.shp + .dbf, optional .cpg for the attribute encoding) read in
 * memory: the .shp records are decoded one by one. The .prj is not interpreted: the `crs` form
 * field says the datum (WGS84/CGCS2000 degrees or GCJ-02), like every other format.
 */
export async function* parseShapefileZip(bytes: Uint8Array): AsyncGenerator<GeoJSON.Feature> {
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files).filter((name) => !zip.files[name]!.dir && !name.startsWith('__MACOSX/'));
  const shpName = names.find((name) => name.toLowerCase().endsWith('.shp'));
  if (!shpName) throw new AppError(400, 'DETECTION_FILE_INVALID', 'The zip holds no .shp file', { files: names.slice(0, 20) });
  const stem = shpName.slice(0, -4).toLowerCase();
  const sibling = (extension: string) => names.find((name) => name.toLowerCase() === `${stem}${extension}`);
  const dbfName = sibling('.dbf');
  const cpgName = sibling('.cpg');
  const shp = await zip.file(shpName)!.async('uint8array');
  const dbf = dbfName ? await zip.file(dbfName)!.async('uint8array') : undefined;
  const encoding = cpgName ? (await zip.file(cpgName)!.async('string')).trim() || undefined : undefined;
  const source = await open(shp, dbf, encoding ? { encoding } : undefined);
  for (;;) {
    const result = await source.read();
    if (result.done) return;
    yield result.value as GeoJSON.Feature;
  }
}
