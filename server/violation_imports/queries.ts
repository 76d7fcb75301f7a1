import type { Queryable } from '../db/database.ts';

/**
 * Geometries that carry a GeoJSON crs member (another EPSG system than WGS 84) transformed by
 * PostGIS to WGS 84 GeoJSON, in input order; null where PostGIS cannot transform one.
 */
export async function transformToWgs84(db: Queryable, geometries: readonly GeoJSON.Geometry[]): Promise<(GeoJSON.Point | GeoJSON.Polygon | null)[]> {
  if (geometries.length === 0) return [];
  const result = await db.query<{ geometry: string | null }>(
    `SELECT ST_AsGeoJSON(ST_Force2D(ST_Transform(ST_GeomFromGeoJSON(g), 4326)), 9) AS geometry
     FROM json_array_elements_text($1::json) WITH ORDINALITY AS t(g, ordinal) ORDER BY ordinal`,
    [JSON.stringify(geometries.map((geometry) => JSON.stringify(geometry)))],
  );
  return result.rows.map((row) => (row.geometry ? (JSON.parse(row.geometry) as GeoJSON.Point | GeoJSON.Polygon) : null));
}
