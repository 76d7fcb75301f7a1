-- The dissolved-zone rebuild without JIT compilation (issue 15). Migration 045's tile pyramid reads
-- its tile cells through three LATERAL generate_series, each estimated at 1,000 rows, so a set of
-- a dozen overview pieces is planned at a cost of ~60,000,000 and PostgreSQL JIT-compiles the
-- statement (jit_above_cost 100,000 by default): ~270 ms of LLVM work for a statement that runs in
-- 5 ms. Measured on PostgreSQL 15 for the 600-segment province of the generator test: 320–570 ms
-- per (district, kind) set with JIT, 18–29 ms without; its 568 sets took 222 s to dissolve instead
-- of ~15 s. The time of a rebuild is spent in GEOS and PostGIS C functions, which JIT does not
-- compile, so nothing is lost (migration 012 turned it off for the routing graph for the same
-- reason). Set on every entry point: a function's SET applies to everything it calls.
-- The embedded database has no JIT provider; the setting exists there and changes nothing.
ALTER FUNCTION luyu_rebuild_dissolved_set(bigint) SET jit = off;
ALTER FUNCTION luyu_rebuild_stale_dissolved_sets() SET jit = off;
ALTER FUNCTION luyu_rebuild_dissolved_overviews(bigint) SET jit = off;
ALTER FUNCTION luyu_rebuild_dissolved_zone_tiles(bigint) SET jit = off;
