/**
 * What users would otherwise write: load the segments and zone polygons into memory and, for each
 * detection, test every zone with a bounding-box check, then `booleanIntersects` + `intersect` +
 * `area` for the overlap per kind, and every segment within a bbox grown by 500 m with
 * `pointToLineDistance` from the detection's centroid for the nearest one. A linear scan with a
 * bbox prefilter (no spatial index): the loop a typical developer writes first. Overlaps are summed
 * per kind, not unioned (cheaper than the SQL, so the comparison flatters Turf).
 */
import * as turf from '@turf/turf';
import type { Queryable } from '../../server/db/database.ts';
import type { DetectionFeature } from './generate_detections.ts';

type BBox = [number, number, number, number];

export interface TurfNetwork {
  zones: { kind: string; bbox: BBox; feature: GeoJSON.Feature<GeoJSON.MultiPolygon> }[];
  segments: { id: number; bbox: BBox; feature: GeoJSON.Feature<GeoJSON.LineString> }[];
  loadMs: number;
}

export async function loadTurfNetwork(db: Queryable): Promise<TurfNetwork> {
  const startedAt = performance.now();
  const zoneRows = await db.query<{ kind: string; geometry: GeoJSON.MultiPolygon }>(`SELECT kind, ST_AsGeoJSON(geom, 7)::json AS geometry FROM protection_zones`);
  const segmentRows = await db.query<{ id: number; geometry: GeoJSON.LineString }>(`SELECT id, ST_AsGeoJSON(ST_Force2D(centreline), 7)::json AS geometry FROM segments`);
  const zones = zoneRows.rows.map((row) => {
    const feature = turf.feature(row.geometry);
    return { kind: row.kind, bbox: turf.bbox(feature) as BBox, feature };
  });
  const segments = segmentRows.rows.map((row) => {
    const feature = turf.feature(row.geometry);
    return { id: row.id, bbox: turf.bbox(feature) as BBox, feature };
  });
  return { zones, segments, loadMs: performance.now() - startedAt };
}

const overlaps = (a: BBox, b: BBox) => a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];

export interface TurfResult {
  overlapByKind: Map<string, number>;
  nearestSegmentId: number | null;
  distanceMeters: number | null;
}

export function classifyWithTurf(network: TurfNetwork, detection: DetectionFeature): TurfResult {
  const box = turf.bbox(detection) as BBox;
  const overlapByKind = new Map<string, number>();
  for (const zone of network.zones) {
    if (!overlaps(box, zone.bbox)) continue;
    if (!turf.booleanIntersects(detection, zone.feature)) continue;
    const intersection = turf.intersect(turf.featureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon>([detection, zone.feature]));
    if (intersection) overlapByKind.set(zone.kind, (overlapByKind.get(zone.kind) ?? 0) + turf.area(intersection));
  }
  const centroid = turf.centroid(detection);
  const lat = centroid.geometry.coordinates[1]!;
  const growLon = 500 / (111_320 * Math.cos((lat * Math.PI) / 180));
  const growLat = 500 / 110_540;
  const searchBox: BBox = [box[0] - growLon, box[1] - growLat, box[2] + growLon, box[3] + growLat];
  let nearestSegmentId: number | null = null;
  let distanceMeters: number | null = null;
  for (const segment of network.segments) {
    if (!overlaps(searchBox, segment.bbox)) continue;
    const distance = turf.pointToLineDistance(centroid, segment.feature, { units: 'meters' });
    if (distance <= 500 && (distanceMeters === null || distance < distanceMeters)) {
      distanceMeters = distance;
      nearestSegmentId = segment.id;
    }
  }
  return { overlapByKind, nearestSegmentId, distanceMeters };
}

/**
 * Times the loop on an evenly spread sample; runs all detections when that would take under
 * `fullBudgetMs`, else extrapolates linearly from the sample.
 */
export function timeTurfLoop(network: TurfNetwork, detections: readonly DetectionFeature[], sampleSize: number, fullBudgetMs = 300_000) {
  const step = Math.max(1, Math.floor(detections.length / sampleSize));
  const sample = detections.filter((_, index) => index % step === 0).slice(0, sampleSize);
  let inZone = 0;
  const startedAt = performance.now();
  for (const detection of sample) if (classifyWithTurf(network, detection).overlapByKind.size > 0) inZone += 1;
  const sampleMs = performance.now() - startedAt;
  const estimatedMs = (sampleMs / sample.length) * detections.length;
  if (estimatedMs <= fullBudgetMs && sample.length < detections.length) {
    const fullStartedAt = performance.now();
    let fullInZone = 0;
    for (const detection of detections) if (classifyWithTurf(network, detection).overlapByKind.size > 0) fullInZone += 1;
    return { ms: performance.now() - fullStartedAt, measured: detections.length, extrapolated: false, inZoneShare: fullInZone / detections.length };
  }
  return { ms: estimatedMs, measured: sample.length, extrapolated: sample.length < detections.length, inZoneShare: inZone / sample.length };
}
