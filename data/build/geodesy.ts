import { distance } from '@turf/turf';
import { itemAt } from './array_access.ts';
import type { LonLat } from './round_numbers.ts';

const EARTH_RADIUS_METERS = 6371008.8;

/** A planar east/north vector in metres. */
export interface LocalVector {
  eastMeters: number;
  northMeters: number;
}

/** Great-circle distance in metres (turf's haversine, the same one turf `length` sums). */
export function distanceMeters(from: LonLat, to: LonLat): number {
  return distance(from, to, { units: 'meters' });
}

/** Cumulative great-circle length at every vertex, starting at 0. */
export function cumulativeLengthsMeters(coordinates: readonly LonLat[]): number[] {
  const lengths = [0];
  let total = 0;
  for (let index = 1; index < coordinates.length; index += 1) {
    total += distanceMeters(itemAt(coordinates, index - 1), itemAt(coordinates, index));
    lengths.push(total);
  }
  return lengths;
}

/**
 * Local east/north offset in metres from `origin` to `target`. Equirectangular is accurate
 * to well under a percent over the few hundred metres we use it for (headings and axes),
 * and avoids bearing wrap-around arithmetic.
 */
export function localOffsetMeters(origin: LonLat, target: LonLat): LocalVector {
  const latitudeRadians = (((origin[1] + target[1]) / 2) * Math.PI) / 180;
  return {
    eastMeters: (((target[0] - origin[0]) * Math.PI) / 180) * EARTH_RADIUS_METERS * Math.cos(latitudeRadians),
    northMeters: (((target[1] - origin[1]) * Math.PI) / 180) * EARTH_RADIUS_METERS,
  };
}

/** Angle in degrees (0–180) between two planar vectors; 0 when either is degenerate. */
export function angleBetweenDegrees(first: LocalVector, second: LocalVector): number {
  const firstLength = Math.hypot(first.eastMeters, first.northMeters);
  const secondLength = Math.hypot(second.eastMeters, second.northMeters);
  if (firstLength === 0 || secondLength === 0) return 0;
  const cosine =
    (first.eastMeters * second.eastMeters + first.northMeters * second.northMeters) / (firstLength * secondLength);
  return (Math.acos(Math.min(1, Math.max(-1, cosine))) * 180) / Math.PI;
}

/**
 * Direction of travel over the first `lookMeters` of a line. Using a stretch rather than the
 * first edge keeps a 30 cm survey wiggle at a junction from deciding how two ways connect.
 */
export function startHeading(coordinates: readonly LonLat[], lookMeters = 20): LocalVector {
  let travelled = 0;
  let index = 1;
  while (index < coordinates.length - 1) {
    travelled += distanceMeters(itemAt(coordinates, index - 1), itemAt(coordinates, index));
    if (travelled >= lookMeters) break;
    index += 1;
  }
  return localOffsetMeters(itemAt(coordinates, 0), itemAt(coordinates, Math.min(index, coordinates.length - 1)));
}

/** Direction of travel over the last `lookMeters` of a line. */
export function endHeading(coordinates: readonly LonLat[], lookMeters = 20): LocalVector {
  const heading = startHeading([...coordinates].reverse(), lookMeters);
  return { eastMeters: -heading.eastMeters, northMeters: -heading.northMeters };
}
