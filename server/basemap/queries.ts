import type { Queryable } from '../db/database.ts';
import type { Bbox } from '../http/common_schemas.ts';
import { boundedCount, type MatchedCount } from '../paging/queries.ts';

export interface JurisdictionRow {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
  geometry: GeoJSON.MultiPolygon | null;
}

export async function selectJurisdictions(db: Queryable): Promise<JurisdictionRow[]> {
  const result = await db.query<JurisdictionRow>(
    `SELECT code, name, level, parent_code, ST_AsGeoJSON(ST_ForcePolygonCCW(boundary), 6)::json AS geometry
     FROM jurisdictions ORDER BY code`,
  );
  return result.rows;
}

export interface BasemapRoadRow {
  osm_id: string;
  highway: string;
  name: string | null;
  ref: string | null;
  geometry: GeoJSON.LineString;
}

const BASEMAP_WHERE = `WHERE ($1::double precision IS NULL OR geom && ST_MakeEnvelope($1, $2, $3, $4, 4326))`;
const bboxValues = (bbox: Bbox | undefined) => [bbox?.minLon ?? null, bbox?.minLat ?? null, bbox?.maxLon ?? null, bbox?.maxLat ?? null];

/** `limit` roads and one more (server/paging offsetPage), by OSM id. */
export async function selectBasemapRoads(db: Queryable, bbox: Bbox | undefined, limit: number, offset: number): Promise<BasemapRoadRow[]> {
  const result = await db.query<BasemapRoadRow>(
    `SELECT osm_id, highway, name, ref, ST_AsGeoJSON(geom, 6)::json AS geometry
     FROM basemap_roads
     ${BASEMAP_WHERE}
     ORDER BY osm_id
     LIMIT $5 OFFSET $6`,
    [...bboxValues(bbox), limit + 1, offset],
  );
  return result.rows;
}

/** How many roads lie in `bbox` (exact up to EXACT_COUNT_LIMIT, then estimated). */
export async function countBasemapRoads(db: Queryable, bbox: Bbox | undefined): Promise<MatchedCount> {
  return boundedCount(db, `FROM basemap_roads ${BASEMAP_WHERE}`, bboxValues(bbox));
}
