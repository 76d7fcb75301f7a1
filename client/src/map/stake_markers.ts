import type { Feature, FeatureCollection, Point, Position } from 'geojson';
import { formatStake } from '@domain/stake';
import type { Direction, SegmentCollection, SegmentFeature } from '../api/types';

/** Named like the server's stake tiles' attributes (server/tiles/queries.ts), so one layer draws both. */
export interface StakeMarkerProperties {
  segment_id: number;
  route_code: string;
  admin_class: string;
  direction: Direction;
  chainage_meters: number;
  stake: string;
}

/**
 * A stake marker (like the 公里桩 posts on the road) at the start-chainage end of every segment,
 * for the crew app's offline corridor (online maps read the server's stake tiles, which find the
 * end from the stored chainage M values).
 *
 * The API's 2D geometry does not say which end carries the lower chainage, and the − direction
 * may be digitised either way, so the end is found from the neighbours: the end a segment shares
 * with its predecessor on the same route and direction; for the first segment, the end away from
 * its successor; for a lone segment, the first vertex for + and the last for − (digitised in the
 * direction of travel).
 */
export function stakeMarkers(collection: SegmentCollection): FeatureCollection<Point, StakeMarkerProperties> {
  const byRouteDirection = new Map<string, SegmentFeature[]>();
  for (const feature of collection.features) {
    const key = `${feature.properties.routeCode}|${feature.properties.direction}`;
    const list = byRouteDirection.get(key) ?? [];
    list.push(feature);
    byRouteDirection.set(key, list);
  }

  const features: Feature<Point, StakeMarkerProperties>[] = [];
  for (const segments of byRouteDirection.values()) {
    const byFrom = new Map<number, SegmentFeature>();
    const byTo = new Map<number, SegmentFeature>();
    for (const segment of segments) {
      byFrom.set(Math.round(segment.properties.chainageFromMeters), segment);
      byTo.set(Math.round(segment.properties.chainageToMeters), segment);
    }
    for (const segment of segments) {
      const coordinates = segment.geometry?.coordinates;
      if (!coordinates || coordinates.length < 2) continue;
      const first = coordinates[0]!;
      const last = coordinates[coordinates.length - 1]!;
      // Lone segment: + is digitised with chainage, − in its travel direction (chainage falling).
      let start = segment.properties.direction === -1 ? last : first;
      const predecessor = byTo.get(Math.round(segment.properties.chainageFromMeters));
      const successor = byFrom.get(Math.round(segment.properties.chainageToMeters));
      if (predecessor && predecessor !== segment) {
        start = nearestToLine(first, last, predecessor) === 'a' ? first : last;
      } else if (successor && successor !== segment) {
        start = nearestToLine(first, last, successor) === 'a' ? last : first;
      }
      const { id, routeCode, adminClass, direction, chainageFromMeters } = segment.properties;
      features.push({
        type: 'Feature',
        properties: { segment_id: id, route_code: routeCode, admin_class: adminClass, direction, chainage_meters: chainageFromMeters, stake: formatStake(chainageFromMeters) },
        geometry: { type: 'Point', coordinates: [start[0]!, start[1]!] },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}

/** Which of a and b lies nearer to the other segment's end vertices. */
function nearestToLine(a: Position, b: Position, other: SegmentFeature): 'a' | 'b' {
  const coordinates = other.geometry.coordinates;
  const ends = [coordinates[0]!, coordinates[coordinates.length - 1]!];
  const distance = (p: Position): number => Math.min(...ends.map((q) => squaredDistance(p, q)));
  return distance(a) <= distance(b) ? 'a' : 'b';
}

function squaredDistance(p: Position, q: Position): number {
  const dx = (p[0]! - q[0]!) * Math.cos(((p[1]! + q[1]!) / 2) * (Math.PI / 180));
  const dy = p[1]! - q[1]!;
  return dx * dx + dy * dy;
}
