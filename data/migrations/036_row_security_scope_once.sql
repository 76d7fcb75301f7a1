-- Row-level security that reads the request's scope once per statement instead of once per row.
--
-- luyu_in_scope(code) (003) is an inlined SQL function: every row a policy looks at parses the
-- comma list in luyu.scope_codes with string_to_array and compares the row's code with each entry.
-- Measured on 50,000 violations as a province manager (25 codes): counting the first 10,001 rows
-- took ~50 ms under the policy against ~2 ms as the owner. That per-row parse, not the request's
-- session or transaction, made list endpoints 3–7× their own SQL. Management aggregates already
-- use the cheap form (014, 022): `code IN (SELECT unnest(luyu_scope_codes()))` is planned as one
-- hashed subplan built once per statement, one hash probe per row; scalar subqueries around the
-- other settings are init plans, evaluated once.
--
-- Every policy that calls luyu_in_scope(column) or luyu_current_user_id() is rewritten here to
--   (column IN (SELECT unnest(luyu_scope_codes())) OR (column IS NULL AND (SELECT luyu_scope_is_top())))
--   (SELECT luyu_current_user_id())
-- Same truth table as luyu_in_scope: a listed code is visible; a NULL code only at the top of the
-- hierarchy; with the settings unset nothing (unnest of NULL is no row; NULL OR false is NULL,
-- which a policy treats as false, in USING and in WITH CHECK alike). The rewrite reads
-- pg_policies, so policies of migrations before this one are covered whatever their number;
-- tests/integration/row_security_scope_once.test.ts fails for a later policy written the old way.
-- luyu_in_scope stays for SQL functions that call it once per call (duty rules, stakes).

CREATE FUNCTION luyu_scope_is_top() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(current_setting('luyu.scope_is_top', true), '') = 'on'
$$;

DO $$
DECLARE
  p record;
  in_scope constant text := 'luyu_in_scope\(([A-Za-z_][A-Za-z0-9_.]*)\)';
  once constant text := '(\1 IN (SELECT unnest(luyu_scope_codes())) OR (\1 IS NULL AND (SELECT luyu_scope_is_top())))';
  using_sql text;
  check_sql text;
BEGIN
  FOR p IN
    SELECT schemaname, tablename, policyname, qual, with_check
    FROM pg_policies
    WHERE schemaname = current_schema()
      AND (concat(qual, ' ', with_check) ~ 'luyu_in_scope\(' OR concat(qual, ' ', with_check) ~ 'luyu_current_user_id\(\)')
  LOOP
    using_sql := regexp_replace(regexp_replace(p.qual, 'luyu_current_user_id\(\)', '(SELECT luyu_current_user_id())', 'g'), in_scope, once, 'g');
    check_sql := regexp_replace(regexp_replace(p.with_check, 'luyu_current_user_id\(\)', '(SELECT luyu_current_user_id())', 'g'), in_scope, once, 'g');
    EXECUTE format('ALTER POLICY %I ON %I.%I', p.policyname, p.schemaname, p.tablename)
      || CASE WHEN using_sql IS NULL THEN '' ELSE ' USING (' || using_sql || ')' END
      || CASE WHEN check_sql IS NULL THEN '' ELSE ' WITH CHECK (' || check_sql || ')' END;
  END LOOP;
END
$$;
