-- Classified staged detections (issue 15, docs/scaling.md "Classification"). The ingest classifies
-- each staged chunk as soon as it is staged, in its own committed transaction and on several
-- connections at once (while the next chunk is still being read and staged), and keeps the
-- results here, keyed like the staged row. Publication stays ONE transaction: it joins the staged
-- geometry with these results into `detections` and empties both (a batch is all of its features
-- or none). No geometry here: the staged row already holds it, and the publish copies it once.
CREATE TABLE detection_classified (
  batch_id bigint NOT NULL REFERENCES detection_batches (id) ON DELETE CASCADE,
  feature_index integer NOT NULL,
  area_square_meters double precision NOT NULL,
  zones jsonb NOT NULL,
  primary_zone text,
  in_scope boolean NOT NULL,
  segment_id bigint,
  route_code text,
  direction smallint,
  stake_from_meters double precision,
  stake_to_meters double precision,
  side text,
  distance_meters double precision,
  jurisdiction_code text,
  candidate_category text,
  priority integer NOT NULL,
  match_kind text,
  match_violation_id bigint,
  match_detection_id bigint,
  reopen_suggested boolean NOT NULL,
  review_status text NOT NULL,
  is_demo boolean NOT NULL,
  -- Classified once: a chunk classified twice is an error, not a duplicate detection. No foreign key
  -- to the staged row: its cascade would delete row by row; whoever empties a batch's staging
  -- empties this table for the batch too (server/detections/queries.ts).
  PRIMARY KEY (batch_id, feature_index)
);

-- Like detection_staging: no policy, so the request role sees no row (the ingest runs as the owner).
ALTER TABLE detection_classified ENABLE ROW LEVEL SECURITY;
