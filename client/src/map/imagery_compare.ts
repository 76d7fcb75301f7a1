import { Map as MapLibreMap, setWorkerUrl } from 'maplibre-gl';
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { FeatureCollection } from 'geojson';
import { DETECTION_COLORS } from './palette';

setWorkerUrl(new URL(maplibreWorkerUrl, window.location.href).href);

/**
 * Before/after imagery of a detection batch: two small maps on the batch's XYZ tile templates,
 * camera-synced, with the detection outline over both. The one owner of those two maps.
 */
export class ImageryCompare {
  private readonly maps: MapLibreMap[];
  private syncing = false;

  constructor(before: HTMLElement, after: HTMLElement, tiles: { before: string; after: string }, outline: FeatureCollection, bbox: [number, number, number, number]) {
    this.maps = [
      new MapLibreMap({ container: before, style: rasterStyle(tiles.before, outline), bounds: bbox, fitBoundsOptions: { padding: 30 }, attributionControl: false, dragRotate: false }),
      new MapLibreMap({ container: after, style: rasterStyle(tiles.after, outline), bounds: bbox, fitBoundsOptions: { padding: 30 }, attributionControl: false, dragRotate: false }),
    ];
    for (const [index, map] of this.maps.entries()) {
      const other = this.maps[1 - index]!;
      map.on('move', () => {
        if (this.syncing) return;
        this.syncing = true;
        other.jumpTo({ center: map.getCenter(), zoom: map.getZoom() });
        this.syncing = false;
      });
    }
  }

  destroy(): void {
    for (const map of this.maps) map.remove();
  }
}

function rasterStyle(tileUrl: string, outline: FeatureCollection): StyleSpecification {
  return {
    version: 8,
    sources: {
      imagery: { type: 'raster', tiles: [tileUrl], tileSize: 256, maxzoom: 20 },
      outline: { type: 'geojson', data: outline },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#dfe3df' } },
      { id: 'imagery', type: 'raster', source: 'imagery' },
      { id: 'outline-halo', type: 'line', source: 'outline', paint: { 'line-color': '#ffffff', 'line-width': 5 } },
      { id: 'outline', type: 'line', source: 'outline', paint: { 'line-color': DETECTION_COLORS.current, 'line-width': 2.5 } },
    ],
  };
}
