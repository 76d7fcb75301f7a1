-- Enforcement certificate numbers (执法证号) of officers (issue 14): every enforcement document names
-- at least two officers with their certificate numbers (DOMAIN.md, enforcement documents). Nullable:
-- dispatchers, viewers and administrators hold none; the notice refuses officers without one.
ALTER TABLE users
  ADD COLUMN enforcement_certificate_number text
    CHECK (enforcement_certificate_number IS NULL OR enforcement_certificate_number ~ '^[0-9A-Za-z-]{4,32}$');
CREATE UNIQUE INDEX users_enforcement_certificate_key ON users (enforcement_certificate_number)
  WHERE enforcement_certificate_number IS NOT NULL;
