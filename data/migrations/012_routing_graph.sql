-- The road network as a routing graph for patrol planning (issue 11, docs/patrol_planning_data.md).
--
-- Connection rule: two lines connect only at a vertex they share exactly (to 1e-7°, about 1 cm).
-- The demo segments and ramps keep OpenStreetMap's node coordinates, and OSM joins ways only where
-- they really connect (a junction at grade, a ramp's end); an expressway passing over a road shares
-- no node with it. A mere geometric crossing therefore never connects.
-- Lines: every segment (one carriageway, driven start → end of its LineString when one-way; both
-- ways when undivided) and, as connectors that are never required, every basemap road under no
-- segment: interchange ramps (highway *_link) and the unnamed roads between routes. basemap_roads
-- keeps no oneway tag; every ramp and 92 % of the other connectors are oneway=yes in the source,
-- so a connector is driven only in its digitised direction (a two-way one taken as one-way makes a
-- route longer, never illegal). Nodes sit at line ends and at shared vertices; a line is cut there
-- into arcs.
--
-- Kept up to date lazily: a statement trigger on segments / basemap_roads marks the graph stale,
-- and luyu_refresh_routing_graph() rebuilds it (set-wise, the whole network) when it is stale.
-- loadRoutingGraph() calls it before reading, so a plan never sees an outdated graph, and a bulk
-- load does not rebuild once per row.

CREATE TABLE routing_nodes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The snapped coordinate 'lon lat' (7 decimals): the identity of a node across rebuilds, so ids
  -- of unchanged places stay the same.
  coordinate_key text NOT NULL UNIQUE,
  geom geometry(Point, 4326) NOT NULL,
  jurisdiction_code text REFERENCES jurisdictions (code)
);
CREATE INDEX routing_nodes_geom_gist ON routing_nodes USING gist (geom);
CREATE INDEX routing_nodes_jurisdiction_idx ON routing_nodes (jurisdiction_code);

CREATE TABLE routing_arcs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('segment', 'connector')),
  segment_id bigint REFERENCES segments (id) ON DELETE CASCADE,
  connector_osm_id text,
  connector_highway text,
  -- Order of this piece along its segment (a segment crossed by a junction is cut in pieces).
  piece_index integer NOT NULL DEFAULT 0,
  from_node_id bigint NOT NULL REFERENCES routing_nodes (id),
  to_node_id bigint NOT NULL REFERENCES routing_nodes (id),
  -- true: drivable only from → to (a carriageway of a divided road, a connector); false: both ways.
  is_oneway boolean NOT NULL,
  admin_class text CHECK (admin_class IN ('expressway', 'national', 'provincial', 'county', 'township', 'village')),
  length_meters double precision NOT NULL CHECK (length_meters >= 0),
  geom geometry(LineString, 4326) NOT NULL,
  jurisdiction_code text REFERENCES jurisdictions (code),
  CHECK ((kind = 'segment') = (segment_id IS NOT NULL))
);
CREATE INDEX routing_arcs_segment_idx ON routing_arcs (segment_id) WHERE segment_id IS NOT NULL;
CREATE INDEX routing_arcs_jurisdiction_idx ON routing_arcs (jurisdiction_code);
CREATE INDEX routing_arcs_from_idx ON routing_arcs (from_node_id);
CREATE INDEX routing_arcs_to_idx ON routing_arcs (to_node_id);

CREATE TABLE routing_graph_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  is_stale boolean NOT NULL DEFAULT true,
  rebuilt_at timestamptz
);
INSERT INTO routing_graph_state (singleton, is_stale) VALUES (true, true);

CREATE FUNCTION luyu_routing_graph_mark_stale() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  UPDATE routing_graph_state SET is_stale = true WHERE NOT is_stale;
  RETURN NULL;
END
$$;
CREATE TRIGGER segments_routing_stale AFTER INSERT OR DELETE OR UPDATE OF centreline, is_oneway, admin_class, jurisdiction_code ON segments
  FOR EACH STATEMENT EXECUTE FUNCTION luyu_routing_graph_mark_stale();
CREATE TRIGGER basemap_roads_routing_stale AFTER INSERT OR DELETE OR UPDATE OF geom, highway ON basemap_roads
  FOR EACH STATEMENT EXECUTE FUNCTION luyu_routing_graph_mark_stale();

-- Rebuilds the whole graph from segments and ramps. SECURITY DEFINER: the graph spans every
-- district (a crew may drive through its neighbour's), whatever the calling request may see.
-- jit off: the row estimates of ST_DumpPoints are huge, so PostgreSQL would spend seconds
-- compiling a query that runs in a third of a second.
CREATE FUNCTION luyu_rebuild_routing_graph() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public SET jit = off AS $$
DECLARE
  written integer;
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS routing_pieces_tmp (
    kind text, segment_id bigint, connector_osm_id text, connector_highway text, piece_index integer, is_oneway boolean, admin_class text,
    jurisdiction_code text, geom geometry(LineString, 4326), from_key text, to_key text
  ) ON COMMIT DROP;
  TRUNCATE routing_pieces_tmp;

  WITH lines AS (
    SELECT 'segment'::text AS kind, s.id AS segment_id, NULL::text AS connector_osm_id, NULL::text AS connector_highway,
           s.is_oneway, s.admin_class, s.jurisdiction_code, ST_Force2D(s.centreline) AS geom
    FROM segments s
    UNION ALL
    SELECT 'connector', NULL, b.osm_id, b.highway, true, NULL, NULL, b.geom
    FROM basemap_roads b WHERE b.osm_id NOT IN (SELECT unnest(osm_ids) FROM segments)
  ), numbered AS (
    SELECT row_number() OVER (ORDER BY kind, segment_id, connector_osm_id) AS line_id, * FROM lines
  ), vertices AS (
    SELECT n.line_id, (d.path)[1] AS vertex_index, d.geom AS point,
           round(ST_X(d.geom)::numeric, 7)::text || ' ' || round(ST_Y(d.geom)::numeric, 7)::text AS coordinate_key,
           (d.path)[1] = 1 OR (d.path)[1] = ST_NPoints(n.geom) AS is_end
    FROM numbered n CROSS JOIN LATERAL ST_DumpPoints(n.geom) AS d
  ), shared AS (
    SELECT coordinate_key FROM vertices GROUP BY coordinate_key HAVING count(DISTINCT line_id) > 1
  ), marked AS (
    SELECT v.*, v.is_end OR v.coordinate_key IN (SELECT coordinate_key FROM shared) AS is_cut FROM vertices v
  ), numbered_vertices AS (
    -- A cut vertex starts piece k (the count of cuts up to it, minus one) and ends piece k - 1.
    SELECT m.*, sum(CASE WHEN m.is_cut THEN 1 ELSE 0 END) OVER (PARTITION BY m.line_id ORDER BY m.vertex_index) - 1 AS piece_index FROM marked m
  ), piece_vertices AS (
    SELECT line_id, piece_index, vertex_index, point, coordinate_key FROM numbered_vertices
    UNION ALL
    SELECT line_id, piece_index - 1, vertex_index, point, coordinate_key FROM numbered_vertices WHERE is_cut AND piece_index > 0
  ), pieces AS (
    SELECT line_id, piece_index,
           (array_agg(coordinate_key ORDER BY vertex_index))[1] AS from_key,
           (array_agg(coordinate_key ORDER BY vertex_index DESC))[1] AS to_key,
           ST_MakeLine(point ORDER BY vertex_index) AS geom
    FROM piece_vertices
    GROUP BY line_id, piece_index
    HAVING count(*) >= 2
  )
  INSERT INTO routing_pieces_tmp
  SELECT n.kind, n.segment_id, n.connector_osm_id, n.connector_highway, p.piece_index, n.is_oneway, n.admin_class, n.jurisdiction_code, p.geom, p.from_key, p.to_key
  FROM pieces p JOIN numbered n ON n.line_id = p.line_id
  -- A piece between two copies of one vertex (a duplicated point) is no road.
  WHERE p.from_key <> p.to_key OR ST_NPoints(p.geom) > 2;

  DELETE FROM routing_arcs;
  INSERT INTO routing_nodes (coordinate_key, geom)
  SELECT DISTINCT k.coordinate_key, ST_SetSRID(ST_MakePoint(split_part(k.coordinate_key, ' ', 1)::double precision,
                                                               split_part(k.coordinate_key, ' ', 2)::double precision), 4326)
  FROM (SELECT from_key AS coordinate_key FROM routing_pieces_tmp UNION SELECT to_key FROM routing_pieces_tmp) k
  ON CONFLICT (coordinate_key) DO NOTHING;
  DELETE FROM routing_nodes WHERE coordinate_key NOT IN (SELECT from_key FROM routing_pieces_tmp UNION SELECT to_key FROM routing_pieces_tmp);
  UPDATE routing_nodes n SET jurisdiction_code = (
    SELECT j.code FROM jurisdictions j WHERE j.level = 'district' AND j.boundary && n.geom AND ST_Intersects(j.boundary, n.geom) ORDER BY j.code LIMIT 1)
  WHERE n.jurisdiction_code IS NULL;

  INSERT INTO routing_arcs (kind, segment_id, connector_osm_id, connector_highway, piece_index, from_node_id, to_node_id, is_oneway, admin_class,
                            length_meters, geom, jurisdiction_code)
  SELECT p.kind, p.segment_id, p.connector_osm_id, p.connector_highway, p.piece_index, f.id, t.id, p.is_oneway, p.admin_class,
         ST_Length(p.geom::geography), p.geom,
         -- A connector belongs to the district of its start node.
         coalesce(p.jurisdiction_code, f.jurisdiction_code)
  FROM routing_pieces_tmp p
  JOIN routing_nodes f ON f.coordinate_key = p.from_key
  JOIN routing_nodes t ON t.coordinate_key = p.to_key
  ORDER BY p.kind, p.segment_id, p.connector_osm_id, p.piece_index;
  GET DIAGNOSTICS written = ROW_COUNT;
  TRUNCATE routing_pieces_tmp;
  UPDATE routing_graph_state SET is_stale = false, rebuilt_at = now();
  RETURN written;
END
$$;

-- Rebuilds only when a change marked the graph stale; the row lock makes concurrent callers wait
-- for one rebuild instead of running two. Returns whether it rebuilt.
CREATE FUNCTION luyu_refresh_routing_graph() RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  stale boolean;
BEGIN
  SELECT is_stale INTO stale FROM routing_graph_state FOR UPDATE;
  IF stale THEN
    PERFORM luyu_rebuild_routing_graph();
  END IF;
  RETURN stale;
END
$$;

-- Scoped like segments: a request sees the arcs and nodes of its jurisdictions.
ALTER TABLE routing_nodes ENABLE ROW LEVEL SECURITY;
CREATE POLICY routing_nodes_scope ON routing_nodes TO luyu_app USING (luyu_in_scope(jurisdiction_code));
ALTER TABLE routing_arcs ENABLE ROW LEVEL SECURITY;
CREATE POLICY routing_arcs_scope ON routing_arcs TO luyu_app USING (luyu_in_scope(jurisdiction_code));
-- Only the SECURITY DEFINER functions write the graph.
REVOKE INSERT, UPDATE, DELETE ON routing_nodes, routing_arcs, routing_graph_state FROM luyu_app;
GRANT EXECUTE ON FUNCTION luyu_refresh_routing_graph() TO luyu_app;
