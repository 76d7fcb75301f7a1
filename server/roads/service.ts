import type { Queryable } from '../db/database.ts';
import { formatStake } from '../domain/stake.ts';
import { notFound } from '../http/errors.ts';
import { feature, pagedCollection } from '../http/geojson.ts';
import { nextLink, pageCount, pageStart } from '../paging/keyset.ts';
import {
  countSegments,
  SEGMENT_KEYSET,
  selectClassWidths,
  selectExampleRoute,
  selectRoute,
  selectRoutes,
  selectRouteSummary,
  selectSegment,
  selectSegments,
  selectStructuresOnSegment,
  type RouteRow,
  type SegmentFilter,
  type SegmentRow,
} from './queries.ts';

function routeSummary(row: RouteRow) {
  return {
    code: row.code,
    name: row.name,
    nameEn: row.name_en,
    adminClass: row.admin_class,
    isDemoCode: row.is_demo_code,
    segmentCount: row.segment_count,
    lengthMeters: Math.round(row.length_meters * 10) / 10,
    chainageFromMeters: row.chainage_from_meters,
    chainageToMeters: row.chainage_to_meters,
  };
}

export async function listRoutes(db: Queryable) {
  const rows = await selectRoutes(db);
  return { routes: rows.map(routeSummary) };
}

/** The one route the search box's example stake comes from (null on an empty network). */
export async function getExampleRoute(db: Queryable) {
  const row = await selectExampleRoute(db);
  return { route: row ? routeSummary(row) : null };
}

/** One route's summary (the side panel's English route name, without the whole list); 404 when there is none. */
export async function getRoute(db: Queryable, code: string) {
  const row = await selectRouteSummary(db, code);
  if (!row) throw routeNotFound(code);
  return routeSummary(row);
}

function routeNotFound(code: string) {
  return notFound('ROUTE_NOT_FOUND', `No route ${code}; GET /api/v1/routes lists the routes`, { route: code });
}

/** 404 with the valid form when a route code names no route, so a typo is not an empty list. */
export async function requireRoute(db: Queryable, code: string) {
  const route = await selectRoute(db, code);
  if (!route) throw routeNotFound(code);
  return route;
}

function segmentProperties(row: Omit<SegmentRow, 'keyset'>) {
  return {
    id: row.id,
    routeCode: row.route_code,
    routeName: row.route_name,
    adminClass: row.admin_class,
    direction: row.direction,
    chainageFromMeters: row.chainage_from_meters,
    chainageToMeters: row.chainage_to_meters,
    stakeFrom: formatStake(row.chainage_from_meters),
    stakeTo: formatStake(row.chainage_to_meters),
    lengthMeters: Math.round(row.length_meters * 10) / 10,
    lanes: row.lanes,
    isOneway: row.is_oneway,
    roadLandHalfWidthMeters: row.road_land_half_width_meters,
    roadLandHalfWidthSource: row.road_land_half_width_source,
    jurisdictionCode: row.jurisdiction_code,
    jurisdictionName: row.jurisdiction_name,
    version: row.version,
  };
}

/** One page of segments by offset (first pages) or after `query.cursor`; `links.next` continues it. */
export async function listSegments(db: Queryable, filter: SegmentFilter, limit: number, query: { offset?: number; cursor?: string }, originalUrl: string) {
  if (filter.routeCode) await requireRoute(db, filter.routeCode);
  // The list has one order; the cursor still names it so a future sort parameter cannot misread old cursors.
  const start = pageStart(query, SEGMENT_SORT, 'asc', SEGMENT_KEYSET);
  const rows = await selectSegments(db, filter, limit, start);
  const page = rows.slice(0, limit);
  const last = rows.length > limit ? page.at(-1) : undefined;
  const count = pageCount(start, rows.length, limit) ?? (await countSegments(db, filter));
  return pagedCollection(
    page.map((row) => feature(row.id, row.geometry, segmentProperties(row))),
    {
      ...count,
      limit,
      offset: start.kind === 'offset' ? start.offset : null,
      links: nextLink(originalUrl, last ? { sort: SEGMENT_SORT, order: 'asc', values: last.keyset } : null),
    },
  );
}

const SEGMENT_SORT = 'stake';

export async function requireSegment(db: Queryable, id: number) {
  const row = await selectSegment(db, id);
  if (!row) throw notFound('SEGMENT_NOT_FOUND', `No segment with id ${id}`, { id });
  return row;
}

export async function getSegmentDetail(db: Queryable, id: number) {
  const row = await requireSegment(db, id);
  const widths = await selectClassWidths(db, row.admin_class);
  const structures = await selectStructuresOnSegment(db, id);
  const widthOf = (kind: string) => widths.find((width) => width.kind === kind)?.width_meters ?? 0;
  return feature(row.id, row.geometry, {
    ...segmentProperties(row),
    zoneWidths: {
      roadLandHalfWidthMeters: row.road_land_half_width_meters,
      buildingControlMeters: widthOf('building_control'),
      excavationBanMeters: widthOf('excavation_ban'),
      settlementSetbackMeters: widthOf('settlement_setback'),
      bridgeRangeMeters: widthOf('bridge_range'),
      tunnelRangeMeters: widthOf('tunnel_range'),
    },
    structures: structures.map((structure) => ({
      id: structure.id,
      kind: structure.kind,
      sizeClass: structure.size_class,
      name: structure.name,
      lengthMeters: Math.round(structure.length_meters * 10) / 10,
    })),
  });
}
