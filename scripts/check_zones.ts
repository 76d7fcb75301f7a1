/**
 * `npm run check:zones` — how far the drawn zone edges lie from the law's edge, per zone kind.
 * Independent of the zone-drawing SQL (migration 016): the widths are typed in from DOMAIN.md
 * below, distances are geodesics on the CGCS2000 ellipsoid (GeographicLib), and the database is
 * only asked for the drawn polygons and the centrelines. For every route and kind the drawn bands
 * are unioned (one route's zone is the union of its segments' pieces); every ring vertex and every
 * chord midpoint (where a chord strays furthest from an arc) is measured against the nearest legal
 * edge of that kind. Medians are road land by definition (docs/zone_geometry.md): their drawn shape
 * is taken from the road-land polygons, so outer bands are measured from strips ∪ median.
 * Uses DATABASE_URL as it is (a database with the demo loaded), else the embedded database in
 * LUYU_DATA_DIR, migrated and with the demo.
 */
import { readConfig } from '../server/config.ts';
import { startDatabase } from '../server/db/start_database.ts';
import { prepareDatabase } from '../server/prepare_database.ts';
import { distanceToLineMeters, lonLat, type LonLat } from '../tests/helpers/geodesic_reference.ts';

/** DOMAIN.md "Legal zones along a road", typed in again on purpose. */
const LAW = {
  building_control: { expressway: 30, national: 20, provincial: 15, county: 10, township: 5, village: 3 },
  excavation_ban: { expressway: 100, national: 100, provincial: 100, county: 100, township: 50, village: 0 },
  settlement_setback: { expressway: 50, national: 50, provincial: 50, county: 20, township: 20, village: 0 },
  bridge_range: 200,
  tunnel_range: 100,
} as const;
type AdminClass = keyof typeof LAW.building_control;

interface SegmentRow { id: number; route_code: string; direction: number; admin_class: AdminClass; half_width: number; line: GeoJSON.LineString }

function legalEdges(kind: string, adminClass: AdminClass): number[] {
  const control = LAW.building_control[adminClass];
  if (kind === 'road_land') return [0];
  if (kind === 'building_control') return [0, control];
  if (kind === 'excavation_ban') return [0, LAW.excavation_ban[adminClass]];
  if (kind === 'settlement_setback') return [control, control + LAW.settlement_setback[adminClass]];
  throw new Error(kind);
}

/** Ring vertices and chord midpoints of a (multi)polygon. */
function boundaryProbes(geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon): LonLat[] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const probes: LonLat[] = [];
  for (const rings of polygons) {
    for (const ring of rings) {
      for (let index = 1; index < ring.length; index += 1) {
        const [ax, ay] = ring[index - 1]!;
        const [bx, by] = ring[index]!;
        probes.push([ax!, ay!], [(ax! + bx!) / 2, (ay! + by!) / 2]);
      }
    }
  }
  return probes;
}

function ringsOf(geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon): LonLat[][] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.flat().map((ring) => ring.map(([lon, lat]) => [lon!, lat!] as const));
}

function near(point: LonLat, line: readonly LonLat[], degrees: number): boolean {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of line) [minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
  return point[0] >= minX - degrees && point[0] <= maxX + degrees && point[1] >= minY - degrees && point[1] <= maxY + degrees;
}

const config = readConfig();
const db = await startDatabase(config);
try {
  // A named server is measured as it is (so a database drawn by older code can be compared);
  // the embedded one is prepared with the demo first.
  if (db.mode === 'embedded') await prepareDatabase(db, { ...config, LUYU_LOAD_DEMO: 'auto' });
  const segments = (await db.pool.query<SegmentRow>(
    `SELECT id::integer, route_code, direction, admin_class, road_land_half_width_meters AS half_width, ST_AsGeoJSON(ST_Force2D(centreline), 9)::json AS line FROM segments`,
  )).rows;
  const byRoute = new Map<string, SegmentRow[]>();
  for (const segment of segments) byRoute.set(segment.route_code, [...(byRoute.get(segment.route_code) ?? []), segment]);

  // The drawn median: road land that no carriageway strip covers (thin slivers along strip edges
  // are arc re-approximations, not median).
  const medians = (await db.pool.query<{ route_code: string; geometry: GeoJSON.Polygon }>(
    `WITH land AS (
       SELECT s.route_code, ST_Union(z.geom) AS drawn,
              ST_Union(ST_Buffer(ST_Force2D(s.centreline)::geography, s.road_land_half_width_meters, 'quad_segs=64')::geometry) AS strips
       FROM protection_zones z JOIN segments s ON s.id = z.segment_id WHERE z.kind = 'road_land' GROUP BY s.route_code
     )
     SELECT route_code, ST_AsGeoJSON(d.geom, 9)::json AS geometry
     FROM land CROSS JOIN LATERAL ST_Dump(ST_Difference(drawn, strips)) d
     WHERE ST_Area(d.geom::geography) > 5 AND (ST_MaximumInscribedCircle(d.geom)).radius * 111000 > 0.05`,
  )).rows;
  const medianRings = new Map<string, LonLat[][]>();
  for (const median of medians) medianRings.set(median.route_code, [...(medianRings.get(median.route_code) ?? []), ...ringsOf(median.geometry)]);

  const results: { kind: string; probes: number; largestMeters: number; where: string }[] = [];
  const zoneKinds = ['road_land', 'building_control', 'excavation_ban', 'settlement_setback'];
  for (const kind of zoneKinds) {
    const drawn = (await db.pool.query<{ route_code: string; admin_class: AdminClass; geometry: GeoJSON.MultiPolygon }>(
      `SELECT s.route_code, min(s.admin_class) AS admin_class, ST_AsGeoJSON(ST_Union(z.geom), 9)::json AS geometry
       FROM protection_zones z JOIN segments s ON s.id = z.segment_id WHERE z.kind = $1 GROUP BY s.route_code`,
      [kind],
    )).rows;
    let probes = 0;
    let largest = 0;
    let where = '';
    for (const route of drawn) {
      const lines = byRoute.get(route.route_code) ?? [];
      const edges = legalEdges(kind, route.admin_class);
      const rings = medianRings.get(route.route_code) ?? [];
      for (const probe of boundaryProbes(route.geometry)) {
        // Distance beyond the route's road land: its strips and its median.
        let beyond = Infinity;
        for (const line of lines) {
          const coordinates = line.line.coordinates.map(lonLat);
          if (!near(probe, coordinates, 0.003)) continue;
          beyond = Math.min(beyond, distanceToLineMeters(probe, coordinates) - line.half_width);
        }
        for (const ring of rings) if (near(probe, ring, 0.003)) beyond = Math.min(beyond, Math.max(0, distanceToLineMeters(probe, ring)));
        if (!Number.isFinite(beyond)) continue;
        const error = Math.min(...edges.map((edge) => Math.abs(beyond - edge)));
        probes += 1;
        if (error > largest) [largest, where] = [error, `${route.route_code} ${probe[0].toFixed(6)},${probe[1].toFixed(6)}`];
      }
    }
    results.push({ kind, probes, largestMeters: largest, where });
  }
  for (const kind of ['bridge_range', 'tunnel_range'] as const) {
    const drawn = (await db.pool.query<{ id: number; geometry: GeoJSON.MultiPolygon; line: GeoJSON.LineString }>(
      `SELECT st.id::integer, ST_AsGeoJSON(z.geom, 9)::json AS geometry, ST_AsGeoJSON(st.geom, 9)::json AS line
       FROM protection_zones z JOIN road_structures st ON st.id = z.structure_id WHERE z.kind = $1`,
      [kind],
    )).rows;
    let probes = 0;
    let largest = 0;
    let where = '';
    for (const zone of drawn) {
      for (const probe of boundaryProbes(zone.geometry)) {
        const error = Math.abs(distanceToLineMeters(probe, zone.line.coordinates.map(lonLat)) - LAW[kind]);
        probes += 1;
        if (error > largest) [largest, where] = [error, `structure ${zone.id} ${probe[0].toFixed(6)},${probe[1].toFixed(6)}`];
      }
    }
    results.push({ kind, probes, largestMeters: largest, where });
  }
  console.log(`zone edges vs the law's edge (${db.mode} database)`);
  console.log('| kind | boundary probes | largest distance drawn edge ↔ legal edge (m) | where |');
  console.log('|---|---|---|---|');
  for (const row of results) console.log(`| ${row.kind} | ${row.probes} | ${row.largestMeters.toFixed(3)} | ${row.where} |`);
  const areas = (await db.pool.query<{ kind: string; rows: number; union_m2: number }>(
    `SELECT kind, count(*)::integer AS rows, round(ST_Area(ST_Union(geom)::geography))::float8 AS union_m2 FROM protection_zones GROUP BY kind ORDER BY kind`,
  )).rows;
  console.log('\n| kind | rows | area of the union (m²) |\n|---|---|---|');
  for (const row of areas) console.log(`| ${row.kind} | ${row.rows} | ${row.union_m2} |`);
  process.exitCode = results.every((row) => row.largestMeters <= 0.1) ? 0 : 1;
} finally {
  await db.close();
}
