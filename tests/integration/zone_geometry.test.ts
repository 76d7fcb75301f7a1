/**
 * Zones to the law's edge (issue 16). Probes 0.1 m inside and outside each legal edge; what each
 * probe SHOULD be in comes from the law's widths typed in from DOMAIN.md and geodesic distances on
 * the CGCS2000 ellipsoid (GeographicLib, tests/helpers/geodesic_reference.ts), never from the
 * zone-drawing SQL. The database is asked only which drawn zone polygons contain each probe.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { candidateCategory } from '../../server/domain/detection_rules.ts';
import type { ZoneKind } from '../../server/domain/zones.ts';
import { destination, distanceToLineMeters, inverse, lonLat, nearestOnLine, type LonLat } from '../helpers/geodesic_reference.ts';

/** DOMAIN.md "Legal zones along a road". */
const LAW = {
  building_control: { expressway: 30, national: 20, provincial: 15, county: 10, township: 5, village: 3 },
  excavation_ban: { expressway: 100, national: 100, provincial: 100, county: 100, township: 50, village: 0 },
  settlement_setback: { expressway: 50, national: 50, provincial: 50, county: 20, township: 20, village: 0 },
} as const;
type AdminClass = keyof typeof LAW.building_control;
const MARGIN_METERS = 0.1;

interface Segment { id: number; route_code: string; direction: number; admin_class: AdminClass; half_width: number; line: LonLat[] }
interface Probe { point: LonLat; expectedInside: boolean; label: string }

let pool: pg.Pool;
let segments: Segment[];

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
  const rows = await pool.query<Omit<Segment, 'line'> & { line: GeoJSON.LineString }>(
    `SELECT id::integer, route_code, direction, admin_class, road_land_half_width_meters AS half_width,
            ST_AsGeoJSON(ST_Force2D(centreline), 10)::json AS line FROM segments WHERE is_demo`,
  );
  segments = rows.rows.map((row) => ({ ...row, line: row.line.coordinates.map(lonLat) }));
});
afterAll(async () => {
  await pool.end();
});

/** For each probe, whether any of the given zone rows contains it. */
async function containedBy(probes: readonly Probe[], zoneFilter: string, filterValue: unknown[]): Promise<boolean[]> {
  const result = await pool.query<{ inside: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM protection_zones z WHERE ${zoneFilter} AND ST_Intersects(z.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))) AS inside
     FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(lon, lat, ordinal) ORDER BY p.ordinal`,
    [probes.map((p) => p.point[0]), probes.map((p) => p.point[1]), ...filterValue],
  );
  return result.rows.map((row) => row.inside);
}

function expectAll(probes: readonly Probe[], inside: readonly boolean[]): void {
  const wrong = probes.filter((probe, index) => inside[index] !== probe.expectedInside).map((probe) => probe.label);
  expect(wrong.slice(0, 10), `${wrong.length} of ${probes.length} probes on the wrong side`).toEqual([]);
}

/** Probes around a line's end vertex, every 11.25° from straight on to square off the axis, both ways. */
function endProbes(line: readonly LonLat[], atStart: boolean, rangeMeters: number, label: string): Probe[] {
  const end = atStart ? line[0]! : line.at(-1)!;
  const before = atStart ? line[1]! : line.at(-2)!;
  const outward = inverse(before, end).azimuthDegrees;
  const probes: Probe[] = [];
  for (let step = -8; step <= 8; step += 1) {
    for (const sign of [-1, 1]) {
      const point = destination(end, outward + step * 11.25, rangeMeters + sign * MARGIN_METERS);
      // Expected side from the independent distance to the whole structure line.
      const distance = distanceToLineMeters(point, line);
      if (Math.abs(Math.abs(distance - rangeMeters) - MARGIN_METERS) > 0.01) continue; // another part of the line is nearer
      probes.push({ point, expectedInside: distance <= rangeMeters, label: `${label} ${atStart ? 'start' : 'end'} ${step * 11.25}° ${sign > 0 ? 'outside' : 'inside'}` });
    }
  }
  return probes;
}

describe('structure ranges reach the legal distance', () => {
  for (const [kind, rangeMeters, classes] of [
    ['bridge_range', 200, ['medium', 'large', 'extra_large']],
    ['tunnel_range', 100, ['extra_long', 'long', 'medium', 'short']],
  ] as const) {
    it(`${kind}: 0.1 m inside every end at every angle is in, 0.1 m outside is out`, async () => {
      const structures = await pool.query<{ id: number; line: GeoJSON.LineString }>(
        `SELECT id::integer, ST_AsGeoJSON(geom, 10)::json AS line FROM road_structures
         WHERE is_demo AND kind = $1 AND size_class = ANY ($2::text[]) ORDER BY id`,
        [kind === 'bridge_range' ? 'bridge' : 'tunnel', classes],
      );
      expect(structures.rows.length).toBeGreaterThan(kind === 'bridge_range' ? 20 : 3);
      for (const structure of structures.rows) {
        const line = structure.line.coordinates.map(lonLat);
        const probes = [...endProbes(line, true, rangeMeters, `structure ${structure.id}`), ...endProbes(line, false, rangeMeters, `structure ${structure.id}`)];
        expect(probes.length).toBeGreaterThan(20);
        expectAll(probes, await containedBy(probes, 'z.structure_id = $3 AND z.kind = $4', [structure.id, kind]));
      }
    });
  }
});

/** How far beyond the route's carriageway strips (road land) a point lies; negative inside. */
function beyondRoadLandMeters(point: LonLat, route: readonly Segment[]): number {
  return Math.min(...route.map((segment) => distanceToLineMeters(point, segment.line) - segment.half_width));
}

/**
 * A point between the two carriageways of a divided road (the median, tested on its own): the
 * nearest points of the two carriageways lie in opposite directions and both strips are within
 * the 60 m a median may span (docs/zone_geometry.md).
 */
function isBetweenCarriageways(point: LonLat, route: readonly Segment[]): boolean {
  const nearest = (direction: number) => {
    const candidates = route.filter((segment) => segment.direction === direction).map((segment) => ({ ...nearestOnLine(point, segment.line), halfWidth: segment.half_width }));
    return candidates.sort((a, b) => a.distanceMeters - b.distanceMeters)[0];
  };
  const plus = nearest(1);
  const minus = nearest(-1);
  if (!plus || !minus) return false;
  const angle = Math.abs(((plus.azimuthDegrees - minus.azimuthDegrees + 540) % 360) - 180);
  return angle > 90 && plus.distanceMeters - plus.halfWidth + minus.distanceMeters - minus.halfWidth < 60;
}

function routeOf(segment: Segment): Segment[] {
  return segments.filter((other) => other.route_code === segment.route_code);
}

/** Offsets (from the road-land edge) of the legal edges of a segment's bands. */
function legalEdges(adminClass: AdminClass): { kind: ZoneKind; inner: number; outer: number }[] {
  const control = LAW.building_control[adminClass];
  return [
    { kind: 'building_control', inner: 0, outer: control },
    { kind: 'excavation_ban', inner: 0, outer: LAW.excavation_ban[adminClass] },
    { kind: 'settlement_setback', inner: control, outer: control + LAW.settlement_setback[adminClass] },
  ].filter((edge) => edge.outer > edge.inner) as { kind: ZoneKind; inner: number; outer: number }[];
}

/** Turn at each inner vertex (degrees) and the azimuth square to the left of the incoming edge. */
function vertexBends(line: readonly LonLat[]): { vertex: LonLat; turnDegrees: number; leftAzimuth: number }[] {
  const bends = [];
  for (let index = 1; index < line.length - 1; index += 1) {
    const incoming = inverse(line[index - 1]!, line[index]!).azimuthDegrees;
    const outgoing = inverse(line[index]!, line[index + 1]!).azimuthDegrees;
    const turn = ((outgoing - incoming + 540) % 360) - 180;
    // Square off the incoming edge; the probes fan ±22.5° around it, so both sides of the bend are covered.
    bends.push({ vertex: line[index]!, turnDegrees: turn, leftAzimuth: incoming - 90 });
  }
  return bends;
}

describe('segment bands reach the legal distance from the route road land', () => {
  it('probes at convex and concave bends, segment joins and both carriageways fall on the right side of every edge', async () => {
    // The sharpest bends of the demo network, and every segment join, on both carriageways.
    const bends = segments
      .flatMap((segment) => vertexBends(segment.line).map((bend) => ({ segment, ...bend })))
      .filter((bend) => Math.abs(bend.turnDegrees) > 5)
      .sort((a, b) => Math.abs(b.turnDegrees) - Math.abs(a.turnDegrees))
      .slice(0, 30);
    const joins = segments.filter((segment, index) => index % 7 === 0).map((segment) => ({ segment, vertex: segment.line[0]!, leftAzimuth: inverse(segment.line[0]!, segment.line[1]!).azimuthDegrees - 90 }));
    expect(bends.length).toBe(30);
    expect(new Set(bends.map((bend) => bend.segment.direction))).toEqual(new Set([1, -1]));
    let checked = 0;
    for (const { segment, vertex, leftAzimuth } of [...bends, ...joins]) {
      const route = routeOf(segment);
      const probes: (Probe & { kind: ZoneKind })[] = [];
      for (const { kind, inner, outer } of [{ kind: 'road_land' as ZoneKind, inner: -segment.half_width, outer: 0 }, ...legalEdges(segment.admin_class)]) {
        for (const side of [0, 180]) {
          for (const edge of kind === 'road_land' ? [outer] : [inner, outer]) {
            for (const sign of [-1, 1]) {
              for (const spread of [-22.5, 0, 22.5]) {
                const point = destination(vertex, leftAzimuth + side + spread, segment.half_width + edge + sign * MARGIN_METERS);
                const beyond = beyondRoadLandMeters(point, route);
                // Keep probes that really sit 0.1 m from this edge (nothing else of the route nearer),
                // and on the outer side of a divided road (the median is tested on its own).
                if (Math.abs(Math.abs(beyond - edge) - MARGIN_METERS) > 0.01) continue;
                if (isBetweenCarriageways(point, route)) continue;
                const expectedInside = kind === 'road_land' ? beyond <= 0 : beyond > inner && beyond <= outer;
                probes.push({ point, kind, expectedInside, label: `${segment.route_code} segment ${segment.id} ${kind} edge ${edge} m ${sign > 0 ? 'outside' : 'inside'} ${side + spread}°` });
              }
            }
          }
        }
      }
      for (const kind of new Set(probes.map((probe) => probe.kind))) {
        const ofKind = probes.filter((probe) => probe.kind === kind);
        expectAll(ofKind, await containedBy(ofKind, `z.kind = $3 AND z.segment_id IN (SELECT id FROM segments WHERE route_code = $4)`, [kind, segment.route_code]));
        checked += ofKind.length;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('a centreline point just past a segment join is road land and no other zone of its own road (X901 K1+015)', async () => {
    const result = await pool.query<{ route_code: string; chainage: number; kinds: string[] }>(
      `SELECT s.route_code, p.chainage,
              ARRAY(SELECT DISTINCT z.kind FROM protection_zones z JOIN segments o ON o.id = z.segment_id
                    WHERE o.route_code = s.route_code AND ST_Intersects(z.geom, p.pt) ORDER BY 1) AS kinds
       FROM segments s
       CROSS JOIN LATERAL (VALUES (s.chainage_from_meters + 15), (s.chainage_to_meters - 15)) c(chainage)
       CROSS JOIN LATERAL (SELECT c.chainage, ST_Force2D(ST_GeometryN(ST_LocateAlong(s.centreline, c.chainage), 1)) AS pt) p
       WHERE s.is_demo AND s.length_meters > 60 AND p.pt IS NOT NULL`,
    );
    expect(result.rows.length).toBeGreaterThan(800);
    const wrong = result.rows.filter((row) => row.kinds.join() !== 'road_land');
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});

describe('medians', () => {
  it('land between the two carriageways of one road is road land, so a material pile there is piling', async () => {
    // Midpoints between the carriageways where their road-land strips leave a gap narrower than
    // 60 m (the median reach); the gap is checked independently here.
    const pairs = await pool.query<{ route_code: string; a: GeoJSON.Point; b: GeoJSON.Point }>(
      `SELECT m.route_code, ST_AsGeoJSON(m.pt, 10)::json AS a, ST_AsGeoJSON(ST_ClosestPoint(ST_Force2D(p.centreline), m.pt), 10)::json AS b
       FROM (SELECT s.id, s.route_code, ST_Force2D(ST_LineInterpolatePoint(ST_Force2D(s.centreline), 0.5)) AS pt FROM segments s WHERE s.is_demo AND s.direction = -1) m
       CROSS JOIN LATERAL (SELECT o.centreline FROM segments o WHERE o.route_code = m.route_code AND o.direction = 1 ORDER BY o.centreline <-> m.pt LIMIT 1) p`,
    );
    const medians: { route_code: string; point: LonLat }[] = [];
    for (const pair of pairs.rows) {
      const a = lonLat(pair.a.coordinates);
      const b = lonLat(pair.b.coordinates);
      const { distanceMeters, azimuthDegrees } = inverse(a, b);
      const midpoint = destination(a, azimuthDegrees, distanceMeters / 2);
      const route = segments.filter((segment) => segment.route_code === pair.route_code);
      const beyondPlus = beyondRoadLandMeters(midpoint, route.filter((segment) => segment.direction === 1));
      const beyondMinus = beyondRoadLandMeters(midpoint, route.filter((segment) => segment.direction === -1));
      // Outside both strips, less than 25 m from each and about as far from both: between them.
      if (Math.min(beyondPlus, beyondMinus) > 0.5 && Math.max(beyondPlus, beyondMinus) < 25 && Math.abs(beyondPlus - beyondMinus) < 2) {
        medians.push({ route_code: pair.route_code, point: midpoint });
      }
    }
    expect(medians.length).toBeGreaterThan(20);
    for (const median of medians) {
      const kinds = await pool.query<{ kinds: ZoneKind[] }>(
        `SELECT ARRAY(SELECT DISTINCT z.kind FROM protection_zones z JOIN segments s ON s.id = z.segment_id
                      WHERE s.route_code = $1 AND ST_Intersects(z.geom, ST_SetSRID(ST_MakePoint($2, $3), 4326)) ORDER BY 1) AS kinds`,
        [median.route_code, median.point[0], median.point[1]],
      );
      const zones = kinds.rows[0]!.kinds;
      expect(zones, `${median.route_code} median ${median.point.join(',')}`).toEqual(['road_land']);
      expect(candidateCategory('material_pile', zones)).toBe('piling');
    }
  });
});
