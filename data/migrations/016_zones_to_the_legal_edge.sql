-- Zones drawn to the law's edge (issue 16; docs/zone_geometry.md).
-- 1. Arcs: 002 buffered with 4 segments per quarter circle, so zones fell up to 1.9 % of the
--    radius short at round ends and bends (3.84 m on a 200 m bridge range). Every buffer now
--    gets enough segments that the chord sagitta r·(1 − cos(π/4n)) stays ≤ 0.02 m.
-- 2. Bands per route: a band of one segment reached onto the next segment and onto the other
--    carriageway of the same road, so the road's own road land was reported as its building
--    control zone. Outer bands are now the segment's reach minus the road land of the whole
--    route (both carriageways) around it.
-- 3. Medians: land between the two carriageways of one route is road land.
-- Overlays run on a 1 mm grid in the Gauss-Krüger plane: snap-rounding overlay never falls back
-- by C++ exception (which ends a statement silently on the embedded database) and both database
-- modes draw the same polygons.

-- Segments per quarter circle for a buffer of this radius: sagitta ≤ 0.02 m, at least 4.
CREATE FUNCTION luyu_quad_segs(radius_meters double precision) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN radius_meters <= 0.02 THEN 4
              ELSE greatest(4, ceil(pi() / (4 * acos(1 - 0.02 / radius_meters))))::integer END
$$;

-- A metric buffer whose polygon stays within 0.02 m of the true offset curve.
CREATE FUNCTION luyu_exact_buffer(metric_geom geometry, radius_meters double precision) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ST_Buffer(metric_geom, radius_meters, 'quad_segs=' || luyu_quad_segs(abs(radius_meters)))
$$;

-- Grid of every zone overlay, in metres of the Gauss-Krüger plane.
CREATE FUNCTION luyu_zone_grid_meters() RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 0.001::double precision $$;

-- How far the gap between two carriageways of one route may be and still count as median
-- (a morphological closing of the route's road land with this radius fills gaps up to twice it).
-- The demo's divided roads run 10–80 m apart centre to centre; wider splits are interchanges.
CREATE FUNCTION luyu_median_reach_meters() RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 30::double precision $$;

CREATE FUNCTION luyu_zone_polygon(metric_geom geometry) RETURNS geometry(MultiPolygon, 4326)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ST_Multi(ST_CollectionExtract(ST_Transform(metric_geom, 4326), 3))::geometry(MultiPolygon, 4326)
$$;

-- Degrees (of longitude, the shorter) within which another segment of the route can share a band
-- with this one: the widest configured band, two road-land half-widths (≤ 200 m each by CHECK)
-- and the median reach.
CREATE FUNCTION luyu_zone_reach_degrees(centreline geometry) RETURNS double precision
LANGUAGE sql STABLE AS $$
  SELECT (coalesce((SELECT max(width_meters) FROM zone_widths WHERE admin_class <> 'all'), 0) * 2 + 2 * 200 + 2 * luyu_median_reach_meters())
         / (111320.0 * cos(radians(abs(ST_YMax(centreline::box2d)))))
$$;

-- Everything within width_meters of a segment's road land (its strip plus its median piece).
CREATE FUNCTION luyu_outer_reach(line_m geometry, half_width_meters double precision, median_m geometry, width_meters double precision)
RETURNS geometry LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN median_m IS NULL THEN luyu_exact_buffer(line_m, half_width_meters + width_meters)
              ELSE ST_Union(luyu_exact_buffer(line_m, half_width_meters + width_meters),
                            luyu_exact_buffer(median_m, width_meters), luyu_zone_grid_meters()) END
$$;

DROP FUNCTION luyu_band(geometry, double precision, double precision);

-- Redraws the zones of the given segments and of the same-route segments around them (their
-- bands subtract each other's road land). Every band row is written even when empty, so the
-- function can check it wrote exactly what it computed (the embedded database's GEOS can stop a
-- statement silently).
CREATE OR REPLACE FUNCTION luyu_rebuild_segment_zones(segment_ids bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  affected bigint[];
  expected integer;
  written integer;
  grid constant double precision := luyu_zone_grid_meters();
  median_reach constant double precision := luyu_median_reach_meters();
BEGIN
  -- Same-route neighbours whose bands can reach this segment's road land.
  affected := ARRAY(
    SELECT DISTINCT n.id FROM segments s
    JOIN segments n ON n.route_code = s.route_code
     AND n.centreline && ST_Expand(s.centreline, luyu_zone_reach_degrees(s.centreline))
    WHERE s.id = ANY (segment_ids));
  DELETE FROM protection_zones WHERE segment_id = ANY (affected);

  WITH target AS (
    SELECT s.id, s.route_code, s.road_land_half_width_meters AS half_width, ST_Force2D(s.centreline) AS centreline,
           coalesce(bc.width_meters, 0) AS control_width,
           coalesce(ex.width_meters, 0) AS excavation_width,
           coalesce(st.width_meters, 0) AS setback_width
    FROM segments s
    LEFT JOIN zone_widths bc ON bc.kind = 'building_control' AND bc.admin_class = s.admin_class
    LEFT JOIN zone_widths ex ON ex.kind = 'excavation_ban' AND ex.admin_class = s.admin_class
    LEFT JOIN zone_widths st ON st.kind = 'settlement_setback' AND st.admin_class = s.admin_class
    WHERE s.id = ANY (affected)
  ), route_srid AS (
    -- One plane per route so its pieces fit together (Henan lies within 1.5° of a zone's meridian).
    SELECT s.route_code, luyu_metric_srid(ST_Collect(ST_Force2D(s.centreline))) AS srid
    FROM segments s WHERE s.route_code IN (SELECT route_code FROM target)
    GROUP BY s.route_code
  ), route_lines AS (
    SELECT s.route_code, r.srid, s.direction, s.road_land_half_width_meters AS half_width,
           ST_Transform(ST_Force2D(s.centreline), r.srid) AS line_m
    FROM segments s JOIN route_srid r ON r.route_code = s.route_code
  ), route_land AS (
    -- One buffer per line, unioned on the grid: GEOS buffering a collection of nearly parallel
    -- carriageways falls back by exception, which the embedded database turns into no row.
    SELECT route_code, srid, ST_UnaryUnion(ST_Collect(luyu_exact_buffer(line_m, half_width)), grid) AS land_m,
           bool_or(direction = 1) AND bool_or(direction = -1) AS divided
    FROM route_lines GROUP BY route_code, srid
  ), carriageways AS (
    SELECT route_code, ST_Collect(line_m) FILTER (WHERE direction = 1) AS plus_m, ST_Collect(line_m) FILTER (WHERE direction = -1) AS minus_m
    FROM route_lines GROUP BY route_code
  ), route_median AS (
    -- Gaps that closing the route's road land fills, that touch both carriageways' road land and
    -- lie between them (the two carriageways are nearest in opposite directions): not the notch
    -- a closing also fills outside the point where two carriageways meet.
    SELECT l.route_code, ST_UnaryUnion(ST_Collect(g.geom), grid) AS median_m
    FROM route_land l
    JOIN carriageways c ON c.route_code = l.route_code
    CROSS JOIN LATERAL ST_Dump(ST_Difference(
      luyu_exact_buffer(luyu_exact_buffer(l.land_m, median_reach), -median_reach), l.land_m, grid)) g
    CROSS JOIN LATERAL (SELECT ST_PointOnSurface(g.geom) AS inside) o
    CROSS JOIN LATERAL (SELECT ST_ClosestPoint(c.plus_m, o.inside) AS a, ST_ClosestPoint(c.minus_m, o.inside) AS b) n
    WHERE l.divided
      AND ST_Area(g.geom) > 1 -- not the millimetre slivers where closing re-approximates an arc
      AND (ST_X(n.a) - ST_X(o.inside)) * (ST_X(n.b) - ST_X(o.inside)) + (ST_Y(n.a) - ST_Y(o.inside)) * (ST_Y(n.b) - ST_Y(o.inside)) < 0
      AND EXISTS (SELECT 1 FROM route_lines p WHERE p.route_code = l.route_code AND p.direction = 1
                    AND ST_DWithin(g.geom, p.line_m, p.half_width + 0.01))
      AND EXISTS (SELECT 1 FROM route_lines m WHERE m.route_code = l.route_code AND m.direction = -1
                    AND ST_DWithin(g.geom, m.line_m, m.half_width + 0.01))
    GROUP BY l.route_code
  ), route_road_land AS (
    SELECT l.route_code, l.srid, m.median_m,
           CASE WHEN m.median_m IS NULL THEN l.land_m ELSE ST_Union(l.land_m, m.median_m, grid) END AS road_land_m
    FROM route_land l LEFT JOIN route_median m ON m.route_code = l.route_code
  ), route_control AS (
    -- The outer edge of the route's building control zone, where the settlement setback starts.
    SELECT c.route_code, c.control_width, luyu_exact_buffer(r.road_land_m, c.control_width) AS control_m
    FROM (SELECT DISTINCT route_code, control_width FROM target WHERE setback_width > 0) c
    JOIN route_road_land r ON r.route_code = c.route_code
  ), own AS (
    SELECT t.id, t.half_width, t.control_width, t.excavation_width, t.setback_width, r.srid, x.line_m,
           r.road_land_m AS route_road_land_m, rc.control_m AS route_control_m, md.median_m
    FROM target t
    JOIN route_road_land r ON r.route_code = t.route_code
    CROSS JOIN LATERAL (SELECT ST_Transform(t.centreline, r.srid) AS line_m) x
    -- The median this segment's road land takes in: every median point lies within the reach
    -- of some carriageway's road land (closing never adds more than its radius).
    CROSS JOIN LATERAL (
      SELECT CASE WHEN r.median_m IS NULL OR NOT ST_DWithin(r.median_m, x.line_m, t.half_width + median_reach) THEN NULL
                  ELSE ST_Intersection(r.median_m, luyu_exact_buffer(x.line_m, t.half_width + median_reach), grid) END AS median_m
    ) md
    LEFT JOIN route_control rc ON rc.route_code = t.route_code AND rc.control_width = t.control_width
  ), reach AS (
    -- Buffering the centreline by half-width + width is the same set as buffering its road land by
    -- the width, with one arc approximation instead of two; a median piece adds its own buffer.
    SELECT o.*,
           CASE WHEN o.median_m IS NULL THEN luyu_exact_buffer(o.line_m, o.half_width)
                ELSE ST_Union(luyu_exact_buffer(o.line_m, o.half_width), o.median_m, grid) END AS road_land_m
    FROM own o
  ), bands AS (
    SELECT id, 'road_land' AS kind, 0::double precision AS inner_m, half_width AS outer_m, road_land_m AS geom_m FROM reach
    UNION ALL
    SELECT id, 'building_control', half_width, half_width + control_width,
           ST_Difference(luyu_outer_reach(line_m, half_width, median_m, control_width), route_road_land_m, grid)
    FROM reach WHERE control_width > 0
    UNION ALL
    SELECT id, 'excavation_ban', half_width, half_width + excavation_width,
           ST_Difference(luyu_outer_reach(line_m, half_width, median_m, excavation_width), route_road_land_m, grid)
    FROM reach WHERE excavation_width > 0
    UNION ALL
    SELECT id, 'settlement_setback', half_width + control_width, half_width + control_width + setback_width,
           ST_Difference(luyu_outer_reach(line_m, half_width, median_m, control_width + setback_width), route_control_m, grid)
    FROM reach WHERE setback_width > 0
  )
  INSERT INTO protection_zones (segment_id, kind, inner_offset_meters, outer_offset_meters, geom)
  SELECT id, kind, inner_m, outer_m, luyu_zone_polygon(geom_m) FROM bands;

  SELECT coalesce(sum(1 + (coalesce(bc.width_meters, 0) > 0)::integer + (coalesce(ex.width_meters, 0) > 0)::integer
                        + (coalesce(st.width_meters, 0) > 0)::integer), 0)
  INTO expected
  FROM segments s
  LEFT JOIN zone_widths bc ON bc.kind = 'building_control' AND bc.admin_class = s.admin_class
  LEFT JOIN zone_widths ex ON ex.kind = 'excavation_ban' AND ex.admin_class = s.admin_class
  LEFT JOIN zone_widths st ON st.kind = 'settlement_setback' AND st.admin_class = s.admin_class
  WHERE s.id = ANY (affected);
  SELECT count(*) INTO written FROM protection_zones WHERE segment_id = ANY (affected);
  IF written <> expected THEN
    RAISE EXCEPTION 'zone drawing wrote % of % bands for % segments', written, expected, cardinality(affected);
  END IF;
  RETURN written;
END
$$;

-- The ranges the law draws around the given structures (002's rule, unchanged).
CREATE FUNCTION luyu_structure_ranges(structure_ids bigint[])
RETURNS TABLE (structure_id bigint, kind text, width_meters double precision, geom geometry)
LANGUAGE sql STABLE AS $$
  SELECT st.id, w.kind, w.width_meters, st.geom
  FROM road_structures st
  JOIN zone_widths w ON w.admin_class = 'all'
   AND ((st.kind = 'bridge' AND w.kind = 'bridge_range' AND st.size_class IN ('medium', 'large', 'extra_large'))
     OR (st.kind = 'tunnel' AND w.kind = 'tunnel_range'))
  WHERE st.id = ANY (structure_ids) AND w.width_meters > 0
$$;

CREATE OR REPLACE FUNCTION luyu_rebuild_structure_zones(structure_ids bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  expected integer;
  written integer;
BEGIN
  DELETE FROM protection_zones WHERE structure_id = ANY (structure_ids);
  SELECT count(*) INTO expected FROM luyu_structure_ranges(structure_ids);
  INSERT INTO protection_zones (structure_id, kind, inner_offset_meters, outer_offset_meters, geom)
  SELECT r.structure_id, r.kind, 0, r.width_meters,
         luyu_zone_polygon(luyu_exact_buffer(ST_Transform(r.geom, luyu_metric_srid(r.geom)), r.width_meters))
  FROM luyu_structure_ranges(structure_ids) r;
  SELECT count(*) INTO written FROM protection_zones WHERE structure_id = ANY (structure_ids);
  IF written <> expected THEN
    RAISE EXCEPTION 'zone drawing wrote % of % structure ranges', written, expected;
  END IF;
  RETURN written;
END
$$;

-- A segment that leaves a route, changes route or direction, or is deleted changes the bands of
-- the same-route segments around it.
CREATE FUNCTION luyu_segments_zones_neighbours_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('luyu.defer_zone_rebuild', true), '') <> 'on' THEN
    PERFORM luyu_rebuild_segment_zones(ARRAY(
      SELECT id FROM segments WHERE route_code = OLD.route_code AND id <> OLD.id
        AND centreline && ST_Expand(OLD.centreline, luyu_zone_reach_degrees(OLD.centreline))));
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER segments_zones_on_delete AFTER DELETE ON segments
  FOR EACH ROW EXECUTE FUNCTION luyu_segments_zones_neighbours_changed();
CREATE TRIGGER segments_zones_on_reroute AFTER UPDATE OF route_code, direction ON segments
  FOR EACH ROW EXECUTE FUNCTION luyu_segments_zones_neighbours_changed();
CREATE TRIGGER segments_zones_on_reroute_new AFTER UPDATE OF route_code, direction ON segments
  FOR EACH ROW EXECUTE FUNCTION luyu_segments_zones_changed();

-- Redraw what is there (nothing on a fresh database: the demo loads after the migrations).
SELECT luyu_rebuild_segment_zones(ARRAY(SELECT id FROM segments));
SELECT luyu_rebuild_structure_zones(ARRAY(SELECT id FROM road_structures));
