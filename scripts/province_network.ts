/**
 * A synthetic province-scale road network (routes, segments ≤ 1 km, districts) built from a seeded
 * PRNG, and its bulk loader. Used by `npm run data:province` and by bench/detections.ts, which
 * need a network the size of Henan's managed roads without shipping one: every route name starts
 * with "SYN" so nobody mistakes these roads for real ones.
 */
import { availableParallelism } from 'node:os';
import type pg from 'pg';
import { withTransaction } from '../server/db/transaction.ts';
import type { AdminClass } from '../server/domain/admin_class.ts';
import { defaultRoadLandHalfWidthMeters } from '../server/domain/zones.ts';
import { rebuildDissolvedSet, selectStaleDissolvedSets } from '../server/zones/queries.ts';
import { prng } from '../data/seed/demo_violations.ts';

/** Henan's bounding box (DOMAIN.md: ~280,000 km of roads on ~167,000 km²). */
export const HENAN_EXTENT = { west: 110.3, south: 31.4, east: 116.6, north: 36.4 } as const;
const HENAN_ROAD_KM = 280_000;
const HENAN_AREA_KM2 = 167_000;
export const SYNTHETIC_PREFIX = 'SYN';

export interface ProvinceNetworkOptions {
  segments: number;
  seed: number;
  /** 'density' = a centred part of Henan holding the network at Henan's real road density; 'full' = the whole box. */
  extent: 'density' | 'full';
}

export interface SyntheticRoute {
  code: string;
  name: string;
  nameEn: string;
  adminClass: AdminClass;
}

export interface SyntheticSegment {
  routeCode: string;
  adminClass: AdminClass;
  chainageFromMeters: number;
  chainageToMeters: number;
  lanes: number;
  jurisdictionCode: string;
  /** [lon, lat, chainage m] */
  coordinates: [number, number, number][];
}

export interface SyntheticCity {
  code: string;
  name: string;
  bbox: [number, number, number, number];
}

/** A county or city district (区/县), the unit cases and detections belong to. */
export interface SyntheticDistrict extends SyntheticCity {
  cityCode: string;
}

export interface ProvinceNetwork {
  options: ProvinceNetworkOptions;
  extent: { west: number; south: number; east: number; north: number };
  routes: SyntheticRoute[];
  segments: SyntheticSegment[];
  cities: SyntheticCity[];
  districts: SyntheticDistrict[];
}


// Share of network length per class (few expressways, mostly county/township), route length range
// in km, lanes, and the code letter + number range GB/T 917 gives the class.
const CLASS_MIX: readonly { adminClass: AdminClass; share: number; km: [number, number]; lanes: number; letter: string; firstNumber: number; lastNumber: number }[] = [
  { adminClass: 'expressway', share: 0.03, km: [80, 250], lanes: 4, letter: 'G', firstNumber: 1001, lastNumber: 9999 },
  { adminClass: 'national', share: 0.06, km: [50, 200], lanes: 4, letter: 'G', firstNumber: 100, lastNumber: 999 },
  { adminClass: 'provincial', share: 0.1, km: [30, 120], lanes: 2, letter: 'S', firstNumber: 100, lastNumber: 9999 },
  { adminClass: 'county', share: 0.26, km: [10, 40], lanes: 2, letter: 'X', firstNumber: 1, lastNumber: 9999 },
  { adminClass: 'township', share: 0.55, km: [3, 15], lanes: 1, letter: 'Y', firstNumber: 1, lastNumber: 9999 },
];
const CLASS_NAMES_ZH: Record<AdminClass, string> = { expressway: '高速', national: '国道', provincial: '省道', county: '县道', township: '乡道', village: '村道' };

const METERS_PER_DEGREE_LAT = 110_900;
const VERTEX_SPACING_METERS = 150;
const SEGMENT_METERS = 1_000;

// Jurisdictions like Henan's: 18 prefecture-level cities (41cc00) on a 6 × 3 grid over the extent,
// each split 3 × 3 into counties/districts (41ccyy); in 12 of them the last two cells form one
// county, so 6 × 9 + 12 × 8 = 150 counties, near Henan's 157. A grid (not Voronoi) keeps the
// lookup a pure function of (lon, lat) that tests can recompute, and boundaries exact rectangles.
const CITY_COLUMNS = 6;
const CITY_ROWS = 3;
const COUNTY_GRID = 3;
export const PROVINCE_CODE = '410000';
const CITY_SYLLABLES_1 = ['安', '临', '清', '丰', '河', '宁', '嵩', '汝', '淇', '梁', '平', '东', '泽', '川', '桐', '柏', '颍', '涧'];
const CITY_SYLLABLES_2 = ['阳', '川', '源', '丘', '平', '州', '安', '城', '宁', '昌', '陵', '原', '山', '水', '乡', '台', '口', '滨'];
const COUNTY_SUFFIXES = ['城区', '东区', '西区', '北县', '南县', '河县', '山县', '桥县', '台县'];

function cityHasMergedCounty(cityIndex: number): boolean {
  return cityIndex % 3 !== 0;
}

function cellIndex(value: number, low: number, high: number, cells: number): number {
  return Math.min(cells - 1, Math.max(0, Math.floor(((value - low) / (high - low)) * cells)));
}

/** The county code at (lon, lat), clamped to the extent (a point outside belongs to the nearest border county). */
export function countyCodeAt(extent: ProvinceNetwork['extent'], lon: number, lat: number): string {
  const cityColumn = cellIndex(lon, extent.west, extent.east, CITY_COLUMNS);
  const cityRow = cellIndex(lat, extent.south, extent.north, CITY_ROWS);
  const cityIndex = cityRow * CITY_COLUMNS + cityColumn;
  const cityWidth = (extent.east - extent.west) / CITY_COLUMNS;
  const cityHeight = (extent.north - extent.south) / CITY_ROWS;
  const cityWest = extent.west + cityColumn * cityWidth;
  const citySouth = extent.south + cityRow * cityHeight;
  let column = cellIndex(lon, cityWest, cityWest + cityWidth, COUNTY_GRID);
  const row = cellIndex(lat, citySouth, citySouth + cityHeight, COUNTY_GRID);
  if (cityHasMergedCounty(cityIndex) && row === COUNTY_GRID - 1 && column === COUNTY_GRID - 1) column -= 1;
  return `41${String(cityIndex + 1).padStart(2, '0')}${String(row * COUNTY_GRID + column + 1).padStart(2, '0')}`;
}

/** The 18 cities and their counties over `extent`: codes, synthetic names, rectangles. Fixed layout (no seed). */
export function provinceJurisdictions(extent: ProvinceNetwork['extent']): { cities: SyntheticCity[]; districts: SyntheticDistrict[] } {
  const cities: SyntheticCity[] = [];
  const districts: SyntheticDistrict[] = [];
  const cityWidth = (extent.east - extent.west) / CITY_COLUMNS;
  const cityHeight = (extent.north - extent.south) / CITY_ROWS;
  for (let cityIndex = 0; cityIndex < CITY_COLUMNS * CITY_ROWS; cityIndex += 1) {
    const cityWest = extent.west + (cityIndex % CITY_COLUMNS) * cityWidth;
    const citySouth = extent.south + Math.floor(cityIndex / CITY_COLUMNS) * cityHeight;
    const cityCode = `41${String(cityIndex + 1).padStart(2, '0')}00`;
    const cityName = `${CITY_SYLLABLES_1[cityIndex]}${CITY_SYLLABLES_2[(cityIndex * 7) % CITY_SYLLABLES_2.length]}`;
    cities.push({ code: cityCode, name: `${SYNTHETIC_PREFIX}${cityName}市（合成）`, bbox: [cityWest, citySouth, cityWest + cityWidth, citySouth + cityHeight] });
    const cellWidth = cityWidth / COUNTY_GRID;
    const cellHeight = cityHeight / COUNTY_GRID;
    for (let cell = 0; cell < COUNTY_GRID * COUNTY_GRID; cell += 1) {
      const row = Math.floor(cell / COUNTY_GRID);
      const column = cell % COUNTY_GRID;
      const merged = cityHasMergedCounty(cityIndex) && row === COUNTY_GRID - 1;
      if (merged && column === COUNTY_GRID - 1) continue;
      const widthCells = merged && column === COUNTY_GRID - 2 ? 2 : 1;
      const w = cityWest + column * cellWidth;
      const s = citySouth + row * cellHeight;
      districts.push({
        code: `${cityCode.slice(0, 4)}${String(cell + 1).padStart(2, '0')}`,
        name: `${SYNTHETIC_PREFIX}${cityName}${COUNTY_SUFFIXES[cell]}（合成）`,
        cityCode,
        bbox: [w, s, w + cellWidth * widthCells, s + cellHeight],
      });
    }
  }
  return { cities, districts };
}

/** Builds the network in memory (random-walk routes cut into ≤ 1 km segments). Deterministic per options. */
export function generateProvinceNetwork(options: ProvinceNetworkOptions): ProvinceNetwork {
  const random = prng(options.seed);
  const centreLon = (HENAN_EXTENT.west + HENAN_EXTENT.east) / 2;
  const centreLat = (HENAN_EXTENT.south + HENAN_EXTENT.north) / 2;
  const metersPerDegreeLon = METERS_PER_DEGREE_LAT * Math.cos((centreLat * Math.PI) / 180);
  const fullAreaKm2 = (((HENAN_EXTENT.east - HENAN_EXTENT.west) * metersPerDegreeLon) / 1000) * (((HENAN_EXTENT.north - HENAN_EXTENT.south) * METERS_PER_DEGREE_LAT) / 1000);
  // Segments are ~1 km, so N segments ≈ N km; at Henan's density they need N / (280,000 / 167,000) km².
  const scale = options.extent === 'full' ? 1 : Math.min(1, Math.sqrt(options.segments / (HENAN_ROAD_KM / HENAN_AREA_KM2) / fullAreaKm2));
  const halfWidth = ((HENAN_EXTENT.east - HENAN_EXTENT.west) / 2) * scale;
  const halfHeight = ((HENAN_EXTENT.north - HENAN_EXTENT.south) / 2) * scale;
  const extent = { west: centreLon - halfWidth, south: centreLat - halfHeight, east: centreLon + halfWidth, north: centreLat + halfHeight };

  const routes: SyntheticRoute[] = [];
  const segments: SyntheticSegment[] = [];
  const { cities, districts } = provinceJurisdictions(extent);

  for (const mix of CLASS_MIX) {
    let budgetMeters = Math.round(options.segments * mix.share) * SEGMENT_METERS;
    const numbers = mix.lastNumber - mix.firstNumber + 1;
    // More routes than the class has codes for: make them longer instead of inventing codes.
    const averageKm = Math.max((mix.km[0] + mix.km[1]) / 2, budgetMeters / 1000 / numbers);
    const stretch = averageKm / ((mix.km[0] + mix.km[1]) / 2);
    let number = mix.firstNumber;
    while (budgetMeters > 0 && number <= mix.lastNumber) {
      const code = `${mix.letter}${number}`;
      number += 1;
      const lengthMeters = Math.min(budgetMeters, (mix.km[0] + random() * (mix.km[1] - mix.km[0])) * 1000 * stretch);
      routes.push({ code, name: `${SYNTHETIC_PREFIX} ${CLASS_NAMES_ZH[mix.adminClass]} ${code}（合成）`, nameEn: `${SYNTHETIC_PREFIX} synthetic ${mix.adminClass} ${code} (seed ${options.seed}, ${options.segments} segments)`, adminClass: mix.adminClass });
      // Random walk: start anywhere, turn a little at each vertex, bounce off the extent's edges.
      let lon = extent.west + random() * (extent.east - extent.west);
      let lat = extent.south + random() * (extent.north - extent.south);
      let heading = random() * 2 * Math.PI;
      const wiggle = mix.adminClass === 'expressway' ? 0.05 : mix.adminClass === 'township' ? 0.35 : 0.15;
      let chainage = 0;
      let current: [number, number, number][] = [[lon, lat, 0]];
      const flush = () => {
        if (current.length < 2) return;
        const [midLon, midLat] = current[Math.floor(current.length / 2)]!;
        segments.push({
          routeCode: code,
          adminClass: mix.adminClass,
          chainageFromMeters: current[0]![2],
          chainageToMeters: current[current.length - 1]![2],
          lanes: mix.lanes,
          jurisdictionCode: countyCodeAt(extent, midLon, midLat),
          coordinates: current,
        });
      };
      while (chainage < lengthMeters - 1) {
        const step = Math.min(VERTEX_SPACING_METERS * (0.7 + random() * 0.6), lengthMeters - chainage);
        heading += (random() - 0.5) * 2 * wiggle;
        let nextLon = lon + (Math.cos(heading) * step) / metersPerDegreeLon;
        let nextLat = lat + (Math.sin(heading) * step) / METERS_PER_DEGREE_LAT;
        if (nextLon < extent.west || nextLon > extent.east) {
          heading = Math.PI - heading;
          nextLon = lon + (Math.cos(heading) * step) / metersPerDegreeLon;
        }
        if (nextLat < extent.south || nextLat > extent.north) {
          heading = -heading;
          nextLat = lat + (Math.sin(heading) * step) / METERS_PER_DEGREE_LAT;
        }
        lon = nextLon;
        lat = nextLat;
        chainage += step;
        const segmentStart = current[0]![2];
        if (chainage - segmentStart > SEGMENT_METERS) {
          // Cut exactly at the 1 km stake so no segment exceeds 1 km.
          const [previousLon, previousLat, previousChainage] = current[current.length - 1]!;
          const cutChainage = segmentStart + SEGMENT_METERS;
          const ratio = (cutChainage - previousChainage) / (chainage - previousChainage);
          const cut: [number, number, number] = [previousLon + (lon - previousLon) * ratio, previousLat + (lat - previousLat) * ratio, cutChainage];
          current.push(cut);
          flush();
          current = [cut];
        }
        current.push([lon, lat, Math.round(chainage * 100) / 100]);
      }
      flush();
      budgetMeters -= lengthMeters;
    }
  }
  return { options, extent, routes, segments, cities, districts };
}

export interface ProvinceLoadSummary {
  routes: number;
  segments: number;
  zones: number;
  insertMs: number;
  zonesMs: number;
  /** Dissolving the zones per district and kind (migration 034), after the load committed. */
  dissolveMs: number;
}

/** Counts of the synthetic network already in a database, and the options it was built with. */
export async function describeSyntheticNetwork(pool: pg.Pool): Promise<{ segments: number; nameEn: string | null }> {
  const result = await pool.query<{ segments: number; name_en: string | null }>(
    `SELECT (SELECT count(*) FROM segments s JOIN routes r ON r.code = s.route_code WHERE r.name LIKE '${SYNTHETIC_PREFIX}%')::integer AS segments,
            (SELECT min(name_en) FROM routes WHERE name LIKE '${SYNTHETIC_PREFIX}%') AS name_en`,
  );
  return { segments: result.rows[0]?.segments ?? 0, nameEn: result.rows[0]?.name_en ?? null };
}

/**
 * Replaces the synthetic network of a database with `network`: bulk inserts in chunks (one
 * json_to_recordset statement per chunk), zones deferred and drawn set-wise at the end, all in one
 * transaction. Refuses a database holding any non-synthetic road, so the app's demo network (or a
 * real one) is never touched. Then dissolves the zones per district and kind, unless `dissolve` is false.
 */
export async function loadProvinceNetwork(
  pool: pg.Pool,
  network: ProvinceNetwork,
  { chunkSize = 5_000, dissolve = true, dissolveConnections = availableParallelism() }: { chunkSize?: number; dissolve?: boolean; dissolveConnections?: number } = {},
): Promise<ProvinceLoadSummary> {
  const foreign = await pool.query<{ count: number }>(`SELECT count(*)::integer AS count FROM routes WHERE name NOT LIKE '${SYNTHETIC_PREFIX}%'`);
  if ((foreign.rows[0]?.count ?? 0) > 0) {
    throw new Error(`this database holds ${foreign.rows[0]!.count} non-synthetic routes (the demo or a real network): use a separate database for the synthetic province`);
  }
  const startedAt = performance.now();
  return withTransaction(pool, async (client) => {
    await client.query(`SET LOCAL luyu.defer_zone_rebuild = 'on'`);
    // Old synthetic rows go first; the bench's own detections/violations on them would block the delete, so they are the bench's to remove.
    await client.query(`DELETE FROM segments WHERE route_code IN (SELECT code FROM routes WHERE name LIKE '${SYNTHETIC_PREFIX}%')`);
    await client.query(`DELETE FROM routes WHERE name LIKE '${SYNTHETIC_PREFIX}%'`);
    await client.query(`INSERT INTO jurisdictions (code, name, level, parent_code) VALUES ($1, '河南省', 'province', NULL) ON CONFLICT (code) DO NOTHING`, [PROVINCE_CODE]);
    // Cities first (counties reference them), then counties; a city's rectangle is exactly the union of its counties'.
    await client.query(
      `INSERT INTO jurisdictions (code, name, level, parent_code, boundary)
       SELECT code, name, level, parent, ST_Multi(ST_MakeEnvelope(w, s, e, n, 4326))
       FROM json_to_recordset($1::json) AS d(code text, name text, level text, parent text, w double precision, s double precision, e double precision, n double precision)
       ORDER BY level = 'district', code
       ON CONFLICT (code) DO UPDATE SET boundary = EXCLUDED.boundary, name = EXCLUDED.name, parent_code = EXCLUDED.parent_code, level = EXCLUDED.level`,
      [JSON.stringify([
        ...network.cities.map((c) => ({ code: c.code, name: c.name, level: 'city', parent: PROVINCE_CODE, w: c.bbox[0], s: c.bbox[1], e: c.bbox[2], n: c.bbox[3] })),
        ...network.districts.map((d) => ({ code: d.code, name: d.name, level: 'district', parent: d.cityCode, w: d.bbox[0], s: d.bbox[1], e: d.bbox[2], n: d.bbox[3] })),
      ])],
    );
    await client.query(
      `INSERT INTO routes (code, name, name_en, admin_class, is_demo_code)
       SELECT code, name, "nameEn", "adminClass", true FROM json_to_recordset($1::json) AS r(code text, name text, "nameEn" text, "adminClass" text)`,
      [JSON.stringify(network.routes)],
    );
    for (let start = 0; start < network.segments.length; start += chunkSize) {
      const rows = network.segments.slice(start, start + chunkSize).map((segment) => ({
        route_code: segment.routeCode,
        chainage_from_meters: segment.chainageFromMeters,
        chainage_to_meters: segment.chainageToMeters,
        ewkt: `SRID=4326;LINESTRINGM(${segment.coordinates.map(([lon, lat, m]) => `${lon.toFixed(7)} ${lat.toFixed(7)} ${m}`).join(',')})`,
        admin_class: segment.adminClass,
        lanes: segment.lanes,
        half_width: defaultRoadLandHalfWidthMeters({ adminClass: segment.adminClass, lanes: segment.lanes, isOneway: false }),
        jurisdiction_code: segment.jurisdictionCode,
      }));
      // jurisdiction_code is given, so the per-row district lookup of the insert trigger is skipped.
      await client.query(
        `INSERT INTO segments (route_code, direction, chainage_from_meters, chainage_to_meters, centreline, admin_class, lanes,
                               is_oneway, road_land_half_width_meters, road_land_half_width_source, jurisdiction_code)
         SELECT route_code, 1, chainage_from_meters, chainage_to_meters, ST_GeomFromEWKT(ewkt), admin_class, lanes,
                false, half_width, 'default', jurisdiction_code
         FROM json_to_recordset($1::json) AS s(route_code text, chainage_from_meters double precision, chainage_to_meters double precision,
              ewkt text, admin_class text, lanes smallint, half_width double precision, jurisdiction_code text)`,
        [JSON.stringify(rows)],
      );
    }
    const insertMs = performance.now() - startedAt;
    const zonesStartedAt = performance.now();
    const zones = await client.query<{ written: number }>(
      `SELECT luyu_rebuild_segment_zones(ARRAY(SELECT s.id FROM segments s JOIN routes r ON r.code = s.route_code WHERE r.name LIKE '${SYNTHETIC_PREFIX}%')) AS written`,
    );
    const zonesMs = performance.now() - zonesStartedAt;
    return { routes: network.routes.length, segments: network.segments.length, zones: zones.rows[0]?.written ?? 0, insertMs, zonesMs };
  }).then(async (summary) => {
    // Fresh statistics, or the planner guesses on 200,000 new zone rows.
    await pool.query('ANALYZE segments');
    await pool.query('ANALYZE protection_zones');
    // Outside the load's transaction, one set per statement: no single transaction holds every district.
    const dissolveStartedAt = performance.now();
    // Without it the sets stay stale: the scheduled job (or a later load) dissolves them.
    if (!dissolve) return { ...summary, dissolveMs: 0 };
    // Nothing else writes here, so no set is held by another transaction (-1); stop if one is anyway.
    // Sets are independent (each rebuild locks its own row): one connection per core dissolves them
    // side by side (GEOS work, one core per statement).
    for (let progress = true; progress; ) {
      progress = false;
      const stale = await selectStaleDissolvedSets(pool, 1_000);
      await Promise.all(Array.from({ length: Math.min(dissolveConnections, stale.length) }, async () => {
        for (let setId = stale.shift(); setId !== undefined; setId = stale.shift()) {
          progress = (await rebuildDissolvedSet(pool, setId)) >= 0 || progress;
        }
      }));
    }
    await pool.query('ANALYZE dissolved_zones');
    return { ...summary, dissolveMs: performance.now() - dissolveStartedAt };
  });
}
