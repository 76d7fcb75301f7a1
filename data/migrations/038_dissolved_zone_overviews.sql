-- Display overviews of the dissolved zones for the zone tiles below z14 (issue 15; docs/scaling.md
-- "Dissolved zones"). The pieces of migration 034 are exact (classification reads them) and cut at
-- 256 vertices: a z10 tile of the 51,836-segment province met 7,280 of them (561,070 vertices),
-- and transforming and simplifying all of them per request was most of a 0.5–1.5 s tile.
-- A map at z10–13 needs neither their precision nor their datum: per zoom band, every piece in Web
-- Mercator (what tiles are cut in) simplified to about a screen pixel at the band's highest zoom.
-- Written by the same SECURITY DEFINER rebuild as the pieces, read in scope like them.

CREATE TABLE dissolved_zone_overviews (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  set_id bigint NOT NULL REFERENCES dissolved_zone_sets (id) ON DELETE CASCADE,
  -- The exact piece this draws (a rebuild deletes the pieces, and with them their overviews).
  piece_id bigint NOT NULL REFERENCES dissolved_zones (id) ON DELETE CASCADE,
  jurisdiction_code text REFERENCES jurisdictions (code) ON UPDATE CASCADE,
  kind text NOT NULL,
  generation integer NOT NULL,
  -- The zooms whose tiles draw this piece (a band of luyu_dissolve_overview_bands).
  min_zoom smallint NOT NULL,
  max_zoom smallint NOT NULL CHECK (max_zoom >= min_zoom),
  -- Web Mercator: tiles are cut in it, so no tile transforms these vertices again.
  geom geometry(Polygon, 3857) NOT NULL
);
CREATE INDEX dissolved_zone_overviews_geom_gist ON dissolved_zone_overviews USING gist (geom);
CREATE INDEX dissolved_zone_overviews_set_idx ON dissolved_zone_overviews (set_id);
CREATE INDEX dissolved_zone_overviews_piece_idx ON dissolved_zone_overviews (piece_id);

-- Read in scope like dissolved_zones (policy in the once-per-statement form of migration 036);
-- written only by the SECURITY DEFINER functions below.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON dissolved_zone_overviews FROM luyu_app;
ALTER TABLE dissolved_zone_overviews ENABLE ROW LEVEL SECURITY;
CREATE POLICY dissolved_zone_overviews_scope ON dissolved_zone_overviews FOR SELECT TO luyu_app
  USING (jurisdiction_code IN (SELECT unnest(luyu_scope_codes())) OR (jurisdiction_code IS NULL AND (SELECT luyu_scope_is_top())));

-- The zoom bands and their simplification: one pixel of a 512-pixel tile at the band's highest
-- zoom (40,075,016.69 m / 2^(z + 9)): 38.2 m at z11 (half a pixel at z10), 9.55 m at z13 (half a
-- pixel at z12). Zone bands are 10–200 m wide, a few pixels at most at these zooms; the error stays
-- below a pixel. The zone tiles (server/tiles/queries.ts) read a zoom's band from the rows.
CREATE FUNCTION luyu_dissolve_overview_bands() RETURNS TABLE (min_zoom smallint, max_zoom smallint, tolerance_meters double precision)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  VALUES (10::smallint, 11::smallint, 38.2185::double precision), (12::smallint, 13::smallint, 9.5546::double precision)
$$;

-- Rebuilds one set's overviews in the caller's transaction from its current pieces: each piece in
-- Web Mercator, simplified to the band's tolerance, collapsed pieces kept (a band narrower than
-- the tolerance stays drawn). Per piece, not a new union: cheap (the province's 193,890 pieces in
-- seconds), and what costs a tile is the transform and simplification of every vertex per
-- request, which this does once. A z10 tile of the province: 675 → 101 ms (docs/scaling.md).
-- Neighbouring pieces simplified apart may leave sub-pixel gaps along their cut lines.
CREATE FUNCTION luyu_rebuild_dissolved_overviews(target_set bigint) RETURNS integer
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
  RETURN written;
END
$$;

-- 034's rebuild, unchanged up to its end, which now also rebuilds the set's overviews from the
-- pieces it wrote (same transaction, same generation).
CREATE OR REPLACE FUNCTION luyu_rebuild_dissolved_set(set_id bigint) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  target dissolved_zone_sets%ROWTYPE;
  zone_count integer;
  union_geom geometry;
  union_area double precision;
  written integer;
  written_area double precision;
  grid double precision := luyu_dissolve_grid_degrees();
BEGIN
  SELECT * INTO target FROM dissolved_zone_sets d WHERE d.id = set_id FOR UPDATE SKIP LOCKED;
  IF NOT FOUND THEN
    RETURN -1;
  END IF;
  DELETE FROM dissolved_zones d WHERE d.set_id = target.id;
  BEGIN
    SELECT ST_UnaryUnion(ST_Collect(CASE WHEN ST_IsValid(z.geom) THEN z.geom ELSE ST_MakeValid(z.geom) END), grid), count(*)::integer
      INTO union_geom, zone_count
    FROM protection_zones z
    LEFT JOIN segments sg ON sg.id = z.segment_id
    LEFT JOIN road_structures st ON st.id = z.structure_id
    WHERE z.kind = target.kind
      AND coalesce(sg.jurisdiction_code, st.jurisdiction_code) IS NOT DISTINCT FROM target.jurisdiction_code
      AND (sg.id IS NOT NULL OR st.id IS NOT NULL);
  EXCEPTION WHEN internal_error THEN
    grid := 1e-9;
    SELECT ST_UnaryUnion(ST_Collect(CASE WHEN ST_IsValid(z.geom) THEN z.geom ELSE ST_MakeValid(z.geom) END), grid), count(*)::integer
      INTO union_geom, zone_count
    FROM protection_zones z
    LEFT JOIN segments sg ON sg.id = z.segment_id
    LEFT JOIN road_structures st ON st.id = z.structure_id
    WHERE z.kind = target.kind
      AND coalesce(sg.jurisdiction_code, st.jurisdiction_code) IS NOT DISTINCT FROM target.jurisdiction_code
      AND (sg.id IS NOT NULL OR st.id IS NOT NULL);
  END;
  union_area := coalesce(ST_Area(union_geom), 0);
  INSERT INTO dissolved_zones (set_id, jurisdiction_code, kind, generation, geom)
  SELECT target.id, target.jurisdiction_code, target.kind, target.generation + 1, p.geom
  FROM (SELECT (ST_Dump(ST_Subdivide(union_geom, luyu_dissolve_max_vertices(), grid))).geom) p
  WHERE union_geom IS NOT NULL AND GeometryType(p.geom) = 'POLYGON' AND NOT ST_IsEmpty(p.geom);
  SELECT count(*), coalesce(sum(ST_Area(d.geom)), 0) INTO written, written_area FROM dissolved_zones d WHERE d.set_id = target.id;
  IF coalesce(zone_count, 0) > 0 AND (written = 0 OR abs(written_area - union_area) > 1e-6 * union_area) THEN
    RAISE EXCEPTION 'dissolving % zones of % in % wrote % pieces of area % for a union of area %',
      zone_count, target.kind, coalesce(target.jurisdiction_code, '(none)'), written, written_area, union_area;
  END IF;
  UPDATE dissolved_zone_sets d
  SET stale = false, built_marks = target.marks, generation = target.generation + 1,
      built_at = clock_timestamp(), pieces = written
  WHERE d.id = target.id;
  PERFORM luyu_rebuild_dissolved_overviews(target.id);
  RETURN written;
END
$$;

-- Sets built before this migration get their overviews now, from their pieces (a stale set's
-- follow when the job rebuilds it).
SELECT luyu_rebuild_dissolved_overviews(id) FROM dissolved_zone_sets ORDER BY id;
