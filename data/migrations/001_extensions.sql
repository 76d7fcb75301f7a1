-- PostGIS for every spatial column; available in PGlite (pglite-postgis), Debian and postgis/postgis.
CREATE EXTENSION IF NOT EXISTS postgis;
