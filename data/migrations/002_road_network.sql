-- Road network, structures and legal protection zones (DOMAIN.md "Roads and linear referencing",
-- "Legal zones along a road"). Coordinates are EPSG:4326; metric work uses the CGCS2000
-- 3-degree Gauss-Krüger zone of the feature (luyu_metric_srid), so buffers are true metres.

CREATE TABLE jurisdictions (
  code text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
  name text NOT NULL,
  level text NOT NULL CHECK (level IN ('province', 'city', 'district')),
  parent_code text REFERENCES jurisdictions (code),
  boundary geometry(MultiPolygon, 4326)
);
CREATE INDEX jurisdictions_boundary_gist ON jurisdictions USING gist (boundary);
CREATE INDEX jurisdictions_parent_idx ON jurisdictions (parent_code);

CREATE TABLE routes (
  code text PRIMARY KEY CHECK (code ~ '^[GSXYCZ][0-9]{1,4}$'),
  name text NOT NULL,
  name_en text,
  admin_class text NOT NULL CHECK (admin_class IN ('expressway', 'national', 'provincial', 'county', 'township', 'village')),
  is_demo_code boolean NOT NULL DEFAULT false
);

CREATE TABLE segments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  route_code text NOT NULL REFERENCES routes (code) ON UPDATE CASCADE,
  direction smallint NOT NULL CHECK (direction IN (1, -1)),
  chainage_from_meters double precision NOT NULL CHECK (chainage_from_meters >= 0),
  chainage_to_meters double precision NOT NULL,
  centreline geometry(LineStringM, 4326) NOT NULL,
  admin_class text NOT NULL CHECK (admin_class IN ('expressway', 'national', 'provincial', 'county', 'township', 'village')),
  lanes smallint CHECK (lanes BETWEEN 1 AND 16),
  is_oneway boolean NOT NULL DEFAULT false,
  road_land_half_width_meters double precision NOT NULL CHECK (road_land_half_width_meters > 0 AND road_land_half_width_meters <= 200),
  road_land_half_width_source text NOT NULL DEFAULT 'default' CHECK (road_land_half_width_source IN ('default', 'surveyed')),
  jurisdiction_code text REFERENCES jurisdictions (code),
  length_meters double precision NOT NULL DEFAULT 0,
  osm_ids text[] NOT NULL DEFAULT '{}',
  is_demo boolean NOT NULL DEFAULT false,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (chainage_to_meters > chainage_from_meters)
);
CREATE INDEX segments_centreline_gist ON segments USING gist (centreline);
CREATE INDEX segments_route_chainage_idx ON segments (route_code, direction, chainage_from_meters);
CREATE INDEX segments_jurisdiction_idx ON segments (jurisdiction_code);

CREATE TABLE road_structures (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('bridge', 'tunnel')),
  size_class text NOT NULL CHECK (size_class IN ('extra_large', 'large', 'medium', 'small', 'culvert', 'extra_long', 'long', 'short')),
  name text,
  route_code text REFERENCES routes (code) ON UPDATE CASCADE,
  direction smallint CHECK (direction IN (1, -1)),
  length_meters double precision NOT NULL CHECK (length_meters > 0),
  geom geometry(LineString, 4326) NOT NULL,
  osm_ids text[] NOT NULL DEFAULT '{}',
  is_demo boolean NOT NULL DEFAULT false
);
CREATE INDEX road_structures_geom_gist ON road_structures USING gist (geom);

-- Effective widths: the legal minimum from server/domain/zones.ts, widened by configuration.
-- The CHECK is the database's own guard that no width is ever narrower than the law.
CREATE TABLE zone_widths (
  kind text NOT NULL CHECK (kind IN ('building_control', 'excavation_ban', 'settlement_setback', 'bridge_range', 'tunnel_range')),
  admin_class text NOT NULL CHECK (admin_class IN ('expressway', 'national', 'provincial', 'county', 'township', 'village', 'all')),
  width_meters double precision NOT NULL,
  legal_minimum_meters double precision NOT NULL CHECK (legal_minimum_meters >= 0),
  PRIMARY KEY (kind, admin_class),
  CONSTRAINT zone_width_not_below_law CHECK (width_meters >= legal_minimum_meters)
);

CREATE TABLE protection_zones (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  segment_id bigint REFERENCES segments (id) ON DELETE CASCADE,
  structure_id bigint REFERENCES road_structures (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('road_land', 'building_control', 'excavation_ban', 'settlement_setback', 'bridge_range', 'tunnel_range')),
  -- The band's distance from the centreline (segments) or the structure: [inner, outer].
  inner_offset_meters double precision NOT NULL,
  outer_offset_meters double precision NOT NULL,
  geom geometry(MultiPolygon, 4326) NOT NULL,
  CHECK (num_nonnulls(segment_id, structure_id) = 1),
  CHECK (outer_offset_meters > inner_offset_meters)
);
CREATE INDEX protection_zones_geom_gist ON protection_zones USING gist (geom);
CREATE INDEX protection_zones_segment_idx ON protection_zones (segment_id);
CREATE INDEX protection_zones_structure_idx ON protection_zones (structure_id);

-- CGCS2000 3-degree Gauss-Krüger zone (EPSG:4534 = CM 75°E … 4554 = CM 135°E) for a geometry.
CREATE FUNCTION luyu_metric_srid(geom geometry) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(4554, greatest(4534, 4534 + ((3 * round(ST_X(ST_PointOnSurface(ST_Force2D(geom))) / 3))::integer - 75) / 3))
$$;

-- A band between two offsets around a metric geometry, returned in EPSG:4326.
CREATE FUNCTION luyu_band(metric_geom geometry, inner_meters double precision, outer_meters double precision)
RETURNS geometry LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ST_Multi(ST_CollectionExtract(ST_Transform(
    CASE WHEN inner_meters <= 0 THEN ST_Buffer(metric_geom, outer_meters, 'quad_segs=4')
         ELSE ST_Difference(ST_Buffer(metric_geom, outer_meters, 'quad_segs=4'), ST_Buffer(metric_geom, inner_meters, 'quad_segs=4'))
    END, 4326), 3))
$$;

CREATE FUNCTION luyu_rebuild_segment_zones(segment_ids bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  written integer;
BEGIN
  DELETE FROM protection_zones WHERE segment_id = ANY (segment_ids);
  WITH segment_widths AS (
    SELECT s.id,
           s.road_land_half_width_meters AS half_width,
           ST_Transform(ST_Force2D(s.centreline), luyu_metric_srid(s.centreline)) AS metric_line,
           coalesce(bc.width_meters, 0) AS control_width,
           coalesce(ex.width_meters, 0) AS excavation_width,
           coalesce(st.width_meters, 0) AS setback_width
    FROM segments s
    LEFT JOIN zone_widths bc ON bc.kind = 'building_control' AND bc.admin_class = s.admin_class
    LEFT JOIN zone_widths ex ON ex.kind = 'excavation_ban' AND ex.admin_class = s.admin_class
    LEFT JOIN zone_widths st ON st.kind = 'settlement_setback' AND st.admin_class = s.admin_class
    WHERE s.id = ANY (segment_ids)
  ), bands AS (
    SELECT id, 'road_land' AS kind, 0::double precision AS inner_m, half_width AS outer_m, metric_line FROM segment_widths
    UNION ALL
    SELECT id, 'building_control', half_width, half_width + control_width, metric_line FROM segment_widths WHERE control_width > 0
    UNION ALL
    SELECT id, 'excavation_ban', half_width, half_width + excavation_width, metric_line FROM segment_widths WHERE excavation_width > 0
    UNION ALL
    SELECT id, 'settlement_setback', half_width + control_width, half_width + control_width + setback_width, metric_line
    FROM segment_widths WHERE setback_width > 0
  )
  INSERT INTO protection_zones (segment_id, kind, inner_offset_meters, outer_offset_meters, geom)
  SELECT id, kind, inner_m, outer_m, luyu_band(metric_line, inner_m, outer_m) FROM bands;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;

CREATE FUNCTION luyu_rebuild_structure_zones(structure_ids bigint[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  written integer;
BEGIN
  DELETE FROM protection_zones WHERE structure_id = ANY (structure_ids);
  INSERT INTO protection_zones (structure_id, kind, inner_offset_meters, outer_offset_meters, geom)
  SELECT st.id, w.kind, 0, w.width_meters,
         luyu_band(ST_Transform(st.geom, luyu_metric_srid(st.geom)), 0, w.width_meters)
  FROM road_structures st
  JOIN zone_widths w ON w.admin_class = 'all'
   AND ((st.kind = 'bridge' AND w.kind = 'bridge_range' AND st.size_class IN ('medium', 'large', 'extra_large'))
     OR (st.kind = 'tunnel' AND w.kind = 'tunnel_range'))
  WHERE st.id = ANY (structure_ids) AND w.width_meters > 0;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;

-- Derived columns of a segment belong to the database, so no writer can forget them.
CREATE FUNCTION luyu_segments_derive() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.length_meters := ST_Length(ST_Force2D(NEW.centreline)::geography);
  IF TG_OP = 'INSERT' AND NEW.jurisdiction_code IS NULL
     OR TG_OP = 'UPDATE' AND NOT ST_Equals(NEW.centreline, OLD.centreline) AND NEW.jurisdiction_code IS NOT DISTINCT FROM OLD.jurisdiction_code THEN
    -- The district holding the longest part of the segment.
    NEW.jurisdiction_code := (
      SELECT j.code FROM jurisdictions j
      WHERE j.level = 'district' AND j.boundary && NEW.centreline AND ST_Intersects(j.boundary, ST_Force2D(NEW.centreline))
      ORDER BY ST_Length(ST_Intersection(j.boundary, ST_Force2D(NEW.centreline))::geography) DESC, j.code
      LIMIT 1);
  END IF;
  IF TG_OP = 'UPDATE' THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER segments_derive BEFORE INSERT OR UPDATE ON segments
  FOR EACH ROW EXECUTE FUNCTION luyu_segments_derive();

-- Zones are recomputed whenever a segment's geometry, class or road-land width changes.
-- A bulk loader may set luyu.defer_zone_rebuild = 'on' for its transaction and rebuild set-wise.
CREATE FUNCTION luyu_segments_zones_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('luyu.defer_zone_rebuild', true), '') <> 'on' THEN
    PERFORM luyu_rebuild_segment_zones(ARRAY[NEW.id]);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER segments_zones_on_insert AFTER INSERT ON segments
  FOR EACH ROW EXECUTE FUNCTION luyu_segments_zones_changed();
CREATE TRIGGER segments_zones_on_update AFTER UPDATE OF centreline, admin_class, road_land_half_width_meters ON segments
  FOR EACH ROW EXECUTE FUNCTION luyu_segments_zones_changed();

CREATE FUNCTION luyu_structures_zones_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('luyu.defer_zone_rebuild', true), '') <> 'on' THEN
    PERFORM luyu_rebuild_structure_zones(ARRAY[NEW.id]);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER road_structures_zones_on_insert AFTER INSERT ON road_structures
  FOR EACH ROW EXECUTE FUNCTION luyu_structures_zones_changed();
CREATE TRIGGER road_structures_zones_on_update AFTER UPDATE OF geom, size_class, kind ON road_structures
  FOR EACH ROW EXECUTE FUNCTION luyu_structures_zones_changed();

-- A changed width redraws every zone that uses it.
CREATE FUNCTION luyu_zone_widths_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.admin_class = 'all' THEN
    PERFORM luyu_rebuild_structure_zones(ARRAY(SELECT id FROM road_structures));
  ELSE
    PERFORM luyu_rebuild_segment_zones(ARRAY(SELECT id FROM segments WHERE admin_class = NEW.admin_class));
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER zone_widths_changed AFTER INSERT OR UPDATE OF width_meters ON zone_widths
  FOR EACH ROW EXECUTE FUNCTION luyu_zone_widths_changed();

-- Every source road (ramps and unnamed roads too) for the self-hosted basemap; not managed segments.
CREATE TABLE basemap_roads (
  osm_id text PRIMARY KEY,
  highway text NOT NULL,
  name text,
  ref text,
  geom geometry(LineString, 4326) NOT NULL
);
CREATE INDEX basemap_roads_geom_gist ON basemap_roads USING gist (geom);
