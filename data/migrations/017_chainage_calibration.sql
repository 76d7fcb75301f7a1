-- Chainage that matches the stakes (issue 16; docs/chainage_calibration.md).
-- The M value of a centreline is chainage. Two things were wrong with it: the demo measured it on
-- a sphere (haversine: +1.2…+2.4 m/km north–south, −1.4…−2.2 m/km east–west), and real chainage
-- follows the physical stake markers and has chain breaks (断链) that no geometry knows.
-- This migration keeps the geometric measure in geodesic_centreline (M on the CGCS2000 ellipsoid)
-- and rewrites centreline's M from it, interpolated between surveyed stake markers and jumping at
-- chain breaks, so every caller of ST_InterpolatePoint / ST_LocateAlong gets stake chainage unchanged.

-- The CGCS2000 ellipsoid (GRS 80 axes; differs from WGS 84 by 0.1 mm in the semi-minor axis).
CREATE FUNCTION luyu_cgcs2000_length(a geometry, b geometry) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ST_LengthSpheroid(ST_MakeLine(ST_Force2D(a), ST_Force2D(b)), 'SPHEROID["CGCS2000",6378137,298.257222101]')
$$;

ALTER TABLE segments ADD COLUMN geodesic_centreline geometry(LineStringM, 4326);

-- Surveyed stake markers (里程桩): this carriageway's marker reading stake_meters stands at geom.
CREATE TABLE chainage_markers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  route_code text NOT NULL REFERENCES routes (code) ON UPDATE CASCADE ON DELETE CASCADE,
  direction smallint NOT NULL CHECK (direction IN (1, -1)),
  stake_meters double precision NOT NULL CHECK (stake_meters >= 0),
  geom geometry(Point, 4326) NOT NULL,
  jurisdiction_code text REFERENCES jurisdictions (code),
  source text,
  UNIQUE (route_code, direction, stake_meters)
);
CREATE INDEX chainage_markers_route_idx ON chainage_markers (route_code);

-- Chain breaks (断链): at the break the stake reads stake_before coming from lower chainage and
-- stake_after going on. before > after is a long chain (长链, stakes repeat), before < after a
-- short chain (短链, stakes skipped). geom is optional: without it the break sits where the
-- calibrated chainage reaches stake_before.
CREATE TABLE chain_breaks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  route_code text NOT NULL REFERENCES routes (code) ON UPDATE CASCADE ON DELETE CASCADE,
  stake_before_meters double precision NOT NULL CHECK (stake_before_meters >= 0),
  stake_after_meters double precision NOT NULL CHECK (stake_after_meters >= 0),
  length_meters double precision GENERATED ALWAYS AS (stake_before_meters - stake_after_meters) STORED,
  geom geometry(Point, 4326),
  jurisdiction_code text REFERENCES jurisdictions (code),
  source text,
  CHECK (stake_before_meters <> stake_after_meters),
  UNIQUE (route_code, stake_before_meters)
);
CREATE INDEX chain_breaks_route_idx ON chain_breaks (route_code);

ALTER TABLE chainage_markers ENABLE ROW LEVEL SECURITY;
CREATE POLICY chainage_markers_scope ON chainage_markers TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));
ALTER TABLE chain_breaks ENABLE ROW LEVEL SECURITY;
CREATE POLICY chain_breaks_scope ON chain_breaks TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));

-- A writer that sets a new centreline sets its geometric measure too; only calibration (which
-- sets luyu.calibrating) writes a centreline derived from geodesic_centreline.
CREATE FUNCTION luyu_segments_keep_geodesic() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('luyu.calibrating', true), '') <> 'on'
     AND (TG_OP = 'INSERT' OR NEW.centreline::text IS DISTINCT FROM OLD.centreline::text) THEN
    NEW.geodesic_centreline := NEW.centreline;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER segments_keep_geodesic BEFORE INSERT OR UPDATE OF centreline ON segments
  FOR EACH ROW EXECUTE FUNCTION luyu_segments_keep_geodesic();

-- Piecewise-linear value at x through (xs, ys) (xs ascending), slope 1 beyond both ends:
-- outside the surveyed stretch chainage grows metre for metre.
CREATE FUNCTION luyu_interpolate(x double precision, xs double precision[], ys double precision[]) RETURNS double precision
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  n integer := coalesce(cardinality(xs), 0);
  i integer;
BEGIN
  IF n = 0 THEN RETURN x; END IF;
  IF x <= xs[1] THEN RETURN ys[1] + (x - xs[1]); END IF;
  IF x >= xs[n] THEN RETURN ys[n] + (x - xs[n]); END IF;
  FOR i IN 2 .. n LOOP
    IF x <= xs[i] THEN
      RETURN ys[i - 1] + (ys[i] - ys[i - 1]) * (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
    END IF;
  END LOOP;
  RETURN ys[n];
END
$$;

-- Re-measures the given routes on the CGCS2000 ellipsoid: every edge's M step is scaled by its
-- ellipsoidal length over its spherical (haversine, R = 6,371,008.8 m) length, accumulated along
-- the route's + carriageway (or − when there is none) and applied as one monotone map old M → new M
-- to every vertex of the route, so the two carriageways keep sharing their chainage axis.
-- For M measured on a sphere (the demo, data/build); geodesic_centreline gets the result.
CREATE FUNCTION luyu_remeasure_on_ellipsoid(route_codes text[]) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  route text;
  old_ms double precision[];
  new_ms double precision[];
  changed integer := 0;
  deferred text := coalesce(current_setting('luyu.defer_zone_rebuild', true), '');
BEGIN
  -- Only M changes: the zones stay as drawn.
  PERFORM set_config('luyu.defer_zone_rebuild', 'on', true);
  FOREACH route IN ARRAY route_codes LOOP
    WITH reference AS (
      SELECT s.id, s.centreline FROM segments s
      WHERE s.route_code = route
        AND s.direction = (SELECT max(direction) FROM segments WHERE route_code = route)
    ), points AS (
      SELECT r.id, d.path[1] AS i, d.geom FROM reference r CROSS JOIN LATERAL ST_DumpPoints(r.centreline) d
    ), edges AS (
      SELECT least(ST_M(a.geom), ST_M(b.geom)) AS m0, greatest(ST_M(a.geom), ST_M(b.geom)) AS m1,
             ST_Distance(ST_Force2D(a.geom)::geography, ST_Force2D(b.geom)::geography, false) AS sphere_m,
             luyu_cgcs2000_length(a.geom, b.geom) AS ellipsoid_m
      FROM points a JOIN points b ON b.id = a.id AND b.i = a.i + 1
    ), steps AS (
      SELECT m0, m1, (m1 - m0) * CASE WHEN sphere_m > 0 THEN ellipsoid_m / sphere_m ELSE 1 END AS new_step
      FROM edges WHERE m1 > m0
    ), knots AS (
      -- Old M plus the corrections accumulated so far: gaps between segments keep their length.
      SELECT m1 AS old_m, m1 + sum(new_step - (m1 - m0)) OVER (ORDER BY m1, m0) AS new_m, min(m0) OVER () AS first_m
      FROM steps
    )
    SELECT array_agg(old_m ORDER BY old_m), array_agg(new_m ORDER BY old_m)
    INTO old_ms, new_ms
    FROM (SELECT DISTINCT ON (old_m) old_m, new_m FROM (
            SELECT old_m, new_m FROM knots UNION ALL SELECT first_m, first_m FROM knots) k
          ORDER BY old_m, new_m DESC) d;
    CONTINUE WHEN old_ms IS NULL;

    UPDATE segments s
    SET geodesic_centreline = x.line,
        centreline = x.line,
        chainage_from_meters = x.from_m,
        chainage_to_meters = x.to_m
    FROM (
      SELECT p.id,
             ST_SetSRID(ST_MakeLine(ST_MakePointM(ST_X(p.geom), ST_Y(p.geom), luyu_interpolate(ST_M(p.geom), old_ms, new_ms)) ORDER BY p.i), 4326) AS line,
             min(luyu_interpolate(ST_M(p.geom), old_ms, new_ms)) AS from_m,
             max(luyu_interpolate(ST_M(p.geom), old_ms, new_ms)) AS to_m
      FROM (SELECT c.id, d.path[1] AS i, d.geom FROM segments c CROSS JOIN LATERAL ST_DumpPoints(c.centreline) d
            WHERE c.route_code = route) p
      GROUP BY p.id
    ) x
    WHERE s.id = x.id;
    changed := changed + 1;
  END LOOP;
  PERFORM set_config('luyu.defer_zone_rebuild', deferred, true);
  RETURN changed;
END
$$;

-- Rewrites the M of every segment of a route from its geodesic measure, the route's stake markers
-- and chain breaks (docs/chainage_calibration.md for the rules). Raises when a marker is more
-- than 50 m from its carriageway or the markers contradict each other.
CREATE FUNCTION luyu_calibrate_route(route text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  marker record;
  brk record;
  xs double precision[] := '{}';
  cs double precision[] := '{}';
  break_xs double precision[] := '{}';
  break_before double precision[] := '{}';
  break_after double precision[] := '{}';
  offset_m double precision := 0;
  pending record;
  pending_index integer := 1;
  n_breaks integer;
  prev_x double precision;
  prev_s double precision;
  x_k double precision;
  past boolean;
  written integer;
  deferred text := coalesce(current_setting('luyu.defer_zone_rebuild', true), '');
BEGIN
  -- Only M changes: the zones stay as drawn, and geodesic_centreline stays the geometric measure.
  PERFORM set_config('luyu.defer_zone_rebuild', 'on', true);
  PERFORM set_config('luyu.calibrating', 'on', true);
  -- Geometric position of every marker on its own carriageway (else the other one).
  CREATE TEMP TABLE IF NOT EXISTS luyu_calibration_markers (x double precision, stake double precision) ON COMMIT DROP;
  CREATE TEMP TABLE IF NOT EXISTS luyu_calibration_breaks (ordinal integer, x double precision, before_m double precision, after_m double precision) ON COMMIT DROP;
  TRUNCATE luyu_calibration_markers, luyu_calibration_breaks;
  INSERT INTO luyu_calibration_markers
  SELECT n.x, m.stake_meters
  FROM chainage_markers m
  LEFT JOIN LATERAL (
    SELECT ST_InterpolatePoint(s.geodesic_centreline, m.geom) AS x,
           ST_Distance(ST_Force2D(s.geodesic_centreline)::geography, m.geom::geography) AS distance_m
    FROM segments s WHERE s.route_code = m.route_code
    ORDER BY (s.direction = m.direction) DESC, s.geodesic_centreline <-> m.geom LIMIT 1
  ) n ON true
  WHERE m.route_code = route;
  IF EXISTS (SELECT 1 FROM chainage_markers m WHERE m.route_code = route AND NOT EXISTS (
      SELECT 1 FROM segments s WHERE s.route_code = m.route_code AND ST_DWithin(s.geodesic_centreline::geography, m.geom::geography, 50))) THEN
    RAISE EXCEPTION 'a stake marker of % is more than 50 m from the route', route USING ERRCODE = 'P0001', HINT = 'marker_off_route';
  END IF;
  INSERT INTO luyu_calibration_breaks
  SELECT row_number() OVER (ORDER BY b.stake_before_meters)::integer,
         (SELECT ST_InterpolatePoint(s.geodesic_centreline, b.geom) FROM segments s WHERE s.route_code = b.route_code
           ORDER BY s.direction DESC, s.geodesic_centreline <-> b.geom LIMIT 1),
         b.stake_before_meters, b.stake_after_meters
  FROM chain_breaks b WHERE b.route_code = route;
  SELECT count(*) INTO n_breaks FROM luyu_calibration_breaks;

  -- Walk the markers in geometric order; a marker is past the next break when its stake can only
  -- come after it, or (inside a long chain's repeated stakes) when it lies beyond where the break
  -- must be: its point, else the previous marker's position plus the stakes still to go.
  prev_x := NULL; prev_s := NULL;
  FOR marker IN SELECT x, stake FROM luyu_calibration_markers ORDER BY x LOOP
    LOOP
      EXIT WHEN pending_index > n_breaks;
      SELECT * INTO pending FROM luyu_calibration_breaks WHERE ordinal = pending_index;
      IF pending.x IS NOT NULL THEN
        past := marker.x > pending.x;
      ELSIF marker.stake > greatest(pending.before_m, pending.after_m) OR (pending.after_m > pending.before_m AND marker.stake >= pending.after_m) THEN
        past := true;
      ELSIF marker.stake < least(pending.before_m, pending.after_m) OR (pending.after_m > pending.before_m AND marker.stake <= pending.before_m) THEN
        past := false;
      ELSE
        past := prev_x IS NOT NULL AND marker.x > prev_x + (pending.before_m - prev_s);
      END IF;
      EXIT WHEN NOT past;
      offset_m := offset_m + (pending.before_m - pending.after_m);
      pending_index := pending_index + 1;
    END LOOP;
    IF cardinality(cs) > 0 AND (marker.stake + offset_m <= cs[cardinality(cs)] OR marker.x <= xs[cardinality(xs)]) THEN
      RAISE EXCEPTION 'stake markers of % are out of order at stake % m', route, marker.stake USING ERRCODE = 'P0001', HINT = 'markers_out_of_order';
    END IF;
    xs := xs || marker.x;
    cs := cs || (marker.stake + offset_m);
    prev_x := marker.x; prev_s := marker.stake;
  END LOOP;

  -- Where each break lies on the geometric axis and the continuous chainage it interrupts.
  offset_m := 0;
  FOR brk IN SELECT * FROM luyu_calibration_breaks ORDER BY ordinal LOOP
    x_k := coalesce(brk.x, luyu_interpolate(brk.before_m + offset_m, cs, xs));
    break_xs := break_xs || x_k;
    break_before := break_before || brk.before_m;
    break_after := break_after || brk.after_m;
    offset_m := offset_m + (brk.before_m - brk.after_m);
  END LOOP;

  UPDATE segments s
  SET centreline = x.line, chainage_from_meters = x.from_m, chainage_to_meters = x.to_m
  FROM (
    SELECT v.id,
           ST_SetSRID(ST_MakeLine(ST_MakePointM(ST_X(v.pt), ST_Y(v.pt), v.m) ORDER BY v.fraction, v.tie), 4326) AS line,
           min(v.m) AS from_m, max(v.m) AS to_m
    FROM (
      -- Every vertex at its stake; at a break inside the segment two vertices at one point.
      SELECT c.id, d.geom AS pt, ST_LineLocatePoint(ST_Force2D(c.geodesic_centreline), ST_Force2D(d.geom)) AS fraction, d.path[1] AS tie,
             luyu_interpolate(ST_M(d.geom), xs, cs)
               - coalesce((SELECT sum(break_before[k] - break_after[k]) FROM generate_subscripts(break_xs, 1) k WHERE break_xs[k] < ST_M(d.geom)), 0) AS m
      FROM segments c CROSS JOIN LATERAL ST_DumpPoints(c.geodesic_centreline) d
      WHERE c.route_code = route
      UNION ALL
      -- A vertex at every marker, where the interpolation changes slope.
      SELECT c.id, p.pt, ST_LineLocatePoint(ST_Force2D(c.geodesic_centreline), p.pt), 0,
             luyu_interpolate(xs[k], xs, cs)
               - coalesce((SELECT sum(break_before[j] - break_after[j]) FROM generate_subscripts(break_xs, 1) j WHERE break_xs[j] < xs[k]), 0)
      FROM segments c
      CROSS JOIN LATERAL generate_subscripts(xs, 1) k
      CROSS JOIN LATERAL (SELECT ST_Force2D(ST_GeometryN(ST_LocateAlong(c.geodesic_centreline, xs[k]), 1)) AS pt) p
      WHERE c.route_code = route AND p.pt IS NOT NULL
        AND xs[k] > least(ST_M(ST_StartPoint(c.geodesic_centreline)), ST_M(ST_EndPoint(c.geodesic_centreline)))
        AND xs[k] < greatest(ST_M(ST_StartPoint(c.geodesic_centreline)), ST_M(ST_EndPoint(c.geodesic_centreline)))
      UNION ALL
      SELECT c.id, p.pt, ST_LineLocatePoint(ST_Force2D(c.geodesic_centreline), p.pt), side.o,
             -- In digitised order: a line that runs with chainage meets stake_before first.
             CASE WHEN (side.o = 1) = (ST_M(ST_StartPoint(c.geodesic_centreline)) <= ST_M(ST_EndPoint(c.geodesic_centreline)))
                  THEN break_before[k] ELSE break_after[k] END
      FROM segments c
      CROSS JOIN LATERAL generate_subscripts(break_xs, 1) k
      CROSS JOIN LATERAL (SELECT ST_Force2D(ST_GeometryN(ST_LocateAlong(c.geodesic_centreline, break_xs[k]), 1)) AS pt) p
      CROSS JOIN generate_series(1, 2) side(o)
      WHERE c.route_code = route AND p.pt IS NOT NULL
        AND break_xs[k] > least(ST_M(ST_StartPoint(c.geodesic_centreline)), ST_M(ST_EndPoint(c.geodesic_centreline)))
        AND break_xs[k] < greatest(ST_M(ST_StartPoint(c.geodesic_centreline)), ST_M(ST_EndPoint(c.geodesic_centreline)))
    ) v
    GROUP BY v.id
  ) x
  WHERE s.id = x.id;
  GET DIAGNOSTICS written = ROW_COUNT;
  PERFORM set_config('luyu.calibrating', 'off', true);
  PERFORM set_config('luyu.defer_zone_rebuild', deferred, true);
  RETURN written;
END
$$;

-- Existing rows: the demo's spherical M re-measured on the ellipsoid (a fresh database has no
-- rows yet; the demo loader calls the same function after loading).
UPDATE segments SET geodesic_centreline = centreline;
SELECT luyu_remeasure_on_ellipsoid(ARRAY(SELECT DISTINCT route_code FROM segments WHERE is_demo));
ALTER TABLE segments ALTER COLUMN geodesic_centreline SET NOT NULL;
