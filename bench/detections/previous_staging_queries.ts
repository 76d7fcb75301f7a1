/**
 * The staging statement before issue 15's ingest work, verbatim, kept only so bench:detections can
 * time it side by side with the product's `stageFeatures` on the same features: its chained CTEs
 * were inlined by the planner and repeated the geometry expression into every place that used it.
 */
import type { Queryable } from '../../server/db/database.ts';
import type { StageOutcomeRow } from '../../server/detections/queries.ts';
import type { StagedFeature } from '../../server/detections/types.ts';

export async function stageFeaturesPrevious(db: Queryable, batchId: number, features: readonly StagedFeature[]): Promise<StageOutcomeRow[]> {
  const result = await db.query<StageOutcomeRow>(
    `WITH input AS (
       SELECT * FROM json_to_recordset($2::json) AS r(feature_index integer, external_id text, geometry text, confidence double precision,
                                                      change_type text, declared_area double precision)
     ), parsed AS (
       -- A geometry in another EPSG system carries a GeoJSON crs member (server/files/source_features.ts):
       -- ST_GeomFromGeoJSON sets its SRID and PostGIS transforms it to WGS 84 here.
       SELECT i.*, ST_Force2D(CASE WHEN ST_SRID(g.geom) IN (0, 4326) THEN ST_SetSRID(g.geom, 4326) ELSE ST_Transform(g.geom, 4326) END) AS raw
       FROM input i CROSS JOIN LATERAL (SELECT ST_GeomFromGeoJSON(i.geometry) AS geom) g
     ), checked AS (
       SELECT p.*, ST_IsEmpty(p.raw) AS empty, (ST_IsEmpty(p.raw) OR ST_IsValid(p.raw)) AS valid FROM parsed p
     ), fixed AS (
       SELECT c.*, CASE WHEN c.empty THEN NULL WHEN c.valid THEN ST_Multi(c.raw)
                        ELSE ST_Multi(ST_CollectionExtract(ST_MakeValid(c.raw), 3)) END AS geom
       FROM checked c
     ), verdict AS (
       SELECT f.*, CASE WHEN f.empty THEN 'empty geometry'
                        WHEN f.geom IS NULL OR ST_IsEmpty(f.geom) THEN 'invalid geometry: ST_MakeValid leaves no polygon'
                   END AS reason
       FROM fixed f
     ), staged AS (
       INSERT INTO detection_staging (batch_id, feature_index, external_id, geom, confidence, change_type, declared_area_square_meters)
       SELECT $1, feature_index, external_id, geom, confidence, change_type, declared_area FROM verdict WHERE reason IS NULL
       RETURNING feature_index
     )
     SELECT feature_index, external_id, reason, (NOT valid AND reason IS NULL) AS repaired
     FROM verdict ORDER BY feature_index`,
    [
      batchId,
      JSON.stringify(
        features.map((feature) => ({
          feature_index: feature.featureIndex,
          external_id: feature.externalId,
          geometry: JSON.stringify(feature.geometry),
          confidence: feature.confidence,
          change_type: feature.changeType,
          declared_area: feature.declaredAreaSquareMeters,
        })),
      ),
    ],
  );
  return result.rows;
}
