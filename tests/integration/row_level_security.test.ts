import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database.ts';
import { withRequestScope } from '../../server/db/transaction.ts';

/**
 * Row-level security tested where it lives: straight SQL as the application role `luyu_app`, with
 * the transaction-local scope settings server/db/transaction.ts sets for a request, against rows of
 * the user's own district (410104) and of another one (410105). Nothing goes through the API, so a
 * policy that the service happens to compensate for (a `WITH CHECK (true)`) is still caught.
 *
 * The tables come from the database (every table with RLS switched on, and every policy in
 * pg_policies): a new table or policy without a case below FAILS the first test, so other branches
 * must add theirs. Expected outcomes are written out per table and operation, not derived.
 */

const OWN = '410104';
const FOREIGN = '410105';
/** SQLSTATE insufficient_privilege: what both a RLS refusal and a revoked privilege raise. */
const DENIED = 'denied';
type Outcome = number | typeof DENIED;

interface Expected {
  /** Rows the SELECT of the row by primary key returns. */
  select: number;
  /** INSERT of a copy of the row: 1 row written, or refused. */
  insert: Outcome;
  /** A no-op UPDATE of the row: rows updated, or refused. */
  update: Outcome;
  delete: Outcome;
}

interface TableCase {
  /** Policy names on the table, as pg_policies lists them (a new policy needs a look here). */
  policies: string[];
  /** Superuser SQL (inside the test transaction) returning the primary key of one own-district row. */
  own: string;
  foreign: string;
  /** Column → SQL expression for the inserted copy (unique columns must differ from the original). */
  copyOverrides?: Record<string, string>;
  /** A column change that would move an own row into the other district: must be refused (WITH CHECK). */
  move?: { column: string; value: string };
  /**
   * The request's scope codes when not just the own district: a table keyed by jurisdiction alone
   * (one row per jurisdiction) needs a second in-scope code for the inserted copy.
   */
  scopeCodes?: string[];
  ownExpected: Expected;
  foreignExpected: Expected;
}

/** Own row: visible and writable; foreign row: invisible, unwritable, and no copy may be inserted. */
const SCOPED_OWN: Expected = { select: 1, insert: 1, update: 1, delete: 1 };
const SCOPED_FOREIGN: Expected = { select: 0, insert: DENIED, update: 0, delete: 0 };
/** Read in scope, written only by SECURITY DEFINER functions (INSERT, UPDATE and DELETE revoked). */
const READ_ONLY_OWN: Expected = { select: 1, insert: DENIED, update: DENIED, delete: DENIED };
const READ_ONLY_FOREIGN: Expected = { select: 0, insert: DENIED, update: DENIED, delete: DENIED };

/** SQL for a random lowercase hex string of 2 × `bytes` characters (up to 64). */
const hex = (bytes: number) => `left(md5(random()::text) || md5(random()::text), ${bytes * 2})`;

/**
 * Rows created for the test inside its transaction (rolled back at the end): sessions, photos, a
 * counter, batches, staged rows, case events, audit rows and users for both districts. Ids are
 * read back by the table cases through `pg_temp.rls_fixture`.
 */
const FIXTURE_SQL = `
  CREATE TEMP TABLE rls_fixture (name text PRIMARY KEY, id bigint) ON COMMIT DROP;
  INSERT INTO rls_fixture SELECT 'me', id FROM users WHERE username = 'officer';
  INSERT INTO rls_fixture SELECT 'officer2', id FROM users WHERE username = 'officer2';
  WITH u AS (INSERT INTO users (username, password_hash, role, jurisdiction_code)
             VALUES ('rls_own_' || ${hex(4)}, 'scrypt$x', 'viewer', '${OWN}'), ('rls_foreign_' || ${hex(4)}, 'scrypt$x', 'viewer', '${FOREIGN}')
             RETURNING id, jurisdiction_code)
  INSERT INTO rls_fixture SELECT CASE jurisdiction_code WHEN '${OWN}' THEN 'user_own' ELSE 'user_foreign' END, id FROM u;
  WITH s AS (INSERT INTO sessions (token_hash, csrf_hash, user_id, expires_at)
             SELECT ${hex(32)}, ${hex(32)}, f.id, now() + interval '1 hour' FROM rls_fixture f WHERE f.name IN ('me', 'officer2')
             RETURNING id, user_id)
  INSERT INTO rls_fixture SELECT CASE WHEN s.user_id = (SELECT id FROM rls_fixture WHERE name = 'me') THEN 'session_own' ELSE 'session_foreign' END, s.id FROM s;
  WITH p AS (INSERT INTO evidence_photos (sha256, media_type, byte_size, storage_path, thumbnail_path, jurisdiction_code)
             VALUES (${hex(32)}, 'image/jpeg', 1, 'x/own.jpg', 'x/own.webp', '${OWN}'), (${hex(32)}, 'image/jpeg', 1, 'x/foreign.jpg', 'x/foreign.webp', '${FOREIGN}')
             RETURNING id, jurisdiction_code)
  INSERT INTO rls_fixture SELECT CASE jurisdiction_code WHEN '${OWN}' THEN 'photo_own' ELSE 'photo_foreign' END, id FROM p;
  INSERT INTO case_number_counters (jurisdiction_code, year, last_sequence) VALUES ('${OWN}', 2998, 5), ('${FOREIGN}', 2998, 5)
    ON CONFLICT DO NOTHING;
  WITH b AS (INSERT INTO detection_batches (content_sha256, status, file_format, source, before_date, after_date, crs, jurisdiction_code)
             VALUES (${hex(32)}, 'staging', 'geojson', 'rls test', '2026-01-01', '2026-02-01', 'WGS84', '${OWN}'),
                    (${hex(32)}, 'staging', 'geojson', 'rls test', '2026-01-01', '2026-02-01', 'WGS84', '${FOREIGN}')
             RETURNING id, jurisdiction_code)
  INSERT INTO rls_fixture SELECT CASE jurisdiction_code WHEN '${OWN}' THEN 'batch_own' ELSE 'batch_foreign' END, id FROM b;
  INSERT INTO detection_staging (batch_id, feature_index, geom, change_type)
    SELECT id, 0, ST_Multi(ST_Buffer(ST_MakePoint(113.7, 34.7), 0.0001)), 'new_structure' FROM rls_fixture WHERE name IN ('batch_own', 'batch_foreign');
  INSERT INTO detection_classified (batch_id, feature_index, area_square_meters, zones, in_scope, priority, reopen_suggested, review_status, is_demo)
    SELECT id, 0, 10, '[]'::jsonb, false, 0, false, 'pending', false FROM rls_fixture WHERE name IN ('batch_own', 'batch_foreign');
  WITH e AS (INSERT INTO case_events (violation_id, event, to_status)
             SELECT v.id, 'report', 'reported' FROM (
               (SELECT id FROM violations WHERE jurisdiction_code = '${OWN}' ORDER BY id LIMIT 1)
               UNION ALL (SELECT id FROM violations WHERE jurisdiction_code = '${FOREIGN}' ORDER BY id LIMIT 1)) v
             RETURNING id, violation_id)
  INSERT INTO rls_fixture SELECT CASE (SELECT jurisdiction_code FROM violations WHERE id = e.violation_id) WHEN '${OWN}' THEN 'event_own' ELSE 'event_foreign' END, e.id FROM e;
  INSERT INTO road_structures (kind, size_class, name, route_code, direction, length_meters, geom, jurisdiction_code)
    SELECT 'bridge', 'medium', 'rls test bridge', route_code, direction, 50,
           ST_Force2D(ST_LineSubstring(centreline, 0, least(1, 50 / greatest(ST_Length(centreline::geography), 50)))), '${FOREIGN}'
    FROM segments WHERE jurisdiction_code = '${FOREIGN}' ORDER BY id LIMIT 1;
  WITH a AS (INSERT INTO audit_log (actor_user_id, jurisdiction_code, action)
             SELECT id, CASE name WHEN 'me' THEN '${OWN}' ELSE '${FOREIGN}' END, 'rls.test' FROM rls_fixture WHERE name IN ('me', 'officer2')
             RETURNING id, jurisdiction_code)
  INSERT INTO rls_fixture SELECT CASE jurisdiction_code WHEN '${OWN}' THEN 'audit_own' ELSE 'audit_foreign' END, id FROM a;
  WITH s AS (INSERT INTO supervisions (supervision_number, issuing_jurisdiction_code, subject, backlog, responsible_jurisdiction_code, responsible_user_id, deadline, instructions)
             SELECT 'DB-' || code || '-2998-' || lpad((floor(random() * 899999) + 100000)::text, 6, '0'), code, 'backlog', '{"overdue": true}', code,
                    (SELECT id FROM rls_fixture WHERE name = CASE code WHEN '${OWN}' THEN 'me' ELSE 'officer2' END), '2998-01-01', 'rls test'
             FROM unnest(ARRAY['${OWN}', '${FOREIGN}']) AS code
             RETURNING id, responsible_jurisdiction_code)
  INSERT INTO rls_fixture SELECT CASE responsible_jurisdiction_code WHEN '${OWN}' THEN 'supervision_own' ELSE 'supervision_foreign' END, id FROM s;
  WITH e AS (INSERT INTO supervision_events (supervision_id, event, to_status)
             SELECT id, 'assign', 'assigned' FROM rls_fixture WHERE name IN ('supervision_own', 'supervision_foreign')
             RETURNING id, supervision_id)
  INSERT INTO rls_fixture SELECT CASE WHEN e.supervision_id = (SELECT id FROM rls_fixture WHERE name = 'supervision_own') THEN 'supervision_event_own' ELSE 'supervision_event_foreign' END, e.id FROM e;
  INSERT INTO supervision_number_counters (jurisdiction_code, year, last_sequence) VALUES ('${OWN}', 2998, 5), ('${FOREIGN}', 2998, 5)
    ON CONFLICT DO NOTHING;
  INSERT INTO management_unit_months (jurisdiction_code, month, reported, open_reported, cleared, cleared_late, running_due, reopened)
    VALUES ('${OWN}', '2998-01-01', 1, 1, 0, 0, 0, 0), ('${FOREIGN}', '2998-01-01', 1, 1, 0, 0, 0, 0) ON CONFLICT DO NOTHING;
  -- Separation-of-duties rules (issue 14): one row per jurisdiction; 410102 is left without one for the own copy.
  DELETE FROM duty_rules WHERE jurisdiction_code = '410102';
  INSERT INTO duty_rules (jurisdiction_code, reinspector_differs_from_clearance_reporter, reinspection_needs_own_photo, closer_differs_from_clearance_reporter, notice_needs_two_officers)
    VALUES ('${OWN}', true, true, true, true), ('${FOREIGN}', true, true, true, true) ON CONFLICT DO NOTHING;
`;

/**
 * Patrol, field, management and calibration rows for both districts (the demo has most of them in
 * 410104 only, or none). `*2_own` rows exist only so a copy of an own row has a free unique key.
 * The two referral rows are 410105 cases referred from 410104: one by the officer, one by another
 * 410104 user (marked by referred_at in 2998 so rows other test files commit are never picked).
 */
const FIXTURE_PATROL_SQL = `
  INSERT INTO rls_fixture SELECT 'referrer', id FROM users WHERE username = 'viewer';
  DELETE FROM patrol_frequencies WHERE (jurisdiction_code = '${OWN}' AND admin_class = 'village') OR jurisdiction_code = '${FOREIGN}';
  INSERT INTO patrol_frequencies (jurisdiction_code, admin_class, interval_days) VALUES ('${OWN}', 'county', 3) ON CONFLICT DO NOTHING;
  INSERT INTO patrol_frequencies (jurisdiction_code, admin_class, interval_days) VALUES ('${FOREIGN}', 'county', 3);
  WITH c AS (INSERT INTO crews (name, jurisdiction_code, base, shift_start_minutes, shift_end_minutes)
             SELECT 'rls crew ' || n || ' ' || ${hex(4)}, code, ST_SetSRID(ST_MakePoint(113.7, 34.7), 4326), 480, 1020
             FROM (VALUES ('crew_own', '${OWN}'), ('crew2_own', '${OWN}'), ('crew_foreign', '${FOREIGN}')) v (n, code)
             RETURNING id, name)
  INSERT INTO rls_fixture SELECT split_part(name, ' ', 3), id FROM c;
  INSERT INTO crew_members (crew_id, user_id)
    SELECT (SELECT id FROM rls_fixture WHERE name = 'crew_own'), (SELECT id FROM rls_fixture WHERE name = 'me')
    UNION ALL SELECT (SELECT id FROM rls_fixture WHERE name = 'crew_foreign'), (SELECT id FROM rls_fixture WHERE name = 'officer2');
  INSERT INTO crew_availability (crew_id, on_date, is_available)
    SELECT id, DATE '2998-01-01', false FROM rls_fixture WHERE name IN ('crew_own', 'crew_foreign');
  WITH p AS (INSERT INTO patrol_plans (jurisdiction_code, plan_date, status, seed, seconds, progress_message)
             SELECT code, DATE '2998-01-01', 'published', 1, 10, n FROM (VALUES ('plan_own', '${OWN}'), ('plan2_own', '${OWN}'), ('plan_foreign', '${FOREIGN}')) v (n, code)
             RETURNING id, progress_message)
  INSERT INTO rls_fixture SELECT progress_message, id FROM p;
  WITH a AS (INSERT INTO patrol_assignments (plan_id, crew_id, assignment_date, jurisdiction_code, status, decline_reason)
             SELECT (SELECT id FROM rls_fixture WHERE name = v.plan), (SELECT id FROM rls_fixture WHERE name = v.crew), DATE '2998-01-01', v.code, 'in_progress', v.n
             FROM (VALUES ('assignment_own', 'plan_own', 'crew_own', '${OWN}'), ('assignment2_own', 'plan2_own', 'crew_own', '${OWN}'),
                          ('assignment_foreign', 'plan_foreign', 'crew_foreign', '${FOREIGN}')) v (n, plan, crew, code)
             RETURNING id, decline_reason)
  INSERT INTO rls_fixture SELECT decline_reason, id FROM a;
  INSERT INTO patrol_assignment_segments (assignment_id, segment_id, sequence, direction_served)
    SELECT (SELECT id FROM rls_fixture WHERE name = 'assignment_own'), (SELECT min(id) FROM segments WHERE jurisdiction_code = '${OWN}'), 1, 'both'
    UNION ALL SELECT (SELECT id FROM rls_fixture WHERE name = 'assignment_foreign'), (SELECT min(id) FROM segments WHERE jurisdiction_code = '${FOREIGN}'), 1, 'both';
  WITH t AS (INSERT INTO patrol_assignment_tasks (assignment_id, task_kind, violation_id, sequence)
             SELECT f.id, 'reinspection', (SELECT min(id) FROM violations WHERE jurisdiction_code = CASE f.name WHEN 'assignment_own' THEN '${OWN}' ELSE '${FOREIGN}' END), 1
             FROM rls_fixture f WHERE f.name IN ('assignment_own', 'assignment_foreign')
             RETURNING id, assignment_id)
  INSERT INTO rls_fixture SELECT CASE WHEN t.assignment_id = (SELECT id FROM rls_fixture WHERE name = 'assignment_own') THEN 'task_own' ELSE 'task_foreign' END, t.id FROM t;
  WITH e AS (INSERT INTO patrol_assignment_events (assignment_id, event, to_status)
             SELECT id, 'start', 'in_progress' FROM rls_fixture WHERE name IN ('assignment_own', 'assignment_foreign')
             RETURNING id, assignment_id)
  INSERT INTO rls_fixture SELECT CASE WHEN e.assignment_id = (SELECT id FROM rls_fixture WHERE name = 'assignment_own') THEN 'assignment_event_own' ELSE 'assignment_event_foreign' END, e.id FROM e;
  WITH sp AS (INSERT INTO segment_patrols (segment_id, patrolled_at, source, assignment_id, jurisdiction_code)
              SELECT (SELECT min(id) FROM segments WHERE jurisdiction_code = code), TIMESTAMPTZ '2998-01-01 10:00+08', 'manual', (SELECT id FROM rls_fixture WHERE name = a), code
              FROM (VALUES ('${OWN}', 'assignment_own'), ('${FOREIGN}', 'assignment_foreign')) v (code, a)
              RETURNING id, jurisdiction_code)
  INSERT INTO rls_fixture SELECT CASE jurisdiction_code WHEN '${OWN}' THEN 'segment_patrol_own' ELSE 'segment_patrol_foreign' END, id FROM sp;
  WITH tr AS (INSERT INTO patrol_tracks (assignment_id, user_id, jurisdiction_code, client_chunk_id, geom, started_at, ended_at, point_count)
              SELECT (SELECT id FROM rls_fixture WHERE name = a), (SELECT id FROM rls_fixture WHERE name = u), code, gen_random_uuid(),
                     ST_SetSRID(ST_MakeLine(ST_MakePointM(113.7, 34.7, 1000), ST_MakePointM(113.701, 34.7, 1010)), 4326),
                     TIMESTAMPTZ '2998-01-01 10:00+08', TIMESTAMPTZ '2998-01-01 10:01+08', 2
              FROM (VALUES ('${OWN}', 'assignment_own', 'me'), ('${FOREIGN}', 'assignment_foreign', 'officer2')) v (code, a, u)
              RETURNING id, jurisdiction_code)
  INSERT INTO rls_fixture SELECT CASE jurisdiction_code WHEN '${OWN}' THEN 'track_own' ELSE 'track_foreign' END, id FROM tr;
  INSERT INTO segment_track_coverage (assignment_id, segment_id, jurisdiction_code, covered_fractions, covered_share)
    SELECT (SELECT id FROM rls_fixture WHERE name = a), (SELECT min(id) FROM segments WHERE jurisdiction_code = code), code, '{[0,0.5]}', 0.5
    FROM (VALUES ('${OWN}', 'assignment_own'), ('${FOREIGN}', 'assignment_foreign')) v (code, a);
  INSERT INTO patrol_log_entries (assignment_id, jurisdiction_code, weather)
    SELECT id, CASE name WHEN 'assignment_own' THEN '${OWN}' ELSE '${FOREIGN}' END, 'sunny' FROM rls_fixture WHERE name IN ('assignment_own', 'assignment_foreign');
  INSERT INTO sync_actions (jurisdiction_code, action_id, action_type, device_id, user_id)
    SELECT code, gen_random_uuid(), 'finding.create', 'rls-device-' || code, (SELECT id FROM rls_fixture WHERE name = u)
    FROM (VALUES ('${OWN}', 'me'), ('${FOREIGN}', 'officer2')) v (code, u);
  INSERT INTO photo_uploads (id, jurisdiction_code, user_id, size_bytes, sha256)
    SELECT gen_random_uuid(), code, (SELECT id FROM rls_fixture WHERE name = u), 9876543, repeat('b', 64)
    FROM (VALUES ('${OWN}', 'me'), ('${FOREIGN}', 'officer2')) v (code, u);
  WITH j AS (INSERT INTO jobs (kind, jurisdiction_code, dedupe_key) VALUES ('rls.test', '${OWN}', NULL), ('rls.test', '${FOREIGN}', NULL) RETURNING id, jurisdiction_code)
  INSERT INTO rls_fixture SELECT CASE jurisdiction_code WHEN '${OWN}' THEN 'job_own' ELSE 'job_foreign' END, id FROM j;
  WITH c AS (INSERT INTO campaigns (name, scope, start_date, deadline, jurisdiction_code)
             VALUES ('rls campaign', '{}', '2998-01-01', '2998-12-31', '${OWN}'), ('rls campaign', '{}', '2998-01-01', '2998-12-31', '${FOREIGN}')
             RETURNING id, jurisdiction_code)
  INSERT INTO rls_fixture SELECT CASE jurisdiction_code WHEN '${OWN}' THEN 'campaign_own' ELSE 'campaign_foreign' END, id FROM c;
  WITH f AS (INSERT INTO scoring_formulas (jurisdiction_code, effective_from, rules, note)
             VALUES ('${OWN}', '2998-01-01', '[]', 'rls test'), ('${FOREIGN}', '2998-01-01', '[]', 'rls test')
             RETURNING version, jurisdiction_code)
  INSERT INTO rls_fixture SELECT CASE jurisdiction_code WHEN '${OWN}' THEN 'formula_own' ELSE 'formula_foreign' END, version FROM f;
  WITH m AS (INSERT INTO chainage_markers (route_code, direction, stake_meters, geom, jurisdiction_code, source)
             SELECT s.route_code, s.direction, 9999999, ST_Force2D(ST_StartPoint(s.centreline)), s.jurisdiction_code, 'rls test'
             FROM (SELECT DISTINCT ON (jurisdiction_code) * FROM segments WHERE jurisdiction_code IN ('${OWN}', '${FOREIGN}') ORDER BY jurisdiction_code, id) s
             RETURNING id, jurisdiction_code)
  INSERT INTO rls_fixture SELECT CASE jurisdiction_code WHEN '${OWN}' THEN 'marker_own' ELSE 'marker_foreign' END, id FROM m;
  WITH b AS (INSERT INTO chain_breaks (route_code, stake_before_meters, stake_after_meters, jurisdiction_code, source)
             SELECT s.route_code, 9999999, 9999900, s.jurisdiction_code, 'rls test'
             FROM (SELECT DISTINCT ON (jurisdiction_code) * FROM segments WHERE jurisdiction_code IN ('${OWN}', '${FOREIGN}') ORDER BY jurisdiction_code, id) s
             RETURNING id, jurisdiction_code)
  INSERT INTO rls_fixture SELECT CASE jurisdiction_code WHEN '${OWN}' THEN 'break_own' ELSE 'break_foreign' END, id FROM b;
  WITH n AS (INSERT INTO routing_nodes (coordinate_key, geom, jurisdiction_code)
             SELECT 'rls ' || code || ' ' || k || ' ' || ${hex(4)}, ST_SetSRID(ST_MakePoint(113.7, 34.7), 4326), code
             FROM (VALUES ('${OWN}'), ('${FOREIGN}')) v (code) CROSS JOIN generate_series(1, 2) k
             RETURNING id, jurisdiction_code, coordinate_key)
  INSERT INTO rls_fixture SELECT CASE jurisdiction_code WHEN '${OWN}' THEN 'node_own_' ELSE 'node_foreign_' END || split_part(coordinate_key, ' ', 3), id FROM n;
  WITH r AS (INSERT INTO routing_arcs (kind, connector_osm_id, from_node_id, to_node_id, is_oneway, length_meters, geom, jurisdiction_code)
             SELECT 'connector', 'rls', (SELECT id FROM rls_fixture WHERE name = side || '1'), (SELECT id FROM rls_fixture WHERE name = side || '2'), true, 1,
                    ST_SetSRID(ST_MakeLine(ST_MakePoint(113.7, 34.7), ST_MakePoint(113.70001, 34.7)), 4326), code
             FROM (VALUES ('node_own_', '${OWN}'), ('node_foreign_', '${FOREIGN}')) v (side, code)
             RETURNING id, jurisdiction_code)
  INSERT INTO rls_fixture SELECT CASE jurisdiction_code WHEN '${OWN}' THEN 'arc_own' ELSE 'arc_foreign' END, id FROM r;
  INSERT INTO management_violation_facts (violation_id, jurisdiction_code, category, zones, reported_day, is_open, is_running, cleared_late, cell_x, cell_y)
    VALUES (-1, '${OWN}', 'piling', '{}', '2998-01-01', true, false, false, 0, 0), (-2, '${FOREIGN}', 'piling', '{}', '2998-01-01', true, false, false, 0, 0);
  INSERT INTO management_daily (jurisdiction_code, category, day) VALUES ('${OWN}', 'piling', '2998-01-01'), ('${FOREIGN}', 'piling', '2998-01-01');
  -- Without its trigger (migration 022), which would delete and re-insert every management_unit_months
  -- row of both districts: another file's management refresh does the same for 410104 at any moment on
  -- a shared database, and the two re-inserts collide on the primary key. The 2998 row it would give
  -- is inserted by FIXTURE_SQL already.
  SET LOCAL session_replication_role = replica;
  INSERT INTO management_monthly (jurisdiction_code, category, month, reported, open_reported, cleared, cleared_late, running_due, reopened)
    VALUES ('${OWN}', 'piling', '2998-01-01', 1, 1, 0, 0, 0, 0), ('${FOREIGN}', 'piling', '2998-01-01', 1, 1, 0, 0, 0, 0);
  SET LOCAL session_replication_role = origin;
  INSERT INTO management_unit_totals (jurisdiction_code, category, open, running) VALUES ('${OWN}', 'rls', 1, 0), ('${FOREIGN}', 'rls', 1, 0);
  INSERT INTO management_clear_days (jurisdiction_code, category, day, days_to_clear, cases) VALUES ('${OWN}', 'piling', '2998-01-01', 1, 1), ('${FOREIGN}', 'piling', '2998-01-01', 1, 1);
  INSERT INTO management_open_cells (jurisdiction_code, grid, cell_x, cell_y, cases) VALUES ('${OWN}', 0, -99999, -99999, 1), ('${FOREIGN}', 0, -99999, -99999, 1);
  INSERT INTO management_lead_days (jurisdiction_code, day, review_days, leads) VALUES ('${OWN}', '2998-01-01', -1, 1), ('${FOREIGN}', '2998-01-01', -1, 1);
  UPDATE violations SET referred_by_user_id = r.user_id, referred_by_username = 'rls', referred_from_jurisdiction_code = '${OWN}', referred_at = r.at
  FROM (SELECT (SELECT id FROM rls_fixture WHERE name = 'me') AS user_id, TIMESTAMPTZ '2998-01-01 00:00+00' AS at, 1 AS k
        UNION ALL SELECT (SELECT id FROM rls_fixture WHERE name = 'referrer'), TIMESTAMPTZ '2998-01-02 00:00+00', 2) r
  WHERE violations.id = (SELECT id FROM violations WHERE jurisdiction_code = '${FOREIGN}' AND referred_by_user_id IS NULL ORDER BY id OFFSET r.k LIMIT 1);
  -- Copies read fixture ids in copyOverrides, which run as luyu_app.
  GRANT SELECT ON pg_temp.rls_fixture TO luyu_app;
`;

const fixture = (name: string) => `SELECT id FROM pg_temp.rls_fixture WHERE name = '${name}'`;
const firstIn = (table: string, code: string) => `SELECT id FROM ${table} WHERE jurisdiction_code = '${code}' ORDER BY id LIMIT 1`;

/** Every table with row-level security, its policies, and the literal outcome per operation. */
/** Aggregates: read by scope, written only by the refresh function (the owner). */
const AGGREGATE_OWN: Expected = { select: 1, insert: DENIED, update: DENIED, delete: DENIED };
const AGGREGATE_FOREIGN: Expected = { select: 0, insert: DENIED, update: DENIED, delete: DENIED };

const TABLE_CASES: Record<string, TableCase> = {
  duty_rules: {
    // Read in scope (and from ancestors: tests/integration/duties_documents.test.ts), written in scope.
    // One row per jurisdiction: the copy goes to 410102, put in scope beside the own district for this table.
    policies: ['duty_rules_read', 'duty_rules_write', 'duty_rules_update', 'duty_rules_delete'],
    own: `SELECT jurisdiction_code FROM duty_rules WHERE jurisdiction_code = '${OWN}'`,
    foreign: `SELECT jurisdiction_code FROM duty_rules WHERE jurisdiction_code = '${FOREIGN}'`,
    scopeCodes: [OWN, '410102'],
    copyOverrides: { jurisdiction_code: `CASE jurisdiction_code WHEN '${OWN}' THEN '410102' ELSE jurisdiction_code END` },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  supervisions: {
    // Seen and moved by the issuing and the responsible side; never deleted; units and number fixed (trigger).
    policies: ['supervisions_read', 'supervisions_insert', 'supervisions_update'],
    own: fixture('supervision_own'),
    foreign: fixture('supervision_foreign'),
    copyOverrides: { supervision_number: `'DB-${OWN}-2997-' || lpad((floor(random() * 899999) + 100000)::text, 6, '0')` },
    move: { column: 'responsible_jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: { select: 1, insert: 1, update: 1, delete: DENIED },
    foreignExpected: { select: 0, insert: DENIED, update: 0, delete: DENIED },
  },
  supervision_events: {
    // Append-only timeline (UPDATE and DELETE revoked).
    policies: ['supervision_events_scope'],
    own: fixture('supervision_event_own'),
    foreign: fixture('supervision_event_foreign'),
    move: { column: 'supervision_id', value: `(${fixture('supervision_foreign')})` },
    ownExpected: { select: 1, insert: 1, update: DENIED, delete: DENIED },
    foreignExpected: { select: 0, insert: DENIED, update: DENIED, delete: DENIED },
  },
  supervision_number_counters: {
    policies: ['supervision_number_counters_scope'],
    own: `SELECT jurisdiction_code, year FROM supervision_number_counters WHERE jurisdiction_code = '${OWN}' AND year = 2998`,
    foreign: `SELECT jurisdiction_code, year FROM supervision_number_counters WHERE jurisdiction_code = '${FOREIGN}' AND year = 2998`,
    copyOverrides: { year: '2997' },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: { select: 1, insert: 1, update: 1, delete: DENIED },
    foreignExpected: { select: 0, insert: DENIED, update: 0, delete: DENIED },
  },
  management_unit_months: {
    policies: ['management_unit_months_scope'],
    own: `SELECT jurisdiction_code, to_char(month, 'YYYY-MM-DD') AS month FROM management_unit_months WHERE jurisdiction_code = '${OWN}' AND month = '2998-01-01'`,
    foreign: `SELECT jurisdiction_code, to_char(month, 'YYYY-MM-DD') AS month FROM management_unit_months WHERE jurisdiction_code = '${FOREIGN}' AND month = '2998-01-01'`,
    copyOverrides: { month: "'2997-01-01'" },
    ownExpected: AGGREGATE_OWN,
    foreignExpected: AGGREGATE_FOREIGN,
  },
  segments: {
    policies: ['segments_scope'],
    own: firstIn('segments', OWN),
    foreign: firstIn('segments', FOREIGN),
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  road_structures: {
    policies: ['road_structures_scope'],
    own: firstIn('road_structures', OWN),
    // The demo has no structure in 410105: the fixtures add one (a 50 m bridge on a 410105 segment).
    foreign: firstIn('road_structures', FOREIGN),
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  protection_zones: {
    policies: ['protection_zones_scope'],
    own: `SELECT z.id FROM protection_zones z JOIN segments s ON s.id = z.segment_id WHERE s.jurisdiction_code = '${OWN}' ORDER BY z.id LIMIT 1`,
    foreign: `SELECT z.id FROM protection_zones z JOIN segments s ON s.id = z.segment_id WHERE s.jurisdiction_code = '${FOREIGN}' ORDER BY z.id LIMIT 1`,
    move: { column: 'segment_id', value: `(${firstIn('segments', FOREIGN)})` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  // Dissolved zones (migration 034): read in scope like the zones they union; written only by the
  // rebuild function (the owner).
  dissolved_zone_sets: {
    policies: ['dissolved_zone_sets_scope'],
    own: `SELECT id FROM dissolved_zone_sets WHERE jurisdiction_code = '${OWN}' ORDER BY id LIMIT 1`,
    foreign: `SELECT id FROM dissolved_zone_sets WHERE jurisdiction_code = '${FOREIGN}' ORDER BY id LIMIT 1`,
    ownExpected: READ_ONLY_OWN,
    foreignExpected: READ_ONLY_FOREIGN,
  },
  dissolved_zones: {
    policies: ['dissolved_zones_scope'],
    own: firstIn('dissolved_zones', OWN),
    foreign: firstIn('dissolved_zones', FOREIGN),
    ownExpected: READ_ONLY_OWN,
    foreignExpected: READ_ONLY_FOREIGN,
  },
  // Their display overviews for the zone tiles below z14 (migration 038): the same scope, the same writer.
  dissolved_zone_overviews: {
    policies: ['dissolved_zone_overviews_scope'],
    own: firstIn('dissolved_zone_overviews', OWN),
    foreign: firstIn('dissolved_zone_overviews', FOREIGN),
    ownExpected: READ_ONLY_OWN,
    foreignExpected: READ_ONLY_FOREIGN,
  },
  // Their pre-clipped tile pyramid for the same zooms (migration 045): the same scope, the same writer.
  dissolved_zone_tiles: {
    policies: ['dissolved_zone_tiles_scope'],
    own: firstIn('dissolved_zone_tiles', OWN),
    foreign: firstIn('dissolved_zone_tiles', FOREIGN),
    ownExpected: READ_ONLY_OWN,
    foreignExpected: READ_ONLY_FOREIGN,
  },
  users: {
    policies: ['users_scope'],
    own: fixture('user_own'),
    foreign: fixture('user_foreign'),
    copyOverrides: { username: `'rls_copy_' || ${hex(4)}` },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  sessions: {
    // Per user, not per district: a user sees and ends only their own sessions.
    policies: ['sessions_own'],
    own: fixture('session_own'),
    foreign: fixture('session_foreign'),
    copyOverrides: { token_hash: hex(32) },
    move: { column: 'user_id', value: `(${fixture('officer2')})` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  audit_log: {
    // Readable in scope; appended only in the request user's name; never changed (privileges revoked + trigger).
    policies: ['audit_log_append', 'audit_log_read'],
    own: fixture('audit_own'),
    foreign: fixture('audit_foreign'),
    ownExpected: { select: 1, insert: 1, update: DENIED, delete: DENIED },
    foreignExpected: { select: 0, insert: DENIED, update: DENIED, delete: DENIED },
  },
  violations: {
    // The referral policies are probed by REFERRAL_CASE below.
    policies: ['violations_referral_insert', 'violations_referral_read', 'violations_scope'],
    own: firstIn('violations', OWN),
    foreign: firstIn('violations', FOREIGN),
    copyOverrides: { external_id: `'rls-' || ${hex(8)}`, case_number: 'NULL' },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  evidence_photos: {
    policies: ['evidence_photos_scope'],
    own: fixture('photo_own'),
    foreign: fixture('photo_foreign'),
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  case_events: {
    // Append-only: UPDATE and DELETE are revoked from the request role (and refused by a trigger).
    policies: ['case_events_scope'],
    own: fixture('event_own'),
    foreign: fixture('event_foreign'),
    move: { column: 'violation_id', value: `(${firstIn('violations', FOREIGN)})` },
    ownExpected: { select: 1, insert: 1, update: DENIED, delete: DENIED },
    foreignExpected: { select: 0, insert: DENIED, update: DENIED, delete: DENIED },
  },
  case_number_counters: {
    // Gap-free numbering: a counter row is never deleted by a request.
    policies: ['case_number_counters_scope'],
    own: `SELECT jurisdiction_code, year FROM case_number_counters WHERE jurisdiction_code = '${OWN}' AND year = 2998`,
    foreign: `SELECT jurisdiction_code, year FROM case_number_counters WHERE jurisdiction_code = '${FOREIGN}' AND year = 2998`,
    copyOverrides: { year: '2997' },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: { select: 1, insert: 1, update: 1, delete: DENIED },
    foreignExpected: { select: 0, insert: DENIED, update: 0, delete: DENIED },
  },
  detections: {
    policies: ['detections_scope'],
    own: firstIn('detections', OWN),
    foreign: firstIn('detections', FOREIGN),
    copyOverrides: { feature_index: '1000000 + feature_index' },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  detection_batches: {
    policies: ['detection_batches_scope'],
    own: fixture('batch_own'),
    foreign: fixture('batch_foreign'),
    copyOverrides: { content_sha256: hex(32) },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  // Patrol planning (migration 013): per district; members and availability follow their crew.
  patrol_frequencies: {
    policies: ['patrol_frequencies_scope'],
    own: `SELECT jurisdiction_code, admin_class FROM patrol_frequencies WHERE jurisdiction_code = '${OWN}' AND admin_class = 'county'`,
    foreign: `SELECT jurisdiction_code, admin_class FROM patrol_frequencies WHERE jurisdiction_code = '${FOREIGN}' AND admin_class = 'county'`,
    copyOverrides: { admin_class: `'village'` },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  segment_patrols: {
    policies: ['segment_patrols_scope'],
    own: fixture('segment_patrol_own'),
    foreign: fixture('segment_patrol_foreign'),
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  crews: {
    policies: ['crews_scope'],
    // The crew nothing refers to (deleting crew_own would hit its assignments' foreign key).
    own: fixture('crew2_own'),
    foreign: fixture('crew_foreign'),
    copyOverrides: { name: `'rls copy ' || ${hex(4)}` },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  crew_members: {
    policies: ['crew_members_scope'],
    own: `SELECT crew_id, user_id FROM crew_members WHERE crew_id = (${fixture('crew_own')})`,
    foreign: `SELECT crew_id, user_id FROM crew_members WHERE crew_id = (${fixture('crew_foreign')})`,
    copyOverrides: { user_id: `(${fixture('user_own')})` },
    move: { column: 'crew_id', value: `(${fixture('crew_foreign')})` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  crew_availability: {
    policies: ['crew_availability_scope'],
    own: `SELECT crew_id, on_date::text AS on_date FROM crew_availability WHERE crew_id = (${fixture('crew_own')})`,
    foreign: `SELECT crew_id, on_date::text AS on_date FROM crew_availability WHERE crew_id = (${fixture('crew_foreign')})`,
    copyOverrides: { on_date: 'on_date + 1' },
    move: { column: 'crew_id', value: `(${fixture('crew_foreign')})` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  // The routing graph (migration 012) is written only by its SECURITY DEFINER rebuild.
  routing_nodes: {
    policies: ['routing_nodes_scope'],
    own: fixture('node_own_1'),
    foreign: fixture('node_foreign_1'),
    copyOverrides: { coordinate_key: `'rls copy ' || ${hex(4)}` },
    ownExpected: READ_ONLY_OWN,
    foreignExpected: READ_ONLY_FOREIGN,
  },
  routing_arcs: {
    policies: ['routing_arcs_scope'],
    own: fixture('arc_own'),
    foreign: fixture('arc_foreign'),
    ownExpected: READ_ONLY_OWN,
    foreignExpected: READ_ONLY_FOREIGN,
  },
  // Patrol plans and assignments (migration 018): per district; segments, tasks and events follow
  // their assignment; the timeline is append-only.
  patrol_plans: {
    policies: ['patrol_plans_scope'],
    own: fixture('plan_own'),
    foreign: fixture('plan_foreign'),
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  patrol_assignments: {
    policies: ['patrol_assignments_scope'],
    own: fixture('assignment_own'),
    foreign: fixture('assignment_foreign'),
    copyOverrides: { crew_id: `(${fixture('crew2_own')})` },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  patrol_assignment_segments: {
    policies: ['patrol_assignment_segments_scope'],
    own: `SELECT assignment_id, segment_id FROM patrol_assignment_segments WHERE assignment_id = (${fixture('assignment_own')})`,
    foreign: `SELECT assignment_id, segment_id FROM patrol_assignment_segments WHERE assignment_id = (${fixture('assignment_foreign')})`,
    // The highest segment id the officer can see (the fixture row has the lowest).
    copyOverrides: { segment_id: '(SELECT max(id) FROM segments)' },
    move: { column: 'assignment_id', value: `(${fixture('assignment_foreign')})` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  patrol_assignment_tasks: {
    policies: ['patrol_assignment_tasks_scope'],
    own: fixture('task_own'),
    foreign: fixture('task_foreign'),
    move: { column: 'assignment_id', value: `(${fixture('assignment_foreign')})` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  patrol_assignment_events: {
    // Append-only: UPDATE and DELETE are revoked from the request role (and refused by a trigger).
    policies: ['patrol_assignment_events_scope'],
    own: fixture('assignment_event_own'),
    foreign: fixture('assignment_event_foreign'),
    ownExpected: { select: 1, insert: 1, update: DENIED, delete: DENIED },
    foreignExpected: { select: 0, insert: DENIED, update: DENIED, delete: DENIED },
  },
  // Field app (migrations 020, 021): per district (uploads and the sync log are further narrowed
  // to their user by the services, not by the database).
  sync_actions: {
    policies: ['sync_actions_scope'],
    own: `SELECT jurisdiction_code, action_id FROM sync_actions WHERE device_id = 'rls-device-${OWN}'`,
    foreign: `SELECT jurisdiction_code, action_id FROM sync_actions WHERE device_id = 'rls-device-${FOREIGN}'`,
    copyOverrides: { action_id: 'gen_random_uuid()' },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  photo_uploads: {
    policies: ['photo_uploads_scope'],
    own: `SELECT id FROM photo_uploads WHERE size_bytes = 9876543 AND jurisdiction_code = '${OWN}' AND user_id = (${fixture('me')})`,
    foreign: `SELECT id FROM photo_uploads WHERE size_bytes = 9876543 AND jurisdiction_code = '${FOREIGN}' AND user_id = (${fixture('officer2')})`,
    copyOverrides: { id: 'gen_random_uuid()' },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  patrol_tracks: {
    policies: ['patrol_tracks_scope'],
    own: fixture('track_own'),
    foreign: fixture('track_foreign'),
    copyOverrides: { client_chunk_id: 'gen_random_uuid()' },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  segment_track_coverage: {
    policies: ['segment_track_coverage_scope'],
    own: `SELECT assignment_id, segment_id FROM segment_track_coverage WHERE assignment_id = (${fixture('assignment_own')})`,
    foreign: `SELECT assignment_id, segment_id FROM segment_track_coverage WHERE assignment_id = (${fixture('assignment_foreign')})`,
    copyOverrides: { segment_id: '(SELECT max(id) FROM segments)' },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  patrol_log_entries: {
    policies: ['patrol_log_entries_scope'],
    own: `SELECT assignment_id FROM patrol_log_entries WHERE assignment_id = (${fixture('assignment_own')})`,
    foreign: `SELECT assignment_id FROM patrol_log_entries WHERE assignment_id = (${fixture('assignment_foreign')})`,
    copyOverrides: { assignment_id: `(${fixture('assignment2_own')})` },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  // Background jobs (migration 008): a job is seen (GET /jobs/:id) within its jurisdiction.
  jobs: {
    policies: ['jobs_scope'],
    own: fixture('job_own'),
    foreign: fixture('job_foreign'),
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  // Management (migrations 014, 015): aggregates are read in scope and written only by the refresh
  // function; campaigns are per district; scoring formulas are readable by every unit (a unit is
  // scored by the formula of a unit above it) and appended only in scope, never changed.
  ...Object.fromEntries(
    (
      [
        ['management_violation_facts', 'violation_id', 'violation_id = -1', 'violation_id = -2'],
        ['management_daily', 'jurisdiction_code, day::text AS day, category', `day = '2998-01-01' AND jurisdiction_code = '${OWN}'`, `day = '2998-01-01' AND jurisdiction_code = '${FOREIGN}'`],
        ['management_monthly', 'jurisdiction_code, month::text AS month, category', `month = '2998-01-01' AND jurisdiction_code = '${OWN}'`, `month = '2998-01-01' AND jurisdiction_code = '${FOREIGN}'`],
        ['management_unit_totals', 'jurisdiction_code, category', `category = 'rls' AND jurisdiction_code = '${OWN}'`, `category = 'rls' AND jurisdiction_code = '${FOREIGN}'`],
        ['management_clear_days', 'jurisdiction_code, day::text AS day, category, days_to_clear', `day = '2998-01-01' AND jurisdiction_code = '${OWN}'`, `day = '2998-01-01' AND jurisdiction_code = '${FOREIGN}'`],
        ['management_open_cells', 'jurisdiction_code, grid, cell_x, cell_y', `cell_x = -99999 AND jurisdiction_code = '${OWN}'`, `cell_x = -99999 AND jurisdiction_code = '${FOREIGN}'`],
        ['management_lead_days', 'jurisdiction_code, day::text AS day, review_days', `day = '2998-01-01' AND jurisdiction_code = '${OWN}'`, `day = '2998-01-01' AND jurisdiction_code = '${FOREIGN}'`],
      ] as const
    ).map(([table, key, own, foreign]): [string, TableCase] => [
      table,
      {
        policies: [`${table}_scope`],
        own: `SELECT ${key} FROM ${table} WHERE ${own}`,
        foreign: `SELECT ${key} FROM ${table} WHERE ${foreign}`,
        ownExpected: READ_ONLY_OWN,
        foreignExpected: READ_ONLY_FOREIGN,
      },
    ]),
  ),
  campaigns: {
    policies: ['campaigns_scope'],
    own: fixture('campaign_own'),
    foreign: fixture('campaign_foreign'),
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  scoring_formulas: {
    policies: ['scoring_formulas_read', 'scoring_formulas_write'],
    own: `SELECT version FROM scoring_formulas WHERE version = (${fixture('formula_own')})`,
    foreign: `SELECT version FROM scoring_formulas WHERE version = (${fixture('formula_foreign')})`,
    ownExpected: { select: 1, insert: 1, update: DENIED, delete: DENIED },
    foreignExpected: { select: 1, insert: DENIED, update: DENIED, delete: DENIED },
  },
  // Chainage calibration (migration 017): stake markers and chain breaks per district.
  chainage_markers: {
    policies: ['chainage_markers_scope'],
    own: fixture('marker_own'),
    foreign: fixture('marker_foreign'),
    copyOverrides: { stake_meters: 'stake_meters + 0.5' },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  chain_breaks: {
    policies: ['chain_breaks_scope'],
    own: fixture('break_own'),
    foreign: fixture('break_foreign'),
    copyOverrides: { stake_before_meters: 'stake_before_meters + 0.5' },
    move: { column: 'jurisdiction_code', value: `'${FOREIGN}'` },
    ownExpected: SCOPED_OWN,
    foreignExpected: SCOPED_FOREIGN,
  },
  detection_staging: {
    // No policy at all: the request role sees and writes nothing (the ingest runs as the owner).
    policies: [],
    own: `SELECT batch_id, feature_index FROM detection_staging WHERE batch_id = (${fixture('batch_own')})`,
    foreign: `SELECT batch_id, feature_index FROM detection_staging WHERE batch_id = (${fixture('batch_foreign')})`,
    copyOverrides: { feature_index: '1' },
    ownExpected: { select: 0, insert: DENIED, update: 0, delete: 0 },
    foreignExpected: { select: 0, insert: DENIED, update: 0, delete: 0 },
  },
  detection_classified: {
    // Like detection_staging (migration 047): no policy, the request role sees and writes nothing.
    policies: [],
    own: `SELECT batch_id, feature_index FROM detection_classified WHERE batch_id = (${fixture('batch_own')})`,
    foreign: `SELECT batch_id, feature_index FROM detection_classified WHERE batch_id = (${fixture('batch_foreign')})`,
    copyOverrides: { feature_index: '1' },
    ownExpected: { select: 0, insert: DENIED, update: 0, delete: 0 },
    foreignExpected: { select: 0, insert: DENIED, update: 0, delete: 0 },
  },
};

/**
 * Referrals (migration 011, docs/violations_server.md): a 410105 case the 410104 officer referred.
 * The referrer reads it and may file a referral in their own name from their own district, but
 * cannot change or delete it (that stays with 410105). A case another 410104 user referred stays
 * invisible to the officer, and no referral may be filed in that user's name.
 */
const REFERRAL_CASE: TableCase = {
  policies: ['violations_referral_insert', 'violations_referral_read', 'violations_scope'],
  own: `SELECT id FROM violations WHERE referred_at = '2998-01-01 00:00+00'`,
  foreign: `SELECT id FROM violations WHERE referred_at = '2998-01-02 00:00+00'`,
  copyOverrides: { external_id: `'rls-' || ${hex(8)}`, case_number: 'NULL' },
  ownExpected: { select: 1, insert: 1, update: 0, delete: 0 },
  foreignExpected: { select: 0, insert: DENIED, update: 0, delete: 0 },
};

let db: Database;
let rlsTables: { table: string; policies: string[] }[];

beforeAll(async () => {
  db = await openDatabase(inject('databaseUrl'));
  const tables = await db.pool.query<{ table: string; policies: string[] }>(
    `SELECT c.relname AS table,
            coalesce((SELECT array_agg(p.policyname::text ORDER BY p.policyname) FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname), '{}') AS policies
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relrowsecurity
     UNION
     SELECT p.tablename::text, array_agg(p.policyname::text ORDER BY p.policyname) FROM pg_policies p WHERE p.schemaname = 'public' GROUP BY p.tablename
     ORDER BY 1`,
  );
  rlsTables = tables.rows;
});

afterAll(async () => {
  await db.close();
});

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

interface Attempt {
  outcome: Outcome;
  detail: string;
}

/** Runs `sql` in a savepoint that is rolled back: its row count, or 'denied' for SQLSTATE 42501; anything else is a test error. */
async function attempt(client: pg.PoolClient, sql: string): Promise<Attempt> {
  // Always undone, so every operation meets the rows as the fixtures left them.
  await client.query('SAVEPOINT rls_attempt');
  try {
    const result = await client.query(sql);
    return { outcome: result.rowCount ?? 0, detail: '' };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '42501') return { outcome: DENIED, detail: (error as Error).message };
    throw new Error(`${sql}\n→ ${code} ${(error as Error).message}`);
  } finally {
    await client.query('ROLLBACK TO SAVEPOINT rls_attempt');
  }
}

/**
 * One transaction: fixtures and copies of the two rows as the superuser, then `SET LOCAL ROLE
 * luyu_app` and the same set_config calls as withRequestScope for the officer of 410104, then every
 * operation. Always rolled back.
 */
async function probeTable(table: string, tableCase: TableCase): Promise<string[]> {
  const client = await db.pool.connect();
  const wrong: string[] = [];
  try {
    await client.query('BEGIN');
    await client.query(FIXTURE_SQL);
    await client.query(FIXTURE_PATROL_SQL);
    const keyColumns = (
      await client.query<{ name: string }>(
        `SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
         WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
        [table],
      )
    ).rows.map((row) => row.name);
    const insertable = (
      await client.query<{ name: string }>(
        `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped
           AND attidentity <> 'a' AND attgenerated = '' ORDER BY attnum`,
        [table],
      )
    ).rows.map((row) => row.name);
    const keys: Record<'own' | 'foreign', Record<string, unknown>> = { own: {}, foreign: {} };
    for (const side of ['own', 'foreign'] as const) {
      const found = await client.query(tableCase[side]);
      if (found.rows.length !== 1) throw new Error(`${table}: the ${side} fixture query found ${found.rows.length} rows: ${tableCase[side]}`);
      keys[side] = found.rows[0];
      const where = keyColumns.map((column) => `${quote(column)} = ${client.escapeLiteral(String(found.rows[0][column]))}`).join(' AND ');
      await client.query(`CREATE TEMP TABLE ${quote(`rls_src_${side}`)} ON COMMIT DROP AS SELECT * FROM ${quote(table)} WHERE ${where}`);
      await client.query(`GRANT SELECT ON pg_temp.${quote(`rls_src_${side}`)} TO luyu_app`);
    }
    const scope = await client.query<{ id: number }>(`SELECT id FROM users WHERE username = 'officer'`);
    // As server/db/transaction.ts withRequestScope does for a request of the 410104 officer.
    await client.query('SET LOCAL ROLE luyu_app');
    await client.query(
      `SELECT set_config('luyu.scope_codes', $1, true), set_config('luyu.scope_is_top', $2, true),
              set_config('luyu.user_id', $3, true), set_config('luyu.role', $4, true)`,
      [(tableCase.scopeCodes ?? [OWN]).join(','), 'off', String(scope.rows[0]!.id), 'officer'],
    );
    const whereOf = (side: 'own' | 'foreign') =>
      keyColumns.map((column) => `${quote(column)} = ${client.escapeLiteral(String(keys[side][column]))}`).join(' AND ');
    const overrides = tableCase.copyOverrides ?? {};
    // A no-op update of a plain column (identity keys may not be assigned at all); a table of key
    // columns only (crew_members) gets its first key column assigned to itself.
    const touched = insertable.find((column) => !keyColumns.includes(column)) ?? keyColumns[0]!;
    const copyList = insertable.map((column) => overrides[column] ?? quote(column));
    for (const side of ['own', 'foreign'] as const) {
      const expected = side === 'own' ? tableCase.ownExpected : tableCase.foreignExpected;
      const where = whereOf(side);
      const got: Record<keyof Expected, Attempt> = {
        select: await attempt(client, `SELECT 1 FROM ${quote(table)} WHERE ${where}`),
        insert: await attempt(client, `INSERT INTO ${quote(table)} (${insertable.map(quote).join(', ')}) SELECT ${copyList.join(', ')} FROM pg_temp.${quote(`rls_src_${side}`)}`),
        update: await attempt(client, `UPDATE ${quote(table)} SET ${quote(touched)} = ${quote(touched)} WHERE ${where}`),
        delete: await attempt(client, `DELETE FROM ${quote(table)} WHERE ${where}`),
      };
      for (const operation of ['select', 'insert', 'update', 'delete'] as const) {
        if (got[operation].outcome !== expected[operation]) {
          wrong.push(`${table} ${side} ${operation}: got ${got[operation].outcome}, expected ${expected[operation]} ${got[operation].detail}`);
        }
      }
    }
    if (tableCase.move) {
      // WITH CHECK: an own row may not be changed into one the user could not see.
      const moved = await attempt(client, `UPDATE ${quote(table)} SET ${quote(tableCase.move.column)} = ${tableCase.move.value} WHERE ${whereOf('own')}`);
      if (moved.outcome !== DENIED) wrong.push(`${table} own → ${FOREIGN} via ${tableCase.move.column}: got ${moved.outcome}, expected ${DENIED}`);
    }
    // The foreign row is still there, untouched (read back as the superuser).
    await client.query('RESET ROLE');
    const still = await client.query(`SELECT count(*)::integer AS n FROM ${quote(table)} WHERE ${whereOf('foreign')}`);
    if (still.rows[0].n !== 1) wrong.push(`${table}: the foreign row is gone`);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
  return wrong;
}

describe('row-level security, straight SQL as luyu_app', () => {
  it('every table with row-level security and every policy has a direct case here', () => {
    const missing: string[] = [];
    for (const { table, policies } of rlsTables) {
      const tableCase = TABLE_CASES[table];
      if (!tableCase) missing.push(`${table}: no case in TABLE_CASES (policies: ${policies.join(', ') || 'none'})`);
      else if ([...tableCase.policies].sort().join() !== [...policies].sort().join()) {
        missing.push(`${table}: policies ${policies.join(', ')} but the case lists ${tableCase.policies.join(', ')}`);
      }
    }
    for (const table of Object.keys(TABLE_CASES)) if (!rlsTables.some((row) => row.table === table)) missing.push(`${table}: listed here but has no row-level security`);
    expect(missing).toEqual([]);
    expect(rlsTables.length).toBeGreaterThanOrEqual(13);
  });

  it.each(Object.entries(TABLE_CASES))('%s: own rows as listed, the other district invisible and unwritable', async (table, tableCase) => {
    expect(await probeTable(table, tableCase)).toEqual([]);
  });

  it('violations referred to another district: the referrer reads them, never changes them', async () => {
    expect(await probeTable('violations', REFERRAL_CASE)).toEqual([]);
  });

  it('withRequestScope really runs as luyu_app with the request scope (what the probes copy)', async () => {
    const seen = await withRequestScope(db.pool, { userId: 42, role: 'officer', scopeCodes: [OWN, '410105'], isTop: false }, async (client) => {
      const result = await client.query<{ role: string; codes: string; top: string; user: string }>(
        `SELECT current_user AS role, current_setting('luyu.scope_codes') AS codes, current_setting('luyu.scope_is_top') AS top, current_setting('luyu.user_id') AS user`,
      );
      return result.rows[0]!;
    });
    expect(seen).toEqual({ role: 'luyu_app', codes: `${OWN},410105`, top: 'off', user: '42' });
  });

  it('unset settings mean nothing visible (every policy denies by default)', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL ROLE luyu_app');
      const counts = await client.query<{ segments: number; violations: number; users: number }>(
        `SELECT (SELECT count(*) FROM segments)::integer AS segments, (SELECT count(*) FROM violations)::integer AS violations, (SELECT count(*) FROM users)::integer AS users`,
      );
      expect(counts.rows[0]).toEqual({ segments: 0, violations: 0, users: 0 });
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
