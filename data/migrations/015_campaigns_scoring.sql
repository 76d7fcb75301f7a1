-- Campaigns (专项行动) and the versioned scoring formula of monthly rankings (issue 13).

CREATE TABLE campaigns (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- A saved filter {jurisdictions?, routes?, adminClasses?, categories?, zones?}; validated by the service.
  scope jsonb NOT NULL,
  start_date date NOT NULL,
  deadline date NOT NULL CHECK (deadline >= start_date),
  -- NULL: everything found in scope.
  target integer CHECK (target > 0),
  -- The unit that runs it (the creator's); scoping.
  jurisdiction_code text NOT NULL REFERENCES jurisdictions (code),
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  is_demo boolean NOT NULL DEFAULT false
);
CREATE INDEX campaigns_jurisdiction_idx ON campaigns (jurisdiction_code);

ALTER TABLE campaigns ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaigns_scope ON campaigns TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));

-- A formula version: rules as data (server/domain/scoring_formula.ts), in force from a month for
-- the units below its jurisdiction (NULL: the platform default). A month is scored by the latest
-- version effective on or before it, so changing the formula never rescores the past.
CREATE TABLE scoring_formulas (
  version integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  jurisdiction_code text REFERENCES jurisdictions (code),
  effective_from date NOT NULL CHECK (extract(day FROM effective_from) = 1),
  rules jsonb NOT NULL,
  note text CHECK (length(note) <= 1000),
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scoring_formulas_lookup_idx ON scoring_formulas (jurisdiction_code, effective_from DESC, version DESC);

-- Readable by everyone (a unit sees how it is scored, including the default); written only for
-- the writer's own scope. Versions are never changed or removed.
ALTER TABLE scoring_formulas ENABLE ROW LEVEL SECURITY;
CREATE POLICY scoring_formulas_read ON scoring_formulas FOR SELECT TO luyu_app USING (true);
CREATE POLICY scoring_formulas_write ON scoring_formulas FOR INSERT TO luyu_app WITH CHECK (luyu_in_scope(jurisdiction_code));
REVOKE UPDATE, DELETE ON scoring_formulas FROM luyu_app;

-- The platform default, in force from the beginning (weights: practice, configurable by PUT).
INSERT INTO scoring_formulas (jurisdiction_code, effective_from, rules, note) VALUES (NULL, DATE '2000-01-01', '[
  {"rule": "closure_rate", "maxPoints": 30},
  {"rule": "on_time_rate", "maxPoints": 25},
  {"rule": "overdue_cases", "pointsEach": 1, "maxPoints": 15},
  {"rule": "recurrence", "pointsEach": 2, "maxPoints": 10},
  {"rule": "leads_review", "withinDays": 7, "pointsEach": 0.5, "maxPoints": 10},
  {"rule": "patrol_coverage", "maxPoints": 10}
]'::jsonb, 'platform default');
