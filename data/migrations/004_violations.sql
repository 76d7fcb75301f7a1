-- Violations register and the enforcement lifecycle (issue 4). Statuses, events and categories are
-- text whose valid values live in server/domain (case_workflow.ts, violation_categories.ts); the
-- CHECKs here are the database's own guard against a writer that skipped the service.

CREATE TABLE violations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Client-supplied id (imports, field apps): the same external id never creates a second row.
  external_id text UNIQUE CHECK (length(external_id) BETWEEN 1 AND 128),
  -- Unified case number, assigned at verification: <jurisdiction>-<year>-<6-digit sequence>.
  case_number text UNIQUE CHECK (case_number ~ '^[1-8][0-9]{5}-[0-9]{4}-[0-9]{6}$'),
  category text NOT NULL CHECK (category ~ '^[a-z_]+$'),
  status text NOT NULL DEFAULT 'reported' CHECK (status ~ '^[a-z_]+$'),
  geom geometry(Geometry, 4326) NOT NULL CHECK (GeometryType(geom) IN ('POINT', 'POLYGON') AND ST_IsValid(geom)),
  attributes jsonb NOT NULL DEFAULT '{}',
  description text CHECK (length(description) <= 4000),
  source text NOT NULL CHECK (source IN ('patrol', 'complaint', 'satellite_lead', 'import', 'referral')),
  -- Responsible party {name, contact, idType, idNumber}; required by the notice transition.
  party jsonb,
  -- Location on the network, computed in PostGIS on every save of the geometry.
  segment_id bigint REFERENCES segments (id) ON DELETE SET NULL,
  route_code text REFERENCES routes (code) ON UPDATE CASCADE,
  direction smallint CHECK (direction IN (1, -1)),
  chainage_meters double precision,
  side text CHECK (side IN ('left', 'right')),
  offset_meters double precision,
  zones text[] NOT NULL DEFAULT '{}',
  jurisdiction_code text REFERENCES jurisdictions (code),
  -- Legal assessment: {isViolation, article, penaltyArticle, reasonCode, reason}.
  verdict jsonb NOT NULL,
  is_violation boolean NOT NULL,
  deadline_at timestamptz,
  reported_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  reported_by bigint REFERENCES users (id),
  -- Optimistic concurrency: a transition names the version it saw; another change meanwhile → 409.
  version integer NOT NULL DEFAULT 1,
  is_demo boolean NOT NULL DEFAULT false
);
CREATE INDEX violations_geom_gist ON violations USING gist (geom);
CREATE INDEX violations_status_idx ON violations (status);
CREATE INDEX violations_category_idx ON violations (category);
CREATE INDEX violations_jurisdiction_idx ON violations (jurisdiction_code);
CREATE INDEX violations_route_chainage_idx ON violations (route_code, chainage_meters);
CREATE INDEX violations_deadline_idx ON violations (deadline_at) WHERE closed_at IS NULL;
CREATE INDEX violations_reported_idx ON violations (reported_at DESC, id DESC);

-- Photos and other evidence. Content-addressed files on disk (server/evidence/photo_store.ts).
CREATE TABLE evidence_photos (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  violation_id bigint REFERENCES violations (id) ON DELETE CASCADE,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  media_type text NOT NULL,
  byte_size integer NOT NULL CHECK (byte_size > 0),
  storage_path text NOT NULL,
  thumbnail_path text NOT NULL,
  width integer,
  height integer,
  tag text NOT NULL DEFAULT 'other' CHECK (tag IN ('before', 'after', 'other')),
  taken_at timestamptz,
  location geometry(Point, 4326),
  camera text,
  -- The uploader's jurisdiction until the photo is attached; then the case's (scoping).
  jurisdiction_code text REFERENCES jurisdictions (code),
  uploaded_by bigint REFERENCES users (id),
  uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evidence_photos_violation_idx ON evidence_photos (violation_id);

-- The timeline: append-only, one row per transition (and per creation), who/when/what/where.
CREATE TABLE case_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  violation_id bigint NOT NULL REFERENCES violations (id) ON DELETE CASCADE,
  event text NOT NULL CHECK (event ~ '^[a-z_]+$'),
  from_status text,
  to_status text NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_user_id bigint REFERENCES users (id),
  actor_username text,
  actor_role text,
  note text CHECK (length(note) <= 4000),
  details jsonb NOT NULL DEFAULT '{}',
  photo_ids bigint[] NOT NULL DEFAULT '{}',
  location geometry(Point, 4326)
);
CREATE INDEX case_events_violation_idx ON case_events (violation_id, occurred_at, id);

CREATE FUNCTION luyu_case_events_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- A cascade from deleting the violation itself is the only way rows leave (demo resets).
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM violations WHERE id = OLD.violation_id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'case_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION luyu_case_events_immutable();

-- Gap-free case numbers: the counter row is locked by the verifying transaction, so numbers are
-- handed out one at a time and a rolled-back verification returns its number.
CREATE TABLE case_number_counters (
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
  last_sequence integer NOT NULL DEFAULT 0 CHECK (last_sequence BETWEEN 0 AND 999999),
  PRIMARY KEY (jurisdiction_code, year)
);

-- Scoping: a violation, its photos and events belong to the violation's jurisdiction.
ALTER TABLE violations ENABLE ROW LEVEL SECURITY;
CREATE POLICY violations_scope ON violations TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));

ALTER TABLE evidence_photos ENABLE ROW LEVEL SECURITY;
CREATE POLICY evidence_photos_scope ON evidence_photos TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));

ALTER TABLE case_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY case_events_scope ON case_events TO luyu_app
  USING (EXISTS (SELECT 1 FROM violations v WHERE v.id = violation_id))
  WITH CHECK (EXISTS (SELECT 1 FROM violations v WHERE v.id = violation_id));

ALTER TABLE case_number_counters ENABLE ROW LEVEL SECURITY;
CREATE POLICY case_number_counters_scope ON case_number_counters TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));
REVOKE DELETE ON case_number_counters FROM luyu_app;
REVOKE UPDATE, DELETE ON case_events FROM luyu_app;
