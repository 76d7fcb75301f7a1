import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { FeatureCollection } from 'geojson';
import { BASEMAP_COLORS, BASEMAP_ROAD_COLORS } from './palette';
import { MAP_FONT_REGULAR, MAP_FONT_SEMIBOLD } from './map_fonts';

export const BASEMAP_SOURCE_IDS = {
  districts: 'basemap-districts',
  districtLabels: 'basemap-district-labels',
  roads: 'basemap-roads',
} as const;

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
 * The basemap style, built from the project's own data (no tile server, no glyph server):
 * background, district boundaries with names, and OSM roads with names. Sources start empty;
 * the map adapter fills them from the API. No `glyphs`: MapLibre then draws text locally from
 * the CSS fonts named in `text-font` (see map_fonts.ts).
 */
export function buildBasemapStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'Luyu basemap',
    sources: {
      [BASEMAP_SOURCE_IDS.districts]: { type: 'geojson', data: EMPTY, attribution: DATAV_ATTRIBUTION },
      [BASEMAP_SOURCE_IDS.districtLabels]: { type: 'geojson', data: EMPTY },
      [BASEMAP_SOURCE_IDS.roads]: { type: 'geojson', data: EMPTY, attribution: OSM_ATTRIBUTION },
    },
    layers: [
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
    ],
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
