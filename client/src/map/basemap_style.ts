import type { ExpressionSpecification, LayerSpecification, SourceSpecification, StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { FeatureCollection } from 'geojson';
import { BASEMAP_COLORS, BASEMAP_ROAD_COLORS } from './palette';
import { MAP_FONT_REGULAR, MAP_FONT_SEMIBOLD } from './map_fonts';
import { pageOrigin, tileUrl } from './tile_url';

export const BASEMAP_SOURCE_IDS = {
  districts: 'basemap-districts',
  districtLabels: 'basemap-district-labels',
  roads: 'basemap-roads',
} as const;

/** The layer name inside the server's basemap road tiles (server/tiles/tile_layers.ts). */
const ROADS_SOURCE_LAYER = 'basemap_roads';
/** The server's basemap road tiles (MapLibre overzooms past 16). */
export const BASEMAP_ROAD_TILE_ZOOMS = { min: 8, max: 16 } as const;

export interface BasemapStyleOptions {
  /**
   * Where the OSM roads come from: the server's vector tiles (default: only the tiles in view, at
   * province scale too), or a GeoJSON source the basemap overlay fills (the crew app's stored
   * corridor, drawn without signal).
   */
  roads?: 'tiles' | 'geojson';
  /** Origin of the tile URLs (default: the page's). */
  origin?: string;
}

/** Id of the last basemap layer: our overlays go above it, labels of the basemap above those. */
export const BASEMAP_OVERLAY_ANCHOR = 'basemap-road-labels';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

const OSM_ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">OpenStreetMap</a> contributors';
const DATAV_ATTRIBUTION = 'Boundaries: DataV.GeoAtlas';

/** Jurisdictions come as province, city and district; the basemap draws the districts (区/县). */
const IS_DISTRICT: ExpressionSpecification = ['in', ['get', 'level'], ['literal', ['district', 'county']]];

/** Classes of basemap road from minor to major; the order is also the draw order. */
const ROAD_CLASSES = ['tertiary', 'secondary', 'primary', 'trunk', 'motorway'] as const;
type RoadClass = (typeof ROAD_CLASSES)[number];

/** Line width (px) at zoom 10, 14 and 18 for a full road; links are drawn at 60 %. */
const ROAD_WIDTHS: Record<RoadClass, [number, number, number]> = {
  tertiary: [0.6, 3, 14],
  secondary: [0.8, 3.6, 16],
  primary: [1, 4.4, 18],
  trunk: [1.2, 5, 20],
  motorway: [1.4, 5.6, 22],
};

/**
 * The basemap style, built from the project's own data (no external tile or glyph server):
 * background, district boundaries with names, and OSM roads with names. The district sources
 * start empty and the basemap overlay fills them from the API (a few dozen polygons, see
 * docs/client_map.md); the roads are the app's own vector tiles unless `roads` says
 * GeoJSON. No `glyphs`: MapLibre then draws text locally from the CSS fonts named in `text-font`
 * (see map_fonts.ts).
 */
export function buildBasemapStyle(options: BasemapStyleOptions = {}): StyleSpecification {
  const roadsFromTiles = options.roads !== 'geojson';
  const roadsSource: SourceSpecification = roadsFromTiles
    ? {
        type: 'vector',
        tiles: [tileUrl(pageOrigin(options.origin), 'basemap_roads')],
        minzoom: BASEMAP_ROAD_TILE_ZOOMS.min,
        maxzoom: BASEMAP_ROAD_TILE_ZOOMS.max,
        attribution: OSM_ATTRIBUTION,
      }
    : { type: 'geojson', data: EMPTY, attribution: OSM_ATTRIBUTION };
  const onRoads = (layer: LayerSpecification): LayerSpecification =>
    roadsFromTiles && 'source' in layer && layer.source === BASEMAP_SOURCE_IDS.roads ? ({ ...layer, 'source-layer': ROADS_SOURCE_LAYER } as LayerSpecification) : layer;
  return {
    version: 8,
    name: 'Luyu basemap',
    sources: {
      [BASEMAP_SOURCE_IDS.districts]: { type: 'geojson', data: EMPTY, attribution: DATAV_ATTRIBUTION },
      [BASEMAP_SOURCE_IDS.districtLabels]: { type: 'geojson', data: EMPTY },
      [BASEMAP_SOURCE_IDS.roads]: roadsSource,
    },
    layers: ([
      { id: 'basemap-background', type: 'background', paint: { 'background-color': BASEMAP_COLORS.background } },
      {
        id: 'basemap-district-fill',
        type: 'fill',
        source: BASEMAP_SOURCE_IDS.districts,
        filter: IS_DISTRICT,
        paint: { 'fill-color': BASEMAP_COLORS.districtFill, 'fill-opacity': 0.9 },
      },
      ...roadLayers(),
      {
        id: 'basemap-district-line',
        type: 'line',
        source: BASEMAP_SOURCE_IDS.districts,
        filter: IS_DISTRICT,
        layout: { 'line-join': 'round' },
        paint: {
          'line-color': BASEMAP_COLORS.districtLine,
          'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.8, 14, 2],
          'line-dasharray': [4, 2, 1, 2],
          'line-opacity': 0.85,
        },
      },
      {
        id: 'basemap-district-labels',
        type: 'symbol',
        source: BASEMAP_SOURCE_IDS.districtLabels,
        filter: IS_DISTRICT,
        maxzoom: 15,
        layout: {
          'text-field': ['get', 'name'],
          'text-font': MAP_FONT_SEMIBOLD,
          'text-size': ['interpolate', ['linear'], ['zoom'], 8, 12, 13, 16],
          'text-letter-spacing': 0.2,
          'text-padding': 8,
        },
        paint: {
          'text-color': BASEMAP_COLORS.districtLabel,
          'text-halo-color': BASEMAP_COLORS.labelHalo,
          'text-halo-width': 1.6,
          'text-opacity': ['interpolate', ['linear'], ['zoom'], 13, 1, 15, 0.4],
        },
      },
      {
        id: BASEMAP_OVERLAY_ANCHOR,
        type: 'symbol',
        source: BASEMAP_SOURCE_IDS.roads,
        minzoom: 12.5,
        layout: {
          'symbol-placement': 'line',
          'text-field': ['coalesce', ['get', 'name'], ['get', 'ref'], ''],
          'text-font': MAP_FONT_REGULAR,
          'text-size': ['interpolate', ['linear'], ['zoom'], 13, 11, 17, 14],
          'symbol-spacing': 320,
          'text-max-angle': 30,
          'text-padding': 4,
          'symbol-sort-key': ['-', 0, roadRank()],
        },
        paint: {
          'text-color': BASEMAP_COLORS.roadLabel,
          'text-halo-color': BASEMAP_COLORS.labelHalo,
          'text-halo-width': 1.4,
        },
      },
    ] satisfies LayerSpecification[]).map(onRoads),
  };
}

/** True for the OSM highway values of one class, with or without `_link`. */
function isClass(roadClass: RoadClass): ExpressionSpecification {
  return ['in', ['get', 'highway'], ['literal', [roadClass, `${roadClass}_link`]]];
}

function roadRank(): ExpressionSpecification {
  return ['match', ['get', 'highway'], ['motorway', 'motorway_link'], 5, ['trunk', 'trunk_link'], 4, ['primary', 'primary_link'], 3, ['secondary', 'secondary_link'], 2, 1];
}

function widthExpression(roadClass: RoadClass, scale: number, extra: number): ExpressionSpecification {
  const [w10, w14, w18] = ROAD_WIDTHS[roadClass];
  const isLink: ExpressionSpecification = ['in', '_link', ['get', 'highway']];
  return [
    'interpolate', ['exponential', 1.5], ['zoom'],
    10, ['+', ['*', ['case', isLink, 0.6, 1], w10 * scale], extra * 0.5],
    14, ['+', ['*', ['case', isLink, 0.6, 1], w14 * scale], extra],
    18, ['+', ['*', ['case', isLink, 0.6, 1], w18 * scale], extra * 1.5],
  ];
}

function roadLayers(): LayerSpecification[] {
  const casings: LayerSpecification[] = [];
  const fills: LayerSpecification[] = [];
  for (const roadClass of ROAD_CLASSES) {
    const colors = BASEMAP_ROAD_COLORS[roadClass]!;
    casings.push({
      id: `basemap-road-${roadClass}-casing`,
      type: 'line',
      source: BASEMAP_SOURCE_IDS.roads,
      filter: isClass(roadClass),
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': colors.casing, 'line-width': widthExpression(roadClass, 1, 1.6), 'line-opacity': ['interpolate', ['linear'], ['zoom'], 10, 0.5, 13, 1] },
    });
    fills.push({
      id: `basemap-road-${roadClass}`,
      type: 'line',
      source: BASEMAP_SOURCE_IDS.roads,
      filter: isClass(roadClass),
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': colors.fill, 'line-width': widthExpression(roadClass, 1, 0) },
    });
  }
  // All casings first so junctions merge cleanly.
  return [...casings, ...fills];
}
