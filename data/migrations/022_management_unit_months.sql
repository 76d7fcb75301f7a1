-- Per-unit monthly snapshot (issue 13, dashboard speed): the dashboard's period totals and trend
-- and the rankings' monthly measures read one row per unit and month instead of one per unit,
-- category and day. A province dashboard then sums ~170 rows for "this month" instead of ~6,000
-- daily rows, each of which row-level security checks.
--
-- Kept by a statement-level trigger on management_monthly: luyu_refresh_management_aggregates()
-- (migration 014) deletes and re-inserts the monthly rows of every unit it touches, and each of
-- those statements re-sums the snapshot of exactly those units. The refresh function itself is
-- unchanged.

CREATE TABLE management_unit_months (
  jurisdiction_code text NOT NULL,
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  reported integer NOT NULL,
  open_reported integer NOT NULL,
  cleared integer NOT NULL,
  cleared_late integer NOT NULL,
  running_due integer NOT NULL,
  reopened integer NOT NULL,
  PRIMARY KEY (jurisdiction_code, month)
);

ALTER TABLE management_unit_months ENABLE ROW LEVEL SECURITY;
CREATE POLICY management_unit_months_scope ON management_unit_months FOR SELECT TO luyu_app
  USING (jurisdiction_code IN (SELECT unnest(luyu_scope_codes())));
REVOKE INSERT, UPDATE, DELETE ON management_unit_months FROM luyu_app;

-- Row-level security of the aggregates as a hashed lookup. `= ANY (<scope array>)` compares each
-- row with every code of the scope in turn (~190 for a province manager: measured 80 ms against
-- 42 ms as the owner for a province dashboard); `IN (SELECT unnest(…))` is planned as a hashed
-- subplan built once per statement, one probe per row (49 ms against 44 ms, same run).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['management_violation_facts', 'management_daily', 'management_monthly', 'management_unit_totals', 'management_clear_days', 'management_open_cells', 'management_lead_days'] LOOP
    EXECUTE format('ALTER POLICY %I ON %I USING (jurisdiction_code IN (SELECT unnest(luyu_scope_codes())))', t || '_scope', t);
  END LOOP;
END
$$;

CREATE FUNCTION luyu_refresh_unit_months() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  units text[];
BEGIN
  units := ARRAY(SELECT DISTINCT jurisdiction_code FROM changed_rows);
  IF cardinality(units) = 0 THEN
    RETURN NULL;
  END IF;
  DELETE FROM management_unit_months WHERE jurisdiction_code = ANY (units);
  INSERT INTO management_unit_months (jurisdiction_code, month, reported, open_reported, cleared, cleared_late, running_due, reopened)
  SELECT jurisdiction_code, month, sum(reported), sum(open_reported), sum(cleared), sum(cleared_late), sum(running_due), sum(reopened)
  FROM management_monthly WHERE jurisdiction_code = ANY (units)
  GROUP BY 1, 2;
  RETURN NULL;
END
$$;
CREATE TRIGGER management_monthly_unit_months_insert AFTER INSERT ON management_monthly
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION luyu_refresh_unit_months();
CREATE TRIGGER management_monthly_unit_months_delete AFTER DELETE ON management_monthly
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION luyu_refresh_unit_months();

INSERT INTO management_unit_months (jurisdiction_code, month, reported, open_reported, cleared, cleared_late, running_due, reopened)
SELECT jurisdiction_code, month, sum(reported), sum(open_reported), sum(cleared), sum(cleared_late), sum(running_due), sum(reopened)
FROM management_monthly GROUP BY 1, 2;

-- Future deadline days are what the overdue figure subtracts from the running deadlines: a
-- partial index keeps that read to the few rows with a deadline still ahead.
CREATE INDEX management_daily_running_due_idx ON management_daily (day, jurisdiction_code) WHERE running_due > 0;
