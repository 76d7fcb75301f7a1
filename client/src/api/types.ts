import type { Feature, FeatureCollection, LineString, MultiPolygon, Point, Polygon } from 'geojson';
import type { AdminClass } from '@domain/admin_class';
import type { ZoneKind } from '@domain/zones';

/** Direction of travel along chainage: +1 increasing (上行 by default), -1 decreasing. */
export type Direction = 1 | -1;

export type Side = 'left' | 'right';

export { ZONE_KINDS, type ZoneKind } from '@domain/zones';

export interface HealthResponse {
  status: 'ok';
  database: { mode: 'embedded' | 'external'; postgresVersion: string; postgisVersion: string };
  migrations: { level: number; applied: string[] };
}

export interface ClientConfig {
  /** External basemap style; null uses the style built from the project's own data. */
  basemapStyleUrl: string | null;
  /** The province's words for the + and − directions (上行/下行 by default). */
  directionLabels: { plus: string; minus: string } | null;
}

export interface RouteSummary {
  code: string;
  name: string;
  nameEn: string | null;
  adminClass: AdminClass;
  isDemoCode: boolean;
  segmentCount: number;
  lengthMeters: number;
  chainageFromMeters: number;
  chainageToMeters: number;
}

export interface SegmentProperties {
  id: number;
  routeCode: string;
  routeName: string;
  adminClass: AdminClass;
  direction: Direction;
  chainageFromMeters: number;
  chainageToMeters: number;
  stakeFrom: string;
  stakeTo: string;
  lengthMeters: number;
  lanes: number | null;
  roadLandHalfWidthMeters: number;
  jurisdictionCode: string | null;
  jurisdictionName: string | null;
}

export interface ZoneWidths {
  roadLandHalfWidthMeters: number;
  buildingControlMeters: number;
  excavationBanMeters: number;
  settlementSetbackMeters: number;
}

export interface Structure {
  kind: string;
  sizeClass: string | null;
  lengthMeters: number;
  name: string | null;
}

export interface SegmentDetailProperties extends SegmentProperties {
  zoneWidths: ZoneWidths;
  structures: Structure[];
}

export interface PagedCollection {
  numberMatched?: number;
  numberReturned?: number;
  limit?: number;
  offset?: number;
}

export type SegmentFeature = Feature<LineString, SegmentProperties>;
export type SegmentCollection = FeatureCollection<LineString, SegmentProperties> & PagedCollection;
export type SegmentDetail = Feature<LineString, SegmentDetailProperties>;

export interface ZoneProperties {
  id: number;
  segmentId: number;
  kind: ZoneKind;
  widthMeters: number;
  routeCode: string;
}
export type ZoneCollection = FeatureCollection<Polygon | MultiPolygon, ZoneProperties> & PagedCollection;

export interface JurisdictionProperties {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}
export type JurisdictionCollection = FeatureCollection<MultiPolygon | Polygon, JurisdictionProperties>;

export interface BasemapRoadProperties {
  osmId: string;
  highway: string;
  name: string | null;
  ref: string | null;
}
export type BasemapRoadCollection = FeatureCollection<LineString, BasemapRoadProperties>;

export interface LocateResult {
  route: string;
  routeName: string;
  segmentId: number;
  direction: Direction;
  chainageMeters: number;
  stake: string;
  side: Side;
  offsetMeters: number;
  zone: ZoneKind | null;
  zones: ZoneKind[];
  jurisdiction: { code: string; name: string } | null;
  snappedPoint: Point;
}

export interface StakePointResult {
  route: string;
  stake: string;
  chainageMeters: number;
  direction: Direction;
  segmentId: number;
  point: Point;
}

/** [minLon, minLat, maxLon, maxLat] */
export type BoundingBox = readonly [number, number, number, number];
