/** A longitude/latitude pair (WGS84 degrees). */
export type LonLat = [number, number];

/**
 * Rounds to a fixed number of decimals. Integer-then-divide keeps the result the double
 * nearest to the decimal value, so JSON.stringify prints it with at most `decimals` digits,
 * which is what makes the written files byte-identical from run to run.
 */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  // -0 would print as 0 but compares differently in deep-equal tests; normalise it.
  return rounded === 0 ? 0 : rounded;
}

/** Longitude/latitude at 7 decimals (about 1 cm), the precision OSM itself stores. */
export const COORDINATE_DECIMALS = 7;

/** Chainage and lengths at 0.01 m. */
export const METER_DECIMALS = 2;

export function roundCoordinate(position: readonly number[]): LonLat {
  const [longitude, latitude] = position;
  if (longitude === undefined || latitude === undefined) throw new Error('a position needs a longitude and a latitude');
  return [roundTo(longitude, COORDINATE_DECIMALS), roundTo(latitude, COORDINATE_DECIMALS)];
}

export function roundMeters(value: number): number {
  return roundTo(value, METER_DECIMALS);
}
