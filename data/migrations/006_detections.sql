-- Satellite change detections (issue 5, docs/detections_api.md). A detection is a LEAD, not
-- evidence: confirming one creates a violation with source 'satellite_lead'.

CREATE TABLE detection_batches (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Client-supplied batch id: the same one never creates a second batch.
  client_batch_id text CHECK (length(client_batch_id) BETWEEN 1 AND 128),
  content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'staging', 'classifying', 'done', 'failed')),
  file_format text NOT NULL CHECK (file_format IN ('geojson', 'shapefile', 'flatgeobuf', 'features')),
  source text NOT NULL CHECK (length(source) BETWEEN 1 AND 64),
  sensor text,
  model_name text,
  -- ISO dates or ranges (2026-03-01/2026-03-15), as the provider states them.
  before_date text NOT NULL,
  after_date text NOT NULL,
  ground_resolution_meters double precision CHECK (ground_resolution_meters > 0),
  crs text NOT NULL CHECK (crs IN ('WGS84', 'CGCS2000', 'GCJ02')),
  before_tile_url text,
  after_tile_url text,
  total integer NOT NULL DEFAULT 0,
  processed integer NOT NULL DEFAULT 0,
  repaired integer NOT NULL DEFAULT 0,
  rejected jsonb NOT NULL DEFAULT '[]',
  failure_reason text,
  -- The uploader's jurisdiction: who sees the batch before any detection of it is published.
  jurisdiction_code text REFERENCES jurisdictions (code),
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  is_demo boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
-- A failed batch may be uploaded again; a live or done one answers the retry instead.
CREATE UNIQUE INDEX detection_batches_client_id_uq ON detection_batches (client_batch_id) WHERE status <> 'failed';
CREATE UNIQUE INDEX detection_batches_sha_uq ON detection_batches (content_sha256) WHERE status <> 'failed';

-- Raw parsed rows of a batch being ingested (already valid, in WGS84). Owner-only: the request
-- role never reads it; it is emptied when the batch is published or fails.
CREATE TABLE detection_staging (
  batch_id bigint NOT NULL REFERENCES detection_batches (id) ON DELETE CASCADE,
  feature_index integer NOT NULL,
  external_id text,
  geom geometry(MultiPolygon, 4326) NOT NULL,
  confidence double precision CHECK (confidence BETWEEN 0 AND 1),
  change_type text NOT NULL,
  declared_area_square_meters double precision,
  PRIMARY KEY (batch_id, feature_index)
);
CREATE INDEX detection_staging_geom_gist ON detection_staging USING gist (geom);

CREATE TABLE detections (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  batch_id bigint NOT NULL REFERENCES detection_batches (id) ON DELETE CASCADE,
  feature_index integer NOT NULL,
  external_id text,
  geom geometry(MultiPolygon, 4326) NOT NULL,
  area_square_meters double precision NOT NULL,
  confidence double precision CHECK (confidence BETWEEN 0 AND 1),
  change_type text NOT NULL,
  declared_area_square_meters double precision,
  -- [{kind, overlapSquareMeters}] ordered by severity (server/domain/detection_rules.ts).
  zones jsonb NOT NULL DEFAULT '[]',
  primary_zone text,
  in_scope boolean NOT NULL,
  segment_id bigint REFERENCES segments (id) ON DELETE SET NULL,
  route_code text,
  direction smallint,
  stake_from_meters double precision,
  stake_to_meters double precision,
  side text CHECK (side IN ('left', 'right')),
  distance_meters double precision,
  jurisdiction_code text REFERENCES jurisdictions (code),
  candidate_category text,
  priority integer NOT NULL CHECK (priority BETWEEN 0 AND 100),
  match_kind text CHECK (match_kind IN ('violation', 'detection')),
  match_violation_id bigint REFERENCES violations (id) ON DELETE SET NULL,
  match_detection_id bigint REFERENCES detections (id) ON DELETE SET NULL,
  reopen_suggested boolean NOT NULL DEFAULT false,
  review_status text NOT NULL CHECK (review_status IN ('pending', 'field', 'confirmed', 'rejected', 'merged', 'known', 'out_of_scope')),
  reject_reason text,
  review_note text,
  reviewed_by bigint REFERENCES users (id) ON DELETE SET NULL,
  reviewed_by_username text,
  reviewed_at timestamptz,
  violation_id bigint REFERENCES violations (id) ON DELETE SET NULL,
  is_demo boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (batch_id, feature_index)
);
CREATE INDEX detections_geom_gist ON detections USING gist (geom);
CREATE INDEX detections_batch_idx ON detections (batch_id);
CREATE INDEX detections_jurisdiction_idx ON detections (jurisdiction_code, review_status);
-- Every foreign key pointing at a row needs an index on the referencing side: without one,
-- deleting a batch of 100,000 detections scanned the table once per deleted row (ON DELETE SET
-- NULL of match_detection_id) and ran for hours.
CREATE INDEX detections_match_detection_idx ON detections (match_detection_id) WHERE match_detection_id IS NOT NULL;
CREATE INDEX detections_match_violation_idx ON detections (match_violation_id) WHERE match_violation_id IS NOT NULL;
CREATE INDEX detections_violation_idx ON detections (violation_id) WHERE violation_id IS NOT NULL;
CREATE INDEX detections_segment_idx ON detections (segment_id) WHERE segment_id IS NOT NULL;

ALTER TABLE detections ENABLE ROW LEVEL SECURITY;
CREATE POLICY detections_scope ON detections TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));

-- A batch is visible to its uploader's jurisdiction and to every jurisdiction holding one of its
-- detections (the subquery is itself filtered by the detections policy).
ALTER TABLE detection_batches ENABLE ROW LEVEL SECURITY;
CREATE POLICY detection_batches_scope ON detection_batches TO luyu_app
  USING (luyu_in_scope(jurisdiction_code) OR EXISTS (SELECT 1 FROM detections d WHERE d.batch_id = detection_batches.id))
  WITH CHECK (luyu_in_scope(jurisdiction_code));

-- No policy: the request role sees no staged row (the ingest runs as the owner).
ALTER TABLE detection_staging ENABLE ROW LEVEL SECURITY;
