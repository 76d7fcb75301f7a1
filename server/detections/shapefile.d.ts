/** The part of `shapefile` (no published types) the detection ingest uses. */
declare module 'shapefile' {
  export interface ShapefileSource {
    read(): Promise<{ done: true; value: undefined } | { done: false; value: GeoJSON.Feature }>;
  }
  export function open(shp: ArrayBuffer | Uint8Array | string, dbf?: ArrayBuffer | Uint8Array | string, options?: { encoding?: string }): Promise<ShapefileSource>;
}
