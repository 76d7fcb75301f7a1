-- Patrol plans and the crews' assignments (issue 11; shared with the field app, issue 12).
-- Contract: /work/wt/PATROL_CONTRACT.md. A plan is generated for one date and jurisdiction by a
-- background job; each crew gets one assignment: an ordered walk from its base back to it that
-- serves due segments (in a direction) and point tasks.

CREATE TABLE patrol_plans (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  plan_date date NOT NULL,
  -- generating: the job is running; ready: a draft to edit; published: assignments sent to crews.
  status text NOT NULL CHECK (status IN ('draft', 'generating', 'ready', 'published', 'failed')),
  -- The background job that generates it (no foreign key: the jobs table belongs to server/jobs).
  job_id bigint,
  -- Inputs that make a generation reproducible: the solver's seed, time budget, the rounds it
  -- reached (re-running with maxRounds = rounds_reached gives the same plan) and the crews asked for.
  seed integer NOT NULL,
  seconds numeric(6, 2) NOT NULL CHECK (seconds > 0 AND seconds <= 120),
  rounds_reached integer,
  crew_ids bigint[],
  lower_bound_meters double precision,
  -- What could not be assigned: [{kind, segmentId?|taskKind+sourceId, route, stakeFrom, stakeTo, reason}].
  unassigned jsonb NOT NULL DEFAULT '[]',
  progress_done integer NOT NULL DEFAULT 0,
  progress_total integer,
  progress_message text,
  error jsonb,
  is_demo boolean NOT NULL DEFAULT false,
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  generated_at timestamptz,
  published_at timestamptz,
  published_by bigint REFERENCES users (id) ON DELETE SET NULL,
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX patrol_plans_jurisdiction_date_idx ON patrol_plans (jurisdiction_code, plan_date DESC, id DESC);

CREATE TABLE patrol_assignments (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id bigint NOT NULL REFERENCES patrol_plans (id) ON DELETE CASCADE,
  crew_id bigint NOT NULL REFERENCES crews (id),
  assignment_date date NOT NULL,
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  -- The workflow of server/domain/patrol_assignment_workflow.ts.
  status text NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'published', 'accepted', 'declined', 'in_progress', 'paused', 'completed', 'cancelled')),
  decline_reason text CHECK (length(decline_reason) <= 1000),
  -- A locked route is kept as it is when the dispatcher re-plans the rest of the plan.
  locked boolean NOT NULL DEFAULT false,
  distance_meters double precision NOT NULL DEFAULT 0 CHECK (distance_meters >= 0),
  service_meters double precision NOT NULL DEFAULT 0 CHECK (service_meters >= 0),
  duration_minutes double precision NOT NULL DEFAULT 0 CHECK (duration_minutes >= 0),
  -- The shift available that day, so the list can show how full it is.
  shift_minutes integer,
  -- The walk in order from the base back to it; null for a crew with nothing to do.
  route geometry(LineString, 4326),
  version integer NOT NULL DEFAULT 1,
  started_at timestamptz,
  completed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (plan_id, crew_id)
);
CREATE INDEX patrol_assignments_crew_date_idx ON patrol_assignments (crew_id, assignment_date);
CREATE INDEX patrol_assignments_jurisdiction_date_idx ON patrol_assignments (jurisdiction_code, assignment_date);

CREATE TABLE patrol_assignment_segments (
  assignment_id bigint NOT NULL REFERENCES patrol_assignments (id) ON DELETE CASCADE,
  segment_id bigint NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
  -- 1-based order of service along the walk.
  sequence integer NOT NULL CHECK (sequence >= 1),
  -- forward: from the segment's start stake to its end; backward: the other way; both: an
  -- undivided road served in one pass covers both sides.
  direction_served text NOT NULL CHECK (direction_served IN ('forward', 'backward', 'both')),
  PRIMARY KEY (assignment_id, segment_id)
);
CREATE INDEX patrol_assignment_segments_segment_idx ON patrol_assignment_segments (segment_id);

CREATE TABLE patrol_assignment_tasks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  assignment_id bigint NOT NULL REFERENCES patrol_assignments (id) ON DELETE CASCADE,
  task_kind text NOT NULL CHECK (task_kind IN ('lead_verification', 'reinspection', 'deadline_check')),
  detection_id bigint REFERENCES detections (id) ON DELETE CASCADE,
  violation_id bigint REFERENCES violations (id) ON DELETE CASCADE,
  sequence integer NOT NULL CHECK (sequence >= 1),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'skipped')),
  location geometry(Point, 4326),
  CHECK (num_nonnulls(detection_id, violation_id) = 1)
);
CREATE INDEX patrol_assignment_tasks_assignment_idx ON patrol_assignment_tasks (assignment_id, sequence);

-- The assignment's timeline: append-only, one row per transition (and per creation).
CREATE TABLE patrol_assignment_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  assignment_id bigint NOT NULL REFERENCES patrol_assignments (id) ON DELETE CASCADE,
  event text NOT NULL CHECK (event ~ '^[a-z_]+$'),
  from_status text,
  to_status text NOT NULL,
  actor bigint REFERENCES users (id),
  actor_username text,
  at timestamptz NOT NULL DEFAULT now(),
  note text CHECK (length(note) <= 4000),
  -- The field app's idempotency key for actions queued offline.
  client_action_id text CHECK (length(client_action_id) <= 100)
);
CREATE INDEX patrol_assignment_events_assignment_idx ON patrol_assignment_events (assignment_id, at, id);
CREATE UNIQUE INDEX patrol_assignment_events_client_action_uq ON patrol_assignment_events (assignment_id, client_action_id)
  WHERE client_action_id IS NOT NULL;

CREATE FUNCTION luyu_patrol_assignment_events_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- A cascade from deleting the assignment (a discarded draft plan) is the only way rows leave.
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM patrol_assignments WHERE id = OLD.assignment_id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'patrol_assignment_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER patrol_assignment_events_append_only BEFORE UPDATE OR DELETE ON patrol_assignment_events
  FOR EACH ROW EXECUTE FUNCTION luyu_patrol_assignment_events_immutable();

-- segment_patrols.assignment_id had no foreign key until now (013).
ALTER TABLE segment_patrols ADD CONSTRAINT segment_patrols_assignment_fk
  FOREIGN KEY (assignment_id) REFERENCES patrol_assignments (id) ON DELETE SET NULL;
CREATE INDEX segment_patrols_assignment_idx ON segment_patrols (assignment_id) WHERE assignment_id IS NOT NULL;

ALTER TABLE patrol_plans ENABLE ROW LEVEL SECURITY;
CREATE POLICY patrol_plans_scope ON patrol_plans TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));
ALTER TABLE patrol_assignments ENABLE ROW LEVEL SECURITY;
CREATE POLICY patrol_assignments_scope ON patrol_assignments TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));
ALTER TABLE patrol_assignment_segments ENABLE ROW LEVEL SECURITY;
CREATE POLICY patrol_assignment_segments_scope ON patrol_assignment_segments TO luyu_app
  USING (EXISTS (SELECT 1 FROM patrol_assignments a WHERE a.id = assignment_id))
  WITH CHECK (EXISTS (SELECT 1 FROM patrol_assignments a WHERE a.id = assignment_id));
ALTER TABLE patrol_assignment_tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY patrol_assignment_tasks_scope ON patrol_assignment_tasks TO luyu_app
  USING (EXISTS (SELECT 1 FROM patrol_assignments a WHERE a.id = assignment_id))
  WITH CHECK (EXISTS (SELECT 1 FROM patrol_assignments a WHERE a.id = assignment_id));
ALTER TABLE patrol_assignment_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY patrol_assignment_events_scope ON patrol_assignment_events TO luyu_app
  USING (EXISTS (SELECT 1 FROM patrol_assignments a WHERE a.id = assignment_id))
  WITH CHECK (EXISTS (SELECT 1 FROM patrol_assignments a WHERE a.id = assignment_id));
REVOKE UPDATE, DELETE ON patrol_assignment_events FROM luyu_app;
