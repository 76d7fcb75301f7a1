-- ONE locator for every caller (/lrs/locate, violations, imports; later track matching): each
-- geometry → nearest segment within the radius, its route, chainage (M) and side of the
-- geometry's representative point, the offset, every zone kind it touches, the segment's class and
-- widths, and the district the record belongs to.
--
-- It reads the WHOLE network whatever the caller's jurisdiction (roads are not secret): it is
-- SECURITY DEFINER, owned by the role that runs the migrations (the tables' owner, which row-level
-- security does not filter). Before this, a finding on a sibling district's land was located only
-- against the segments the caller could see and filed on the wrong road in the caller's district.
-- It returns only facts about the network and the input, never another record.
--
-- District of the finding: the located segment's (a finding on a district boundary belongs to the
-- road's district, as before); with no segment in reach, the district containing its
-- representative point. Distances, measures and sides are computed in the segment's Gauss-Krüger
-- zone (luyu_metric_srid) so they are true metres; candidates come from the GiST index (&& against a
-- metre-sized envelope, then KNN order). One row per input geometry, in input order (1-based
-- ordinal), also when nothing is in reach.
CREATE FUNCTION luyu_locate(geometries json, radius_meters double precision)
RETURNS TABLE (
  ordinal integer,
  segment_id bigint,
  route_code text,
  route_name text,
  direction smallint,
  chainage_meters double precision,
  offset_meters double precision,
  left_of_plus_direction boolean,
  segment_jurisdiction_code text,
  jurisdiction_code text,
  jurisdiction_name text,
  snapped_point json,
  zone_kinds text[],
  admin_class text,
  road_land_half_width_meters double precision,
  building_control_meters double precision
)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
  WITH input AS (
    SELECT g.ordinal::integer AS ordinal, ST_SetSRID(ST_GeomFromGeoJSON(g.geometry::text), 4326) AS geom
    FROM json_array_elements(geometries) WITH ORDINALITY AS g(geometry, ordinal)
  ), points AS (
    SELECT i.ordinal, i.geom, ST_PointOnSurface(i.geom) AS pt FROM input i
  ), best AS (
    SELECT p.ordinal, p.geom, p.pt, n.*
    FROM points p
    LEFT JOIN LATERAL (
      SELECT m.id, m.route_code, m.direction, m.jurisdiction_code, m.admin_class, m.road_land_half_width_meters, m.line_m, m.pt_m, m.geom_m,
             ST_Distance(m.line_m, m.geom_m) AS offset_m,
             ST_LineLocatePoint(ST_Force2D(m.line_m), m.pt_m) AS fraction,
             ST_Length(ST_Force2D(m.line_m)) AS metric_length
      FROM (
        SELECT c.id, c.route_code, c.direction, c.jurisdiction_code, c.admin_class, c.road_land_half_width_meters,
               ST_Transform(c.centreline, c.srid) AS line_m, ST_Transform(p.pt, c.srid) AS pt_m, ST_Transform(p.geom, c.srid) AS geom_m
        FROM (
          SELECT s.id, s.route_code, s.direction, s.centreline, s.jurisdiction_code, s.admin_class, s.road_land_half_width_meters,
                 luyu_metric_srid(s.centreline) AS srid
          FROM segments s
          WHERE s.centreline && ST_Expand(p.geom, radius_meters / (111320.0 * cos(radians(ST_Y(p.pt)))), radius_meters / 110540.0)
          ORDER BY s.centreline <-> p.geom
          LIMIT 16
        ) c
      ) m
      WHERE ST_DWithin(m.line_m, m.geom_m, radius_meters)
      ORDER BY offset_m, m.id
      LIMIT 1
    ) n ON true
  ), tangent AS (
    SELECT b.*,
           ST_LineInterpolatePoint(ST_Force2D(b.line_m), greatest(b.fraction - 0.5 / b.metric_length, 0)) AS ta,
           ST_LineInterpolatePoint(ST_Force2D(b.line_m), least(b.fraction + 0.5 / b.metric_length, 1)) AS tb
    FROM best b
  ), placed AS (
    SELECT t.*,
           coalesce(t.jurisdiction_code, (
             SELECT j.code FROM jurisdictions j
             WHERE t.id IS NULL AND j.level = 'district' AND j.boundary && t.pt AND ST_Intersects(j.boundary, t.pt)
             ORDER BY j.code LIMIT 1)) AS district_code
    FROM tangent t
  )
  SELECT t.ordinal, t.id, t.route_code, r.name, t.direction,
         ST_InterpolatePoint(t.line_m, t.pt_m),
         t.offset_m,
         ((ST_X(t.tb) - ST_X(t.ta)) * (ST_Y(t.pt_m) - ST_Y(t.ta)) - (ST_Y(t.tb) - ST_Y(t.ta)) * (ST_X(t.pt_m) - ST_X(t.ta)) > 0)
           = (ST_M(ST_StartPoint(t.line_m)) <= ST_M(ST_EndPoint(t.line_m))),
         t.jurisdiction_code,
         t.district_code, j.name,
         ST_AsGeoJSON(ST_Transform(ST_ClosestPoint(ST_Force2D(t.line_m), t.pt_m), 4326), 7)::json,
         ARRAY(SELECT DISTINCT z.kind FROM protection_zones z WHERE z.geom && t.geom AND ST_Intersects(z.geom, t.geom) ORDER BY z.kind),
         t.admin_class, t.road_land_half_width_meters, w.width_meters
  FROM placed t
  LEFT JOIN routes r ON r.code = t.route_code
  LEFT JOIN jurisdictions j ON j.code = t.district_code
  LEFT JOIN zone_widths w ON w.kind = 'building_control' AND w.admin_class = t.admin_class
  ORDER BY t.ordinal
$$;

REVOKE ALL ON FUNCTION luyu_locate(json, double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION luyu_locate(json, double precision) TO luyu_app;
