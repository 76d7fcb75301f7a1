-- Accounts, sessions, login throttling, append-only audit trail, and jurisdiction scoping by
-- row-level security (issue 3). The app connects as a superuser/owner (postgres in PGlite and CI),
-- which bypasses RLS; each authenticated request therefore runs in one transaction that does
-- SET LOCAL ROLE luyu_app and sets luyu.* settings with set_config(..., true):
--   luyu.scope_codes   comma list of the jurisdiction codes in the user's subtree
--   luyu.scope_is_top  'on' when the user's jurisdiction has no parent (sees unassigned rows)
--   luyu.user_id, luyu.role
-- Unset settings mean "nothing visible": every policy denies by default.

-- Roles are cluster-wide: another database on the same server may have created it already.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'luyu_app') THEN
    CREATE ROLE luyu_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
  -- A non-superuser owner must be a member to SET ROLE to it; superusers may switch anyway.
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT luyu_app TO %I', current_user);
  END IF;
END
$$;

CREATE FUNCTION luyu_scope_codes() RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT string_to_array(nullif(current_setting('luyu.scope_codes', true), ''), ',')
$$;

-- Is a row with this jurisdiction visible to the request's user? Unassigned (NULL) rows are
-- visible only to users at the top of the hierarchy, so nothing silently falls out of every scope.
CREATE FUNCTION luyu_in_scope(code text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN code IS NULL THEN coalesce(current_setting('luyu.scope_is_top', true), '') = 'on'
              ELSE coalesce(code = ANY (luyu_scope_codes()), false) END
$$;

CREATE FUNCTION luyu_current_user_id() RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT nullif(current_setting('luyu.user_id', true), '')::bigint
$$;

-- Structures get a jurisdiction like segments do (the district holding most of their length),
-- so they and their zones can be scoped.
ALTER TABLE road_structures ADD COLUMN jurisdiction_code text REFERENCES jurisdictions (code);
CREATE INDEX road_structures_jurisdiction_idx ON road_structures (jurisdiction_code);

CREATE FUNCTION luyu_structures_derive() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.jurisdiction_code IS NULL
     OR TG_OP = 'UPDATE' AND NOT ST_Equals(NEW.geom, OLD.geom) AND NEW.jurisdiction_code IS NOT DISTINCT FROM OLD.jurisdiction_code THEN
    NEW.jurisdiction_code := (
      SELECT j.code FROM jurisdictions j
      WHERE j.level = 'district' AND j.boundary && NEW.geom AND ST_Intersects(j.boundary, NEW.geom)
      ORDER BY ST_Length(ST_Intersection(j.boundary, NEW.geom)::geography) DESC, j.code
      LIMIT 1);
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER road_structures_derive BEFORE INSERT OR UPDATE ON road_structures
  FOR EACH ROW EXECUTE FUNCTION luyu_structures_derive();

UPDATE road_structures st SET jurisdiction_code = (
  SELECT j.code FROM jurisdictions j
  WHERE j.level = 'district' AND j.boundary && st.geom AND ST_Intersects(j.boundary, st.geom)
  ORDER BY ST_Length(ST_Intersection(j.boundary, st.geom)::geography) DESC, j.code
  LIMIT 1)
WHERE st.jurisdiction_code IS NULL;

CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username text NOT NULL CHECK (username ~ '^[A-Za-z0-9_.-]{2,64}$'),
  display_name text,
  -- scrypt$N$r$p$salt$hash (base64url); never a plain password.
  password_hash text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
  role text NOT NULL CHECK (role IN ('admin', 'manager', 'officer', 'dispatcher', 'patrol', 'viewer')),
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  is_demo boolean NOT NULL DEFAULT false,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));

CREATE TABLE sessions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- SHA-256 of the bearer/cookie token and of the CSRF token: a database leak yields no live session.
  token_hash text NOT NULL UNIQUE,
  csrf_hash text NOT NULL,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  client_ip text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Failed-login counters per account ('user:<name>') and per client ('ip:<address>'), in the
-- database so the limit holds across processes and restarts. Only the login route touches it.
CREATE TABLE login_throttle (
  key text PRIMARY KEY,
  failure_count integer NOT NULL DEFAULT 0,
  window_started_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz
);

-- Append-only: the trigger below refuses UPDATE, DELETE and TRUNCATE for every role, superusers too.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_user_id bigint,
  actor_username text,
  actor_role text,
  -- The actor's jurisdiction at the time (scopes who may read the row).
  jurisdiction_code text,
  action text NOT NULL,
  entity_type text,
  entity_id text,
  before jsonb,
  after jsonb,
  request_id text,
  client_ip text
);
CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at DESC, id DESC);
CREATE INDEX audit_log_request_idx ON audit_log (request_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_username);

CREATE FUNCTION luyu_audit_log_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION luyu_audit_log_immutable();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION luyu_audit_log_immutable();

-- What the request role may touch. Later tables get the same through the default privileges.
GRANT USAGE ON SCHEMA public TO luyu_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO luyu_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO luyu_app;
REVOKE ALL ON schema_migrations, login_throttle FROM luyu_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM luyu_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO luyu_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO luyu_app;

-- Row-level security. routes, jurisdictions, basemap_roads and zone_widths stay readable by every
-- authenticated request (no policy needed: RLS is off on them).
ALTER TABLE segments ENABLE ROW LEVEL SECURITY;
CREATE POLICY segments_scope ON segments TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));

ALTER TABLE road_structures ENABLE ROW LEVEL SECURITY;
CREATE POLICY road_structures_scope ON road_structures TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));

-- A zone is visible when its segment or structure is (the subqueries are themselves filtered by RLS).
ALTER TABLE protection_zones ENABLE ROW LEVEL SECURITY;
CREATE POLICY protection_zones_scope ON protection_zones TO luyu_app
  USING (EXISTS (SELECT 1 FROM segments s WHERE s.id = segment_id)
      OR EXISTS (SELECT 1 FROM road_structures st WHERE st.id = structure_id));

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_scope ON users TO luyu_app
  USING (id = luyu_current_user_id() OR luyu_in_scope(jurisdiction_code))
  WITH CHECK (id = luyu_current_user_id() OR luyu_in_scope(jurisdiction_code));

-- A user sees and ends only their own sessions.
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY sessions_own ON sessions TO luyu_app
  USING (user_id = luyu_current_user_id()) WITH CHECK (user_id = luyu_current_user_id());

-- Readable within scope; a request may append rows only in its own user's name.
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_log_read ON audit_log FOR SELECT TO luyu_app USING (luyu_in_scope(jurisdiction_code));
CREATE POLICY audit_log_append ON audit_log FOR INSERT TO luyu_app WITH CHECK (actor_user_id = luyu_current_user_id());
