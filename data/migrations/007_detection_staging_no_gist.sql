-- Staged detections are only ever read by batch (the primary key), never searched by place: the
-- GiST index of 006 only slowed staging down. This change was first made by editing 006 in place
-- (commit 89662bb), which broke databases migrated before it; 006 is restored and the change lives here.
DROP INDEX IF EXISTS detection_staging_geom_gist;
