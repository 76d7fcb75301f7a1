import gcoord from 'gcoord';
import type { Position } from 'geojson';
import type { ImportDatum } from './import_types.ts';

/**
 * Brings a [lon, lat] position to WGS84. GCJ-02 (AMap/Tencent map picks) is de-offset with gcoord,
 * accurate to about a metre; CGCS2000 and WGS84 agree to centimetres, below what a roadside finding
 * needs, so they pass unchanged. Only this module knows GCJ-02 exists: nothing stored is GCJ-02.
 */
export function toWgs84(position: readonly [number, number], datum: ImportDatum): [number, number] {
  if (datum !== 'GCJ02') return [position[0], position[1]];
  const [lon, lat] = gcoord.transform([position[0], position[1]], gcoord.GCJ02, gcoord.WGS84) as Position;
  return [lon ?? Number.NaN, lat ?? Number.NaN];
}
