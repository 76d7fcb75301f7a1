import type { Queryable } from '../db/database.ts';

export interface AssignmentAccessRow {
  id: number;
  crew_id: number;
  status: string;
  jurisdiction_code: string;
  assignment_date: string;
  is_member: boolean;
}

/** The assignment (scoped by RLS) and whether the user is on its crew. */
export async function selectAssignmentAccess(db: Queryable, assignmentId: number, userId: number): Promise<AssignmentAccessRow | null> {
  const result = await db.query<AssignmentAccessRow>(
    `SELECT a.id::integer AS id, a.crew_id::integer AS crew_id, a.status, a.jurisdiction_code, a.assignment_date::text AS assignment_date,
            EXISTS (SELECT 1 FROM crew_members m WHERE m.crew_id = a.crew_id AND m.user_id = $2) AS is_member
     FROM patrol_assignments a WHERE a.id = $1`,
    [assignmentId, userId],
  );
  return result.rows[0] ?? null;
}

/**
 * Stores one chunk as a LineStringM (M = epoch seconds). Returns null when the chunk id was stored
 * before (a retry): nothing new.
 */
export async function insertTrackChunk(
  db: Queryable,
  chunk: { assignmentId: number; crewId: number; userId: number; jurisdictionCode: string; chunkId: string; longitudes: number[]; latitudes: number[]; epochSeconds: number[] },
): Promise<{ id: number } | null> {
  const result = await db.query<{ id: number }>(
    `WITH fix AS (
       SELECT x, y, t, i FROM unnest($6::float8[], $7::float8[], $8::float8[]) WITH ORDINALITY AS u(x, y, t, i)
     ), line AS (
       SELECT ST_SetSRID(ST_MakeLine(array_agg(ST_MakePointM(x, y, t) ORDER BY i)), 4326) AS geom, min(t) AS t0, max(t) AS t1, count(*) AS n FROM fix
     )
     INSERT INTO patrol_tracks (assignment_id, crew_id, user_id, jurisdiction_code, client_chunk_id, geom, started_at, ended_at, point_count, length_meters)
     SELECT $1, $2, $3, $4, $5, geom, to_timestamp(t0), to_timestamp(t1), n, ST_Length(ST_Force2D(geom)::geography) FROM line
     ON CONFLICT (assignment_id, client_chunk_id) DO NOTHING
     RETURNING id::integer AS id`,
    [chunk.assignmentId, chunk.crewId, chunk.userId, chunk.jurisdictionCode, chunk.chunkId, chunk.longitudes, chunk.latitudes, chunk.epochSeconds],
  );
  return result.rows[0] ?? null;
}

/** The chunk with the last fix before `beforeEpochSeconds`, so a leg across two chunks is matched too. */
export async function selectPrecedingFix(db: Queryable, assignmentId: number, chunkId: number): Promise<{ x: number; y: number; t: number } | null> {
  const result = await db.query<{ x: number; y: number; t: number }>(
    `SELECT ST_X(p) AS x, ST_Y(p) AS y, ST_M(p) AS t
     FROM (SELECT ST_EndPoint(t.geom) AS p FROM patrol_tracks t, patrol_tracks c
           WHERE c.id = $2 AND t.assignment_id = $1 AND t.id <> c.id AND t.ended_at <= c.started_at
           ORDER BY t.ended_at DESC LIMIT 1) last`,
    [assignmentId, chunkId],
  );
  return result.rows[0] ?? null;
}

export interface MatchSettings {
  matchMeters: number;
  gapSeconds: number;
  headingDegrees: number;
}

/**
 * Map-matches a chunk's fixes (with the fix before it) onto the segments and unions what it covered
 * into segment_track_coverage. Per leg between consecutive fixes:
 * - a leg longer in time than the gap limit, or faster than 60 m/s, is dropped (nothing between
 *   two fixes a tunnel apart is counted);
 * - its heading is taken over ±3 fixes (a 1-second ±15 m fix alone points anywhere);
 * - candidates are segments within matchMeters of its midpoint whose direction agrees: a one-way
 *   carriageway within headingDegrees of the heading (so the opposite carriageway never counts),
 *   an undivided road either way;
 * - the leg goes to the NEAREST agreeing candidate only (so a parallel service road driven does
 *   not count for the main road beside it), and covers the stretch between its fixes' projections.
 * Covered pieces are fractions of the line kept as a multirange: appending a chunk is a union.
 */
export async function matchChunkCoverage(db: Queryable, assignmentId: number, chunkLine: string, settings: MatchSettings) {
  const result = await db.query<{ segment_id: number; covered_share: number }>(
    `WITH fixes AS (
       SELECT (d).path[1] AS n, ST_Force2D((d).geom) AS pt, ST_M((d).geom) AS t FROM (SELECT ST_DumpPoints(ST_GeomFromEWKT($2)) AS d) dumped
     ), windowed AS (
       SELECT n, pt, t, lead(pt) OVER w AS pt1, lead(t) OVER w AS t1,
              lag(pt, 3) OVER w AS back_pt, lag(t, 3) OVER w AS back_t, lead(pt, 4) OVER w AS ahead_pt, lead(t, 4) OVER w AS ahead_t
       FROM fixes WINDOW w AS (ORDER BY n)
     ), legs AS (
       SELECT n, pt AS p0, pt1 AS p1, t AS t0, t1,
              CASE WHEN back_pt IS NOT NULL AND t - back_t <= 3 * $4 THEN back_pt ELSE pt END AS h0,
              CASE WHEN ahead_pt IS NOT NULL AND ahead_t - t1 <= 3 * $4 THEN ahead_pt ELSE pt1 END AS h1
       FROM windowed
       WHERE pt1 IS NOT NULL AND t1 > t AND t1 - t <= $4
     ), measured AS (
       SELECT n, p0, p1, t0, t1, ST_Azimuth(h0::geography, h1::geography) AS heading, ST_Distance(h0::geography, h1::geography) AS base_meters,
              ST_Distance(p0::geography, p1::geography) AS leg_meters, ST_LineInterpolatePoint(ST_MakeLine(p0, p1), 0.5) AS mid
       FROM legs
     ), moving AS (
       SELECT * FROM measured WHERE base_meters >= 20 AND leg_meters / (t1 - t0) <= 60
     ), candidates AS (
       SELECT m.n, m.p0, m.p1, m.t0, m.t1, m.heading, s.id AS segment_id, s.jurisdiction_code, s.is_oneway, s.length_meters,
              ST_Force2D(s.centreline) AS line,
              ST_Distance(m.mid::geography, ST_Force2D(s.centreline)::geography) AS distance_meters,
              ST_LineLocatePoint(ST_Force2D(s.centreline), m.mid) AS f
       FROM moving m
       JOIN segments s ON s.centreline && ST_Expand(m.mid, $3 / 90000.0)
       WHERE ST_DWithin(m.mid::geography, ST_Force2D(s.centreline)::geography, $3)
     ), directed AS (
       SELECT c.*, ST_Azimuth(ST_LineInterpolatePoint(c.line, greatest(c.f - c.d, 0))::geography,
                              ST_LineInterpolatePoint(c.line, least(c.f + c.d, 1))::geography) AS segment_heading
       FROM (SELECT candidates.*, least(0.5, 25.0 / greatest(length_meters, 1)) AS d FROM candidates) c
     ), agreeing AS (
       SELECT *, degrees(abs(atan2(sin(heading - segment_heading), cos(heading - segment_heading)))) AS angle FROM directed
     ), matched AS (
       SELECT DISTINCT ON (n) n, segment_id, jurisdiction_code, line, p0, p1, t0, t1
       FROM agreeing
       WHERE angle <= $5 OR (NOT is_oneway AND angle >= 180 - $5)
       ORDER BY n, distance_meters, segment_id
     ), pieces AS (
       SELECT segment_id, jurisdiction_code,
              range_agg(numrange(least(a, b)::numeric, greatest(a, b)::numeric, '[]')) AS covered,
              to_timestamp(min(t0)) AS first_at, to_timestamp(max(t1)) AS last_at
       FROM (SELECT matched.*, ST_LineLocatePoint(line, p0) AS a, ST_LineLocatePoint(line, p1) AS b FROM matched) located
       GROUP BY segment_id, jurisdiction_code
     )
     INSERT INTO segment_track_coverage AS c (assignment_id, segment_id, jurisdiction_code, covered_fractions, covered_share, first_covered_at, last_covered_at)
     SELECT $1, segment_id, jurisdiction_code, covered,
            least(1, (SELECT coalesce(sum(upper(r) - lower(r)), 0) FROM unnest(covered) r))::float8, first_at, last_at
     FROM pieces
     ON CONFLICT (assignment_id, segment_id) DO UPDATE SET
       covered_fractions = c.covered_fractions + EXCLUDED.covered_fractions,
       covered_share = least(1, (SELECT coalesce(sum(upper(r) - lower(r)), 0) FROM unnest(c.covered_fractions + EXCLUDED.covered_fractions) r))::float8,
       first_covered_at = least(c.first_covered_at, EXCLUDED.first_covered_at),
       last_covered_at = greatest(c.last_covered_at, EXCLUDED.last_covered_at),
       updated_at = now()
     RETURNING segment_id::integer AS segment_id, covered_share`,
    [assignmentId, chunkLine, settings.matchMeters, settings.gapSeconds, settings.headingDegrees],
  );
  return result.rows;
}

/** The chunk's line as EWKT with the fix before it prepended (M kept). */
export async function selectChunkLine(db: Queryable, chunkId: number, preceding: { x: number; y: number; t: number } | null): Promise<string> {
  const result = await db.query<{ ewkt: string }>(
    `SELECT ST_AsEWKT(CASE WHEN $2::float8 IS NULL THEN t.geom ELSE ST_AddPoint(t.geom, ST_SetSRID(ST_MakePointM($2, $3, $4), 4326), 0) END) AS ewkt
     FROM patrol_tracks t WHERE t.id = $1`,
    [chunkId, preceding?.x ?? null, preceding?.y ?? null, preceding?.t ?? null],
  );
  return result.rows[0]!.ewkt;
}

/** Records "patrolled" for segments whose share reached the threshold, once per assignment. */
export async function insertTrackPatrols(db: Queryable, assignmentId: number, crewId: number, thresholdShare: number): Promise<number> {
  const result = await db.query(
    `INSERT INTO segment_patrols (segment_id, patrolled_at, source, assignment_id, crew_id, jurisdiction_code)
     SELECT c.segment_id, c.last_covered_at, 'track', c.assignment_id, $2, c.jurisdiction_code
     FROM segment_track_coverage c
     WHERE c.assignment_id = $1 AND c.covered_share >= $3
       AND NOT EXISTS (SELECT 1 FROM segment_patrols p WHERE p.assignment_id = c.assignment_id AND p.segment_id = c.segment_id AND p.source = 'track')`,
    [assignmentId, crewId, thresholdShare],
  );
  return result.rowCount ?? 0;
}

export interface CoverageRow {
  segment_id: number;
  route_code: string;
  direction: number;
  chainage_from_meters: number;
  chainage_to_meters: number;
  length_meters: number;
  sequence: number | null;
  covered_share: number;
  covered_ranges: { from: number; to: number }[];
  last_covered_at: Date | null;
}

/** Assigned segments (in order) and any other segment the track covered, with covered stake ranges. */
export async function selectCoverage(db: Queryable, assignmentId: number): Promise<CoverageRow[]> {
  const result = await db.query<CoverageRow>(
    `WITH keys AS (
       SELECT segment_id, sequence FROM patrol_assignment_segments WHERE assignment_id = $1
       UNION
       SELECT segment_id, NULL FROM segment_track_coverage c
       WHERE c.assignment_id = $1 AND NOT EXISTS (SELECT 1 FROM patrol_assignment_segments a WHERE a.assignment_id = $1 AND a.segment_id = c.segment_id)
     )
     SELECT s.id::integer AS segment_id, s.route_code, s.direction, s.chainage_from_meters, s.chainage_to_meters, s.length_meters, k.sequence,
            coalesce(c.covered_share, 0) AS covered_share, c.last_covered_at,
            coalesce((SELECT json_agg(json_build_object(
                        'from', round(ST_M(ST_LineInterpolatePoint(s.centreline, lower(r)::float8))::numeric, 0),
                        'to', round(ST_M(ST_LineInterpolatePoint(s.centreline, upper(r)::float8))::numeric, 0)) ORDER BY lower(r))
                      FROM unnest(c.covered_fractions) r), '[]'::json) AS covered_ranges
     FROM keys k JOIN segments s ON s.id = k.segment_id
     LEFT JOIN segment_track_coverage c ON c.assignment_id = $1 AND c.segment_id = k.segment_id
     ORDER BY k.sequence NULLS LAST, s.route_code, s.chainage_from_meters`,
    [assignmentId],
  );
  return result.rows;
}

export async function selectTrackSummary(db: Queryable, assignmentId: number) {
  const result = await db.query<{ chunks: number; points: number; length_meters: number; started_at: Date | null; ended_at: Date | null }>(
    `SELECT count(*)::integer AS chunks, coalesce(sum(point_count), 0)::integer AS points, coalesce(sum(length_meters), 0)::float8 AS length_meters,
            min(started_at) AS started_at, max(ended_at) AS ended_at
     FROM patrol_tracks WHERE assignment_id = $1`,
    [assignmentId],
  );
  return result.rows[0]!;
}

/** The whole track as one GeoJSON LineString (M dropped), for maps. */
export async function selectTrackLine(db: Queryable, assignmentId: number): Promise<GeoJSON.LineString | null> {
  const result = await db.query<{ line: GeoJSON.LineString | null }>(
    `SELECT ST_AsGeoJSON(ST_Force2D(ST_MakeLine(array_agg(geom ORDER BY started_at, id))), 7)::json AS line FROM patrol_tracks WHERE assignment_id = $1`,
    [assignmentId],
  );
  return result.rows[0]?.line ?? null;
}

export interface LiveCrewRow {
  assignment_id: number;
  crew_id: number;
  crew_name: string;
  status: string;
  vehicle_plate: string | null;
  members: string[];
  longitude: number | null;
  latitude: number | null;
  fix_epoch_seconds: number | null;
  assigned_meters: number;
  covered_meters: number;
  segments_assigned: number;
  segments_covered: number;
}

/**
 * Assignments of `date` under way (in progress or paused) in the unit and the units below it, each
 * with its latest fix (the end point of the chunk that ends last; M = epoch seconds) and progress
 * from the stored coverage: Σ assigned length × covered share, Σ assigned length.
 */
export async function selectLiveCrews(db: Queryable, filter: { date: string; jurisdictionCode: string; coverageShare: number }): Promise<LiveCrewRow[]> {
  const result = await db.query<LiveCrewRow>(
    `WITH RECURSIVE unit_tree AS (
       SELECT code FROM jurisdictions WHERE code = $2
       UNION ALL
       SELECT j.code FROM jurisdictions j JOIN unit_tree t ON j.parent_code = t.code
     )
     SELECT a.id::integer AS assignment_id, c.id::integer AS crew_id, c.name AS crew_name, a.status, c.vehicle_plate,
            coalesce((SELECT array_agg(coalesce(u.display_name, u.username) ORDER BY u.id) FROM crew_members m JOIN users u ON u.id = m.user_id WHERE m.crew_id = c.id), '{}') AS members,
            ST_X(fix.p) AS longitude, ST_Y(fix.p) AS latitude, ST_M(fix.p) AS fix_epoch_seconds,
            coalesce(progress.assigned_meters, 0)::float8 AS assigned_meters, coalesce(progress.covered_meters, 0)::float8 AS covered_meters,
            coalesce(progress.segments_assigned, 0)::integer AS segments_assigned, coalesce(progress.segments_covered, 0)::integer AS segments_covered
     FROM patrol_assignments a JOIN crews c ON c.id = a.crew_id
     LEFT JOIN LATERAL (
       SELECT ST_EndPoint(t.geom) AS p FROM patrol_tracks t WHERE t.assignment_id = a.id ORDER BY t.ended_at DESC, t.id DESC LIMIT 1
     ) fix ON true
     LEFT JOIN LATERAL (
       SELECT sum(s.length_meters) AS assigned_meters, sum(s.length_meters * coalesce(k.covered_share, 0)) AS covered_meters,
              count(*) AS segments_assigned, count(*) FILTER (WHERE k.covered_share >= $3) AS segments_covered
       FROM patrol_assignment_segments p JOIN segments s ON s.id = p.segment_id
       LEFT JOIN segment_track_coverage k ON k.assignment_id = p.assignment_id AND k.segment_id = p.segment_id
       WHERE p.assignment_id = a.id
     ) progress ON true
     WHERE a.assignment_date = $1::date AND a.status IN ('in_progress', 'paused')
       AND a.jurisdiction_code IN (SELECT code FROM unit_tree)
     ORDER BY c.name, a.id`,
    [filter.date, filter.jurisdictionCode, filter.coverageShare],
  );
  return result.rows;
}
