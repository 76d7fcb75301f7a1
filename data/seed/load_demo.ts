import { readFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { REPO_ROOT } from '../../server/config.ts';
import { withTransaction } from '../../server/db/transaction.ts';
import { isAdminClass, type AdminClass } from '../../server/domain/admin_class.ts';
import { defaultRoadLandHalfWidthMeters } from '../../server/domain/zones.ts';
import { loadDemoDetections } from './demo_detections.ts';
import { loadDemoManagement } from './demo_management.ts';
import { loadDemoViolations } from './demo_violations.ts';
import { rebuildStaleDissolvedSets } from '../../server/zones/queries.ts';

export const DEMO_DIR = path.join(REPO_ROOT, 'data', 'demo');

interface DemoRoute {
  code: string;
  name: string;
  nameEn: string | null;
  adminClass: string;
  isDemoCode: boolean;
}

interface DemoSegmentProperties {
  routeCode: string;
  direction: 1 | -1;
  chainageFromMeters: number;
  chainageToMeters: number;
  lanes: number | null;
  roadLandHalfWidthMeters: number | null;
  osmIds: string[];
  sourceIsOneway: boolean;
}

interface DemoStructureProperties {
  kind: 'bridge' | 'tunnel';
  sizeClass: string;
  lengthMeters: number;
  routeCode: string | null;
  direction: 1 | -1 | null;
  name: string | null;
  osmIds: string[];
}

export interface DemoLoadSummary {
  jurisdictions: number;
  routes: number;
  segments: number;
  structures: number;
  zones: number;
  basemapRoads: number;
}

function readJson<T>(fileName: string): T {
  return JSON.parse(readFileSync(path.join(DEMO_DIR, fileName), 'utf8')) as T;
}

/** EWKT of a LineStringM from [lon, lat, chainageMeters] positions (GeoJSON has no M). */
export function lineStringMEwkt(coordinates: GeoJSON.Position[]): string {
  return `SRID=4326;LINESTRINGM(${coordinates.map(([lon, lat, m]) => `${lon} ${lat} ${m}`).join(',')})`;
}

export async function isDemoDataNeeded(pool: pg.Pool): Promise<boolean> {
  const result = await pool.query<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM routes) AS empty');
  return result.rows[0]?.empty ?? true;
}

export async function isDemoDataLoaded(pool: pg.Pool): Promise<boolean> {
  const result = await pool.query<{ loaded: boolean }>('SELECT EXISTS (SELECT 1 FROM segments WHERE is_demo) AS loaded');
  return result.rows[0]?.loaded ?? false;
}

/**
 * Loads the committed demo network (data/demo, built from OpenStreetMap by data/build) in one
 * transaction. Zones are drawn once, set-wise, after all rows are in.
 */
export async function loadDemoData(pool: pg.Pool): Promise<DemoLoadSummary> {
  const routes = readJson<DemoRoute[]>('routes.json');
  const segments = readJson<GeoJSON.FeatureCollection<GeoJSON.LineString, DemoSegmentProperties>>('segments.geojson');
  const structures = readJson<GeoJSON.FeatureCollection<GeoJSON.LineString, DemoStructureProperties>>('structures.geojson');
  const districts = readJson<GeoJSON.FeatureCollection<GeoJSON.MultiPolygon, { code: string; name: string; level: string; parentCode: string }>>('jurisdictions.geojson');
  const basemapRoads = readJson<GeoJSON.FeatureCollection<GeoJSON.LineString, { osmId: string; highway: string; name: string | null; ref: string | null }>>('basemap_roads.geojson');
  const routeClass = new Map<string, AdminClass>();
  for (const route of routes) {
    if (!isAdminClass(route.adminClass)) throw new Error(`routes.json: ${route.code} has unknown admin class ${route.adminClass}`);
    routeClass.set(route.code, route.adminClass);
  }

  return withTransaction(pool, async (client) => {
    await client.query(`SET LOCAL luyu.defer_zone_rebuild = 'on'`);
    await client.query(`INSERT INTO jurisdictions (code, name, level, parent_code) VALUES ('410000', '河南省', 'province', NULL), ('410100', '郑州市', 'city', '410000')`);
    await client.query(
      `INSERT INTO jurisdictions (code, name, level, parent_code, boundary)
       SELECT d.code, d.name, d.level, d.parent_code, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(d.geometry), 4326))
       FROM json_to_recordset($1::json) AS d(code text, name text, level text, parent_code text, geometry text)`,
      [JSON.stringify(districts.features.map((f) => ({ ...f.properties, parent_code: f.properties.parentCode, geometry: JSON.stringify(f.geometry) })))],
    );
    await client.query(`UPDATE jurisdictions SET boundary = (SELECT ST_Multi(ST_Union(boundary)) FROM jurisdictions WHERE parent_code = '410100') WHERE code = '410100'`);
    await client.query(
      `INSERT INTO routes (code, name, name_en, admin_class, is_demo_code)
       SELECT code, name, "nameEn", "adminClass", "isDemoCode" FROM json_to_recordset($1::json)
         AS r(code text, name text, "nameEn" text, "adminClass" text, "isDemoCode" boolean)`,
      [JSON.stringify(routes)],
    );
    const segmentRows = segments.features.map((f) => {
      const adminClass = routeClass.get(f.properties.routeCode);
      if (!adminClass) throw new Error(`segments.geojson: route ${f.properties.routeCode} is not in routes.json`);
      const surveyed = f.properties.roadLandHalfWidthMeters;
      return {
        route_code: f.properties.routeCode,
        direction: f.properties.direction,
        chainage_from_meters: f.properties.chainageFromMeters,
        chainage_to_meters: f.properties.chainageToMeters,
        ewkt: lineStringMEwkt(f.geometry.coordinates),
        admin_class: adminClass,
        lanes: f.properties.lanes,
        is_oneway: f.properties.sourceIsOneway,
        half_width: surveyed ?? defaultRoadLandHalfWidthMeters({ adminClass, lanes: f.properties.lanes, isOneway: f.properties.sourceIsOneway }),
        half_width_source: surveyed === null ? 'default' : 'surveyed',
        osm_ids: f.properties.osmIds,
      };
    });
    await client.query(
      `INSERT INTO segments (route_code, direction, chainage_from_meters, chainage_to_meters, centreline, admin_class, lanes,
                             is_oneway, road_land_half_width_meters, road_land_half_width_source, osm_ids, is_demo)
       SELECT route_code, direction, chainage_from_meters, chainage_to_meters, ST_GeomFromEWKT(ewkt), admin_class, lanes,
              is_oneway, half_width, half_width_source, ARRAY(SELECT json_array_elements_text(osm_ids)), true
       FROM json_to_recordset($1::json) AS s(route_code text, direction smallint, chainage_from_meters double precision,
            chainage_to_meters double precision, ewkt text, admin_class text, lanes smallint, is_oneway boolean,
            half_width double precision, half_width_source text, osm_ids json)`,
      [JSON.stringify(segmentRows)],
    );
    // data/build measured chainage on a sphere (haversine); re-measure it on the CGCS2000 ellipsoid.
    await client.query('SELECT luyu_remeasure_on_ellipsoid(ARRAY(SELECT DISTINCT route_code FROM segments))');
    await client.query(
      `INSERT INTO road_structures (kind, size_class, name, route_code, direction, length_meters, geom, osm_ids, is_demo)
       SELECT kind, "sizeClass", name, "routeCode", direction, "lengthMeters", ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326),
              ARRAY(SELECT json_array_elements_text("osmIds")), true
       FROM json_to_recordset($1::json) AS s(kind text, "sizeClass" text, name text, "routeCode" text, direction smallint,
            "lengthMeters" double precision, geometry text, "osmIds" json)`,
      [JSON.stringify(structures.features.map((f) => ({ ...f.properties, geometry: JSON.stringify(f.geometry) })))],
    );
    await client.query(
      `INSERT INTO basemap_roads (osm_id, highway, name, ref, geom)
       SELECT "osmId", highway, name, ref, ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326)
       FROM json_to_recordset($1::json) AS b("osmId" text, highway text, name text, ref text, geometry text)`,
      [JSON.stringify(basemapRoads.features.map((f) => ({ ...f.properties, geometry: JSON.stringify(f.geometry) })))],
    );
    await client.query('SELECT luyu_rebuild_segment_zones(ARRAY(SELECT id FROM segments))');
    await client.query('SELECT luyu_rebuild_structure_zones(ARRAY(SELECT id FROM road_structures))');
    // The dissolved zones of every district and kind (migration 034), before the demo detections are classified.
    await rebuildStaleDissolvedSets(client);
    // Findings are located against the zones just drawn, through the API's own assessment code.
    await loadDemoViolations(client);
    // The demo satellite batch, classified against those zones and violations (same code as an upload).
    await loadDemoDetections(client);
    await loadDemoManagement(client);
    const counts = await client.query<DemoLoadSummary>(
      `SELECT (SELECT count(*) FROM jurisdictions)::integer AS jurisdictions, (SELECT count(*) FROM routes)::integer AS routes,
              (SELECT count(*) FROM segments)::integer AS segments, (SELECT count(*) FROM road_structures)::integer AS structures,
              (SELECT count(*) FROM protection_zones)::integer AS zones, (SELECT count(*) FROM basemap_roads)::integer AS "basemapRoads"`,
    );
    return counts.rows[0]!;
  });
}
