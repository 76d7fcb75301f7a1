/**
 * Demo satellite batch ('GF-2 (demo)', is_demo): about 150 change polygons along the demo roads —
 * inside each zone kind, outside all zones, over known demo violations, at bridges and across the
 * 410104/410105 boundary — with confidence values. Deterministic (seeded PRNG). Loaded through the
 * same staging + classification code as an upload, synchronously on the demo load's transaction.
 */
import type { Queryable } from '../../server/db/database.ts';
import type { ChangeType } from '../../server/domain/detection_rules.ts';
import { insertBatch, selectDemoDetectionAnchors } from '../../server/detections/queries.ts';
import { clientRunner, sha256Hex, stageAndPublish } from '../../server/detections/service.ts';
import { selectDemoSegmentLines } from '../../server/violations/queries.ts';
import { pointBeside, prng, squareAround } from './demo_violations.ts';

export const DEMO_DETECTION_SOURCE = 'GF-2 (demo)';
const ALONG_ROAD_COUNT = 120;

type Placement = { zone: 'road_land' | 'building_control' | 'excavation_ban' | 'outside'; changeTypes: ChangeType[] };
const PLACEMENTS: readonly Placement[] = [
  { zone: 'road_land', changeTypes: ['material_pile', 'bare_soil', 'temporary_structure'] },
  { zone: 'building_control', changeTypes: ['new_building', 'building_extension', 'temporary_structure'] },
  { zone: 'excavation_ban', changeTypes: ['excavation_pit', 'bare_soil', 'vegetation_loss'] },
  { zone: 'outside', changeTypes: ['new_building', 'vegetation_loss', 'other'] },
];

function feature(geometry: GeoJSON.Polygon, index: number, changeType: ChangeType, confidence: number): GeoJSON.Feature {
  return { type: 'Feature', geometry, properties: { externalId: `GF2-DEMO-${String(index + 1).padStart(4, '0')}`, changeType, confidence: Math.round(confidence * 100) / 100 } };
}

export function buildDemoDetectionFeatures(
  segments: { jurisdiction_code: string | null; road_land_half_width_meters: number; line: GeoJSON.LineString }[],
  anchors: { bridges: GeoJSON.LineString[]; violationPolygons: GeoJSON.Polygon[]; boundaryCrossings: GeoJSON.Point[] },
): GeoJSON.Feature[] {
  const random = prng(20260315);
  const features: GeoJSON.Feature[] = [];
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  for (let index = 0; index < ALONG_ROAD_COUNT && segments.length > 0; index += 1) {
    const segment = segments[Math.floor(random() * segments.length)]!;
    const placement = PLACEMENTS[index % PLACEMENTS.length]!;
    const halfWidth = segment.road_land_half_width_meters;
    const offset =
      placement.zone === 'road_land' ? halfWidth * (0.3 + random() * 0.4)
      : placement.zone === 'building_control' ? halfWidth + 4 + random() * 6
      : placement.zone === 'excavation_ban' ? halfWidth + 40 + random() * 40
      : 400 + random() * 200;
    const center = pointBeside(segment.line, 0.05 + random() * 0.9, offset, random() < 0.5 ? 1 : -1);
    const halfSide = placement.zone === 'road_land' ? 2 + random() * 3 : 4 + random() * 10;
    features.push(feature(squareAround(center, halfSide), features.length, pick(placement.changeTypes), 0.35 + random() * 0.64));
  }
  // Over known demo violations: the classification must call these "known".
  for (const polygon of anchors.violationPolygons) features.push(feature(polygon, features.length, 'new_building', 0.8 + random() * 0.19));
  // Bare soil next to medium and larger bridges (200 m ranges).
  for (const bridge of anchors.bridges) {
    const center = pointBeside(bridge, 0.5, 60 + random() * 60, random() < 0.5 ? 1 : -1);
    features.push(feature(squareAround(center, 8 + random() * 8), features.length, 'bare_soil', 0.5 + random() * 0.45));
  }
  // Straddling the district boundary where a road crosses it.
  for (const crossing of anchors.boundaryCrossings) {
    const [lon, lat] = crossing.coordinates as [number, number];
    features.push(feature(squareAround([lon + 0.00004, lat], 12), features.length, 'new_building', 0.6 + random() * 0.3));
  }
  return features;
}

async function* iterate(features: GeoJSON.Feature[]): AsyncGenerator<GeoJSON.Feature> {
  for (const item of features) yield item;
}

/** Inserts and classifies the demo batch on `client` (inside the demo load's transaction). */
export async function loadDemoDetections(client: Queryable): Promise<{ detections: number }> {
  const segments = await selectDemoSegmentLines(client);
  if (segments.length === 0) return { detections: 0 };
  const anchors = await selectDemoDetectionAnchors(client, '410104', '410105');
  const features = buildDemoDetectionFeatures(segments, anchors);
  const batchId = await insertBatch(client, {
    source: DEMO_DETECTION_SOURCE,
    sensor: 'PMS',
    modelName: 'demo-change-net',
    beforeDate: '2026-02-01/2026-02-15',
    afterDate: '2026-03-01/2026-03-15',
    groundResolutionMeters: 0.8,
    crs: 'WGS84',
    batchId: 'demo-gf2-2026-03',
    contentSha256: sha256Hex(Buffer.from(JSON.stringify(features))),
    fileFormat: 'features',
    jurisdictionCode: '410100',
    createdBy: null,
    isDemo: true,
    status: 'queued',
  });
  const outcome = await stageAndPublish(clientRunner(client), batchId, iterate(features), 'WGS84', undefined, { connections: 1 });
  if (outcome.status !== 'done') throw new Error(`demo detections rejected: ${JSON.stringify(outcome.rejected.slice(0, 3))}`);
  return { detections: outcome.total };
}
