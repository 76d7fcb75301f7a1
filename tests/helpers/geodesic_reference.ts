/**
 * An independent reference for legal distances: geodesics on the CGCS2000 ellipsoid with
 * GeographicLib (Karney), no PostGIS, no projection of ours. Distance from a point to a polyline
 * is measured in the azimuthal-equidistant plane centred on the point: distances from the centre
 * are exact geodesic distances, and over the few hundred metres of a zone an edge maps to a line
 * straight to well under a millimetre.
 */
import geodesicModule from 'geographiclib-geodesic';

const { Geodesic } = geodesicModule;
/** CGCS2000: a = 6,378,137 m, 1/f = 298.257222101. */
const CGCS2000 = new Geodesic.Geodesic(6378137, 1 / 298.257222101);

export type LonLat = readonly [number, number];

/** The point `distanceMeters` from `from` along the geodesic leaving at `azimuthDegrees` (clockwise from north). */
export function destination(from: LonLat, azimuthDegrees: number, distanceMeters: number): [number, number] {
  const result = CGCS2000.Direct(from[1], from[0], azimuthDegrees, distanceMeters);
  return [result.lon2!, result.lat2!];
}

export function inverse(from: LonLat, to: LonLat): { distanceMeters: number; azimuthDegrees: number } {
  const result = CGCS2000.Inverse(from[1], from[0], to[1], to[0]);
  return { distanceMeters: result.s12!, azimuthDegrees: result.azi1! };
}

/** Geodesic length of a polyline. */
export function lengthMeters(line: readonly LonLat[]): number {
  let total = 0;
  for (let index = 1; index < line.length; index += 1) total += inverse(line[index - 1]!, line[index]!).distanceMeters;
  return total;
}

function planar(centre: LonLat, point: LonLat): [number, number] {
  const { distanceMeters, azimuthDegrees } = inverse(centre, point);
  const radians = (azimuthDegrees * Math.PI) / 180;
  return [distanceMeters * Math.sin(radians), distanceMeters * Math.cos(radians)];
}

/** Shortest distance from `point` to the polyline `line`, in metres on the ellipsoid. */
export function distanceToLineMeters(point: LonLat, line: readonly LonLat[]): number {
  return nearestOnLine(point, line).distanceMeters;
}

/** Distance to the nearest point of `line` and the azimuth (degrees) towards it. */
export function nearestOnLine(point: LonLat, line: readonly LonLat[]): { distanceMeters: number; azimuthDegrees: number } {
  if (line.length === 1) return inverse(point, line[0]!);
  let best = Infinity;
  let bestAzimuth = 0;
  let previous = planar(point, line[0]!);
  for (let index = 1; index < line.length; index += 1) {
    const next = planar(point, line[index]!);
    const [ax, ay] = previous;
    const [bx, by] = next;
    const dx = bx - ax;
    const dy = by - ay;
    const lengthSquared = dx * dx + dy * dy;
    const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / lengthSquared));
    const [x, y] = [ax + t * dx, ay + t * dy];
    const distance = Math.hypot(x, y);
    if (distance < best) [best, bestAzimuth] = [distance, (Math.atan2(x, y) * 180) / Math.PI];
    previous = next;
  }
  return { distanceMeters: best, azimuthDegrees: bestAzimuth };
}

/** A GeoJSON position as [lon, lat]. */
export function lonLat(position: readonly number[]): LonLat {
  return [position[0]!, position[1]!];
}
