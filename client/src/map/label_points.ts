import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';

/**
 * One label point per (multi)polygon, inside its largest part: the middle of the widest
 * interior span of the horizontal line through the part's centroid. MapLibre's own polygon
 * labels repeat per tile and can fall outside concave shapes (districts often are).
 */
export function labelPoints<P>(collection: FeatureCollection<Polygon | MultiPolygon, P>): FeatureCollection<Point, P> {
  const features: Feature<Point, P>[] = [];
  for (const feature of collection.features) {
    if (!feature.geometry) continue;
    const polygons = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    let largest: Position[][] | undefined;
    let largestArea = -1;
    for (const polygon of polygons) {
      const area = Math.abs(ringArea(polygon[0] ?? []));
      if (area > largestArea) {
        largestArea = area;
        largest = polygon;
      }
    }
    if (!largest || !largest[0] || largest[0].length < 4) continue;
    features.push({ type: 'Feature', id: feature.id, properties: feature.properties, geometry: { type: 'Point', coordinates: interiorPoint(largest) } });
  }
  return { type: 'FeatureCollection', features };
}

function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    sum += (a[0]! * b[1]!) - (b[0]! * a[1]!);
  }
  return sum / 2;
}

function ringCentroid(ring: Position[]): [number, number] {
  let x = 0;
  let y = 0;
  let area = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    const cross = (a[0]! * b[1]!) - (b[0]! * a[1]!);
    x += (a[0]! + b[0]!) * cross;
    y += (a[1]! + b[1]!) * cross;
    area += cross;
  }
  if (area === 0) return [ring[0]![0]!, ring[0]![1]!];
  return [x / (3 * area), y / (3 * area)];
}

function interiorPoint(polygon: Position[][]): [number, number] {
  const [cx, cy] = ringCentroid(polygon[0]!);
  const crossings: number[] = [];
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[j]!;
      const b = ring[i]!;
      if ((a[1]! > cy) !== (b[1]! > cy)) {
        crossings.push(a[0]! + ((cy - a[1]!) * (b[0]! - a[0]!)) / (b[1]! - a[1]!));
      }
    }
  }
  crossings.sort((p, q) => p - q);
  let best: [number, number] = [cx, cy];
  let bestWidth = -1;
  for (let i = 0; i + 1 < crossings.length; i += 2) {
    const width = crossings[i + 1]! - crossings[i]!;
    const mid = (crossings[i]! + crossings[i + 1]!) / 2;
    // Prefer the span holding the centroid, else the widest.
    const holdsCentroid = crossings[i]! <= cx && cx <= crossings[i + 1]!;
    const score = holdsCentroid ? Number.POSITIVE_INFINITY : width;
    if (score > bestWidth) {
      bestWidth = score;
      best = [holdsCentroid ? cx : mid, cy];
    }
  }
  return best;
}
