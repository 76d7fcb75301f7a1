-- Referrals (移交): a finding that lies in another district is filed THERE when its reporter
-- confirms, never in the reporter's own district. The record belongs to the receiving district
-- (jurisdiction_code, so its policies and case numbers apply); these columns say who referred it
-- from where. The referring user keeps READ access to what they referred (to follow it up) but
-- cannot act on it: only the SELECT and INSERT policies below name them; UPDATE and DELETE stay
-- with violations_scope (the receiving district).
ALTER TABLE violations
  ADD COLUMN referred_by_user_id bigint REFERENCES users (id),
  ADD COLUMN referred_by_username text,
  ADD COLUMN referred_from_jurisdiction_code text REFERENCES jurisdictions (code),
  ADD COLUMN referred_at timestamptz,
  ADD CONSTRAINT violations_referral_complete CHECK (
    (referred_by_user_id IS NULL AND referred_from_jurisdiction_code IS NULL AND referred_at IS NULL)
    OR (referred_by_user_id IS NOT NULL AND referred_from_jurisdiction_code IS NOT NULL AND referred_at IS NOT NULL));
CREATE INDEX violations_referred_by_idx ON violations (referred_by_user_id) WHERE referred_by_user_id IS NOT NULL;

-- Permissive policies are OR-ed with violations_scope: a user may insert a referral in their own
-- name from their own jurisdiction, and read the referrals they made.
CREATE POLICY violations_referral_insert ON violations FOR INSERT TO luyu_app
  WITH CHECK (referred_by_user_id = luyu_current_user_id() AND luyu_in_scope(referred_from_jurisdiction_code));
CREATE POLICY violations_referral_read ON violations FOR SELECT TO luyu_app
  USING (referred_by_user_id = luyu_current_user_id());

-- The vocabularies the database guarded only by shape (^[a-z_]+$) now by the domain's lists
-- (server/domain; tests/integration/domain_vocabularies.test.ts compares them with these CHECKs).
ALTER TABLE violations ADD CONSTRAINT violations_status_known CHECK (status IN (
  'reported', 'verified', 'rejected', 'notice_issued', 'rectifying', 'reminded', 'forced_removal', 'cleared', 'reinspected', 'closed'));
ALTER TABLE violations ADD CONSTRAINT violations_category_known CHECK (category IN (
  'billboard', 'structure', 'excavation', 'piling', 'trading', 'level_crossing', 'crops'));
ALTER TABLE case_events ADD CONSTRAINT case_events_status_known CHECK (
  (from_status IS NULL OR from_status IN ('reported', 'verified', 'rejected', 'notice_issued', 'rectifying', 'reminded', 'forced_removal', 'cleared', 'reinspected', 'closed'))
  AND to_status IN ('reported', 'verified', 'rejected', 'notice_issued', 'rectifying', 'reminded', 'forced_removal', 'cleared', 'reinspected', 'closed'));
