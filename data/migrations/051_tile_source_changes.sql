-- What the tile cache (server/tiles/tile_cache.ts, issue 15) keys its tiles by: a change count per
-- table a tile layer reads. Every statement that writes one of those tables adds a row here, in
-- its own transaction, so the row appears exactly when the change does (at commit). A layer's
-- version is the sum of its tables' weights: it grows with every committed change whatever order
-- transactions commit in (a sequence's "last value" would not: a transaction that took a smaller
-- number and commits later would leave the version unchanged). Read before a tile's own snapshot,
-- so a cached tile is never older than the version it is stored under.
--
-- Rows, not one counter per table: concurrent writers only insert (no row lock to queue on, no
-- deadlock between two writers touching two tables in opposite order). luyu_compact_tile_source_changes
-- folds each table's rows into one of the same total weight (the tiles.compact job), so the sum
-- reads a handful of rows.
CREATE TABLE tile_source_changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  table_name text NOT NULL,
  weight bigint NOT NULL DEFAULT 1 CHECK (weight > 0)
);
CREATE INDEX tile_source_changes_table_idx ON tile_source_changes (table_name) INCLUDE (weight);

-- Runs as its owner: a request's role (luyu_app) writes violations but has no business writing here.
CREATE FUNCTION luyu_note_tile_source_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  INSERT INTO tile_source_changes (table_name) VALUES (TG_TABLE_NAME);
  RETURN NULL;
END
$$;

-- Every table a tile template reads (server/tiles/tile_layers.ts sourceTables), and jurisdictions:
-- a user's scope is their jurisdiction and everything below it, so the tree is part of every tile.
DO $$
DECLARE
  source_table text;
BEGIN
  FOREACH source_table IN ARRAY ARRAY['segments', 'routes', 'protection_zones', 'road_structures', 'dissolved_zone_overviews',
                                       'dissolved_zone_tiles', 'violations', 'detections', 'basemap_roads', 'jurisdictions'] LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION luyu_note_tile_source_change()',
      source_table || '_tile_source_change', source_table);
  END LOOP;
END
$$;

-- Folds each table's rows into one row of the same total weight, in one transaction: a reader sees
-- the rows before or after, with the same sum either way. Rows inserted meanwhile (not yet
-- visible to the DELETE) stay and count. One compaction at a time (transaction advisory lock).
CREATE FUNCTION luyu_compact_tile_source_changes() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  folded integer := 0;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('luyu_compact_tile_source_changes')) THEN
    RETURN 0;
  END IF;
  WITH gone AS (
    DELETE FROM tile_source_changes c
    WHERE c.table_name IN (SELECT table_name FROM tile_source_changes GROUP BY table_name HAVING count(*) > 1)
    RETURNING c.table_name, c.weight
  ), refolded AS (
    INSERT INTO tile_source_changes (table_name, weight)
    SELECT table_name, sum(weight) FROM gone GROUP BY table_name
    RETURNING 1
  )
  SELECT count(*) INTO folded FROM gone;
  RETURN folded;
END
$$;

-- Requests read versions (as the owner, before their scoped transaction); only the trigger writes.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON tile_source_changes FROM luyu_app;
