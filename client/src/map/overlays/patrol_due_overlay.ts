/**
 * Patrol planning overlay: due segments coloured by why they are due, and point tasks. Self-
 * contained: it adds, updates and removes only its own sources and layers on a MapLibre map, so
 * the map adapter needs to know nothing about patrols.
 */
import type { FeatureCollection } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap, MapLayerMouseEvent } from 'maplibre-gl';

const SEGMENT_SOURCE = 'patrol-due-segments';
const TASK_SOURCE = 'patrol-due-tasks';
const SEGMENT_CASING = 'patrol-due-segments-casing';
const SEGMENT_LINE = 'patrol-due-segments-line';
const SEGMENT_SELECTED = 'patrol-due-segments-selected';
const TASK_CIRCLE = 'patrol-due-tasks-circle';
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** Colours by the most pressing reason (the list shows the same order). */
export const DUE_COLOURS = {
  overdue: '#c0392b',
  never_patrolled: '#8e44ad',
  interval_elapsed: '#e67e22',
  task: '#1f6fb2',
} as const;

export interface PatrolDueOverlayOptions {
  onSegmentClick?: (segmentId: number) => void;
}

export class PatrolDueOverlay {
  private segments: FeatureCollection = EMPTY;
  private tasks: FeatureCollection = EMPTY;
  private selectedId: number | null = null;
  private added = false;

  constructor(
    private readonly map: MapLibreMap,
    private readonly options: PatrolDueOverlayOptions = {},
  ) {
    if (map.isStyleLoaded()) this.add();
    else map.once('load', () => this.add());
  }

  setSegments(collection: FeatureCollection): void {
    this.segments = collection;
    (this.map.getSource(SEGMENT_SOURCE) as GeoJSONSource | undefined)?.setData(collection);
  }

  setTasks(collection: FeatureCollection): void {
    this.tasks = collection;
    (this.map.getSource(TASK_SOURCE) as GeoJSONSource | undefined)?.setData(collection);
  }

  setSelected(segmentId: number | null): void {
    this.selectedId = segmentId;
    if (this.added) this.map.setFilter(SEGMENT_SELECTED, ['==', ['get', 'id'], segmentId ?? -1]);
  }

  remove(): void {
    if (!this.added) return;
    this.map.off('click', SEGMENT_LINE, this.onClick);
    for (const layer of [TASK_CIRCLE, SEGMENT_SELECTED, SEGMENT_LINE, SEGMENT_CASING]) if (this.map.getLayer(layer)) this.map.removeLayer(layer);
    for (const source of [TASK_SOURCE, SEGMENT_SOURCE]) if (this.map.getSource(source)) this.map.removeSource(source);
    this.added = false;
  }

  private readonly onClick = (event: MapLayerMouseEvent) => {
    const id = event.features?.[0]?.properties?.id;
    if (typeof id === 'number') this.options.onSegmentClick?.(id);
  };

  private add(): void {
    this.map.addSource(SEGMENT_SOURCE, { type: 'geojson', data: this.segments });
    this.map.addSource(TASK_SOURCE, { type: 'geojson', data: this.tasks });
    this.map.addLayer({ id: SEGMENT_CASING, type: 'line', source: SEGMENT_SOURCE, paint: { 'line-color': '#ffffff', 'line-width': 8, 'line-opacity': 0.9 } });
    this.map.addLayer({
      id: SEGMENT_LINE,
      type: 'line',
      source: SEGMENT_SOURCE,
      layout: { 'line-cap': 'round' },
      paint: {
        // The first frequency reason decides the colour; a segment due only for tasks is blue.
        'line-color': [
          'case',
          ['in', 'overdue', ['get', 'reasons']], DUE_COLOURS.overdue,
          ['in', 'never_patrolled', ['get', 'reasons']], DUE_COLOURS.never_patrolled,
          ['in', 'interval_elapsed', ['get', 'reasons']], DUE_COLOURS.interval_elapsed,
          DUE_COLOURS.task,
        ],
        'line-width': 5,
      },
    });
    this.map.addLayer({
      id: SEGMENT_SELECTED,
      type: 'line',
      source: SEGMENT_SOURCE,
      filter: ['==', ['get', 'id'], this.selectedId ?? -1],
      paint: { 'line-color': '#111111', 'line-width': 9, 'line-opacity': 0.55 },
    });
    this.map.addLayer({
      id: TASK_CIRCLE,
      type: 'circle',
      source: TASK_SOURCE,
      paint: { 'circle-radius': 6, 'circle-color': DUE_COLOURS.task, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
    });
    this.map.on('click', SEGMENT_LINE, this.onClick);
    this.added = true;
  }
}
