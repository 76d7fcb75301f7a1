/**
 * The vector tile layers: one entry per layer, its zoom range, the most features one tile may
 * hold and the attributes it carries (for TileJSON). Adding a layer (patrol routes, …) is one
 * entry here and one SQL template in queries.ts under the same name.
 */
export interface TileLayer {
  name: TileLayerName;
  description: string;
  minZoom: number;
  maxZoom: number;
  /** Beyond this many features a tile is cut (ordered by the template: the most important first). */
  featureLimit: number;
  /** Attribute → MVT type name, as TileJSON's vector_layers.fields describe them. */
  fields: Record<string, 'String' | 'Number' | 'Boolean'>;
  /**
   * Every table the layer's templates read (queries.ts): their change version keys the tile cache
   * (migration 051 adds the change trigger to exactly these tables; a test compares). The
   * jurisdiction tree is part of every tile (the user's scope), so it is in every list.
   */
  sourceTables: readonly TileSourceTable[];
  /**
   * How long a cached tile may be served without a change to its tables: what else a tile depends
   * on (the date, for overdue cases) or a write that bypassed the triggers. Seconds.
   */
  cacheSeconds: number;
}

/** The tables migration 051 watches for the tile cache. */
export const TILE_SOURCE_TABLES = [
  'segments',
  'routes',
  'protection_zones',
  'road_structures',
  'dissolved_zone_overviews',
  'dissolved_zone_tiles',
  'violations',
  'detections',
  'basemap_roads',
  'jurisdictions',
] as const;
export type TileSourceTable = (typeof TILE_SOURCE_TABLES)[number];

/** Cached tiles of layers that change only with their tables: a safety net, not a freshness rule. */
const STABLE_LAYER_CACHE_SECONDS = 600;
/** A case becomes overdue when the date changes (Asia/Shanghai), with no write: a minute, as Cache-Control says. */
const DATED_LAYER_CACHE_SECONDS = 60;

export const TILE_LAYER_NAMES = ['segments', 'stakes', 'zones', 'violations', 'violation_clusters', 'detections', 'basemap_roads'] as const;
export type TileLayerName = (typeof TILE_LAYER_NAMES)[number];

/**
 * Below this zoom the zones tiles hold the dissolved zones (migration 034: the union per district
 * and kind in pieces of at most 256 vertices) as their display overviews (migration 038), without
 * the per-segment attributes. At z13 a tile is ~5 km wide and holds hundreds of overlapping
 * per-segment bands; from z14 the per-segment bands are few per tile and their segment and route
 * attribution is worth showing.
 */
export const DISSOLVED_ZONES_BELOW_ZOOM = 14;

/**
 * Below this zoom the segments tiles hold one line per route, county and direction (the segments
 * merged), not one per segment: the whole province fits at z6–z7, where a tile held up to 19,479
 * main-road segments (650 kB) of the 256,460-segment synthetic province and 973 merged lines
 * (52 kB) instead. A segment of ≤ 1 km is a few pixels there; clicks locate by place anyway.
 */
export const SEGMENTS_MERGED_BELOW_ZOOM = 10;

/**
 * Merged lines' feature ids start here, above every segment id, so a selected segment's filter
 * never matches one; the rest is a hash of (route, county, direction), the same in every tile.
 */
export const MERGED_SEGMENT_ID_BASE = 2 ** 40;

/**
 * Cells per tile side of the violation clusters: 16 → a cell is 32 px of a 512-px tile, about a
 * circle's width, so neighbouring clusters rarely overlap. The grid is the tile's, so a case is in
 * exactly one cell of one tile at a zoom (counts add up across tiles).
 */
export const VIOLATION_CLUSTER_CELLS = 16;


export const TILE_LAYERS: Readonly<Record<TileLayerName, TileLayer>> = {
  segments: {
    name: 'segments',
    description: `Road segments (centrelines); below z11 only expressway, national and provincial roads, below z${SEGMENTS_MERGED_BELOW_ZOOM} merged into one line per route, county and direction (id ≥ 2^40, not a segment's)`,
    minZoom: 6,
    maxZoom: 16,
    featureLimit: 20_000,
    fields: { route_code: 'String', route_name: 'String', admin_class: 'String', direction: 'Number', jurisdiction_code: 'String' },
    sourceTables: ['segments', 'routes', 'jurisdictions'],
    cacheSeconds: STABLE_LAYER_CACHE_SECONDS,
  },
  stakes: {
    name: 'stakes',
    description: 'Stake markers (公里桩): one point per segment at its start-chainage end, with the K-number, from z14',
    // Labels the map shows from z14 only; MapLibre overzooms the z16 tiles beyond.
    minZoom: 14,
    maxZoom: 16,
    featureLimit: 20_000,
    fields: { route_code: 'String', admin_class: 'String', direction: 'Number', chainage_meters: 'Number', stake: 'String', jurisdiction_code: 'String' },
    sourceTables: ['segments', 'jurisdictions'],
    cacheSeconds: STABLE_LAYER_CACHE_SECONDS,
  },
  zones: {
    name: 'zones',
    description: `Legal protection zones from z10: below z${DISSOLVED_ZONES_BELOW_ZOOM} the dissolved zones, subdivided and simplified to about a pixel (kind, jurisdiction_code), from z14 one per segment or structure and kind (kind, segment_id, structure_id, route_code)`,
    // Bands of 10–200 m are a pixel or less below z10 (a 512-px tile pixel is 153 m at z9).
    minZoom: 10,
    maxZoom: 16,
    featureLimit: 20_000,
    fields: { kind: 'String', jurisdiction_code: 'String', segment_id: 'Number', structure_id: 'Number', route_code: 'String' },
    sourceTables: ['protection_zones', 'segments', 'road_structures', 'dissolved_zone_overviews', 'dissolved_zone_tiles', 'jurisdictions'],
    cacheSeconds: STABLE_LAYER_CACHE_SECONDS,
  },
  violations: {
    name: 'violations',
    description: 'Violation cases: points, or site polygons from z14 (their representative point below)',
    minZoom: 6,
    maxZoom: 16,
    featureLimit: 10_000,
    fields: { category: 'String', status: 'String', case_number: 'String', is_violation: 'Boolean', map_status: 'String', jurisdiction_code: 'String' },
    sourceTables: ['violations', 'jurisdictions'],
    cacheSeconds: DATED_LAYER_CACHE_SECONDS,
  },
  violation_clusters: {
    name: 'violation_clusters',
    description: `Violations counted per cell of a ${VIOLATION_CLUSTER_CELLS} × ${VIOLATION_CLUSTER_CELLS} grid of each tile, z6–z9 (a province or city at a glance): every case in the user's scope counted once, by map status; the point is the members' centroid`,
    minZoom: 6,
    maxZoom: 9,
    // At most VIOLATION_CLUSTER_CELLS² cells a tile: never cut.
    featureLimit: VIOLATION_CLUSTER_CELLS * VIOLATION_CLUSTER_CELLS,
    fields: { count: 'Number', open: 'Number', overdue: 'Number', closed: 'Number', void: 'Number', map_status: 'String' },
    sourceTables: ['violations', 'jurisdictions'],
    cacheSeconds: DATED_LAYER_CACHE_SECONDS,
  },
  detections: {
    name: 'detections',
    description: 'Satellite change detections (outlines from z13, representative points below)',
    minZoom: 8,
    maxZoom: 16,
    featureLimit: 10_000,
    fields: {
      batch_id: 'Number',
      review_status: 'String',
      primary_zone: 'String',
      priority: 'Number',
      in_scope: 'Boolean',
      jurisdiction_code: 'String',
      candidate_category: 'String',
      zone_kinds: 'String',
      confidence_millionths: 'Number',
      area_centi_square_meters: 'Number',
    },
    sourceTables: ['detections', 'jurisdictions'],
    cacheSeconds: STABLE_LAYER_CACHE_SECONDS,
  },
  basemap_roads: {
    name: 'basemap_roads',
    description: 'OSM roads of the self-hosted basemap (highway, name, ref); below z11 secondary roads and above',
    minZoom: 8,
    maxZoom: 16,
    featureLimit: 20_000,
    fields: { osm_id: 'String', highway: 'String', name: 'String', ref: 'String' },
    sourceTables: ['basemap_roads', 'jurisdictions'],
    cacheSeconds: STABLE_LAYER_CACHE_SECONDS,
  },
};

/** Tile extent and buffer in tile units, as pg_tileserv and Martin use them. */
export const TILE_EXTENT = 4096;
export const TILE_BUFFER = 64;

const WEB_MERCATOR_WORLD_METERS = 40_075_016.685_578_49;


/**
 * Simplification tolerance in Web Mercator metres: one tile unit at this zoom (a 4096th of the
 * tile, an eighth of a screen pixel on a 512-pixel tile) — invisible, since the encoder snaps to
 * tile units anyway, but it drops most vertices of dense rings before the clip. Below z12 four
 * units (half a pixel).
 */
export function simplifyToleranceMeters(zoom: number): number {
  const unitMeters = WEB_MERCATOR_WORLD_METERS / 2 ** zoom / TILE_EXTENT;
  return zoom < 12 ? unitMeters * 4 : unitMeters;
}
