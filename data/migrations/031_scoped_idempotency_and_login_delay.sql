-- Idempotency keys belong to the district that owns the record (issue 9): a violation's externalId
-- and a detection batch's batchId or content hash are unique per jurisdiction, so another
-- district's key is neither refused with 409 nor otherwise told apart (no existence oracle).
ALTER TABLE violations DROP CONSTRAINT violations_external_id_key;
CREATE UNIQUE INDEX violations_jurisdiction_external_id_uq
  ON violations ((coalesce(jurisdiction_code, '')), external_id) WHERE external_id IS NOT NULL;

DROP INDEX detection_batches_client_id_uq;
DROP INDEX detection_batches_sha_uq;
CREATE UNIQUE INDEX detection_batches_client_id_uq
  ON detection_batches ((coalesce(jurisdiction_code, '')), client_batch_id) WHERE status <> 'failed';
CREATE UNIQUE INDEX detection_batches_sha_uq
  ON detection_batches ((coalesce(jurisdiction_code, '')), content_sha256) WHERE status <> 'failed';

-- Login throttling keyed by account + client address with a growing delay (issue 9): the time of
-- the last failure decides when a key is forgotten, and lock_count doubles the next lock.
ALTER TABLE login_throttle ADD COLUMN last_failure_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE login_throttle ADD COLUMN lock_count integer NOT NULL DEFAULT 0;
