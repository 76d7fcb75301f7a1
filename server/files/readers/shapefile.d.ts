/** The part of `shapefile` (no published types) the readers use: geometries only (attributes: dbffile). */
declare module 'shapefile' {
  export interface ShapeSource {
    read(): Promise<{ done: true; value: undefined } | { done: false; value: GeoJSON.Geometry | null }>;
  }
  export function openShp(shp: ArrayBuffer | Uint8Array | string): Promise<ShapeSource>;
}
