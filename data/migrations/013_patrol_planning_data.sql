-- What is due for patrol and who patrols it (issue 11): frequencies per class and jurisdiction,
-- the record of patrolled segments, crews with members, base, shift and availability.

-- A jurisdiction's own frequency for a class; without a row the default of
-- server/domain/patrol_rules.ts applies (DOMAIN.md "Patrols", practice).
CREATE TABLE patrol_frequencies (
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  admin_class text NOT NULL CHECK (admin_class IN ('expressway', 'national', 'provincial', 'county', 'township', 'village')),
  -- A segment is due when this many days (Asia/Shanghai dates) have passed since its last patrol.
  interval_days integer NOT NULL CHECK (interval_days BETWEEN 1 AND 365),
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by bigint REFERENCES users (id) ON DELETE SET NULL,
  PRIMARY KEY (jurisdiction_code, admin_class)
);

-- One row per segment covered on a patrol. Written by completed assignments now and by matched
-- GPS tracks later (the field issue); the due query reads only this table.
CREATE TABLE segment_patrols (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  segment_id bigint NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
  patrolled_at timestamptz NOT NULL,
  source text NOT NULL CHECK (source IN ('assignment', 'track', 'manual')),
  -- The assignment that covered it (no foreign key yet: the assignments table comes later).
  assignment_id bigint,
  crew_id bigint,
  jurisdiction_code text REFERENCES jurisdictions (code),
  is_demo boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX segment_patrols_segment_idx ON segment_patrols (segment_id, patrolled_at DESC);
CREATE INDEX segment_patrols_jurisdiction_idx ON segment_patrols (jurisdiction_code);

CREATE TABLE crews (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  vehicle_plate text CHECK (length(vehicle_plate) <= 20),
  vehicle_description text CHECK (length(vehicle_description) <= 200),
  base geometry(Point, 4326) NOT NULL,
  base_name text CHECK (length(base_name) <= 200),
  -- Shift in minutes after local midnight (Asia/Shanghai); end may pass midnight (up to 36 h).
  shift_start_minutes integer NOT NULL CHECK (shift_start_minutes BETWEEN 0 AND 1439),
  shift_end_minutes integer NOT NULL CHECK (shift_end_minutes BETWEEN 1 AND 2160),
  -- A joint patrol with another unit (联合巡查): that unit's name; null when the crew patrols alone.
  joint_unit text CHECK (length(joint_unit) <= 200),
  is_active boolean NOT NULL DEFAULT true,
  is_demo boolean NOT NULL DEFAULT false,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (shift_end_minutes > shift_start_minutes)
);
CREATE INDEX crews_jurisdiction_idx ON crews (jurisdiction_code);
CREATE UNIQUE INDEX crews_name_uq ON crews (jurisdiction_code, lower(name));

CREATE TABLE crew_members (
  crew_id bigint NOT NULL REFERENCES crews (id) ON DELETE CASCADE,
  user_id bigint NOT NULL REFERENCES users (id),
  PRIMARY KEY (crew_id, user_id)
);
CREATE INDEX crew_members_user_idx ON crew_members (user_id);

-- Per-date exceptions to the crew's normal shift: unavailable that day, or other hours.
CREATE TABLE crew_availability (
  crew_id bigint NOT NULL REFERENCES crews (id) ON DELETE CASCADE,
  on_date date NOT NULL,
  is_available boolean NOT NULL,
  shift_start_minutes integer CHECK (shift_start_minutes BETWEEN 0 AND 1439),
  shift_end_minutes integer CHECK (shift_end_minutes BETWEEN 1 AND 2160),
  note text CHECK (length(note) <= 200),
  PRIMARY KEY (crew_id, on_date),
  CHECK (num_nonnulls(shift_start_minutes, shift_end_minutes) IN (0, 2)),
  CHECK (shift_end_minutes IS NULL OR shift_end_minutes > shift_start_minutes)
);

ALTER TABLE segment_patrols ADD CONSTRAINT segment_patrols_crew_fk FOREIGN KEY (crew_id) REFERENCES crews (id) ON DELETE SET NULL;
CREATE INDEX segment_patrols_crew_idx ON segment_patrols (crew_id) WHERE crew_id IS NOT NULL;

ALTER TABLE patrol_frequencies ENABLE ROW LEVEL SECURITY;
CREATE POLICY patrol_frequencies_scope ON patrol_frequencies TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));
ALTER TABLE segment_patrols ENABLE ROW LEVEL SECURITY;
CREATE POLICY segment_patrols_scope ON segment_patrols TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));
ALTER TABLE crews ENABLE ROW LEVEL SECURITY;
CREATE POLICY crews_scope ON crews TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));
ALTER TABLE crew_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY crew_members_scope ON crew_members TO luyu_app
  USING (EXISTS (SELECT 1 FROM crews c WHERE c.id = crew_id)) WITH CHECK (EXISTS (SELECT 1 FROM crews c WHERE c.id = crew_id));
ALTER TABLE crew_availability ENABLE ROW LEVEL SECURITY;
CREATE POLICY crew_availability_scope ON crew_availability TO luyu_app
  USING (EXISTS (SELECT 1 FROM crews c WHERE c.id = crew_id)) WITH CHECK (EXISTS (SELECT 1 FROM crews c WHERE c.id = crew_id));
