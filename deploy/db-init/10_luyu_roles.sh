#!/bin/sh
# First start of the compose database only (docker-entrypoint-initdb.d runs on an empty volume).
# As the superuser: PostGIS, the LEAKPROOF marking of its index operators (what migration 005 does
# when it runs as superuser, explained there), and the roles the app uses:
#   luyu        LOGIN, NOSUPERUSER, NOBYPASSRLS: owns the database and its tables, runs migrations
#   luyu_app    NOLOGIN: every request switches to it (SET LOCAL ROLE), so row-level security holds
# The app never connects as postgres.
set -eu
LUYU_DB_PASSWORD="$(cat "${LUYU_DB_PASSWORD_FILE:-/run/secrets/luyu_db_password}")"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v luyu_password="$LUYU_DB_PASSWORD" <<'SQL'
CREATE EXTENSION IF NOT EXISTS postgis;
ALTER FUNCTION geometry_overlaps(geometry, geometry) LEAKPROOF;
ALTER FUNCTION geometry_contains(geometry, geometry) LEAKPROOF;
ALTER FUNCTION geometry_within(geometry, geometry) LEAKPROOF;
ALTER FUNCTION geometry_distance_centroid(geometry, geometry) LEAKPROOF;
ALTER FUNCTION geography_overlaps(geography, geography) LEAKPROOF;
CREATE ROLE luyu LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'luyu_password';
CREATE ROLE luyu_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
-- WITH ADMIN OPTION: migration 003 grants luyu_app to the connecting owner again (a no-op then).
GRANT luyu_app TO luyu WITH ADMIN OPTION;
SELECT format('ALTER DATABASE %I OWNER TO luyu', current_database()) \gexec
ALTER SCHEMA public OWNER TO luyu;
SQL
