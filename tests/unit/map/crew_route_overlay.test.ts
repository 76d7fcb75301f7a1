import { describe, expect, it } from 'vitest';
import { Color, createExpression, latest, validateStyleMin, type StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import { arrowPixels, CREW_ROUTE_LAYER_IDS, crewRouteLayers, crewSegmentFeatures } from '../../../client/src/map/overlays/crew_route_overlay';

const FONTS = { regular: ['Noto Sans'], semibold: ['Noto Sans SemiBold'] };

describe('crew route overlay', () => {
  it('its layers validate against the MapLibre style spec', () => {
    const empty = { type: 'geojson' as const, data: { type: 'FeatureCollection' as const, features: [] } };
    const layers = crewRouteLayers(FONTS);
    const sources = Object.fromEntries([...new Set(layers.map((layer) => (layer as { source: string }).source))].map((id) => [id, empty]));
    const style: StyleSpecification = { version: 8, sources, layers };
    expect(validateStyleMin(style)).toEqual([]);
    expect(layers.map((layer) => layer.id)).toEqual(Object.values(CREW_ROUTE_LAYER_IDS));
  });

  it('colours a covered segment green and a due one orange', () => {
    const line = crewRouteLayers(FONTS).find((layer) => layer.id === CREW_ROUTE_LAYER_IDS.segments)!;
    const expression = createExpression((line as { paint: Record<string, unknown> }).paint['line-color'], (latest as unknown as Record<string, Record<string, unknown>>).paint_line!['line-color'] as never);
    if (expression.result !== 'success') throw new Error('bad expression');
    const colourOf = (covered: boolean) => Color.parse(String(expression.value.evaluate({ zoom: 14 }, { type: 'LineString', properties: crewSegmentFeatures([{ segmentId: 1, line: { type: 'LineString', coordinates: [] }, covered }]).features[0]!.properties } as never)))!.toString();
    expect(colourOf(true)).toBe(Color.parse('#0a7d32')!.toString());
    expect(colourOf(false)).toBe(Color.parse('#e35d00')!.toString());
  });

  it('the arrow image points along the line: its right column is narrower than its left', () => {
    const { width, data } = arrowPixels(16);
    const opaqueInColumn = (x: number) => Array.from({ length: width }, (_, y) => data[(y * width + x) * 4 + 3]).filter((alpha) => alpha === 255).length;
    expect(opaqueInColumn(2)).toBeGreaterThan(8);
    // The tip (column 12) is two pixels high, the base (column 2) eleven.
    expect(opaqueInColumn(12)).toBe(2);
    expect(opaqueInColumn(13)).toBe(0);
  });
});
