-- Citus distribution of Luyu by jurisdiction (docs/scaling.md). UNTESTED (no Docker engine here).
-- Run on the coordinator after the app's migrations, with the workers registered:
--   SELECT citus_set_coordinator_host('citus-coordinator');
--   SELECT citus_add_node('citus-worker-1', 5432); SELECT citus_add_node('citus-worker-2', 5432);
CREATE EXTENSION IF NOT EXISTS citus;
CREATE EXTENSION IF NOT EXISTS postgis;  -- on every node (the image has it)

-- Reference tables: small, read everywhere, joined by every query: a full copy on each node.
SELECT create_reference_table('jurisdictions');
SELECT create_reference_table('routes');
SELECT create_reference_table('zone_widths');
SELECT create_reference_table('scoring_formulas');
SELECT create_reference_table('users');

-- Distributed by jurisdiction_code, co-located so per-district joins stay on one worker.
-- Citus needs the distribution column in every primary key and unique constraint: the
-- migrations that add these keys are listed in docs/scaling.md as the exceptions to change first.
SELECT create_distributed_table('segments', 'jurisdiction_code');
SELECT create_distributed_table('violations', 'jurisdiction_code', colocate_with => 'segments');
SELECT create_distributed_table('detections', 'jurisdiction_code', colocate_with => 'segments');
-- case_events has no jurisdiction_code (scoped through its violation): add it before distributing.
-- SELECT create_distributed_table('case_events', 'jurisdiction_code', colocate_with => 'segments');
SELECT create_distributed_table('evidence_photos', 'jurisdiction_code', colocate_with => 'segments');
