/**
 * The dashboard's open-case density map: a small MapLibre map of its own (not the review map's
 * adapter) with one circle layer sized and coloured by open cases per grid cell.
 */
import { Map as MapLibreMap, setWorkerUrl, type GeoJSONSource } from 'maplibre-gl';
// MapLibre 6 runs its worker from a separate module file (as the review map does, map_adapter.ts).
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { buildBasemapStyle } from '../map/basemap_style';
import 'maplibre-gl/dist/maplibre-gl.css';

export interface DensityCell {
  center: [number, number];
  bbox: [number, number, number, number];
  open: number;
}

const SOURCE = 'open-density';

function toCollection(cells: readonly DensityCell[]): GeoJSON.FeatureCollection<GeoJSON.Point, { open: number; index: number }> {
  return {
    type: 'FeatureCollection',
    features: cells.map((cell, index) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: cell.center }, properties: { open: cell.open, index } })),
  };
}

setWorkerUrl(new URL(maplibreWorkerUrl, window.location.href).href);

export function createDensityMap(container: HTMLElement, onCell: (cell: DensityCell) => void) {
  let cells: readonly DensityCell[] = [];
  const map = new MapLibreMap({ container, style: buildBasemapStyle(), center: [113.7, 34.75], zoom: 8, attributionControl: false });
  const ready = new Promise<void>((resolve) => map.once('load', () => resolve()));
  void ready.then(() => {
    map.addSource(SOURCE, { type: 'geojson', data: toCollection(cells) });
    map.addLayer({
      id: SOURCE,
      type: 'circle',
      source: SOURCE,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['get', 'open'], 1, 6, 20, 18, 200, 34],
        'circle-color': ['interpolate', ['linear'], ['get', 'open'], 1, '#f5b83d', 20, '#e0602b', 100, '#a1152a'],
        'circle-opacity': 0.75,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1,
      },
    });
    map.on('click', SOURCE, (event: { features?: { properties?: Record<string, unknown> }[] }) => {
      const index = event.features?.[0]?.properties?.index;
      if (typeof index === 'number' && cells[index]) onCell(cells[index]);
    });
  });
  return {
    async setCells(next: readonly DensityCell[]) {
      cells = next;
      await ready;
      (map.getSource(SOURCE) as GeoJSONSource).setData(toCollection(next));
      if (next.length > 0) {
        const west = Math.min(...next.map((cell) => cell.bbox[0]));
        const south = Math.min(...next.map((cell) => cell.bbox[1]));
        const east = Math.max(...next.map((cell) => cell.bbox[2]));
        const north = Math.max(...next.map((cell) => cell.bbox[3]));
        map.fitBounds([west, south, east, north], { padding: 24, maxZoom: 12, duration: 0 });
      }
    },
    destroy() {
      map.remove();
    },
  };
}
