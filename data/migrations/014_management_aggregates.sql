-- Management aggregates (issue 13): the dashboard, campaign progress and unit rankings read these
-- tables, never the register per request. Writers only mark what changed (statement-level
-- triggers into management_dirty, one INSERT per statement); luyu_refresh_management_aggregates()
-- folds the marks into per-violation facts and per-(unit, day, category) rollups, recomputing only
-- the units that changed. A scheduled job calls it every few seconds (server/management/jobs.ts);
-- a dashboard read calls it too when marks are waiting, bounded, so figures are never stale.

-- When the site was reported cleared, for the clearance that still stands. A failed
-- re-inspection or a reopen undoes it (NULL again); a list filter and the aggregates read this
-- one column, so the figures and the ledger always agree.
ALTER TABLE violations ADD COLUMN cleared_at timestamptz;

CREATE FUNCTION luyu_violations_cleared_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status NOT IN ('cleared', 'reinspected', 'closed') THEN
    NEW.cleared_at := NULL;
  ELSIF TG_OP = 'INSERT' THEN
    -- Loaders of historic records may say when; otherwise the latest time the row knows.
    NEW.cleared_at := coalesce(NEW.cleared_at, NEW.closed_at, NEW.updated_at, now());
  ELSIF OLD.status NOT IN ('cleared', 'reinspected', 'closed') AND NEW.cleared_at IS NOT DISTINCT FROM OLD.cleared_at THEN
    NEW.cleared_at := now();
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER violations_cleared_at BEFORE INSERT OR UPDATE ON violations
  FOR EACH ROW EXECUTE FUNCTION luyu_violations_cleared_at();

-- Existing records: the time of their last report_cleared event.
UPDATE violations v SET cleared_at = coalesce(
  (SELECT max(e.occurred_at) FROM case_events e WHERE e.violation_id = v.id AND e.to_status = 'cleared'), v.cleared_at)
WHERE v.status IN ('cleared', 'reinspected', 'closed');
CREATE INDEX violations_cleared_idx ON violations (cleared_at) WHERE cleared_at IS NOT NULL;

-- What changed since the last refresh: a violation id with the units it belonged to before and
-- after, or (id 0) a unit whose satellite leads changed. Only the SECURITY DEFINER functions
-- below touch it; the request role has no grant.
CREATE TABLE management_dirty (
  entity text NOT NULL CHECK (entity IN ('violation', 'leads')),
  id bigint NOT NULL,
  jurisdiction_code text NOT NULL,
  marked_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (entity, id, jurisdiction_code)
);
REVOKE ALL ON management_dirty FROM luyu_app;

CREATE FUNCTION luyu_mark_violations_dirty() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO management_dirty (entity, id, jurisdiction_code)
    SELECT DISTINCT 'violation', id, jurisdiction_code FROM new_rows WHERE jurisdiction_code IS NOT NULL
    ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO management_dirty (entity, id, jurisdiction_code)
    SELECT DISTINCT 'violation', id, jurisdiction_code FROM old_rows WHERE jurisdiction_code IS NOT NULL
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER violations_mark_dirty_insert AFTER INSERT ON violations
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION luyu_mark_violations_dirty();
CREATE TRIGGER violations_mark_dirty_update AFTER UPDATE ON violations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION luyu_mark_violations_dirty();
CREATE TRIGGER violations_mark_dirty_delete AFTER DELETE ON violations
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION luyu_mark_violations_dirty();

CREATE FUNCTION luyu_mark_leads_dirty() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  -- Leads are re-rolled per unit: one mark per unit, however many rows a batch wrote.
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO management_dirty (entity, id, jurisdiction_code)
    SELECT DISTINCT 'leads', 0, jurisdiction_code FROM new_rows WHERE jurisdiction_code IS NOT NULL
    ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO management_dirty (entity, id, jurisdiction_code)
    SELECT DISTINCT 'leads', 0, jurisdiction_code FROM old_rows WHERE jurisdiction_code IS NOT NULL
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER detections_mark_dirty_insert AFTER INSERT ON detections
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION luyu_mark_leads_dirty();
CREATE TRIGGER detections_mark_dirty_update AFTER UPDATE ON detections
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION luyu_mark_leads_dirty();
CREATE TRIGGER detections_mark_dirty_delete AFTER DELETE ON detections
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION luyu_mark_leads_dirty();

-- One row per case (is_violation, not rejected, in a unit): what the rollups and campaign
-- progress need, nothing else. Dates are Asia/Shanghai calendar days.
CREATE TABLE management_violation_facts (
  violation_id bigint PRIMARY KEY,
  jurisdiction_code text NOT NULL,
  category text NOT NULL,
  route_code text,
  admin_class text,
  zones text[] NOT NULL,
  reported_day date NOT NULL,
  cleared_day date,
  -- Not yet cleared (reported … forced_removal).
  is_open boolean NOT NULL,
  -- The rectification deadline runs (notice_issued, rectifying, reminded, forced_removal).
  deadline_day date,
  is_running boolean NOT NULL,
  cleared_late boolean NOT NULL,
  -- Days on which the case was reopened after closure (recurrence).
  reopen_days date[] NOT NULL DEFAULT '{}',
  -- 0.02° grid cell of the representative point, for the open-case density map.
  cell_x integer NOT NULL,
  cell_y integer NOT NULL
);
CREATE INDEX management_violation_facts_unit_idx ON management_violation_facts (jurisdiction_code);

-- Per unit, category and day; each column counts on the day of its own event:
-- reported/open_reported by reported day, cleared/cleared_late by cleared day, running_due by
-- deadline day, reopened by reopen day.
CREATE TABLE management_daily (
  jurisdiction_code text NOT NULL,
  category text NOT NULL,
  day date NOT NULL,
  reported integer NOT NULL DEFAULT 0,
  open_reported integer NOT NULL DEFAULT 0,
  cleared integer NOT NULL DEFAULT 0,
  cleared_late integer NOT NULL DEFAULT 0,
  running_due integer NOT NULL DEFAULT 0,
  reopened integer NOT NULL DEFAULT 0,
  PRIMARY KEY (jurisdiction_code, day, category)
);

-- The same per month (trends and rankings read a month as one row per unit and category).
CREATE TABLE management_monthly (
  jurisdiction_code text NOT NULL,
  category text NOT NULL,
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  reported integer NOT NULL,
  open_reported integer NOT NULL,
  cleared integer NOT NULL,
  cleared_late integer NOT NULL,
  running_due integer NOT NULL,
  reopened integer NOT NULL,
  PRIMARY KEY (jurisdiction_code, month, category)
);

-- What stands now per unit and category: open cases and cases whose deadline runs.
CREATE TABLE management_unit_totals (
  jurisdiction_code text NOT NULL,
  category text NOT NULL,
  open integer NOT NULL,
  running integer NOT NULL,
  PRIMARY KEY (jurisdiction_code, category)
);

CREATE INDEX management_daily_day_idx ON management_daily (day);
CREATE INDEX management_monthly_month_idx ON management_monthly (month);

-- Whole days from report to clearance, by cleared day: medians without reading cases.
CREATE TABLE management_clear_days (
  jurisdiction_code text NOT NULL,
  category text NOT NULL,
  day date NOT NULL,
  days_to_clear integer NOT NULL,
  cases integer NOT NULL,
  PRIMARY KEY (jurisdiction_code, day, category, days_to_clear)
);

-- Open cases per grid cell: grid 0 = 0.02° cells (district and city views), grid 1 = 0.2° cells
-- (province view: a few hundred points instead of tens of thousands).
CREATE TABLE management_open_cells (
  jurisdiction_code text NOT NULL,
  grid smallint NOT NULL CHECK (grid IN (0, 1)),
  cell_x integer NOT NULL,
  cell_y integer NOT NULL,
  cases integer NOT NULL,
  PRIMARY KEY (jurisdiction_code, grid, cell_x, cell_y)
);

-- Satellite leads needing review (in scope, not auto-settled as known/out_of_scope) by the day
-- they arrived and whole days until reviewed (-1 = not reviewed yet).
CREATE TABLE management_lead_days (
  jurisdiction_code text NOT NULL,
  day date NOT NULL,
  review_days integer NOT NULL,
  leads integer NOT NULL,
  PRIMARY KEY (jurisdiction_code, day, review_days)
);

-- When the aggregates were last refreshed (one row).
CREATE TABLE management_refresh_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  refreshed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO management_refresh_state DEFAULT VALUES;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['management_violation_facts', 'management_daily', 'management_monthly', 'management_unit_totals', 'management_clear_days', 'management_open_cells', 'management_lead_days'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    -- Rows always have a unit, so luyu_in_scope's NULL case never applies; the scalar subquery
    -- reads the scope once per statement instead of parsing the setting for every row (a province
    -- manager's scope lists ~190 units and a dashboard read sums tens of thousands of rows).
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO luyu_app USING (jurisdiction_code = ANY ((SELECT luyu_scope_codes())::text[]))', t || '_scope', t);
    -- Only the refresh function (SECURITY DEFINER, the owner) writes them.
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON %I FROM luyu_app', t);
  END LOOP;
END
$$;
-- Holds no jurisdiction data: readable by every request (how fresh the figures are).
REVOKE INSERT, UPDATE, DELETE ON management_refresh_state FROM luyu_app;

/*
 * Folds up to max_marks marks (all when full_rebuild) into facts and rollups. Returns the number
 * of marks taken, or -1 when another refresh holds the lock (it will take the marks).
 * Units are recomputed whole from their facts: a unit holds at most a few thousand cases, and a
 * whole-unit recompute has no incremental drift to get wrong.
 */
CREATE FUNCTION luyu_refresh_management_aggregates(max_marks integer, full_rebuild boolean) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  violation_ids bigint[];
  units text[];
  lead_units text[];
  taken integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('luyu_refresh_management_aggregates')) THEN
    RETURN -1;
  END IF;
  IF full_rebuild THEN
    SELECT count(*)::integer INTO taken FROM management_dirty;
    DELETE FROM management_dirty;
    DELETE FROM management_violation_facts;
    violation_ids := NULL;
    units := ARRAY(SELECT DISTINCT jurisdiction_code FROM violations WHERE jurisdiction_code IS NOT NULL
                   UNION SELECT DISTINCT jurisdiction_code FROM management_daily);
    lead_units := ARRAY(SELECT DISTINCT jurisdiction_code FROM detections WHERE jurisdiction_code IS NOT NULL
                        UNION SELECT DISTINCT jurisdiction_code FROM management_lead_days);
  ELSE
    WITH picked AS (
      SELECT entity, id, jurisdiction_code FROM management_dirty ORDER BY marked_at LIMIT max_marks
    ), removed AS (
      DELETE FROM management_dirty d USING picked p
      WHERE d.entity = p.entity AND d.id = p.id AND d.jurisdiction_code = p.jurisdiction_code
      RETURNING d.entity, d.id, d.jurisdiction_code
    )
    SELECT count(*)::integer,
           array_agg(DISTINCT id) FILTER (WHERE entity = 'violation'),
           array_agg(DISTINCT jurisdiction_code) FILTER (WHERE entity = 'violation'),
           array_agg(DISTINCT jurisdiction_code) FILTER (WHERE entity = 'leads')
    INTO taken, violation_ids, units, lead_units
    FROM removed;
    IF taken = 0 THEN
      RETURN 0;
    END IF;
    units := coalesce(units, '{}');
    lead_units := coalesce(lead_units, '{}');
    DELETE FROM management_violation_facts WHERE violation_id = ANY (coalesce(violation_ids, '{}'));
  END IF;

  INSERT INTO management_violation_facts (violation_id, jurisdiction_code, category, route_code, admin_class, zones,
    reported_day, cleared_day, is_open, deadline_day, is_running, cleared_late, reopen_days, cell_x, cell_y)
  SELECT v.id, v.jurisdiction_code, v.category, v.route_code, coalesce(s.admin_class, r.admin_class), v.zones,
         (v.reported_at AT TIME ZONE 'Asia/Shanghai')::date,
         (v.cleared_at AT TIME ZONE 'Asia/Shanghai')::date,
         v.status IN ('reported', 'verified', 'notice_issued', 'rectifying', 'reminded', 'forced_removal'),
         (v.deadline_at AT TIME ZONE 'Asia/Shanghai')::date,
         v.status IN ('notice_issued', 'rectifying', 'reminded', 'forced_removal'),
         coalesce(v.cleared_at > v.deadline_at, false),
         ARRAY(SELECT DISTINCT (e.occurred_at AT TIME ZONE 'Asia/Shanghai')::date FROM case_events e
               WHERE e.violation_id = v.id AND e.event = 'reopen' AND e.from_status = 'closed'),
         floor(ST_X(p.pt) / 0.02)::integer, floor(ST_Y(p.pt) / 0.02)::integer
  FROM violations v
  LEFT JOIN segments s ON s.id = v.segment_id
  LEFT JOIN routes r ON r.code = v.route_code
  CROSS JOIN LATERAL (SELECT CASE WHEN GeometryType(v.geom) = 'POINT' THEN v.geom ELSE ST_PointOnSurface(v.geom) END AS pt) p
  WHERE v.is_violation AND v.status <> 'rejected' AND v.jurisdiction_code IS NOT NULL
    AND (full_rebuild OR v.id = ANY (violation_ids));

  DELETE FROM management_daily WHERE full_rebuild OR jurisdiction_code = ANY (units);
  INSERT INTO management_daily (jurisdiction_code, category, day, reported, open_reported, cleared, cleared_late, running_due, reopened)
  SELECT jurisdiction_code, category, day, sum(reported), sum(open_reported), sum(cleared), sum(cleared_late), sum(running_due), sum(reopened)
  FROM (
    SELECT jurisdiction_code, category, reported_day AS day, 1 AS reported, is_open::integer AS open_reported,
           0 AS cleared, 0 AS cleared_late, 0 AS running_due, 0 AS reopened
    FROM management_violation_facts WHERE full_rebuild OR jurisdiction_code = ANY (units)
    UNION ALL
    SELECT jurisdiction_code, category, cleared_day, 0, 0, 1, cleared_late::integer, 0, 0
    FROM management_violation_facts WHERE cleared_day IS NOT NULL AND (full_rebuild OR jurisdiction_code = ANY (units))
    UNION ALL
    SELECT jurisdiction_code, category, deadline_day, 0, 0, 0, 0, 1, 0
    FROM management_violation_facts WHERE is_running AND deadline_day IS NOT NULL AND (full_rebuild OR jurisdiction_code = ANY (units))
    UNION ALL
    SELECT f.jurisdiction_code, f.category, r.day, 0, 0, 0, 0, 0, 1
    FROM management_violation_facts f CROSS JOIN LATERAL unnest(f.reopen_days) AS r(day)
    WHERE full_rebuild OR f.jurisdiction_code = ANY (units)
  ) AS contributions
  GROUP BY jurisdiction_code, category, day;

  DELETE FROM management_monthly WHERE full_rebuild OR jurisdiction_code = ANY (units);
  INSERT INTO management_monthly (jurisdiction_code, category, month, reported, open_reported, cleared, cleared_late, running_due, reopened)
  SELECT jurisdiction_code, category, date_trunc('month', day)::date, sum(reported), sum(open_reported), sum(cleared), sum(cleared_late), sum(running_due), sum(reopened)
  FROM management_daily WHERE full_rebuild OR jurisdiction_code = ANY (units)
  GROUP BY 1, 2, 3;

  DELETE FROM management_unit_totals WHERE full_rebuild OR jurisdiction_code = ANY (units);
  INSERT INTO management_unit_totals (jurisdiction_code, category, open, running)
  SELECT jurisdiction_code, category, count(*) FILTER (WHERE is_open), count(*) FILTER (WHERE is_running AND deadline_day IS NOT NULL)
  FROM management_violation_facts WHERE full_rebuild OR jurisdiction_code = ANY (units)
  GROUP BY 1, 2;

  DELETE FROM management_clear_days WHERE full_rebuild OR jurisdiction_code = ANY (units);
  INSERT INTO management_clear_days (jurisdiction_code, category, day, days_to_clear, cases)
  SELECT jurisdiction_code, category, cleared_day, cleared_day - reported_day, count(*)::integer
  FROM management_violation_facts
  WHERE cleared_day IS NOT NULL AND (full_rebuild OR jurisdiction_code = ANY (units))
  GROUP BY 1, 2, 3, 4;

  DELETE FROM management_open_cells WHERE full_rebuild OR jurisdiction_code = ANY (units);
  INSERT INTO management_open_cells (jurisdiction_code, grid, cell_x, cell_y, cases)
  SELECT jurisdiction_code, 0, cell_x, cell_y, count(*)::integer
  FROM management_violation_facts
  WHERE is_open AND (full_rebuild OR jurisdiction_code = ANY (units))
  GROUP BY 1, 3, 4
  UNION ALL
  SELECT jurisdiction_code, 1, floor(cell_x / 10.0)::integer, floor(cell_y / 10.0)::integer, count(*)::integer
  FROM management_violation_facts
  WHERE is_open AND (full_rebuild OR jurisdiction_code = ANY (units))
  GROUP BY 1, 3, 4;

  DELETE FROM management_lead_days WHERE full_rebuild OR jurisdiction_code = ANY (lead_units);
  INSERT INTO management_lead_days (jurisdiction_code, day, review_days, leads)
  SELECT d.jurisdiction_code, (d.created_at AT TIME ZONE 'Asia/Shanghai')::date,
         coalesce((d.reviewed_at AT TIME ZONE 'Asia/Shanghai')::date - (d.created_at AT TIME ZONE 'Asia/Shanghai')::date, -1),
         count(*)::integer
  FROM detections d
  WHERE d.in_scope AND d.review_status NOT IN ('known', 'out_of_scope') AND d.jurisdiction_code IS NOT NULL
    AND (full_rebuild OR d.jurisdiction_code = ANY (lead_units))
  GROUP BY 1, 2, 3;

  UPDATE management_refresh_state SET refreshed_at = now();
  RETURN taken;
END
$$;
-- The request role may run it (a dashboard read folds waiting marks first); it runs as the owner.
GRANT EXECUTE ON FUNCTION luyu_refresh_management_aggregates(integer, boolean) TO luyu_app;

-- Whether marks are waiting (the request role cannot read management_dirty itself).
CREATE FUNCTION luyu_management_marks_waiting() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM management_dirty)
$$;
GRANT EXECUTE ON FUNCTION luyu_management_marks_waiting() TO luyu_app;

SELECT luyu_refresh_management_aggregates(0, true);
