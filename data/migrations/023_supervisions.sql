-- Supervision (督办, issue 13): a manager supervises a case or a unit's backlog. Statuses and
-- events live in server/domain/supervision_workflow.ts; the workflow kernel writes the status,
-- version and event row together.

CREATE TABLE supervisions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- 统一编号 DB-<issuing unit>-<year>-<6-digit sequence>, gap-free per issuing unit and year.
  supervision_number text NOT NULL UNIQUE CHECK (supervision_number ~ '^DB-[1-8][0-9]{5}-[0-9]{4}-[0-9]{6}$'),
  issuing_jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  subject text NOT NULL CHECK (subject IN ('case', 'backlog')),
  violation_id bigint REFERENCES violations (id) ON DELETE CASCADE,
  -- A backlog: the list filter it names ({overdue, category}) and how many cases it held when issued.
  backlog jsonb,
  CHECK ((subject = 'case') = (violation_id IS NOT NULL) AND (subject = 'backlog') = (backlog IS NOT NULL)),
  responsible_jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  responsible_user_id bigint NOT NULL REFERENCES users (id),
  -- Asia/Shanghai calendar day; overdue from the day after.
  deadline date NOT NULL,
  instructions text NOT NULL CHECK (length(instructions) BETWEEN 1 AND 4000),
  status text NOT NULL DEFAULT 'assigned' CHECK (status IN ('assigned', 'accepted', 'supervising', 'done', 'followed_up')),
  version integer NOT NULL DEFAULT 1,
  urge_count integer NOT NULL DEFAULT 0,
  accepted_at timestamptz,
  done_at timestamptz,
  followed_up_at timestamptz,
  satisfaction text CHECK (satisfaction IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
  created_by bigint REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  is_demo boolean NOT NULL DEFAULT false
);
CREATE INDEX supervisions_responsible_idx ON supervisions (responsible_jurisdiction_code, deadline);
CREATE INDEX supervisions_issuing_idx ON supervisions (issuing_jurisdiction_code);
CREATE INDEX supervisions_person_idx ON supervisions (responsible_user_id) WHERE status IN ('assigned', 'accepted', 'supervising');
CREATE INDEX supervisions_violation_idx ON supervisions (violation_id) WHERE violation_id IS NOT NULL;

-- The timeline, append-only (the kernel's standard event columns).
CREATE TABLE supervision_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  supervision_id bigint NOT NULL REFERENCES supervisions (id) ON DELETE CASCADE,
  event text NOT NULL CHECK (event ~ '^[a-z_]+$'),
  from_status text,
  to_status text NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor_user_id bigint REFERENCES users (id),
  actor_username text,
  actor_role text,
  note text CHECK (length(note) <= 4000),
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX supervision_events_supervision_idx ON supervision_events (supervision_id, occurred_at, id);

CREATE TABLE supervision_number_counters (
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
  last_sequence integer NOT NULL DEFAULT 0 CHECK (last_sequence BETWEEN 0 AND 999999),
  PRIMARY KEY (jurisdiction_code, year)
);

-- Seen by the issuing unit and the responsible unit and everyone above either; written only by
-- someone whose scope holds both (a manager supervises their own unit or one below it).
ALTER TABLE supervisions ENABLE ROW LEVEL SECURITY;
CREATE POLICY supervisions_read ON supervisions FOR SELECT TO luyu_app
  USING (luyu_in_scope(responsible_jurisdiction_code) OR luyu_in_scope(issuing_jurisdiction_code));
CREATE POLICY supervisions_insert ON supervisions FOR INSERT TO luyu_app
  WITH CHECK (luyu_in_scope(responsible_jurisdiction_code) AND luyu_in_scope(issuing_jurisdiction_code));
CREATE POLICY supervisions_update ON supervisions FOR UPDATE TO luyu_app
  USING (luyu_in_scope(responsible_jurisdiction_code) OR luyu_in_scope(issuing_jurisdiction_code))
  WITH CHECK (luyu_in_scope(responsible_jurisdiction_code) OR luyu_in_scope(issuing_jurisdiction_code));
REVOKE DELETE ON supervisions FROM luyu_app;

ALTER TABLE supervision_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY supervision_events_scope ON supervision_events TO luyu_app
  USING (EXISTS (SELECT 1 FROM supervisions s WHERE s.id = supervision_id))
  WITH CHECK (EXISTS (SELECT 1 FROM supervisions s WHERE s.id = supervision_id));
REVOKE UPDATE, DELETE ON supervision_events FROM luyu_app;

ALTER TABLE supervision_number_counters ENABLE ROW LEVEL SECURITY;
CREATE POLICY supervision_number_counters_scope ON supervision_number_counters TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));
REVOKE DELETE ON supervision_number_counters FROM luyu_app;

-- Who issued an item, who answers for it and what it is about never change: the update policy
-- lets either side move the status, so without this the responsible side could hand an item to a
-- unit outside both scopes.
CREATE FUNCTION luyu_supervisions_fixed_columns() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.issuing_jurisdiction_code IS DISTINCT FROM OLD.issuing_jurisdiction_code
     OR NEW.responsible_jurisdiction_code IS DISTINCT FROM OLD.responsible_jurisdiction_code
     OR NEW.supervision_number IS DISTINCT FROM OLD.supervision_number
     OR NEW.subject IS DISTINCT FROM OLD.subject
     OR NEW.violation_id IS DISTINCT FROM OLD.violation_id THEN
    RAISE EXCEPTION 'a supervision item keeps its number, units and subject' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER supervisions_fixed_columns BEFORE UPDATE ON supervisions
  FOR EACH ROW EXECUTE FUNCTION luyu_supervisions_fixed_columns();
