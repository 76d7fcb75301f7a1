/**
 * Web Mercator (XYZ) tile arithmetic for tests, written from the slippy-map formulas (not from the
 * server's code): which tile holds a point, and a tile's lon/lat bounds.
 */
export interface Tile {
  z: number;
  x: number;
  y: number;
}

/** The tile holding lon/lat at zoom z. */
export function tileOf(lon: number, lat: number, z: number): Tile {
  const n = 2 ** z;
  const latRad = (lat * Math.PI) / 180;
  return {
    z,
    x: Math.floor(((lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n),
  };
}

/** The tile's [west, south, east, north] in degrees, grown by `margin` tiles (a buffer of 64/4096 is 1/64). */
export function tileBounds(tile: Tile, margin = 0): [number, number, number, number] {
  const n = 2 ** tile.z;
  const lon = (x: number) => (x / n) * 360 - 180;
  const lat = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
  return [lon(tile.x - margin), lat(tile.y + 1 + margin), lon(tile.x + 1 + margin), lat(tile.y - margin)];
}
