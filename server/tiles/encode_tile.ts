import { fromGeojsonVt, type GeojsonVtFeature } from 'vt-pbf';
import type { TileFeatureRow } from './queries.ts';
import { TILE_EXTENT } from './tile_layers.ts';

/**
 * Encodes clipped rows (GeoJSON in tile units) as one MVT layer with vt-pbf, where PostGIS cannot
 * (no protobuf-c on the embedded database). Null attributes are skipped like ST_AsMVT skips them.
 */
export function encodeTileLayer(layerName: string, rows: readonly TileFeatureRow[]): Buffer {
  if (rows.length === 0) return Buffer.alloc(0);
  const features = rows.map((row): GeojsonVtFeature => {
    const tags: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row.properties)) if (value !== null && value !== undefined) tags[key] = value;
    return { id: row.id, tags, ...tileGeometry(row.geometry) };
  });
  return Buffer.from(fromGeojsonVt({ [layerName]: { features } }, { version: 2, extent: TILE_EXTENT }));
}

function tileGeometry(geometry: TileFeatureRow['geometry']): Pick<GeojsonVtFeature, 'type' | 'geometry'> {
  switch (geometry.type) {
    case 'Point':
      return { type: 1, geometry: [geometry.coordinates] };
    case 'MultiPoint':
      return { type: 1, geometry: geometry.coordinates };
    case 'LineString':
      return { type: 2, geometry: [geometry.coordinates] };
    case 'MultiLineString':
      return { type: 2, geometry: geometry.coordinates };
    case 'Polygon':
      return { type: 3, geometry: geometry.coordinates };
    case 'MultiPolygon':
      // MVT lists every ring in a row; a decoder splits polygons at each exterior (winding).
      return { type: 3, geometry: geometry.coordinates.flat() };
  }
}
