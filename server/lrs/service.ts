import type { Queryable } from '../db/database.ts';
import { formatStake, parseStake, STAKE_FORMAT_HINT } from '../domain/stake.ts';
import { mostSpecificZone, ZONE_KINDS, type ZoneKind } from '../domain/zones.ts';
import { AppError, badRequest, notFound } from '../http/errors.ts';
import { requireRoute } from '../roads/service.ts';
import { locateGeometries, selectRouteRanges, selectStakeOutsideScope, selectStakePoints } from './queries.ts';

/** Below this offset a point is on the centreline and has no side. */
const ON_CENTRELINE_METERS = 0.05;

export interface LocateResult {
  route: string;
  routeName: string;
  segmentId: number;
  direction: 1 | -1;
  chainageMeters: number;
  stake: string;
  side: 'left' | 'right' | null;
  offsetMeters: number;
  zone: ZoneKind | null;
  zones: ZoneKind[];
  jurisdiction: { code: string; name: string | null } | null;
  snappedPoint: GeoJSON.Point;
}

/** Point → route, segment, chainage, stake, side, offset and the legal zone it falls in. */
export async function locatePoint(db: Queryable, longitude: number, latitude: number, radiusMeters: number): Promise<LocateResult> {
  const [nearest] = await locateGeometries(db, [{ type: 'Point', coordinates: [longitude, latitude] }], radiusMeters);
  if (!nearest || nearest.segment_id === null) {
    throw notFound('NO_ROAD_NEARBY', `No road segment within ${radiusMeters} m of ${longitude}, ${latitude}`, { longitude, latitude, radiusMeters });
  }
  const zones = ZONE_KINDS.filter((kind) => nearest.zone_kinds.includes(kind));
  const chainageMeters = Math.max(0, Math.round(nearest.chainage_meters * 100) / 100);
  const offsetMeters = Math.round(nearest.offset_meters * 100) / 100;
  return {
    route: nearest.route_code,
    routeName: nearest.route_name,
    segmentId: nearest.segment_id,
    direction: nearest.direction,
    chainageMeters,
    stake: formatStake(chainageMeters),
    side: nearest.offset_meters < ON_CENTRELINE_METERS ? null : nearest.left_of_plus_direction ? 'left' : 'right',
    offsetMeters,
    zone: mostSpecificZone(zones),
    zones,
    jurisdiction: nearest.jurisdiction_code ? { code: nearest.jurisdiction_code, name: nearest.jurisdiction_name } : null,
    snappedPoint: nearest.snapped_point,
  };
}

export function parseStakeOrThrow(stake: string): number {
  const parsed = parseStake(stake);
  if (!parsed.ok) throw badRequest('STAKE_INVALID', parsed.message, { stake, expected: STAKE_FORMAT_HINT });
  return parsed.chainageMeters;
}

/**
 * Route + stake (+ direction, + side and offset) → point. On the centreline by default; with a
 * side and offset, that many metres square to the road ("G107 K3+200 右侧 25 m"). A two-way road
 * has only + segments, so a − request falls back to them; the answer says which direction it used.
 */
export async function pointAtStake(
  db: Queryable,
  routeCode: string,
  stake: string,
  requestedDirection: 1 | -1 | undefined,
  offset: { side: 'left' | 'right'; offsetMeters: number } | null = null,
) {
  const chainageMeters = parseStakeOrThrow(stake);
  await requireRoute(db, routeCode);
  const [found] = await selectStakePoints(db, [
    {
      routeCode,
      direction: requestedDirection ?? 1,
      chainageMeters,
      sideSign: offset ? (offset.side === 'left' ? 1 : -1) : 0,
      offsetMeters: offset?.offsetMeters ?? 0,
    },
  ]);
  if (!found?.point || found.segment_id === null || found.direction === null) {
    if (await selectStakeOutsideScope(db, routeCode, chainageMeters)) {
      throw new AppError(403, 'OUTSIDE_JURISDICTION', `${routeCode} ${formatStake(chainageMeters)} is not in your jurisdiction (another district's road)`, {
        route: routeCode,
        stake: formatStake(chainageMeters),
      });
    }
    const ranges = await selectRouteRanges(db, routeCode);
    throw notFound('STAKE_OUT_OF_RANGE', `${routeCode} has no road at ${formatStake(chainageMeters)}`, {
      route: routeCode,
      stake: formatStake(chainageMeters),
      ranges: ranges.map((range) => ({
        direction: range.direction,
        from: formatStake(range.chainage_from_meters),
        to: formatStake(range.chainage_to_meters),
      })),
    });
  }
  return {
    route: routeCode,
    stake: formatStake(chainageMeters, chainageMeters % 1 === 0 ? 0 : 2),
    chainageMeters,
    direction: found.direction,
    segmentId: found.segment_id,
    side: offset?.side ?? null,
    offsetMeters: offset?.offsetMeters ?? 0,
    point: found.point,
  };
}
