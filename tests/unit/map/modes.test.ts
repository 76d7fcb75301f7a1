import { describe, expect, it } from 'vitest';
import type { FeatureCollection, Point, Polygon } from 'geojson';
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import { createInspectMode } from '../../../client/src/map/modes/inspect_mode';
import type { ModeContext } from '../../../client/src/map/modes/mode_handler';
import { createPointPickMode } from '../../../client/src/map/modes/point_pick_mode';
import { createPolygonDrawMode, polygonSketch } from '../../../client/src/map/modes/polygon_draw_mode';

/** A flat 100 px per degree projection and a map centred on (10, 20). */
const map = {
  project: ([lon, lat]: [number, number]) => ({ x: lon * 100, y: -lat * 100 }),
  getCenter: () => ({ lng: 10, lat: 20 }),
} as unknown as MapLibreMap;

function click(lon: number, lat: number): MapMouseEvent {
  let prevented = false;
  return {
    lngLat: { lng: lon, lat },
    point: { x: lon * 100, y: -lat * 100 },
    preventDefault: () => (prevented = true),
    get defaultPrevented() {
      return prevented;
    },
  } as unknown as MapMouseEvent;
}

function recorder(claimedByOverlay = false) {
  const finished: (Point | Polygon)[] = [];
  const places: [number, number][] = [];
  const sketches: (FeatureCollection | null)[] = [];
  const context: ModeContext = {
    map,
    sketch: (features) => sketches.push(features),
    finish: (geometry) => finished.push(geometry),
    clickOverlays: () => claimedByOverlay,
    clickPlace: (lon, lat) => places.push([lon, lat]),
  };
  return { context, finished, places, sketches };
}

describe('inspect mode', () => {
  it('gives a click to the page only when no overlay took it; Enter inspects the centre', () => {
    const free = recorder(false);
    const mode = createInspectMode(free.context);
    mode.click(click(1, 2));
    mode.enter!();
    expect(free.places).toEqual([[1, 2], [10, 20]]);
    const taken = recorder(true);
    createInspectMode(taken.context).click(click(1, 2));
    expect(taken.places).toEqual([]);
  });
});

describe('point pick mode', () => {
  it('finishes with the clicked point, or the centre on Enter', () => {
    const r = recorder();
    const mode = createPointPickMode(r.context);
    expect(mode.cursor).toBe('crosshair');
    mode.click(click(1.5, 2.5));
    mode.enter!();
    expect(r.finished).toEqual([
      { type: 'Point', coordinates: [1.5, 2.5] },
      { type: 'Point', coordinates: [10, 20] },
    ]);
  });
});

describe('polygon draw mode', () => {
  it('adds a vertex per click, closes the ring on Enter, and needs three vertices', () => {
    const r = recorder();
    const mode = createPolygonDrawMode(r.context);
    expect(mode.usesDoubleClick).toBe(true);
    mode.click(click(0, 0));
    mode.click(click(1, 0));
    mode.enter!();
    expect(r.finished).toEqual([]);
    mode.click(click(1, 1));
    mode.enter!();
    expect(r.finished).toEqual([{ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }]);
  });

  it('ignores the second click of a double-click on the same spot, and finishes on the double-click', () => {
    const r = recorder();
    const mode = createPolygonDrawMode(r.context);
    for (const [lon, lat] of [[0, 0], [1, 0], [1, 1], [1.01, 1.01]] as [number, number][]) mode.click(click(lon, lat));
    const dbl = click(1.01, 1.01);
    mode.doubleClick!(dbl);
    expect(dbl.defaultPrevented).toBe(true);
    expect(r.finished).toEqual([{ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }]);
  });

  it('Backspace takes back the last vertex', () => {
    const r = recorder();
    const mode = createPolygonDrawMode(r.context);
    for (const [lon, lat] of [[0, 0], [1, 0], [5, 5], [1, 1]] as [number, number][]) mode.click(click(lon, lat));
    mode.undo!();
    mode.undo!();
    mode.click(click(1, 1));
    mode.enter!();
    expect(r.finished).toEqual([{ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }]);
  });

  it('sketches the vertices and the outline through the mouse', () => {
    expect(polygonSketch([], null).features).toEqual([]);
    expect(polygonSketch([[0, 0]], [1, 0]).features.map((feature) => feature.geometry.type)).toEqual(['Point', 'LineString']);
    const three = polygonSketch([[0, 0], [1, 0]], [1, 1]);
    expect(three.features.map((feature) => feature.geometry.type)).toEqual(['Point', 'Point', 'Polygon']);
    expect(three.features[2]!.geometry).toEqual({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] });
    const r = recorder();
    const mode = createPolygonDrawMode(r.context);
    mode.move!(click(3, 3));
    expect(r.sketches).toEqual([]);
    mode.click(click(0, 0));
    mode.move!(click(1, 0));
    expect(r.sketches.at(-1)!.features.map((feature) => feature.geometry.type)).toEqual(['Point', 'LineString']);
  });
});
