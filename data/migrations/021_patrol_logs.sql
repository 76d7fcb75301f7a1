-- Patrol log (巡查日志, issue 12): everything else in the log is read from the record (assignment,
-- crew, track, coverage, findings); only what no record holds is typed in: the weather and a note.
CREATE TABLE patrol_log_entries (
  assignment_id bigint PRIMARY KEY REFERENCES patrol_assignments (id) ON DELETE CASCADE,
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  weather text CHECK (length(weather) <= 100),
  note text CHECK (length(note) <= 4000),
  version integer NOT NULL DEFAULT 1,
  updated_by bigint REFERENCES users (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE patrol_log_entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY patrol_log_entries_scope ON patrol_log_entries TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));
