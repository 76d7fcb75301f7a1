-- Turnarounds on divided roads (issue 11). 012 drives each carriageway of a divided road one way
-- and joins lines only where OSM joins them, so a carriageway whose end meets no onward road (the
-- extract's edge, a road OSM does not join) was a dead end and everything behind it unreachable:
-- only 272 of 410104's 403 segments lay in the main strongly connected component.
--
-- Rule (docs/patrol_planning_data.md): where a carriageway ENDS at a node with no way on (no arc
-- of its own jurisdiction leaves it: a plan routes over one jurisdiction's graph, so a district's
-- border is an extract's edge too), a one-way 'u_turn' connector leads from it to the START of the nearest carriageway
-- of the same route in the opposite direction within 60 m (a divided road's two carriageways lie
-- 10–40 m apart); symmetrically, where a carriageway STARTS at a node no arc enters, a connector
-- leads into it from the nearest end of the opposite carriageway within 60 m. Only at dead ends:
-- a crew does not turn around in the middle of a through road (never on an expressway), and at
-- a dead end it must anyway. A U-turn is driven from the ending carriageway onto the starting one,
-- so the connector is one-way in that direction.

CREATE FUNCTION luyu_add_routing_u_turns() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public SET jit = off AS $$
DECLARE
  written integer;
BEGIN
  WITH carriageway_ends AS (
    -- Each one-way segment's first node (start) and last node (end), with its route and direction.
    SELECT s.id AS segment_id, s.route_code, s.direction, a.jurisdiction_code,
           (array_agg(a.from_node_id ORDER BY a.piece_index))[1] AS start_node_id,
           (array_agg(a.to_node_id ORDER BY a.piece_index DESC))[1] AS end_node_id
    FROM routing_arcs a JOIN segments s ON s.id = a.segment_id
    WHERE a.kind = 'segment' AND a.is_oneway
    GROUP BY s.id, s.route_code, s.direction, a.jurisdiction_code
  ), leaving AS (
    SELECT from_node_id AS node_id, jurisdiction_code FROM routing_arcs
    UNION SELECT to_node_id, jurisdiction_code FROM routing_arcs WHERE NOT is_oneway
  ), entering AS (
    SELECT to_node_id AS node_id, jurisdiction_code FROM routing_arcs
    UNION SELECT from_node_id, jurisdiction_code FROM routing_arcs WHERE NOT is_oneway
  ), dead_ends AS (
    SELECT DISTINCT e.end_node_id AS node_id, e.route_code, e.direction, e.jurisdiction_code FROM carriageway_ends e
    WHERE NOT EXISTS (SELECT 1 FROM leaving l WHERE l.node_id = e.end_node_id AND l.jurisdiction_code IS NOT DISTINCT FROM e.jurisdiction_code)
  ), dead_starts AS (
    SELECT DISTINCT e.start_node_id AS node_id, e.route_code, e.direction, e.jurisdiction_code FROM carriageway_ends e
    WHERE NOT EXISTS (SELECT 1 FROM entering l WHERE l.node_id = e.start_node_id AND l.jurisdiction_code IS NOT DISTINCT FROM e.jurisdiction_code)
  ), turns AS (
    -- From a dead end onto the nearest start of the opposite carriageway.
    SELECT d.node_id AS from_node_id, pick.node_id AS to_node_id, d.jurisdiction_code
    FROM dead_ends d JOIN routing_nodes dn ON dn.id = d.node_id
    CROSS JOIN LATERAL (
      SELECT o.start_node_id AS node_id FROM carriageway_ends o JOIN routing_nodes n ON n.id = o.start_node_id
      WHERE o.route_code = d.route_code AND o.direction = -d.direction AND o.start_node_id <> d.node_id
        AND o.jurisdiction_code IS NOT DISTINCT FROM d.jurisdiction_code
        AND ST_DWithin(n.geom::geography, dn.geom::geography, 60)
      ORDER BY ST_Distance(n.geom::geography, dn.geom::geography), o.start_node_id LIMIT 1) pick
    UNION
    -- Into a start nothing enters, from the nearest end of the opposite carriageway.
    SELECT pick.node_id, d.node_id, d.jurisdiction_code
    FROM dead_starts d JOIN routing_nodes dn ON dn.id = d.node_id
    CROSS JOIN LATERAL (
      SELECT o.end_node_id AS node_id FROM carriageway_ends o JOIN routing_nodes n ON n.id = o.end_node_id
      WHERE o.route_code = d.route_code AND o.direction = -d.direction AND o.end_node_id <> d.node_id
        AND o.jurisdiction_code IS NOT DISTINCT FROM d.jurisdiction_code
        AND ST_DWithin(n.geom::geography, dn.geom::geography, 60)
      ORDER BY ST_Distance(n.geom::geography, dn.geom::geography), o.end_node_id LIMIT 1) pick
  )
  INSERT INTO routing_arcs (kind, segment_id, connector_osm_id, connector_highway, piece_index, from_node_id, to_node_id, is_oneway, admin_class,
                            length_meters, geom, jurisdiction_code)
  SELECT 'connector', NULL, NULL, 'u_turn', 0, t.from_node_id, t.to_node_id, true, NULL,
         ST_Length(ST_MakeLine(f.geom, g.geom)::geography), ST_MakeLine(f.geom, g.geom), t.jurisdiction_code
  FROM turns t JOIN routing_nodes f ON f.id = t.from_node_id JOIN routing_nodes g ON g.id = t.to_node_id
  ORDER BY t.jurisdiction_code, t.from_node_id, t.to_node_id;
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;

CREATE OR REPLACE FUNCTION luyu_refresh_routing_graph() RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  stale boolean;
BEGIN
  SELECT is_stale INTO stale FROM routing_graph_state FOR UPDATE;
  IF stale THEN
    PERFORM luyu_rebuild_routing_graph();
    PERFORM luyu_add_routing_u_turns();
  END IF;
  RETURN stale;
END
$$;

-- The graph built before this migration has no turnarounds: rebuild on the next load.
UPDATE routing_graph_state SET is_stale = true;
