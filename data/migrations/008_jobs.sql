-- Background work (issue 9, server/jobs/, docs/operations.md): one table-backed queue for every
-- long-running task (detection ingest, imports, later plan generation, track matching, scheduled
-- aggregates, sync merges). Instances claim due jobs with FOR UPDATE SKIP LOCKED and hold a lease
-- they renew while working; a job whose lease expired (its instance died) is taken over by another.

CREATE TABLE jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{0,63}$'),
  payload jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
  run_at timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz,
  locked_by text,
  progress_done integer NOT NULL DEFAULT 0,
  progress_total integer,
  progress_message text,
  result jsonb,
  -- {code, message}: why the last attempt failed (kept while a retry is queued).
  error jsonb,
  -- Who may see the job through GET /api/v1/jobs/:id (NULL: only the top of the hierarchy).
  jurisdiction_code text REFERENCES jurisdictions (code),
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  -- The same work is never queued twice (recurring schedules, re-submitted uploads).
  dedupe_key text CHECK (length(dedupe_key) BETWEEN 1 AND 200),
  CHECK ((status = 'running') = (lease_until IS NOT NULL))
);
CREATE UNIQUE INDEX jobs_dedupe_live_uq ON jobs (dedupe_key) WHERE status IN ('queued', 'running') AND dedupe_key IS NOT NULL;
-- The claim query: due queued jobs and running jobs whose lease expired, per kind.
CREATE INDEX jobs_claim_idx ON jobs (kind, run_at, id) WHERE status = 'queued';
CREATE INDEX jobs_lease_idx ON jobs (kind, lease_until) WHERE status = 'running';

ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY jobs_scope ON jobs TO luyu_app
  USING (luyu_in_scope(jurisdiction_code)) WITH CHECK (luyu_in_scope(jurisdiction_code));
