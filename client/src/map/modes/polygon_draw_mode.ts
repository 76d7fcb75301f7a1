import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import type { ModeContext, ModeHandler } from './mode_handler';

/** Closer than this (screen px) to the last vertex, a click is the second half of a double-click. */
const SAME_VERTEX_PX = 4;

/**
 * The polygon being drawn: a dot per vertex, and the outline through the vertices and the mouse
 * (a line with two points, a closed ring from three).
 */
export function polygonSketch(vertices: readonly Position[], cursor: Position | null): FeatureCollection {
  const features: Feature<Geometry>[] = vertices.map((coordinates) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates } }));
  const path = cursor ? [...vertices, cursor] : [...vertices];
  if (path.length >= 3) features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...path, path[0]!]] } });
  else if (path.length === 2) features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: path } });
  return { type: 'FeatureCollection', features };
}

/**
 * Mode 'polygon': a vertex per click; double-click or Enter closes the ring (three vertices at
 * least); Backspace takes back the last vertex.
 */
export function createPolygonDrawMode(context: ModeContext): ModeHandler {
  const vertices: [number, number][] = [];
  let cursor: [number, number] | null = null;
  const render = (): void => context.sketch(polygonSketch(vertices, cursor));
  const finish = (): void => {
    if (vertices.length < 3) return;
    context.finish({ type: 'Polygon', coordinates: [[...vertices, vertices[0]!]] });
  };
  return {
    cursor: 'crosshair',
    usesDoubleClick: true,
    click(event) {
      // The two clicks of a double-click arrive first: ignore a vertex on top of the last one.
      const last = vertices[vertices.length - 1];
      if (last) {
        const projected = context.map.project(last);
        if (Math.hypot(projected.x - event.point.x, projected.y - event.point.y) < SAME_VERTEX_PX) return;
      }
      vertices.push([event.lngLat.lng, event.lngLat.lat]);
      render();
    },
    move(event) {
      if (vertices.length === 0) return;
      cursor = [event.lngLat.lng, event.lngLat.lat];
      render();
    },
    doubleClick(event) {
      event.preventDefault();
      finish();
    },
    enter: finish,
    undo() {
      vertices.pop();
      render();
    },
  };
}
