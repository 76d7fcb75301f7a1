/** SQL of the synthetic province's detections and cases (scripts/province_cases.ts). Bind parameters only. */

export const DELETE_SYNTHETIC_BATCHES = `DELETE FROM detection_batches WHERE client_batch_id LIKE $1`;
export const DELETE_SYNTHETIC_VIOLATIONS = `DELETE FROM violations WHERE external_id LIKE $1`;

export const SYNTHETIC_SEGMENT_KEYS = `
  SELECT s.id, s.route_code || '@' || s.chainage_from_meters::text AS key
  FROM segments s JOIN routes r ON r.code = s.route_code
  WHERE r.name LIKE $1`;

export const INSERT_SYNTHETIC_BATCHES = `
  INSERT INTO detection_batches (client_batch_id, content_sha256, status, file_format, source, sensor, model_name, before_date, after_date,
                                 ground_resolution_meters, crs, jurisdiction_code, created_at, finished_at)
  SELECT client_batch_id, content_sha256, 'done', 'features', 'SYN synthetic', 'GF-2', 'synthetic-change-v1', '2026-03-01', '2026-06-01',
         0.8, 'WGS84', jurisdiction_code, '2026-06-15T00:00:00+08:00', '2026-06-15T00:00:00+08:00'
  FROM json_to_recordset($1::json) AS b(client_batch_id text, content_sha256 text, jurisdiction_code text)
  RETURNING id, jurisdiction_code`;

// Detections go in unclassified: zones stay '[]' and review 'pending', as after staging; the anchor segment is kept when near.
export const INSERT_SYNTHETIC_DETECTIONS = `
  INSERT INTO detections (batch_id, feature_index, external_id, geom, area_square_meters, confidence, change_type, in_scope,
                          segment_id, route_code, distance_meters, jurisdiction_code, priority, review_status, created_at)
  SELECT batch_id, feature_index, external_id, ST_Multi(ST_GeomFromText(wkt, 4326)), area, confidence, change_type, in_scope,
         segment_id, route_code, distance, jurisdiction_code, priority, 'pending', '2026-06-15T00:00:00+08:00'
  FROM json_to_recordset($1::json) AS d(batch_id bigint, feature_index integer, external_id text, wkt text, area double precision,
       confidence double precision, change_type text, in_scope boolean, segment_id bigint, route_code text, distance double precision,
       jurisdiction_code text, priority integer)`;

export const UPDATE_SYNTHETIC_BATCH_TOTALS = `
  UPDATE detection_batches b SET total = c.n, processed = c.n
  FROM (SELECT batch_id, count(*)::integer AS n FROM detections GROUP BY batch_id) c
  WHERE c.batch_id = b.id AND b.client_batch_id LIKE $1`;

// One statement per chunk: the violations, then their events joined back on external_id, in step order.
export const INSERT_SYNTHETIC_VIOLATIONS_WITH_EVENTS = `
  WITH inserted AS (
    INSERT INTO violations (external_id, case_number, category, status, geom, attributes, description, source, party, segment_id, route_code,
                            direction, chainage_meters, zones, jurisdiction_code, verdict, is_violation, deadline_at, reported_at, updated_at,
                            closed_at, version)
    SELECT external_id, case_number, category, status, ST_SetSRID(ST_MakePoint(lon, lat), 4326), '{}'::jsonb, '合成案件', source, party,
           segment_id, route_code, 1, chainage_meters, ARRAY['building_control'], jurisdiction_code, verdict, true, deadline_at,
           reported_at, updated_at, closed_at, version
    FROM json_to_recordset($1::json) AS v(external_id text, case_number text, category text, status text, lon double precision,
         lat double precision, source text, party jsonb, segment_id bigint, route_code text, chainage_meters double precision,
         jurisdiction_code text, verdict jsonb, deadline_at timestamptz, reported_at timestamptz, updated_at timestamptz,
         closed_at timestamptz, version integer)
    RETURNING id, external_id
  )
  INSERT INTO case_events (violation_id, event, from_status, to_status, occurred_at, actor_username, actor_role, note, details)
  SELECT i.id, e.event, e.from_status, e.to_status, e.occurred_at, 'SYN-' || e.actor_role, e.actor_role, e.note, coalesce(e.details, '{}')
  FROM json_to_recordset($2::json) AS e(external_id text, step integer, event text, from_status text, to_status text,
       occurred_at timestamptz, actor_role text, note text, details jsonb)
  JOIN inserted i USING (external_id)
  ORDER BY i.id, e.step`;

// Next sequence per county and year after the largest generated one (case number = code-year-sequence).
export const ADVANCE_CASE_NUMBER_COUNTERS = `
  INSERT INTO case_number_counters (jurisdiction_code, year, last_sequence)
  SELECT split_part(case_number, '-', 1), split_part(case_number, '-', 2)::integer, max(split_part(case_number, '-', 3)::integer)
  FROM violations WHERE external_id LIKE $1 AND case_number IS NOT NULL
  GROUP BY 1, 2
  ON CONFLICT (jurisdiction_code, year) DO UPDATE SET last_sequence = GREATEST(case_number_counters.last_sequence, EXCLUDED.last_sequence)`;

export const ANALYZE = { detections: 'ANALYZE detections', violations: 'ANALYZE violations', case_events: 'ANALYZE case_events' } as const;

// Counts and an order-independent checksum of what the generator wrote, for the determinism test and the CLI.
export const SYNTHETIC_PROVINCE_FINGERPRINT = `
  SELECT (SELECT count(*) FROM segments s JOIN routes r ON r.code = s.route_code WHERE r.name LIKE 'SYN%')::integer AS segments,
         (SELECT count(*) FROM detections d JOIN detection_batches b ON b.id = d.batch_id WHERE b.client_batch_id LIKE 'SYN-%')::integer AS detections,
         (SELECT count(*) FROM violations WHERE external_id LIKE 'SYN-%')::integer AS violations,
         (SELECT count(*) FROM case_events e JOIN violations v ON v.id = e.violation_id WHERE v.external_id LIKE 'SYN-%')::integer AS case_events,
         md5(concat(
           (SELECT string_agg(md5(s.route_code || s.chainage_from_meters::text || ST_AsText(s.centreline) || s.admin_class || s.jurisdiction_code), '' ORDER BY s.route_code, s.chainage_from_meters)
              FROM segments s JOIN routes r ON r.code = s.route_code WHERE r.name LIKE 'SYN%'),
           (SELECT string_agg(md5(d.external_id || ST_AsText(d.geom) || d.change_type || d.jurisdiction_code || coalesce(d.confidence::text, '')), '' ORDER BY d.external_id)
              FROM detections d JOIN detection_batches b ON b.id = d.batch_id WHERE b.client_batch_id LIKE 'SYN-%'),
           (SELECT string_agg(md5(v.external_id || ST_AsText(v.geom) || v.category || v.status || v.jurisdiction_code || coalesce(v.case_number, '') || v.reported_at::text), '' ORDER BY v.external_id)
              FROM violations v WHERE v.external_id LIKE 'SYN-%'))) AS checksum`;
