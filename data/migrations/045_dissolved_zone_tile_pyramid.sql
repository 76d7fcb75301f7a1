-- A pre-clipped tile pyramid of the dissolved zones for the zone tiles below z14 (issue 15;
-- docs/scaling.md "Zone tile pyramid"). Migration 038's overviews took the transform and the
-- simplification out of a z10–13 zone tile, but a tile still clipped and encoded every overview
-- piece it met (~6,800 features and ~89,000 vertices in a z10 tile of the 51,836-segment province):
-- 27 / 177 / 212 ms p50 / p95 / p99 raw, the tail of the tile benchmark. Here, per dissolved set
-- (district + kind) and tile of z10–13, the set's overview pieces in that tile collected and
-- clipped once, with the same extent and buffer as the request did (ST_AsMVTGeom, 4096 / 64):
-- one feature per (district, kind) in a tile, already in tile coordinates, so the request runs
-- ST_AsMVT over a few rows and does no geometry work. Written by the same SECURITY DEFINER
-- rebuild that writes the overviews, read in scope like them.

CREATE TABLE dissolved_zone_tiles (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  set_id bigint NOT NULL REFERENCES dissolved_zone_sets (id) ON DELETE CASCADE,
  jurisdiction_code text REFERENCES jurisdictions (code) ON UPDATE CASCADE,
  kind text NOT NULL,
  generation integer NOT NULL,
  z smallint NOT NULL,
  x integer NOT NULL,
  y integer NOT NULL,
  -- Tile coordinates (0…4096, y down, the 64-unit buffer beyond): ST_AsMVTGeom's output, no SRID.
  geom geometry NOT NULL,
  UNIQUE (set_id, z, x, y)
);
-- A tile request reads one (z, x, y): a handful of rows, one per set the tile meets.
CREATE INDEX dissolved_zone_tiles_tile_idx ON dissolved_zone_tiles (z, x, y);

-- Read in scope like dissolved_zone_overviews (the once-per-statement form of migration 036);
-- written only by the SECURITY DEFINER function below.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON dissolved_zone_tiles FROM luyu_app;
ALTER TABLE dissolved_zone_tiles ENABLE ROW LEVEL SECURITY;
CREATE POLICY dissolved_zone_tiles_scope ON dissolved_zone_tiles FOR SELECT TO luyu_app
  USING (jurisdiction_code IN (SELECT unnest(luyu_scope_codes())) OR (jurisdiction_code IS NULL AND (SELECT luyu_scope_is_top())));

-- One set's overviews per tile they meet: every tile of an overview's zoom band whose buffered
-- envelope (64/4096 of the tile each side) its bounding box meets, i.e. what the request's
-- `geom && search_box_mercator` met. One row per (overview, tile).
CREATE FUNCTION luyu_dissolved_zone_tile_cells(target_set bigint)
RETURNS TABLE (overview_id bigint, set_id bigint, jurisdiction_code text, kind text, generation integer, z integer, x integer, y integer, geom geometry)
LANGUAGE sql STABLE AS $$
  SELECT o.id, o.set_id, o.jurisdiction_code, o.kind, o.generation, zoom, tx, ty, o.geom
  FROM dissolved_zone_overviews o
  CROSS JOIN LATERAL generate_series(o.min_zoom::integer, o.max_zoom::integer) zoom
  CROSS JOIN LATERAL (SELECT 40075016.68557849 / 2 ^ zoom AS size, 40075016.68557849 / 2 ^ zoom * 64 / 4096 AS margin,
                             40075016.68557849 / 2 AS half) s
  CROSS JOIN LATERAL generate_series(greatest(0, floor((ST_XMin(o.geom) - s.margin + s.half) / s.size))::integer,
                                     least(2 ^ zoom - 1, floor((ST_XMax(o.geom) + s.margin + s.half) / s.size))::integer) tx
  CROSS JOIN LATERAL generate_series(greatest(0, floor((s.half - ST_YMax(o.geom) - s.margin) / s.size))::integer,
                                     least(2 ^ zoom - 1, floor((s.half - ST_YMin(o.geom) + s.margin) / s.size))::integer) ty
  WHERE o.set_id = target_set
$$;

-- Rebuilds one set's pyramid in the caller's transaction from its current overviews. Where PostGIS
-- has protobuf-c: per tile the set's overviews collected, then clipped once by ST_AsMVTGeom (Wagyu
-- unions the touching pieces). Else (the embedded database, which draws zone tiles from the bands
-- but builds the pyramid with the same rebuild): each overview clipped by luyu_mvt_geom (migration
-- 027) as the request clipped it, then collected into one multipolygon (a clip may give
-- multipolygons) with every ring wound as ST_AsMVTGeom winds it (exteriors counter-clockwise in
-- tile units; a decoder reads a feature's rings in a row and takes a ring wound the other way for
-- a hole). Clipping the collection whole there lost 2.65 % of a z10 tile's area on the demo.
-- Measured 2.5–3.5 s for a province set of ~4,000 pieces (203 tiles): a set's rebuild takes that
-- much longer.
CREATE FUNCTION luyu_rebuild_dissolved_zone_tiles(target_set bigint) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  written integer;
BEGIN
  DELETE FROM dissolved_zone_tiles t WHERE t.set_id = target_set;
  -- Two statements, not a CASE: plpgsql plans only the branch it runs.
  IF postgis_full_version() ~ 'LIBPROTOBUF="' THEN
    INSERT INTO dissolved_zone_tiles (set_id, jurisdiction_code, kind, generation, z, x, y, geom)
    SELECT c.set_id, c.jurisdiction_code, c.kind, c.generation, c.z, c.x, c.y, t.geom
    FROM (SELECT set_id, jurisdiction_code, kind, generation, z, x, y, ST_Collect(geom ORDER BY overview_id) AS geom
          FROM luyu_dissolved_zone_tile_cells(target_set)
          GROUP BY set_id, jurisdiction_code, kind, generation, z, x, y) c
    CROSS JOIN LATERAL (SELECT ST_AsMVTGeom(c.geom, ST_TileEnvelope(c.z, c.x, c.y), 4096, 64, true) AS geom) t
    WHERE t.geom IS NOT NULL AND NOT ST_IsEmpty(t.geom);
  ELSE
    INSERT INTO dissolved_zone_tiles (set_id, jurisdiction_code, kind, generation, z, x, y, geom)
    SELECT set_id, jurisdiction_code, kind, generation, z, x, y, ST_ForcePolygonCCW(ST_CollectionExtract(ST_Collect(clipped ORDER BY overview_id), 3))
    FROM (SELECT c.*, luyu_mvt_geom(c.geom, ST_TileEnvelope(c.z, c.x, c.y), 4096, 64) AS clipped
          FROM luyu_dissolved_zone_tile_cells(target_set) c) pieces
    WHERE clipped IS NOT NULL AND NOT ST_IsEmpty(clipped)
    GROUP BY set_id, jurisdiction_code, kind, generation, z, x, y;
  END IF;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;

-- 038's overview rebuild, unchanged up to its end, which now also rebuilds the set's tile pyramid
-- from the overviews it wrote (same transaction, same generation). The smallest function on the
-- rebuild's path: luyu_rebuild_dissolved_set calls it last and is not restated.
CREATE OR REPLACE FUNCTION luyu_rebuild_dissolved_overviews(target_set bigint) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  written integer;
BEGIN
  DELETE FROM dissolved_zone_overviews o WHERE o.set_id = target_set;
  INSERT INTO dissolved_zone_overviews (set_id, piece_id, jurisdiction_code, kind, generation, min_zoom, max_zoom, geom)
  SELECT d.set_id, d.id, d.jurisdiction_code, d.kind, d.generation, b.min_zoom, b.max_zoom, s.geom
  FROM dissolved_zones d
  CROSS JOIN luyu_dissolve_overview_bands() b
  CROSS JOIN LATERAL (SELECT ST_Simplify(ST_Transform(d.geom, 3857), b.tolerance_meters, true) AS geom) s
  WHERE d.set_id = target_set AND GeometryType(s.geom) = 'POLYGON' AND NOT ST_IsEmpty(s.geom)
  ORDER BY b.min_zoom, d.id;
  GET DIAGNOSTICS written = ROW_COUNT;
  PERFORM luyu_rebuild_dissolved_zone_tiles(target_set);
  RETURN written;
END
$$;

-- Existing databases: every built set gets its pyramid now, from its current overviews (no new
-- union; ~2–3 minutes for the province's 64 sets). A stale set's follows when the job rebuilds it.
SELECT luyu_rebuild_dissolved_zone_tiles(id) FROM dissolved_zone_sets ORDER BY id;
