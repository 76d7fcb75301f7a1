import type { AdminClass } from '@domain/admin_class';
import { ApiError } from './api_error';
import { apiUrl, getJson } from './http';
import type {
  BasemapRoadCollection,
  BoundingBox,
  ClientConfig,
  Direction,
  HealthResponse,
  JurisdictionCollection,
  LocateResult,
  RouteSummary,
  SegmentCollection,
  SegmentDetail,
  StakePointResult,
  ZoneCollection,
  ZoneKind,
} from './types';

/** The server caps `limit` at this value for segments and zones. */
export const MAX_PAGE_LIMIT = 5000;

export function fetchHealth(signal?: AbortSignal): Promise<HealthResponse> {
  return getJson(apiUrl('health'), signal);
}

/** Client configuration; a server without the endpoint (404) means "all defaults". */
export async function fetchConfig(signal?: AbortSignal): Promise<ClientConfig> {
  try {
    const config = await getJson<Partial<ClientConfig>>(apiUrl('config'), signal);
    const labels = config.directionLabels;
    return {
      basemapStyleUrl: typeof config.basemapStyleUrl === 'string' && config.basemapStyleUrl ? config.basemapStyleUrl : null,
      directionLabels:
        labels && typeof labels.plus === 'string' && typeof labels.minus === 'string' && labels.plus && labels.minus
          ? { plus: labels.plus, minus: labels.minus }
          : null,
    };
  } catch (error) {
    if (error instanceof ApiError && error.isNotFound) return { basemapStyleUrl: null, directionLabels: null };
    throw error;
  }
}

/** One route's summary (GET /routes/:code). */
export async function fetchRoute(code: string, signal?: AbortSignal): Promise<RouteSummary> {
  return getJson<RouteSummary>(apiUrl(`routes/${encodeURIComponent(code)}`), signal);
}

/** The one route the example stake comes from (GET /routes/example); null on an empty network. */
export async function fetchExampleRoute(signal?: AbortSignal): Promise<RouteSummary | null> {
  const body = await getJson<{ route: RouteSummary | null }>(apiUrl('routes/example'), signal);
  return body.route;
}

export interface SegmentQuery {
  bbox?: BoundingBox;
  route?: string;
  adminClass?: AdminClass;
  limit?: number;
  offset?: number;
}

/** One page of segments. */
export function fetchSegments(query: SegmentQuery = {}, signal?: AbortSignal): Promise<SegmentCollection> {
  return getJson(
    apiUrl('segments', { bbox: query.bbox, route: query.route, limit: query.limit, offset: query.offset }),
    signal,
  );
}

/**
 * Every segment in the bbox (or the whole network), following pages until numberMatched is
 * reached. Fine for a county-sized network; a province will switch to vector tiles.
 */
export async function fetchAllSegments(query: Omit<SegmentQuery, 'limit' | 'offset'> = {}, signal?: AbortSignal): Promise<SegmentCollection> {
  return fetchAllPages((limit, offset) => fetchSegments({ ...query, limit, offset }, signal));
}

export function fetchSegment(id: number, signal?: AbortSignal): Promise<SegmentDetail> {
  return getJson(apiUrl(`segments/${encodeURIComponent(String(id))}`), signal);
}

export function fetchSegmentZones(id: number, signal?: AbortSignal): Promise<ZoneCollection> {
  return getJson(apiUrl(`segments/${encodeURIComponent(String(id))}/zones`), signal);
}

export interface ZoneQuery {
  bbox?: BoundingBox;
  kinds?: readonly ZoneKind[];
  limit?: number;
  offset?: number;
}

export function fetchZones(query: ZoneQuery = {}, signal?: AbortSignal): Promise<ZoneCollection> {
  return getJson(apiUrl('zones', { bbox: query.bbox, kind: query.kinds, limit: query.limit, offset: query.offset }), signal);
}

/** Every zone in a box, page by page: the crew app keeps its corridor's zones on the device (the maps read tiles). */
export async function fetchAllZones(query: Omit<ZoneQuery, 'limit' | 'offset'> = {}, signal?: AbortSignal): Promise<ZoneCollection> {
  return fetchAllPages((limit, offset) => fetchZones({ ...query, limit, offset }, signal));
}

export function fetchJurisdictions(signal?: AbortSignal): Promise<JurisdictionCollection> {
  return getJson(apiUrl('jurisdictions'), signal);
}

export function fetchBasemapRoads(bbox?: BoundingBox, signal?: AbortSignal): Promise<BasemapRoadCollection> {
  return getJson(apiUrl('basemap/roads', { bbox }), signal);
}

/** Nearest road to a point: route, stake, side, offset and legal zone. 404 NO_ROAD_NEARBY beyond the radius. */
export function locatePoint(lon: number, lat: number, radiusMeters?: number, signal?: AbortSignal): Promise<LocateResult> {
  return getJson(apiUrl('lrs/locate', { lon: round(lon, 7), lat: round(lat, 7), radius: radiusMeters }), signal);
}

/** Stake → point on a route. 400 STAKE_INVALID, 404 ROUTE_NOT_FOUND / STAKE_OUT_OF_RANGE. */
export function locateStake(route: string, stake: string, direction: Direction, signal?: AbortSignal): Promise<StakePointResult> {
  return getJson(apiUrl('lrs/point', { route, stake, direction }), signal);
}

interface Page<F> {
  type: 'FeatureCollection';
  features: F[];
  numberMatched?: number;
  /** Beyond the server's exact-count limit numberMatched is an estimate: page on until a page is short. */
  numberMatchedIsEstimate?: boolean;
}

async function fetchAllPages<C extends Page<unknown>>(fetchPage: (limit: number, offset: number) => Promise<C>): Promise<C> {
  const first = await fetchPage(MAX_PAGE_LIMIT, 0);
  const features = [...first.features];
  const total = first.numberMatched ?? features.length;
  let lastPageLength = first.features.length;
  while (lastPageLength === MAX_PAGE_LIMIT && (first.numberMatchedIsEstimate === true || features.length < total)) {
    const page = await fetchPage(MAX_PAGE_LIMIT, features.length);
    lastPageLength = page.features.length;
    features.push(...page.features);
  }
  return { ...first, features, numberReturned: features.length, offset: 0 };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export type ArchiveFormat = 'html' | 'xlsx';

/** The last `days` Asia/Shanghai calendar days, today included (an archive covers at most 366). */
export function recentArchivePeriod(days: number, now: Date = new Date()): { from: string; to: string } {
  const day = (date: Date) => new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  return { from: day(new Date(now.getTime() - (days - 1) * 86_400_000)), to: day(now) };
}

/** 路域环境调查档案 of a segment as a printable page or xlsx (server/archives). */
export function segmentArchiveUrl(id: number, format: ArchiveFormat, period: { from: string; to: string }): string {
  return apiUrl(`archives/segments/${id}`, { ...period, format });
}

/** 监督检查日志档案 of a unit (and the units below it). */
export function unitArchiveUrl(code: string, format: ArchiveFormat, period: { from: string; to: string }): string {
  return apiUrl(`archives/units/${code}`, { ...period, format });
}

/** The deployment's satellite imagery basemap (LUYU_IMAGERY_TEMPLATE), or null when none is configured. */
export interface ImageryBasemap {
  template: string;
  attribution: string | null;
}

export async function fetchImageryBasemap(signal?: AbortSignal): Promise<ImageryBasemap | null> {
  return (await getJson<{ imagery: ImageryBasemap | null }>(apiUrl('imagery-basemap'), signal)).imagery;
}
