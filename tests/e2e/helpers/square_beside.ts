/** A WGS84 position, [longitude, latitude]. */
export type Position = [number, number];

/** A square (a polygon's rings) of `size` m centred `offset` m left of the centreline at `at` (heading to `next`), `along` m further on. */
export function squareBeside(at: Position, next: Position, offset: number, along: number, size: number): Position[][] {
  const metersPerLat = 111_320;
  const metersPerLon = 111_320 * Math.cos((at[1] * Math.PI) / 180);
  const dx = (next[0] - at[0]) * metersPerLon;
  const dy = (next[1] - at[1]) * metersPerLat;
  const length = Math.hypot(dx, dy) || 1;
  const [ux, uy] = [dx / length, dy / length];
  const [nx, ny] = [-uy, ux];
  const h = size / 2;
  const ring = [
    [-h, -h],
    [h, -h],
    [h, h],
    [-h, h],
    [-h, -h],
  ].map(([a, b]) => {
    const x = ux * (along + a!) + nx * (offset + b!);
    const y = uy * (along + a!) + ny * (offset + b!);
    return [at[0] + x / metersPerLon, at[1] + y / metersPerLat] as Position;
  });
  return [ring];
}
