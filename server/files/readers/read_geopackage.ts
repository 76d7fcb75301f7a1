import { readFile, stat } from 'node:fs/promises';
import initSqlJs from 'sql.js';
import wkx from 'wkx';
import { FileRejectedError } from '../file_limits.ts';
import { sridOfEpsgCode } from '../source_crs.ts';
import { chooseLayer } from './choose_layer.ts';
import type { ReadContext } from './read_context.ts';

/**
 * sql.js (SQLite compiled to WebAssembly) holds the whole database in memory, outside the worker's
 * V8 heap limit, so the file size is capped here instead: a GeoPackage of detections or violations is
 * tens of MB; a bigger one is better sent as FlatGeobuf, which streams.
 */
const MAX_GEOPACKAGE_BYTES = 256 * 1024 * 1024;

/** GeoPackage binary geometry (GPKG 1.x §2.1.3): 'GP', version, flags, srs_id, envelope, then WKB. */
function wkbOfGeoPackageBlob(blob: Uint8Array): Buffer | null {
  if (blob[0] !== 0x47 || blob[1] !== 0x50) throw new FileRejectedError('FILE_UNREADABLE', 'A GeoPackage geometry does not start with the GP header');
  const flags = blob[3]!;
  if (flags & 0b1_0000) return null; // empty geometry
  const envelopeBytes = [0, 32, 48, 48, 64][(flags >> 1) & 0b111];
  if (envelopeBytes === undefined) throw new FileRejectedError('FILE_UNREADABLE', 'A GeoPackage geometry has an invalid envelope code');
  return Buffer.from(blob.buffer, blob.byteOffset + 8 + envelopeBytes, blob.byteLength - 8 - envelopeBytes);
}

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The features of one layer of a GeoPackage (sql.js + wkx, both plain JavaScript/WebAssembly: no
 * native build, so the parsing worker stays killable). Layers come from gpkg_geometry_columns; the
 * layer's srs from gpkg_spatial_ref_sys. Non-geometry columns become properties (blobs dropped).
 */
export async function* readGeoPackage(filePath: string, context: ReadContext): AsyncGenerator<GeoJSON.Feature> {
  if ((await stat(filePath)).size > MAX_GEOPACKAGE_BYTES) {
    throw new FileRejectedError('FILE_TOO_LARGE', `A GeoPackage is read in memory, at most ${MAX_GEOPACKAGE_BYTES / 1024 / 1024} MB; send a larger one as FlatGeobuf`);
  }
  const SQL = await initSqlJs();
  let database: InstanceType<typeof SQL.Database>;
  try {
    database = new SQL.Database(await readFile(filePath));
    database.exec('PRAGMA query_only = 1');
  } catch (error) {
    throw new FileRejectedError('FILE_UNREADABLE', `The GeoPackage cannot be opened: ${(error as Error).message}`);
  }
  try {
    let layers: { table: string; column: string; srsId: number }[];
    try {
      const result = database.exec('SELECT table_name, column_name, srs_id FROM gpkg_geometry_columns ORDER BY table_name');
      layers = (result[0]?.values ?? []).map(([table, column, srsId]) => ({ table: String(table), column: String(column), srsId: Number(srsId) }));
    } catch {
      throw new FileRejectedError('FILE_UNREADABLE', 'The SQLite file is not a GeoPackage (no gpkg_geometry_columns table)');
    }
    const layer = chooseLayer(layers.map((entry) => ({ name: entry.table, value: entry })), context.layer, 'GeoPackage');
    const srs = database.exec('SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys WHERE srs_id = ?', [layer.srsId])[0]?.values[0];
    // srs_id 0 and -1 are the GeoPackage's "undefined" systems: the form says the CRS then.
    context.declareSrid(srs && layer.srsId > 0 ? sridOfEpsgCode(String(srs[0]), Number(srs[1]), `the GeoPackage layer ${layer.table}`) : null);
    const statement = database.prepare(`SELECT * FROM ${quoteIdentifier(layer.table)}`);
    try {
      while (statement.step()) {
        const row = statement.getAsObject();
        const properties: Record<string, unknown> = {};
        let geometry: GeoJSON.Geometry | null = null;
        for (const [key, value] of Object.entries(row)) {
          if (key === layer.column) {
            const wkb = value instanceof Uint8Array ? wkbOfGeoPackageBlob(value) : null;
            geometry = wkb ? (wkx.Geometry.parse(wkb).toGeoJSON() as GeoJSON.Geometry) : null;
          } else if (!(value instanceof Uint8Array)) properties[key] = value;
        }
        yield { type: 'Feature', properties, geometry } as GeoJSON.Feature;
      }
    } finally {
      statement.free();
    }
  } finally {
    database.close();
  }
}
