-- Dissolved zones (issue 15 item 2; docs/scaling.md "Dissolved zones"). protection_zones holds one
-- band per segment (or structure) and kind, and neighbouring segments' and both carriageways'
-- bands overlap: a province has ~4 pieces per segment, a point in a zone lies in several. Per
-- district and kind, the union of those bands cut by ST_Subdivide into pieces of at most 256
-- vertices is what the zone tiles draw below z14 and what classification asks first ("is this
-- detection near any zone at all?").
--
-- Kept current by marks: every change of protection_zones (statement-level triggers with
-- transition tables) and every move of a segment or structure to another district marks the
-- affected (district, kind) sets stale; the job zones.rebuild_dissolved (server/zones/
-- dissolved_job.ts) rebuilds stale sets, each in one transaction; the demo and province loads
-- build everything once. Readers that must be exact (classification) use the pieces only while
-- no set is stale.

CREATE TABLE dissolved_zone_sets (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The district of the segments / structures whose zones the set unions (NULL: not yet assigned).
  jurisdiction_code text REFERENCES jurisdictions (code) ON UPDATE CASCADE,
  kind text NOT NULL CHECK (kind IN ('road_land', 'building_control', 'excavation_ban', 'settlement_setback', 'bridge_range', 'tunnel_range')),
  stale boolean NOT NULL DEFAULT true,
  -- Bumped by every mark; a rebuild records the value it saw, so a mark that arrives while a
  -- rebuild runs leaves the set stale (the mark waits for the rebuild's row lock, then bumps it).
  marks bigint NOT NULL DEFAULT 1,
  built_marks bigint NOT NULL DEFAULT 0,
  -- Number of rebuilds of this set (the generation its pieces carry).
  generation integer NOT NULL DEFAULT 0,
  built_at timestamptz,
  pieces integer NOT NULL DEFAULT 0,
  CONSTRAINT dissolved_zone_sets_key UNIQUE NULLS NOT DISTINCT (jurisdiction_code, kind)
);
CREATE INDEX dissolved_zone_sets_stale_idx ON dissolved_zone_sets (id) WHERE stale;

CREATE TABLE dissolved_zones (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  set_id bigint NOT NULL REFERENCES dissolved_zone_sets (id) ON DELETE CASCADE,
  jurisdiction_code text REFERENCES jurisdictions (code) ON UPDATE CASCADE,
  kind text NOT NULL,
  generation integer NOT NULL,
  geom geometry(Polygon, 4326) NOT NULL
);
CREATE INDEX dissolved_zones_geom_gist ON dissolved_zones USING gist (geom);
CREATE INDEX dissolved_zones_set_idx ON dissolved_zones (set_id);

-- Read in scope like the zones they union (a zone is visible when its segment's or structure's
-- district is: the set's district); written only by the SECURITY DEFINER functions below.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON dissolved_zone_sets, dissolved_zones FROM luyu_app;
ALTER TABLE dissolved_zone_sets ENABLE ROW LEVEL SECURITY;
CREATE POLICY dissolved_zone_sets_scope ON dissolved_zone_sets FOR SELECT TO luyu_app USING (luyu_in_scope(jurisdiction_code));
ALTER TABLE dissolved_zones ENABLE ROW LEVEL SECURITY;
CREATE POLICY dissolved_zones_scope ON dissolved_zones FOR SELECT TO luyu_app USING (luyu_in_scope(jurisdiction_code));

-- Most vertices of one piece (ST_Subdivide's limit).
CREATE FUNCTION luyu_dissolve_max_vertices() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 256 $$;

-- Overlay grid of the union in degrees. On the embedded database 1e-9° (≈ 0.1 mm): snap-rounding
-- never needs GEOS's exception-based fallback, which ends a statement silently there
-- (docs/embedded_database.md). On PostgreSQL the floating overlay (-1): 2.5× faster on a
-- 3,000-segment district (4.2 s against 10.4 s), and its fallback works; the rebuild retries a
-- district on the grid should it still raise.
CREATE FUNCTION luyu_dissolve_grid_degrees() RETURNS double precision
LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT CASE WHEN version() LIKE '%PGlite%' THEN 1e-9 ELSE -1 END::double precision $$;

-- Marks sets stale: one row per (district, kind), upserted in key order (two writers lock rows in
-- the same order, so they cannot deadlock on each other).
CREATE FUNCTION luyu_mark_dissolved_sets(keys jsonb) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  INSERT INTO dissolved_zone_sets AS d (jurisdiction_code, kind)
  SELECT DISTINCT k.jurisdiction_code, k.kind FROM jsonb_to_recordset(keys) AS k(jurisdiction_code text, kind text)
  ORDER BY 1, 2
  ON CONFLICT ON CONSTRAINT dissolved_zone_sets_key DO UPDATE SET stale = true, marks = d.marks + 1
$$;

-- A statement changed protection_zones: the sets of the changed rows' districts and kinds. A
-- deleted zone whose segment is gone too (ON DELETE CASCADE) has no district to look up: the sets
-- whose pieces overlap it are the ones it was part of.
CREATE FUNCTION luyu_mark_zones_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  keys jsonb := '[]'::jsonb;
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    keys := keys || coalesce((
      SELECT jsonb_agg(DISTINCT jsonb_build_object('jurisdiction_code', coalesce(sg.jurisdiction_code, st.jurisdiction_code), 'kind', n.kind))
      FROM new_rows n LEFT JOIN segments sg ON sg.id = n.segment_id LEFT JOIN road_structures st ON st.id = n.structure_id), '[]'::jsonb);
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    keys := keys || coalesce((
      SELECT jsonb_agg(DISTINCT jsonb_build_object('jurisdiction_code', coalesce(sg.jurisdiction_code, st.jurisdiction_code), 'kind', o.kind))
      FROM old_rows o LEFT JOIN segments sg ON sg.id = o.segment_id LEFT JOIN road_structures st ON st.id = o.structure_id
      WHERE sg.id IS NOT NULL OR st.id IS NOT NULL), '[]'::jsonb);
    keys := keys || coalesce((
      SELECT jsonb_agg(DISTINCT jsonb_build_object('jurisdiction_code', d.jurisdiction_code, 'kind', d.kind))
      FROM old_rows o JOIN dissolved_zones d ON d.kind = o.kind AND d.geom && o.geom
      WHERE NOT EXISTS (SELECT 1 FROM segments sg WHERE sg.id = o.segment_id)
        AND NOT EXISTS (SELECT 1 FROM road_structures st WHERE st.id = o.structure_id)), '[]'::jsonb);
  END IF;
  IF jsonb_array_length(keys) > 0 THEN
    PERFORM luyu_mark_dissolved_sets(keys);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER protection_zones_mark_dissolved_insert AFTER INSERT ON protection_zones
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION luyu_mark_zones_changed();
CREATE TRIGGER protection_zones_mark_dissolved_update AFTER UPDATE ON protection_zones
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION luyu_mark_zones_changed();
CREATE TRIGGER protection_zones_mark_dissolved_delete AFTER DELETE ON protection_zones
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION luyu_mark_zones_changed();

-- A segment or structure moved to another district: its zones leave one set and join another.
CREATE FUNCTION luyu_mark_owner_district_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM luyu_mark_dissolved_sets(coalesce((
    SELECT jsonb_agg(jsonb_build_object('jurisdiction_code', c.code, 'kind', z.kind))
    FROM (SELECT DISTINCT kind FROM protection_zones
          WHERE CASE TG_TABLE_NAME WHEN 'segments' THEN segment_id = NEW.id ELSE structure_id = NEW.id END) z
    CROSS JOIN (VALUES (OLD.jurisdiction_code), (NEW.jurisdiction_code)) AS c(code)), '[]'::jsonb));
  RETURN NULL;
END
$$;
CREATE TRIGGER segments_mark_dissolved_district AFTER UPDATE OF jurisdiction_code ON segments
  FOR EACH ROW WHEN (OLD.jurisdiction_code IS DISTINCT FROM NEW.jurisdiction_code) EXECUTE FUNCTION luyu_mark_owner_district_changed();
CREATE TRIGGER road_structures_mark_dissolved_district AFTER UPDATE OF jurisdiction_code ON road_structures
  FOR EACH ROW WHEN (OLD.jurisdiction_code IS DISTINCT FROM NEW.jurisdiction_code) EXECUTE FUNCTION luyu_mark_owner_district_changed();

-- Rebuilds one set in the caller's transaction: the union of its district's zones of its kind,
-- subdivided. Returns the pieces written, or -1 when another transaction holds the set (a zone
-- edit in progress, or another rebuild): it stays stale and is taken on the next round.
-- Checks what it wrote (the embedded database's GEOS can end a statement silently): a set with
-- zones must get pieces, and the pieces' area must be the union's.
CREATE FUNCTION luyu_rebuild_dissolved_set(set_id bigint) RETURNS integer
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
  -- A few bands are invalid by a hair after the transform from the Gauss-Krüger plane (rings that
  -- touch themselves), which the overlay refuses: those are made valid first (same point set).
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
    -- A GEOS TopologyException of the floating overlay (PostgreSQL only): snap-rounding instead.
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
  RETURN written;
END
$$;

-- Whether every set is current (classification may then trust the pieces).
CREATE FUNCTION luyu_dissolved_zones_current() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT NOT EXISTS (SELECT 1 FROM dissolved_zone_sets WHERE stale)
$$;

-- Every (district, kind) that has zones today starts stale (the demo load builds them; on an
-- existing database the job does).
SELECT luyu_mark_dissolved_sets(coalesce((
  SELECT jsonb_agg(DISTINCT jsonb_build_object('jurisdiction_code', coalesce(sg.jurisdiction_code, st.jurisdiction_code), 'kind', z.kind))
  FROM protection_zones z LEFT JOIN segments sg ON sg.id = z.segment_id LEFT JOIN road_structures st ON st.id = z.structure_id), '[]'::jsonb));

-- Every stale set, in the caller's transaction (the demo and province loads, after drawing zones).
CREATE FUNCTION luyu_rebuild_stale_dissolved_sets() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  stale_id bigint;
  rebuilt integer := 0;
BEGIN
  FOR stale_id IN SELECT id FROM dissolved_zone_sets WHERE stale ORDER BY id LOOP
    IF luyu_rebuild_dissolved_set(stale_id) >= 0 THEN
      rebuilt := rebuilt + 1;
    END IF;
  END LOOP;
  RETURN rebuilt;
END
$$;
