// vt-pbf ships no types; only the function the tile encoder uses.
declare module 'vt-pbf' {
  export interface GeojsonVtFeature {
    /** 1 point, 2 line, 3 polygon. */
    type: 1 | 2 | 3;
    id?: number;
    tags: Record<string, unknown>;
    /** Points: [[x, y], …]; lines and polygons: rings/parts [[[x, y], …], …] (polygon rings closed). */
    geometry: number[][] | number[][][];
  }
  export function fromGeojsonVt(layers: Record<string, { features: GeojsonVtFeature[] }>, options?: { version?: number; extent?: number }): Uint8Array;
}
