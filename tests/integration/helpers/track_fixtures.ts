import { randomUUID } from 'node:crypto';
import type pg from 'pg';

/** A local metric frame far from the demo roads, so only the fixture's segments can match. */
export const ORIGIN = { longitude: 113.0, latitude: 34.0 };
const METERS_PER_DEGREE_X = 111_320 * Math.cos((ORIGIN.latitude * Math.PI) / 180);
const METERS_PER_DEGREE_Y = 110_574;

export function toLonLat(xMeters: number, yMeters: number): [number, number] {
  return [ORIGIN.longitude + xMeters / METERS_PER_DEGREE_X, ORIGIN.latitude + yMeters / METERS_PER_DEGREE_Y];
}

/** Deterministic noise: a point uniformly inside a disc of `radiusMeters`. */
export function noiseSource(seed: number, radiusMeters: number) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  return () => {
    const radius = radiusMeters * Math.sqrt(next());
    const angle = 2 * Math.PI * next();
    return [radius * Math.cos(angle), radius * Math.sin(angle)] as const;
  };
}

export interface DrivenFix {
  x: number;
  y: number;
  epochSeconds: number;
}

/**
 * Fixes of driving a straight line from (x0,y) to (x1,y) at `speed` m/s, one per second, with
 * noise, leaving out the fixes whose true x lies inside `gap` (a tunnel: time passes, no fix).
 */
export function drive(options: { x0: number; x1: number; y: number; speed: number; startEpochSeconds: number; noise: () => readonly [number, number]; gap?: [number, number] }): DrivenFix[] {
  const fixes: DrivenFix[] = [];
  const length = Math.abs(options.x1 - options.x0);
  const sign = Math.sign(options.x1 - options.x0);
  for (let second = 0; second * options.speed <= length; second += 1) {
    const x = options.x0 + sign * second * options.speed;
    if (options.gap && x > Math.min(...options.gap) && x < Math.max(...options.gap)) continue;
    const [dx, dy] = options.noise();
    fixes.push({ x: x + dx, y: options.y + dy, epochSeconds: options.startEpochSeconds + second });
  }
  return fixes;
}

export function trackFeature(fixes: DrivenFix[]) {
  return {
    type: 'Feature',
    geometry: { type: 'LineString', coordinates: fixes.map((fix) => toLonLat(fix.x, fix.y).map((value) => Math.round(value * 1e7) / 1e7)) },
    properties: { coordTimes: fixes.map((fix) => new Date(fix.epochSeconds * 1000).toISOString()) },
  };
}

/** A straight segment from (x0,y0) to (x1,y1) with M = chainage, as the superuser. */
export async function insertStraightSegment(
  pool: pg.Pool,
  options: { route: string; direction: 1 | -1; from: [number, number]; to: [number, number]; chainageFrom: number; chainageTo: number; isOneway: boolean },
): Promise<number> {
  const [x0, y0] = toLonLat(...options.from);
  const [x1, y1] = toLonLat(...options.to);
  const mStart = options.direction === 1 ? options.chainageFrom : options.chainageTo;
  const mEnd = options.direction === 1 ? options.chainageTo : options.chainageFrom;
  const result = await pool.query<{ id: number }>(
    `INSERT INTO segments (route_code, direction, chainage_from_meters, chainage_to_meters, centreline, admin_class, is_oneway, road_land_half_width_meters, jurisdiction_code)
     VALUES ($1, $2, $3, $4, ST_SetSRID(ST_MakeLine(ST_MakePointM($5, $6, $7), ST_MakePointM($8, $9, $10)), 4326), 'county', $11, 6, '410104')
     RETURNING id::integer AS id`,
    [options.route, options.direction, options.chainageFrom, options.chainageTo, x0, y0, mStart, x1, y1, mEnd, options.isOneway],
  );
  return result.rows[0]!.id;
}

/** A crew of `usernames` and an assignment of it for today over `segmentIds`, in `status`, as the superuser. */
export async function insertAssignment(pool: pg.Pool, options: { usernames: string[]; segmentIds: number[]; status: string; crewName?: string }) {
  const crew = await pool.query<{ id: number }>(
    `INSERT INTO crews (name, jurisdiction_code, vehicle_plate, base, shift_start_minutes, shift_end_minutes)
     VALUES ($1, '410104', '豫A·T1234', ST_SetSRID(ST_MakePoint(113.0, 34.0), 4326), 480, 1080) RETURNING id::integer AS id`,
    [options.crewName ?? `测试巡查组-${randomUUID().slice(0, 8)}`],
  );
  const crewId = crew.rows[0]!.id;
  await pool.query(`INSERT INTO crew_members (crew_id, user_id) SELECT $1, id FROM users WHERE username = ANY($2)`, [crewId, options.usernames]);
  const plan = await pool.query<{ id: number }>(
    `INSERT INTO patrol_plans (jurisdiction_code, plan_date, status, seed, seconds) VALUES ('410104', (now() AT TIME ZONE 'Asia/Shanghai')::date, 'published', 1, 10) RETURNING id::integer AS id`,
  );
  const assignment = await pool.query<{ id: number }>(
    `INSERT INTO patrol_assignments (plan_id, crew_id, assignment_date, jurisdiction_code, status, started_at)
     VALUES ($1, $2, (now() AT TIME ZONE 'Asia/Shanghai')::date, '410104', $3, CASE WHEN $3 IN ('in_progress', 'paused', 'completed') THEN now() END) RETURNING id::integer AS id`,
    [plan.rows[0]!.id, crewId, options.status],
  );
  const assignmentId = assignment.rows[0]!.id;
  await pool.query(
    `INSERT INTO patrol_assignment_segments (assignment_id, segment_id, sequence, direction_served)
     SELECT $1, segment_id, sequence::integer, 'forward' FROM unnest($2::bigint[]) WITH ORDINALITY AS u(segment_id, sequence)`,
    [assignmentId, options.segmentIds],
  );
  return { crewId, planId: plan.rows[0]!.id, assignmentId };
}
