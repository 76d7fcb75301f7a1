import type { DetectionFeature } from '../../api/detections';
import { detectionBox } from '../../api/detections';
import type { ViolationFeature } from '../../api/violations';

/** How far around a lead the merge picker looks for open cases (a lead and its case rarely lie further apart). */
export const MERGE_SEARCH_RADIUS_METERS = 300;

const METERS_PER_DEGREE_LAT = 111_320;

/** The lead's bounding box grown by `meters` on every side, as [minLon, minLat, maxLon, maxLat]. */
export function boxAround(feature: DetectionFeature, meters: number): [number, number, number, number] {
  const [minLon, minLat, maxLon, maxLat] = detectionBox(feature);
  const dLat = meters / METERS_PER_DEGREE_LAT;
  const dLon = meters / (METERS_PER_DEGREE_LAT * Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180));
  return [minLon - dLon, minLat - dLat, maxLon + dLon, maxLat + dLat];
}

/** A representative point of a case: the point itself, or the mean of a polygon's outer ring. */
function anchorOf(feature: ViolationFeature): [number, number] {
  if (feature.geometry.type === 'Point') return feature.geometry.coordinates as [number, number];
  const ring = feature.geometry.coordinates[0] ?? [];
  const n = Math.max(1, ring.length);
  return [ring.reduce((sum, p) => sum + (p[0] ?? 0), 0) / n, ring.reduce((sum, p) => sum + (p[1] ?? 0), 0) / n];
}

/**
 * Metres from the lead's box centre to a case (equirectangular: exact enough within a few hundred
 * metres, and only used to order the picker).
 */
export function distanceToLead(lead: DetectionFeature, violation: ViolationFeature): number {
  const [minLon, minLat, maxLon, maxLat] = detectionBox(lead);
  const [lon, lat] = anchorOf(violation);
  const midLat = (minLat + maxLat) / 2;
  const dx = (lon - (minLon + maxLon) / 2) * METERS_PER_DEGREE_LAT * Math.cos((midLat * Math.PI) / 180);
  const dy = (lat - midLat) * METERS_PER_DEGREE_LAT;
  return Math.hypot(dx, dy);
}
