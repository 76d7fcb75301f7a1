/**
 * Deterministic satellite change detections around a road network, shaped like a real model's
 * output: polygons of 50–5,000 m² (log-uniform, so mostly small), most beside a road (inside road
 * land or straddling the control / excavation zone edges), some hundreds of metres off, some far
 * from any road; confidences and change types as models emit them (a tenth in 0–100 scale, a few
 * Chinese type names). Yielded one by one so the product path streams them as a file would.
 */
import { prng } from '../../data/seed/demo_violations.ts';

export type DetectionFeature = GeoJSON.Feature<GeoJSON.Polygon, { externalId: string; confidence: number; changeType: string; area: number }>;

const CHANGE_TYPES = ['new_building', 'building_extension', 'bare_soil', 'excavation_pit', 'material_pile', 'vegetation_loss', 'temporary_structure', 'other'] as const;
const CHINESE_ALIASES = ['新增建筑', '扩建', '裸土', '采挖坑', '堆放', '植被破坏', '临时构筑物'] as const;
const METERS_PER_DEGREE_LAT = 110_540;

/** Offsets from the anchor vertex, in metres: where detections fall relative to the road. */
function offsetMeters(random: () => number): number {
  const draw = random();
  if (draw < 0.35) return random() * 25; // road land / building control edge
  if (draw < 0.65) return 25 + random() * 95; // control zone → excavation ban straddles
  if (draw < 0.9) return 120 + random() * 380; // setback and beyond, still within 500 m
  return 3_000 + random() * 27_000; // far from the anchor road
}

/** A detection with where it was drawn from: the anchor's index and the centre's distance from it. */
export interface AnchoredDetection {
  anchorIndex: number;
  distanceMeters: number;
  centre: [number, number];
  feature: DetectionFeature;
}

export function* generateDetections(anchors: readonly (readonly [number, number])[], count: number, seed = 20_260_305): Generator<DetectionFeature> {
  for (const detection of generateAnchoredDetections(anchors, count, seed)) yield detection.feature;
}

export function* generateAnchoredDetections(anchors: readonly (readonly [number, number])[], count: number, seed = 20_260_305): Generator<AnchoredDetection> {
  const random = prng(seed);
  for (let index = 0; index < count; index += 1) {
    const anchorIndex = Math.floor(random() * anchors.length);
    const [anchorLon, anchorLat] = anchors[anchorIndex]!;
    const metersPerDegreeLon = METERS_PER_DEGREE_LAT * Math.cos((anchorLat * Math.PI) / 180);
    const bearing = random() * 2 * Math.PI;
    const distance = offsetMeters(random);
    const centreLon = anchorLon + (Math.cos(bearing) * distance) / metersPerDegreeLon;
    const centreLat = anchorLat + (Math.sin(bearing) * distance) / METERS_PER_DEGREE_LAT;
    const areaSquareMeters = 50 * Math.pow(100, random());
    // A star-shaped polygon around its centre (radial jitter, increasing angles) is always simple.
    const vertexCount = 5 + Math.floor(random() * 6);
    const rotation = random() * 2 * Math.PI;
    const stretch = 1 + random() * 1.5;
    const unit: [number, number][] = [];
    for (let v = 0; v < vertexCount; v += 1) {
      const angle = rotation + (2 * Math.PI * v) / vertexCount;
      const radius = 0.8 + random() * 0.4;
      unit.push([Math.cos(angle) * radius * stretch, Math.sin(angle) * radius]);
    }
    let unitArea = 0;
    for (let v = 0; v < vertexCount; v += 1) {
      const [x1, y1] = unit[v]!;
      const [x2, y2] = unit[(v + 1) % vertexCount]!;
      unitArea += x1 * y2 - x2 * y1;
    }
    const scale = Math.sqrt(areaSquareMeters / Math.abs(unitArea / 2));
    const ring = unit.map(([x, y]) => [
      Math.round((centreLon + (x * scale) / metersPerDegreeLon) * 1e7) / 1e7,
      Math.round((centreLat + (y * scale) / METERS_PER_DEGREE_LAT) * 1e7) / 1e7,
    ]);
    ring.push(ring[0]!);
    const confidence = 0.3 + random() * 0.69;
    const typeDraw = random();
    const changeType = typeDraw < 0.05 ? CHINESE_ALIASES[Math.floor(random() * CHINESE_ALIASES.length)]! : CHANGE_TYPES[Math.floor(random() * CHANGE_TYPES.length)]!;
    yield {
      anchorIndex,
      distanceMeters: distance,
      centre: [centreLon, centreLat],
      feature: {
        type: 'Feature',
        geometry: { type: 'Polygon', coordinates: [ring] },
        properties: {
          externalId: `bench-${index}`,
          confidence: random() < 0.1 ? Math.round(confidence * 100) : Math.round(confidence * 1000) / 1000,
          changeType,
          area: Math.round(areaSquareMeters),
        },
      },
    };
  }
}

/** The same detections as an async iterable, the shape the ingest service reads a parsed file as. */
export async function* streamDetections(anchors: readonly (readonly [number, number])[], count: number, seed?: number): AsyncGenerator<DetectionFeature> {
  yield* generateDetections(anchors, count, seed);
}
