import type { Queryable } from '../db/database.ts';
import type { Bbox } from '../http/common_schemas.ts';

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
  matched_count: number;
}

export async function selectBasemapRoads(db: Queryable, bbox: Bbox | undefined, limit: number, offset: number): Promise<BasemapRoadRow[]> {
  const result = await db.query<BasemapRoadRow>(
    `SELECT osm_id, highway, name, ref, ST_AsGeoJSON(geom, 6)::json AS geometry, count(*) OVER ()::integer AS matched_count
     FROM basemap_roads
     WHERE ($1::double precision IS NULL OR geom && ST_MakeEnvelope($1, $2, $3, $4, 4326))
     ORDER BY osm_id
     LIMIT $5 OFFSET $6`,
    [bbox?.minLon ?? null, bbox?.minLat ?? null, bbox?.maxLon ?? null, bbox?.maxLat ?? null, limit, offset],
  );
  return result.rows;
}
