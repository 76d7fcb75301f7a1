-- Row-level security (003) made every spatial query about 10× slower: PostgreSQL may only use a
-- user's condition as an index condition under RLS when its operator is LEAKPROOF, and PostGIS
-- ships its index operators (&&, ~, @, <->) unmarked, so the GiST indexes were skipped and every
-- row was filtered. These operators reveal nothing but their boolean/distance result (at most a
-- "mixed SRID" error, and SRIDs are not secret), so marking them leakproof is sound. Only a
-- superuser may do it; elsewhere the app still works, just without spatial indexes under RLS.
DO $$
DECLARE
  signature text;
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    FOREACH signature IN ARRAY ARRAY[
      'geometry_overlaps(geometry, geometry)',
      'geometry_contains(geometry, geometry)',
      'geometry_within(geometry, geometry)',
      'geometry_distance_centroid(geometry, geometry)',
      'geography_overlaps(geography, geography)'
    ] LOOP
      EXECUTE format('ALTER FUNCTION %s LEAKPROOF', signature);
    END LOOP;
  ELSE
    RAISE NOTICE 'Not a superuser: PostGIS index operators stay non-leakproof, so spatial queries under row-level security cannot use the GiST indexes. A superuser can run data/migrations/005_leakproof_spatial_operators.sql.';
  END IF;
END
$$;
