import { describe, expect, it } from 'vitest';
import { Color, createExpression, featureFilter, groupByLayout, latest, validateStyleMin, type LayerSpecification, type SourceSpecification, type StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import { ADMIN_CLASSES } from '@domain/admin_class';
import { ZONE_KINDS } from '@domain/zones';
import { ADMIN_CLASS_COLORS, ADMIN_CLASS_COLORS_NEGATIVE, DETECTION_COLORS, ZONE_COLORS, ZONE_DRAW_ORDER } from '../../../client/src/map/palette';
import { caseTimelineLayers } from '../../../client/src/map/overlays/case_timeline_overlay';
import { currentDetectionLayers, detectionLayers, detectionStatusColor } from '../../../client/src/map/overlays/detections_overlay';
import { draftLayers } from '../../../client/src/map/overlays/draft_overlay';
import { liveCrewLayers } from '../../../client/src/map/overlays/live_crews_overlay';
import { segmentColor, segmentLayers, segmentWidth, selectedFilter, stakeLayers } from '../../../client/src/map/overlays/network_overlay';
import { searchPinLayers } from '../../../client/src/map/overlays/search_pin_overlay';
import { selectedViolationFilter, statusColor, VIOLATION_ICON_MIN_ZOOM, violationIconLayers, violationLayers } from '../../../client/src/map/overlays/violations_overlay';
import { ZONE_TILE_ZOOMS, zoneLayers } from '../../../client/src/map/overlays/zones_overlay';
import { VIOLATION_STATUS_COLORS } from '../../../client/src/map/violation_layers';

const FONTS = { regular: ['Noto Sans'], semibold: ['Noto Sans SemiBold'] };

/** Evaluates a data-driven expression for one feature, as MapLibre would. */
function evaluate(expression: unknown, properties: Record<string, unknown>, options: { zoom?: number; id?: number; state?: Record<string, unknown>; spec?: unknown } = {}): unknown {
  const parsed = createExpression(expression, 'test.expression', options.spec as never);
  if (parsed.result !== 'success') throw new Error(JSON.stringify(parsed.value));
  return parsed.value.evaluate({ zoom: options.zoom ?? 14 }, { type: 'Point', properties, id: options.id } as never, options.state);
}

const color = (hex: string): string => Color.parse(hex)!.toString();
const colorOf = (expression: unknown, properties: Record<string, unknown>): string =>
  (evaluate(expression, properties, { spec: (latest as unknown as Record<string, Record<string, unknown>>).paint_line!['line-color'] }) as Color).toString();

/** type: 1 point, 2 line, 3 polygon (as in a vector tile). */
function matches(filter: unknown, properties: Record<string, unknown>, id?: number, type = 1): boolean {
  return featureFilter(filter as never, 'test.filter').filter({ zoom: 14 } as never, { type, properties, id } as never);
}

describe('overlay layer specs', () => {
  it('all validate against the MapLibre style spec', () => {
    const source: SourceSpecification = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } };
    const layers: LayerSpecification[] = [
      ...zoneLayers(),
      ...segmentLayers(),
      ...stakeLayers(FONTS),
      ...searchPinLayers(),
      ...violationLayers(),
      ...violationIconLayers(true),
      ...caseTimelineLayers(FONTS),
      ...draftLayers(),
      ...detectionLayers(),
      ...currentDetectionLayers(),
      ...liveCrewLayers(FONTS),
    ];
    const sources = Object.fromEntries([...new Set(layers.map((layer) => (layer as { source: string }).source))].map((id) => [id, source]));
    const style: StyleSpecification = { version: 8, glyphs: 'https://example.test/{fontstack}/{range}.pbf', sources, layers };
    expect(validateStyleMin(style)).toEqual([]);
  });

  it('zones: fills bottom-up in draw order, then outlines, each in its kind’s colour', () => {
    const layers = zoneLayers();
    expect(layers).toHaveLength(2 * ZONE_KINDS.length);
    expect(layers.map((layer) => layer.type)).toEqual([...ZONE_DRAW_ORDER.map(() => 'fill'), ...ZONE_DRAW_ORDER.map(() => 'line')]);
    for (const layer of layers) {
      const kind = ZONE_KINDS.find((candidate) => matches((layer as { filter: unknown }).filter, { kind: candidate }))!;
      const paint = layer.paint as Record<string, unknown>;
      expect(paint[layer.type === 'fill' ? 'fill-color' : 'line-color']).toBe(ZONE_COLORS[kind]);
      expect(layer.id).toBe(`luyu-zone-${kind}-${layer.type}`);
    }
  });

  it('zones, outline paint (lead map): outlines from the first zone tile zoom, and all six bands stacked tint under 30 %', () => {
    const layers = zoneLayers({ paint: 'outline' });
    const fills = layers.filter((layer) => layer.type === 'fill');
    const lines = layers.filter((layer) => layer.type === 'line');
    // Where every band overlaps, the tint is 1 − Π(1 − opacity): the default fills reach ~64 %.
    const stacked = (list: typeof fills) => 1 - list.reduce((rest, layer) => rest * (1 - ((layer.paint as Record<string, number>)['fill-opacity'] ?? 0)), 1);
    expect(stacked(zoneLayers().filter((layer) => layer.type === 'fill'))).toBeGreaterThan(0.5);
    expect(stacked(fills)).toBeLessThan(0.3);
    for (const line of lines) {
      expect(line.minzoom).toBe(ZONE_TILE_ZOOMS.min);
      expect((line.paint as Record<string, number>)['line-opacity']).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('segments: colour by admin class, the − direction in the lighter shade', () => {
    for (const adminClass of ADMIN_CLASSES) {
      expect(colorOf(segmentColor(), { admin_class: adminClass, direction: 1 })).toBe(color(ADMIN_CLASS_COLORS[adminClass]));
      expect(colorOf(segmentColor(), { admin_class: adminClass, direction: -1 })).toBe(color(ADMIN_CLASS_COLORS_NEGATIVE[adminClass]));
    }
    expect(colorOf(segmentColor(), { admin_class: 'unknown', direction: 1 })).toBe(color(ADMIN_CLASS_COLORS.village));
  });

  it('segments: wider for higher classes, for the casing, and while hovered', () => {
    const width = (expression: unknown, adminClass: string, hover = false): number => evaluate(expression, { admin_class: adminClass }, { zoom: 13, state: { hover } }) as number;
    expect(width(segmentWidth(0), 'expressway')).toBeCloseTo(3.75);
    expect(width(segmentWidth(0), 'village')).toBeCloseTo(2.55);
    expect(width(segmentWidth(2.5), 'provincial')).toBeCloseTo(5.5);
    expect(width(segmentWidth(0, 1.5), 'provincial', true)).toBeCloseTo(4.5);
    expect(width(segmentWidth(0, 1.5), 'provincial', false)).toBeCloseTo(3);
  });

  it('segments: casing, colour and hit area share one bucket (MapLibre tessellates the network once, not twice)', () => {
    // MapLibre builds one bucket per group of layers with the same source, source layer, zooms, filter and layout.
    const groups = groupByLayout(segmentLayers()).map((group) => group.map((layer) => layer.id));
    expect(groups).toContainEqual(['luyu-segments-casing', 'luyu-segments', 'luyu-segments-hit']);
    // The selection halo has its own filter (one feature): a second, tiny bucket.
    expect(groups).toHaveLength(2);
  });

  it('segments: no casing at province zooms (opacity 0, a draw MapLibre skips), the casing from z10', () => {
    const casing = segmentLayers().find((layer) => layer.id === 'luyu-segments-casing') as { paint: { 'line-opacity': unknown } };
    const opacityAt = (zoom: number) => evaluate(casing.paint['line-opacity'], {}, { zoom, spec: (latest as unknown as Record<string, Record<string, unknown>>).paint_line!['line-opacity'] });
    expect(opacityAt(8)).toBe(0);
    expect(opacityAt(9.9)).toBe(0);
    expect(opacityAt(10)).toBe(0.9);
    expect(opacityAt(15)).toBe(0.9);
  });

  it('selection filters pick only the selected feature, and none for null', () => {
    expect(matches(selectedFilter(7), {}, 7)).toBe(true);
    expect(matches(selectedFilter(7), {}, 8)).toBe(false);
    expect(matches(selectedFilter(null), {}, -2)).toBe(false);
    // Violations: the tile feature's id; the ring on a point, the outline on a site area.
    expect(matches(selectedViolationFilter(3), {}, 3)).toBe(true);
    expect(matches(selectedViolationFilter(3), {}, 4)).toBe(false);
    expect(matches(selectedViolationFilter(null), {}, -2)).toBe(false);
    expect(matches(selectedViolationFilter(3, 'Polygon'), {}, 3)).toBe(false);
    expect(matches(selectedViolationFilter(3, 'Polygon'), {}, 3, 3)).toBe(true);
  });

  it('violations and detections: colour by status, unknown statuses in the fallback colour', () => {
    for (const [status, hex] of Object.entries(VIOLATION_STATUS_COLORS)) expect(colorOf(statusColor(), { map_status: status })).toBe(color(hex));
    expect(colorOf(statusColor(), { map_status: 'nonsense' })).toBe(color(VIOLATION_STATUS_COLORS.void));
    expect(colorOf(detectionStatusColor(), { review_status: 'merged' })).toBe(color(DETECTION_COLORS.confirmed));
    expect(colorOf(detectionStatusColor(), { review_status: 'field' })).toBe(color(DETECTION_COLORS.field));
    expect(colorOf(detectionStatusColor(), { review_status: 'new-kind' })).toBe(color(DETECTION_COLORS.other));
  });

  it('detections from tiles: outlines and fills on areas, dots on points, each under the queue’s filter', () => {
    const layers = detectionLayers(['==', ['get', 'batch_id'], 7]);
    for (const layer of layers) expect((layer as { 'source-layer'?: string })['source-layer']).toBe('detections');
    const byId = new Map(layers.map((layer) => [layer.id, layer as LayerSpecification & { filter: unknown }]));
    for (const id of ['luyu-detection-fill', 'luyu-detection-line']) {
      expect(matches(byId.get(id)!.filter, { batch_id: 7 }, 1, 3), id).toBe(true);
      expect(matches(byId.get(id)!.filter, { batch_id: 8 }, 1, 3), id).toBe(false);
      expect(matches(byId.get(id)!.filter, { batch_id: 7 }, 1, 1), id).toBe(false);
    }
    expect(matches(byId.get('luyu-detection-points')!.filter, { batch_id: 7 }, 1, 1)).toBe(true);
    expect(matches(byId.get('luyu-detection-points')!.filter, { batch_id: 8 }, 1, 1)).toBe(false);
    expect(matches(byId.get('luyu-detection-points')!.filter, { batch_id: 7 }, 1, 3)).toBe(false);
  });

  it('violations from tiles: dots and icons on points, fills and site markers on areas, icons from the dot size up', () => {
    const layers = [...violationLayers(), ...violationIconLayers(true)];
    for (const layer of layers) expect((layer as { 'source-layer'?: string })['source-layer']).toBe('violations');
    const byId = new Map(layers.map((layer) => [layer.id, layer as LayerSpecification & { filter: unknown }]));
    for (const id of ['luyu-violation-dots', 'luyu-violation-icons']) {
      expect(matches(byId.get(id)!.filter, {}, 1, 1), id).toBe(true);
      expect(matches(byId.get(id)!.filter, {}, 1, 3), id).toBe(false);
    }
    for (const id of ['luyu-violation-area-fill', 'luyu-violation-area-line', 'luyu-violation-area-icons']) {
      expect(matches(byId.get(id)!.filter, {}, 1, 3), id).toBe(true);
      expect(matches(byId.get(id)!.filter, {}, 1, 1), id).toBe(false);
    }
    expect(byId.get('luyu-violation-icons')!.minzoom).toBe(VIOLATION_ICON_MIN_ZOOM);
    const radius = (byId.get('luyu-violation-dots')!.paint as Record<string, unknown>)['circle-radius'];
    // Small dots in the overview (no clusters from tiles), the icon's size from its first zoom.
    expect(evaluate(radius, {}, { zoom: 10 }) as number).toBeLessThan(5);
    expect(evaluate(radius, {}, { zoom: VIOLATION_ICON_MIN_ZOOM }) as number).toBe(9);
    const areaIcon = (byId.get('luyu-violation-area-icons')!.layout as Record<string, unknown>)['icon-image'];
    expect(evaluate(areaIcon, { category: 'piling', map_status: 'overdue' }, { spec: (latest as unknown as Record<string, Record<string, unknown>>).layout_symbol!['icon-image'] })!.toString()).toBe('violation-site-piling-overdue');
  });

  it('uses the fonts the style can draw for every label', () => {
    const symbols = [...stakeLayers(FONTS), ...caseTimelineLayers(FONTS)].filter((layer) => layer.type === 'symbol');
    expect(symbols.length).toBe(2);
    for (const layer of symbols) expect((layer.layout as Record<string, unknown>)['text-font']).toEqual(FONTS.semibold);
  });
});
