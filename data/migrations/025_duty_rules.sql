-- Separation of duties per jurisdiction (issue 14). A row overrides the defaults in
-- server/domain/duty_rules.ts for that jurisdiction and everything below it; the most specific
-- row on the way up from a case's district applies. No row anywhere = the defaults (all on).
CREATE TABLE duty_rules (
  jurisdiction_code text PRIMARY KEY REFERENCES jurisdictions (code),
  -- 复查 is an independent site visit: not by whoever reported the clearance.
  reinspector_differs_from_clearance_reporter boolean NOT NULL,
  -- 复查合格 needs its own on-site photo, taken with the re-inspection, not the clearance photo.
  reinspection_needs_own_photo boolean NOT NULL,
  -- 结案 by someone other than whoever reported the clearance.
  closer_differs_from_clearance_reporter boolean NOT NULL,
  -- 限期整改通知书 names two officers with certificate numbers.
  notice_needs_two_officers boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by_username text
);

-- Is `code` the user's own scope or one of its ancestors? Rules set at the city or province apply
-- to a district user, so those rows must be readable from below; a sibling district's rows are not.
CREATE FUNCTION luyu_scope_or_ancestor(code text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT luyu_in_scope(code) OR EXISTS (
    WITH RECURSIVE up AS (
      SELECT j.code, j.parent_code FROM jurisdictions j WHERE j.code = ANY (luyu_scope_codes())
      UNION
      SELECT p.code, p.parent_code FROM jurisdictions p JOIN up ON p.code = up.parent_code
    )
    SELECT 1 FROM up WHERE up.code = luyu_scope_or_ancestor.code)
$$;

ALTER TABLE duty_rules ENABLE ROW LEVEL SECURITY;
CREATE POLICY duty_rules_read ON duty_rules FOR SELECT TO luyu_app USING (luyu_scope_or_ancestor(jurisdiction_code));
CREATE POLICY duty_rules_write ON duty_rules FOR INSERT TO luyu_app WITH CHECK (luyu_in_scope(jurisdiction_code));
CREATE POLICY duty_rules_update ON duty_rules FOR UPDATE TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));
CREATE POLICY duty_rules_delete ON duty_rules FOR DELETE TO luyu_app USING (luyu_in_scope(jurisdiction_code));

-- "Not in your jurisdiction" instead of "out of the route's range" (issue 14): a stake hidden from
-- the user by row-level security may still exist in a neighbouring district. The answer is one
-- boolean, nothing about the other district's segments leaks.
CREATE FUNCTION luyu_stake_outside_scope(route text, chainage_meters double precision) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT EXISTS (
    SELECT 1 FROM segments s
    WHERE s.route_code = route
      AND chainage_meters BETWEEN least(s.chainage_from_meters, s.chainage_to_meters) AND greatest(s.chainage_from_meters, s.chainage_to_meters)
      AND NOT luyu_in_scope(s.jurisdiction_code))
$$;
REVOKE ALL ON FUNCTION luyu_stake_outside_scope(text, double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION luyu_stake_outside_scope(text, double precision) TO luyu_app;
