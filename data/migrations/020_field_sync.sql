-- Crew field app (issue 12, docs/field_app.md): the log of actions synced from devices, resumable
-- photo uploads, GPS tracks and per-segment coverage from them.

-- One row per APPLIED action. Keyed by the client's action id within the jurisdiction, so the same
-- id sent again (a retry after a dropped connection) is answered from here with the original
-- result and nothing new is written. Conflicts and rejections are not kept: the crew resolves
-- them and sends the same id again (with a new baseVersion), which must then be evaluated afresh.
CREATE TABLE sync_actions (
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  action_id uuid NOT NULL,
  action_type text NOT NULL CHECK (action_type IN ('finding.create', 'lead.verify', 'case.reinspect', 'assignment.transition', 'track.append')),
  device_id text NOT NULL CHECK (length(device_id) BETWEEN 1 AND 100),
  user_id bigint NOT NULL REFERENCES users (id),
  client_at timestamptz,
  entity_id bigint,
  result jsonb NOT NULL DEFAULT '{}'::jsonb,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (jurisdiction_code, action_id)
);
CREATE INDEX sync_actions_user_idx ON sync_actions (user_id, applied_at DESC);

-- A photo sent in chunks (tus-like). The bytes live in LUYU_PHOTO_DIR/uploads/<id>.part until
-- finalize hands them to the ordinary photo intake (server/photos), which records photo_id.
CREATE TABLE photo_uploads (
  id uuid PRIMARY KEY,
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  user_id bigint NOT NULL REFERENCES users (id),
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  received_bytes integer NOT NULL DEFAULT 0 CHECK (received_bytes >= 0 AND received_bytes <= size_bytes),
  tag text NOT NULL DEFAULT 'other' CHECK (tag IN ('before', 'after', 'other')),
  photo_id bigint REFERENCES evidence_photos (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX photo_uploads_user_idx ON photo_uploads (user_id, created_at DESC);

-- GPS track chunks of an assignment as measured lines: M = epoch seconds of each fix.
CREATE TABLE patrol_tracks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  assignment_id bigint NOT NULL REFERENCES patrol_assignments (id) ON DELETE CASCADE,
  crew_id bigint REFERENCES crews (id) ON DELETE SET NULL,
  user_id bigint NOT NULL REFERENCES users (id),
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  -- The client's id of this chunk: the same chunk sent twice is stored once.
  client_chunk_id uuid NOT NULL,
  geom geometry(LineStringM, 4326) NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz NOT NULL,
  point_count integer NOT NULL CHECK (point_count >= 2),
  length_meters double precision NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (assignment_id, client_chunk_id),
  CHECK (ended_at >= started_at)
);
CREATE INDEX patrol_tracks_assignment_idx ON patrol_tracks (assignment_id, started_at);
CREATE INDEX patrol_tracks_jurisdiction_idx ON patrol_tracks (jurisdiction_code);
CREATE INDEX patrol_tracks_geom_gist ON patrol_tracks USING gist (geom);

-- What the matched track covered of each segment, per assignment: the union of covered pieces as
-- fractions of the segment's line (a multirange, so appending a chunk unions exactly, no GEOS).
CREATE TABLE segment_track_coverage (
  assignment_id bigint NOT NULL REFERENCES patrol_assignments (id) ON DELETE CASCADE,
  segment_id bigint NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
  jurisdiction_code text REFERENCES jurisdictions (code),
  covered_fractions nummultirange NOT NULL DEFAULT '{}',
  covered_share double precision NOT NULL DEFAULT 0 CHECK (covered_share BETWEEN 0 AND 1),
  first_covered_at timestamptz,
  last_covered_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (assignment_id, segment_id)
);
CREATE INDEX segment_track_coverage_segment_idx ON segment_track_coverage (segment_id);

-- A segment whose covered share reaches LUYU_COVERAGE_SHARE gets a segment_patrols row (migration
-- 013, source 'track'): that is the "last patrolled" the planner's due rules read.

ALTER TABLE sync_actions ENABLE ROW LEVEL SECURITY;
CREATE POLICY sync_actions_scope ON sync_actions TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));
ALTER TABLE photo_uploads ENABLE ROW LEVEL SECURITY;
CREATE POLICY photo_uploads_scope ON photo_uploads TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));
ALTER TABLE patrol_tracks ENABLE ROW LEVEL SECURITY;
CREATE POLICY patrol_tracks_scope ON patrol_tracks TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));
ALTER TABLE segment_track_coverage ENABLE ROW LEVEL SECURITY;
CREATE POLICY segment_track_coverage_scope ON segment_track_coverage TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));
