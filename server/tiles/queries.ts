import type { Queryable } from '../db/database.ts';
import { TERMINAL_STATUSES } from '../domain/case_workflow.ts';
import { DEADLINE_RUNNING_STATUSES } from '../violations/queries.ts';
import {
  DISSOLVED_ZONES_BELOW_ZOOM,
  MERGED_SEGMENT_ID_BASE,
  SEGMENTS_MERGED_BELOW_ZOOM,
  TILE_BUFFER,
  TILE_EXTENT,
  VIOLATION_CLUSTER_CELLS,
  type TileLayerName,
  type TileSourceTable,
} from './tile_layers.ts';

/**
 * One SQL template per tile layer, pg_tileserv/Martin style. Parameters, the same for every layer:
 * $1 zoom, $2 x, $3 y, $4 feature limit, $5 simplification tolerance (Web Mercator metres),
 * and for violations $6 terminal statuses, $7 deadline-running statuses.
 * `{{tile_geom}}` is the clip to tile space: ST_AsMVTGeom where PostGIS has protobuf-c, else
 * luyu_mvt_geom (migration 027), both with extent 4096 and buffer 64. Row-level security of the
 * request's transaction scopes every table read here, so a tile holds only the user's rows.
 */
const TILE_CTE = `tile AS (
  SELECT ST_TileEnvelope($1::integer, $2::integer, $3::integer) AS envelope,
         ST_Transform(ST_TileEnvelope($1::integer, $2::integer, $3::integer, margin => ${TILE_BUFFER}.0 / ${TILE_EXTENT}), 4326) AS search_box,
         ST_TileEnvelope($1::integer, $2::integer, $3::integer, margin => ${TILE_BUFFER}.0 / ${TILE_EXTENT}) AS search_box_mercator
)`;

/** A case's map status (client/src/map/violation_layers.ts mapStatus; vector_tiles.test.ts compares): $6 terminal, $7 deadline-running statuses. */
const VIOLATION_MAP_STATUS = `CASE WHEN NOT v.is_violation OR v.status = 'rejected' THEN 'void'
                WHEN v.status = ANY ($6::text[]) THEN 'closed'
                WHEN v.deadline_at IS NOT NULL AND v.status = ANY ($7::text[])
                     AND (v.deadline_at AT TIME ZONE 'Asia/Shanghai')::date < (now() AT TIME ZONE 'Asia/Shanghai')::date THEN 'overdue'
                ELSE 'open' END`;

const LAYER_FEATURES: Record<TileLayerName, string> = {
  // Below z11 the network is its main roads; the most important classes first under the limit.
  segments: `SELECT s.id, s.route_code, r.name AS route_name, s.admin_class, s.direction::integer AS direction, s.jurisdiction_code,
           {{tile_geom}}(ST_Simplify(ST_Transform(ST_Force2D(s.centreline), 3857), $5, true)) AS geom
    FROM segments s JOIN routes r ON r.code = s.route_code, tile
    WHERE s.centreline && tile.search_box
      AND ($1 >= 11 OR s.admin_class IN ('expressway', 'national', 'provincial'))
    ORDER BY array_position(ARRAY['expressway', 'national', 'provincial', 'county', 'township', 'village'], s.admin_class), s.id
    LIMIT $4`,
  // The start-chainage end is the end whose M (chainage, metres) is lower: the − direction is
  // often digitised against chainage. The label is formatStake's K12+300 (whole metres; a test
  // compares the two). Chainage in whole metres: an integer, as ST_AsMVT's doubles decoded wrongly
  // (9.6e199 for 997.67 with @mapbox/vector-tile on PostGIS 3.3).
  stakes: `SELECT s.id, s.route_code, s.admin_class, s.direction::integer AS direction, round(s.chainage_from_meters)::integer AS chainage_meters,
           'K' || floor(round(s.chainage_from_meters) / 1000)::bigint || '+' || lpad((round(s.chainage_from_meters)::bigint % 1000)::text, 3, '0') AS stake,
           s.jurisdiction_code,
           {{tile_geom}}(ST_Transform(ST_Force2D(CASE WHEN ST_M(ST_StartPoint(s.centreline)) <= ST_M(ST_EndPoint(s.centreline))
                                                      THEN ST_StartPoint(s.centreline) ELSE ST_EndPoint(s.centreline) END), 3857)) AS geom
    FROM segments s, tile
    WHERE s.centreline && tile.search_box
    ORDER BY array_position(ARRAY['expressway', 'national', 'provincial', 'county', 'township', 'village'], s.admin_class), s.id
    LIMIT $4`,
  // From z14 (DISSOLVED_ZONES_BELOW_ZOOM): the per-segment bands with their segment or structure.
  zones: `SELECT z.id, z.kind, z.segment_id, z.structure_id, coalesce(s.route_code, st.route_code) AS route_code,
           {{tile_geom}}(ST_Simplify(ST_Transform(z.geom, 3857), $5, true)) AS geom
    FROM protection_zones z
    LEFT JOIN segments s ON s.id = z.segment_id
    LEFT JOIN road_structures st ON st.id = z.structure_id
    CROSS JOIN tile
    WHERE z.geom && tile.search_box
    ORDER BY z.id
    LIMIT $4`,
  // Site polygons from z14; below, their representative point (a dot the size of a site is not drawn).
  violations: `SELECT v.id, v.category, v.status, v.case_number, v.is_violation, v.jurisdiction_code,
           ${VIOLATION_MAP_STATUS} AS map_status,
           {{tile_geom}}(CASE WHEN GeometryType(v.geom) = 'POINT' THEN ST_Transform(v.geom, 3857)
                              WHEN $1 < 14 THEN ST_Transform(ST_PointOnSurface(v.geom), 3857)
                              ELSE ST_Simplify(ST_Transform(v.geom, 3857), $5, true) END) AS geom
    FROM violations v, tile
    WHERE v.geom && tile.search_box
    ORDER BY v.id DESC
    LIMIT $4`,
  // Per cell of the tile's own grid: the count by map status, the dominant status for the colour
  // (overdue first: what a manager acts on), the members' centroid as the point. Cells are found
  // in degrees, without a transform per case: the grid's 17 meridians and 17 parallels (the exact
  // inverse of Web Mercator) as width_bucket thresholds, half-open, so a case on a tile edge is in
  // one tile only and counts add up across the tiles of a zoom. The id is the cell
  // (row * cells + column + 1), not a case: a click zooms in. $5 snaps the centroid to the
  // tolerance grid (half a pixel).
  violation_clusters: `SELECT (c.cell_y * ${VIOLATION_CLUSTER_CELLS} + c.cell_x + 1)::integer AS id, count(*)::integer AS count,
           count(*) FILTER (WHERE c.map_status = 'open')::integer AS open,
           count(*) FILTER (WHERE c.map_status = 'overdue')::integer AS overdue,
           count(*) FILTER (WHERE c.map_status = 'closed')::integer AS closed,
           count(*) FILTER (WHERE c.map_status = 'void')::integer AS void,
           CASE WHEN bool_or(c.map_status = 'overdue') THEN 'overdue' WHEN bool_or(c.map_status = 'open') THEN 'open'
                WHEN bool_or(c.map_status = 'closed') THEN 'closed' ELSE 'void' END AS map_status,
           {{tile_geom}}(ST_SnapToGrid(ST_Transform(ST_Centroid(ST_Collect(c.point)), 3857), $5::double precision)) AS geom
    FROM (
      SELECT ${VIOLATION_MAP_STATUS} AS map_status, p.point,
             width_bucket(ST_X(p.point), grid.meridians) - 1 AS cell_x,
             ${VIOLATION_CLUSTER_CELLS} - width_bucket(ST_Y(p.point), grid.parallels) AS cell_y
      FROM violations v
      CROSS JOIN tile
      CROSS JOIN (
        SELECT ARRAY(SELECT -180 + 360 * ($2::integer + i::double precision / ${VIOLATION_CLUSTER_CELLS}) / 2 ^ $1::integer
                     FROM generate_series(0, ${VIOLATION_CLUSTER_CELLS}) i ORDER BY i) AS meridians,
               ARRAY(SELECT degrees(atan(sinh(pi() * (1 - 2 * ($3::integer + i::double precision / ${VIOLATION_CLUSTER_CELLS}) / 2 ^ $1::integer))))
                     FROM generate_series(${VIOLATION_CLUSTER_CELLS}, 0, -1) i ORDER BY i DESC) AS parallels
      ) grid
      CROSS JOIN LATERAL (SELECT CASE WHEN GeometryType(v.geom) = 'POINT' THEN v.geom ELSE ST_PointOnSurface(v.geom) END AS point) p
      WHERE v.geom && tile.search_box
        AND width_bucket(ST_X(p.point), grid.meridians) BETWEEN 1 AND ${VIOLATION_CLUSTER_CELLS}
        AND width_bucket(ST_Y(p.point), grid.parallels) BETWEEN 1 AND ${VIOLATION_CLUSTER_CELLS}
    ) c
    CROSS JOIN tile
    GROUP BY c.cell_x, c.cell_y, tile.envelope
    ORDER BY count(*) DESC, c.cell_y, c.cell_x
    LIMIT $4`,
  // The review queue's filters as attributes (the map filters on them, client/src/map/detection_tile_filter.ts):
  // every zone kind the detection touches as ',kind,…,' (MVT has no arrays), confidence in
  // millionths and area in hundredths of m² as integers (ST_AsMVT's doubles decode wrongly, above).
  detections: `SELECT d.id, d.batch_id, d.review_status, d.primary_zone, d.priority, d.in_scope, d.jurisdiction_code, d.candidate_category,
           (SELECT ',' || string_agg(z ->> 'kind', ',') || ',' FROM jsonb_array_elements(d.zones) z) AS zone_kinds,
           round(d.confidence * 1000000)::integer AS confidence_millionths,
           round(d.area_square_meters * 100)::bigint AS area_centi_square_meters,
           {{tile_geom}}(CASE WHEN $1 < 13 THEN ST_Transform(ST_PointOnSurface(d.geom), 3857)
                              ELSE ST_Simplify(ST_Transform(d.geom, 3857), $5, true) END) AS geom
    FROM detections d, tile
    WHERE d.geom && tile.search_box
    ORDER BY d.priority DESC, d.id
    LIMIT $4`,
  // The self-hosted basemap's OSM roads (basemap_style.ts draws them by `highway`): below z11 the
  // classes the style shows there, the major ones first under the limit.
  // The feature id is the way's number (osm_id is 'way/53837219'; MVT ids are integers).
  basemap_roads: `SELECT nullif(regexp_replace(b.osm_id, '[^0-9]', '', 'g'), '')::bigint AS id, b.osm_id, b.highway, b.name, b.ref,
           {{tile_geom}}(ST_Simplify(ST_Transform(b.geom, 3857), $5, true)) AS geom
    FROM basemap_roads b, tile
    WHERE b.geom && tile.search_box
      AND ($1 >= 11 OR b.highway IN ('motorway', 'motorway_link', 'trunk', 'trunk_link', 'primary', 'primary_link', 'secondary'))
    ORDER BY array_position(ARRAY['motorway', 'trunk', 'primary', 'secondary', 'tertiary'], regexp_replace(b.highway, '_link$', '')), b.osm_id
    LIMIT $4`,
};

/**
 * Zones below z14 as migration 038 drew them, and bench:tiles' and the pyramid test's "before": the
 * dissolved zones' display overviews (each dissolved piece, at most 256 vertices, already in Web
 * Mercator and simplified to about a pixel for its zoom band), clipped per piece per request. A z10
 * tile of the province meets ~6,800 of them (~89,000 vertices): clipping and encoding them was the
 * tail of the tile benchmark (docs/scaling.md).
 */
const DISSOLVED_ZONE_OVERVIEWS = `SELECT o.id, o.kind, o.jurisdiction_code,
           {{tile_geom}}(o.geom) AS geom
    FROM dissolved_zone_overviews o, tile
    WHERE o.geom && tile.search_box_mercator AND $1 BETWEEN o.min_zoom AND o.max_zoom
    ORDER BY o.id
    LIMIT $4`;

/**
 * Zones below z14: the pre-clipped pyramid (migration 045): per dissolved set (district + kind) and
 * tile, the set's overviews in the tile collected and clipped by the rebuild with the same extent
 * and buffer, in tile coordinates. One feature per (district, kind) — id the set's — and no
 * geometry work here: ST_AsMVT encodes the stored rows.
 */
const DISSOLVED_ZONE_PYRAMID = `SELECT t.set_id AS id, t.kind, t.jurisdiction_code, t.geom
    FROM dissolved_zone_tiles t
    WHERE t.z = $1 AND t.x = $2 AND t.y = $3
    ORDER BY t.set_id
    LIMIT $4`;

/**
 * Segments below SEGMENTS_MERGED_BELOW_ZOOM: the main roads merged per route, county and direction
 * (ST_LineMerge of the group's centrelines in the tile, then simplified), the most important
 * classes first under the limit. The id is MERGED_SEGMENT_ID_BASE + a hash of the group (offset
 * to be non-negative), the same for the group in every tile (hover), never a segment's (selection).
 */
const MERGED_SEGMENTS = `SELECT (${MERGED_SEGMENT_ID_BASE}::bigint + 2147483648
            + hashtext(s.route_code || '|' || coalesce(s.jurisdiction_code, '') || '|' || s.direction::text)::bigint) AS id,
           s.route_code, r.name AS route_name, s.admin_class, s.direction::integer AS direction, s.jurisdiction_code,
           {{tile_geom}}(ST_Simplify(ST_LineMerge(ST_Collect(ST_Transform(ST_Force2D(s.centreline), 3857))), $5, true)) AS geom
    FROM segments s JOIN routes r ON r.code = s.route_code
    CROSS JOIN tile
    WHERE s.centreline && tile.search_box
      AND s.admin_class IN ('expressway', 'national', 'provincial')
    GROUP BY s.route_code, r.name, s.admin_class, s.direction, s.jurisdiction_code, tile.envelope
    ORDER BY array_position(ARRAY['expressway', 'national', 'provincial'], s.admin_class), s.route_code, s.jurisdiction_code, s.direction
    LIMIT $4`;

/** The feature query of a layer at a zoom, clipped to tile space (zones below DISSOLVED_ZONES_BELOW_ZOOM: from the dissolved layer). */
function layerFeatures(query: TileQuery, clip: (inner: string) => string): string {
  if (query.layer === 'segments' && query.zoom < SEGMENTS_MERGED_BELOW_ZOOM) return withTileGeom(MERGED_SEGMENTS, clip);
  const dissolved = query.layer === 'zones' && query.zoom < DISSOLVED_ZONES_BELOW_ZOOM && !query.perSegmentZones;
  if (!dissolved) return withTileGeom(LAYER_FEATURES[query.layer], clip);
  return query.zoneOverviews ? withTileGeom(DISSOLVED_ZONE_OVERVIEWS, clip) : DISSOLVED_ZONE_PYRAMID;
}

const POSTGIS_TILE_GEOM = (inner: string) => `ST_AsMVTGeom(${inner}, tile.envelope, ${TILE_EXTENT}, ${TILE_BUFFER}, true)`;
const SQL_TILE_GEOM = (inner: string) => `luyu_mvt_geom(${inner}, tile.envelope, ${TILE_EXTENT}, ${TILE_BUFFER})`;

/** Replaces `{{tile_geom}}(expression)` with the clip; the expression's parentheses are balanced. */
function withTileGeom(template: string, clip: (inner: string) => string): string {
  const marker = '{{tile_geom}}(';
  const start = template.indexOf(marker);
  if (start < 0) throw new Error('tile template without {{tile_geom}}');
  let depth = 1;
  let index = start + marker.length;
  for (; index < template.length && depth > 0; index += 1) {
    if (template[index] === '(') depth += 1;
    else if (template[index] === ')') depth -= 1;
  }
  const inner = template.slice(start + marker.length, index - 1);
  return template.slice(0, start) + clip(inner) + template.slice(index);
}

/**
 * The parameters a template reads: PostgreSQL refuses a parameter a statement does not use (it
 * cannot type it), and not every template reads all of them (stakes have nothing to simplify, the
 * zone overviews are simplified already, the zone pyramid is clipped already, only violations read $6 and $7).
 */
function tileParameters(query: TileQuery, template: string): unknown[] {
  const all = [query.zoom, query.x, query.y, query.featureLimit, query.toleranceMeters, TERMINAL_STATUSES, DEADLINE_RUNNING_STATUSES];
  const highest = Math.max(...[...template.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
  return all.slice(0, highest);
}

export interface TileQuery {
  layer: TileLayerName;
  zoom: number;
  x: number;
  y: number;
  featureLimit: number;
  toleranceMeters: number;
  /** Zones at every zoom from the per-segment bands, as before migration 034 (and on the embedded database). */
  perSegmentZones?: boolean;
  /** Zones below z14 from the overviews clipped per request, as before migration 045 (bench:tiles' "before"). */
  zoneOverviews?: boolean;
}

/** The whole tile as ST_AsMVT encodes it (empty buffer when no feature is left). */
export async function selectTileMvt(db: Queryable, query: TileQuery): Promise<Buffer> {
  const features = layerFeatures(query, POSTGIS_TILE_GEOM);
  const result = await db.query<{ mvt: Buffer | null }>(
    `WITH ${TILE_CTE}, features AS (${features})
     SELECT ST_AsMVT(features, '${query.layer}', ${TILE_EXTENT}, 'geom', 'id') AS mvt FROM features WHERE geom IS NOT NULL`,
    tileParameters(query, features),
  );
  return result.rows[0]?.mvt ?? Buffer.alloc(0);
}

export interface TileFeatureRow {
  id: number;
  /** The layer's attributes (null ones are left out of the tile, as ST_AsMVT does). */
  properties: Record<string, unknown>;
  /** GeoJSON geometry in tile units (0…4096, y down). */
  geometry: GeoJSON.Point | GeoJSON.MultiPoint | GeoJSON.LineString | GeoJSON.MultiLineString | GeoJSON.Polygon | GeoJSON.MultiPolygon;
}

/** The statement selectTileFeatures runs (tile_cache.test.ts reads the tables of its plan). */
export function tileFeaturesStatement(query: TileQuery, clip: 'postgis' | 'sql'): { text: string; values: unknown[] } {
  const features = layerFeatures(query, clip === 'postgis' ? POSTGIS_TILE_GEOM : SQL_TILE_GEOM);
  return {
    text: `WITH ${TILE_CTE}, features AS (${features})
     SELECT id, to_jsonb(features) - 'id' - 'geom' AS properties, ST_AsGeoJSON(geom, 0)::json AS geometry
     FROM features WHERE geom IS NOT NULL`,
    values: tileParameters(query, features),
  };
}

/** The same clipped rows as GeoJSON in tile units, for the Node encoder (no protobuf-c). */
export async function selectTileFeatures(db: Queryable, query: TileQuery, clip: 'postgis' | 'sql'): Promise<TileFeatureRow[]> {
  const statement = tileFeaturesStatement(query, clip);
  const result = await db.query<{ id: number; properties: Record<string, unknown>; geometry: TileFeatureRow['geometry'] }>(statement.text, statement.values);
  return result.rows;
}

/** Each layer's table and geometry column, for its extent (identifiers from this list only). */
const LAYER_GEOMETRY: Record<TileLayerName, { table: string; column: string }> = {
  segments: { table: 'segments', column: 'centreline' },
  stakes: { table: 'segments', column: 'centreline' },
  zones: { table: 'protection_zones', column: 'geom' },
  violations: { table: 'violations', column: 'geom' },
  violation_clusters: { table: 'violations', column: 'geom' },
  detections: { table: 'detections', column: 'geom' },
  basemap_roads: { table: 'basemap_roads', column: 'geom' },
};

/**
 * [west, south, east, north] of the layer's rows the user may see (row-level security scopes the
 * read), or null when there are none: TileJSON's `bounds`, where the map starts.
 */
export async function selectLayerBounds(db: Queryable, layer: TileLayerName): Promise<[number, number, number, number] | null> {
  const { table, column } = LAYER_GEOMETRY[layer];
  const result = await db.query<{ west: number | null; south: number | null; east: number | null; north: number | null }>(
    `SELECT ST_XMin(e) AS west, ST_YMin(e) AS south, ST_XMax(e) AS east, ST_YMax(e) AS north
     FROM (SELECT ST_Extent(${column}) AS e FROM ${table}) extent`,
  );
  const row = result.rows[0];
  if (!row || row.west === null || row.south === null || row.east === null || row.north === null) return null;
  return [row.west, row.south, row.east, row.north];
}

/** Whether this PostGIS can encode tiles itself (built with protobuf-c; PGlite's is not). */
export async function selectHasProtobuf(db: Queryable): Promise<boolean> {
  const result = await db.query<{ version: string }>('SELECT postgis_full_version() AS version');
  return /LIBPROTOBUF="/.test(result.rows[0]?.version ?? '');
}

/**
 * The change version of these tables (migration 051): the sum of their change rows' weights, which
 * grows with every committed write to any of them. Not scoped (the rows say only which table
 * changed); read before a tile's scoped transaction opens.
 */
export async function selectTileSourceVersion(db: Queryable, tables: readonly TileSourceTable[]): Promise<number> {
  const result = await db.query<{ version: number }>(
    'SELECT coalesce(sum(weight), 0)::bigint AS version FROM tile_source_changes WHERE table_name = ANY ($1::text[])',
    [tables],
  );
  return result.rows[0]?.version ?? 0;
}

/** Folds each table's change rows into one of the same weight (the versions stay); rows folded. */
export async function compactTileSourceChanges(db: Queryable): Promise<number> {
  const result = await db.query<{ folded: number }>('SELECT luyu_compact_tile_source_changes() AS folded');
  return result.rows[0]?.folded ?? 0;
}
