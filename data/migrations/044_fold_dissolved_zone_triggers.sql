-- One trigger function marks dissolved zone sets stale (migration 034 had two near-copies: one for
-- statements on protection_zones, one for a segment or structure moving to another district). Both
-- turn "what changed" into (district, kind) keys and hand them to luyu_mark_dissolved_sets, which
-- stays the only writer of the marks. Behaviour is unchanged: the same triggers fire on the same
-- events with the same conditions and mark the same sets; only the function they call is one.
-- The rebuild functions of 034 are not touched here.

CREATE OR REPLACE FUNCTION luyu_mark_dissolved_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  keys jsonb := '[]'::jsonb;
BEGIN
  IF TG_LEVEL = 'ROW' THEN
    -- A segment or structure moved to another district (row triggers on segments / road_structures,
    -- fired only when jurisdiction_code changed): its zones leave one set and join another.
    keys := coalesce((
      SELECT jsonb_agg(jsonb_build_object('jurisdiction_code', c.code, 'kind', z.kind))
      FROM (SELECT DISTINCT kind FROM protection_zones
            WHERE CASE TG_TABLE_NAME WHEN 'segments' THEN segment_id = NEW.id ELSE structure_id = NEW.id END) z
      CROSS JOIN (VALUES (OLD.jurisdiction_code), (NEW.jurisdiction_code)) AS c(code)), '[]'::jsonb);
  ELSE
    -- A statement changed protection_zones: the sets of the changed rows' districts and kinds. A
    -- deleted zone whose segment is gone too (ON DELETE CASCADE) has no district to look up: the
    -- sets whose pieces overlap it are the ones it was part of.
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
  END IF;
  -- No keys, nothing to mark (034's district function called the upsert with an empty list: a no-op).
  IF jsonb_array_length(keys) > 0 THEN
    PERFORM luyu_mark_dissolved_sets(keys);
  END IF;
  RETURN NULL;
END
$$;

-- Re-pointed with their events, transition tables and conditions exactly as 034 declared them.
CREATE OR REPLACE TRIGGER protection_zones_mark_dissolved_insert AFTER INSERT ON protection_zones
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION luyu_mark_dissolved_changed();
CREATE OR REPLACE TRIGGER protection_zones_mark_dissolved_update AFTER UPDATE ON protection_zones
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION luyu_mark_dissolved_changed();
CREATE OR REPLACE TRIGGER protection_zones_mark_dissolved_delete AFTER DELETE ON protection_zones
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION luyu_mark_dissolved_changed();
CREATE OR REPLACE TRIGGER segments_mark_dissolved_district AFTER UPDATE OF jurisdiction_code ON segments
  FOR EACH ROW WHEN (OLD.jurisdiction_code IS DISTINCT FROM NEW.jurisdiction_code) EXECUTE FUNCTION luyu_mark_dissolved_changed();
CREATE OR REPLACE TRIGGER road_structures_mark_dissolved_district AFTER UPDATE OF jurisdiction_code ON road_structures
  FOR EACH ROW WHEN (OLD.jurisdiction_code IS DISTINCT FROM NEW.jurisdiction_code) EXECUTE FUNCTION luyu_mark_dissolved_changed();

DROP FUNCTION luyu_mark_zones_changed();
DROP FUNCTION luyu_mark_owner_district_changed();
