import { describe, expect, it } from 'vitest';
import { Color, createExpression, featureFilter, latest, validateStyleMin, type StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import { CREW_COLORS } from '../../../client/src/map/palette';
import { crewColor, PATROL_ROUTE_LAYER_IDS, patrolRouteFeatures, patrolRouteLayers, selectedServedFilter } from '../../../client/src/map/overlays/patrol_routes_overlay';

const FONTS = { regular: ['Noto Sans'], semibold: ['Noto Sans SemiBold'] };
const line = (x: number) => ({ type: 'LineString' as const, coordinates: [[x, 34.7], [x + 0.01, 34.7]] });

describe('patrol routes overlay', () => {
  it('its layers validate against the MapLibre style spec, every label in the style’s fonts', () => {
    const empty = { type: 'geojson' as const, data: { type: 'FeatureCollection' as const, features: [] } };
    const layers = patrolRouteLayers(FONTS);
    const sources = Object.fromEntries([...new Set(layers.map((layer) => (layer as { source: string }).source))].map((id) => [id, empty]));
    const style: StyleSpecification = { version: 8, glyphs: 'https://example.test/{fontstack}/{range}.pbf', sources, layers };
    expect(validateStyleMin(style)).toEqual([]);
    expect(new Set(layers.map((layer) => layer.id))).toEqual(new Set(Object.values(PATROL_ROUTE_LAYER_IDS)));
    for (const layer of layers.filter((candidate) => candidate.type === 'symbol')) expect((layer.layout as Record<string, unknown>)['text-font']).toEqual(FONTS.semibold);
  });

  it('gives each crew its own colour in plan order, walks and served segments alike, numbered in service order', () => {
    const data = patrolRouteFeatures(
      [
        { crewId: 7, route: line(113.7), segments: [{ segmentId: 11, order: 1 }, { segmentId: 12, order: 2 }] },
        { crewId: 3, route: line(113.8), segments: [{ segmentId: 13, order: 1 }, { segmentId: 99, order: 2 }] },
      ],
      new Map([[11, line(113.71)], [12, line(113.72)], [13, line(113.81)]]),
    );
    expect(data.walks.features.map((feature) => feature.properties)).toEqual([{ crewId: 7, color: CREW_COLORS[0] }, { crewId: 3, color: CREW_COLORS[1] }]);
    // Segment 99 has no geometry on the page: listed, not drawn.
    expect(data.served.features.map((feature) => feature.properties)).toEqual([
      { segmentId: 11, crewId: 7, color: CREW_COLORS[0], order: 1 },
      { segmentId: 12, crewId: 7, color: CREW_COLORS[0], order: 2 },
      { segmentId: 13, crewId: 3, color: CREW_COLORS[1], order: 1 },
    ]);
    expect(crewColor(CREW_COLORS.length + 1)).toBe(CREW_COLORS[1]);
    expect(new Set(CREW_COLORS).size).toBe(CREW_COLORS.length);
  });

  it('draws a served segment in its crew’s colour and haloes only the selected one', () => {
    const served = patrolRouteLayers(FONTS).find((layer) => layer.id === PATROL_ROUTE_LAYER_IDS.served)!;
    const expression = createExpression((served as { paint: Record<string, unknown> }).paint['line-color'], (latest as unknown as Record<string, Record<string, unknown>>).paint_line!['line-color'] as never);
    if (expression.result !== 'success') throw new Error('bad expression');
    const colourOf = (properties: Record<string, unknown>) => Color.parse(String(expression.value.evaluate({ zoom: 14 }, { type: 'LineString', properties } as never)))!.toString();
    expect(colourOf({ color: '#d81b60' })).toBe(Color.parse('#d81b60')!.toString());
    // A feature without a colour still draws, in the neutral grey.
    expect(colourOf({})).toBe(Color.parse('#555555')!.toString());
    const matches = (filter: unknown, segmentId: number) => featureFilter(filter as never, 'test.filter').filter({ zoom: 14 } as never, { type: 2, properties: { segmentId } } as never);
    expect(matches(selectedServedFilter(12), 12)).toBe(true);
    expect(matches(selectedServedFilter(12), 13)).toBe(false);
    expect(matches(selectedServedFilter(null), 12)).toBe(false);
  });
});
