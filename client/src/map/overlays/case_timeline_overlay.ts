import type { LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { changed, EMPTY_COLLECTION, type FontStacks, type Overlay } from '../overlay';

export interface TimelinePlace {
  coordinates: [number, number];
  /** Short label drawn on the place (the step's number in the timeline). */
  label: string;
}

export interface CaseTimelineData {
  places?: readonly TimelinePlace[];
}

const SOURCE = 'luyu-violation-timeline';

export const CASE_TIMELINE_LAYER_IDS = {
  line: 'luyu-violation-timeline-line',
  dots: 'luyu-violation-timeline-dots',
  labels: 'luyu-violation-timeline-labels',
} as const;

/** A numbered place per step and, with two or more, a dashed path through them in order. */
export function timelineFeatures(places: readonly TimelinePlace[]): FeatureCollection {
  const features: Feature<Geometry>[] = places.map((place) => ({ type: 'Feature', properties: { label: place.label }, geometry: { type: 'Point', coordinates: place.coordinates } }));
  if (places.length > 1) features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: places.map((place) => place.coordinates) } });
  return { type: 'FeatureCollection', features };
}

export function caseTimelineLayers(fonts: FontStacks): LayerSpecification[] {
  return [
    {
      id: CASE_TIMELINE_LAYER_IDS.line,
      type: 'line',
      source: SOURCE,
      filter: ['==', ['geometry-type'], 'LineString'],
      paint: { 'line-color': '#12352b', 'line-width': 1.5, 'line-dasharray': [2, 2] },
    },
    {
      id: CASE_TIMELINE_LAYER_IDS.dots,
      type: 'circle',
      source: SOURCE,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 8, 'circle-color': '#ffffff', 'circle-stroke-color': '#12352b', 'circle-stroke-width': 2 },
    },
    {
      id: CASE_TIMELINE_LAYER_IDS.labels,
      type: 'symbol',
      source: SOURCE,
      filter: ['==', ['geometry-type'], 'Point'],
      layout: { 'text-field': ['get', 'label'], 'text-font': fonts.semibold, 'text-size': 11, 'text-allow-overlap': true },
      paint: { 'text-color': '#12352b' },
    },
  ];
}

/** Where the steps of the selected case happened (report, inspections …), numbered in order. */
export function createCaseTimelineOverlay(): Overlay<CaseTimelineData> {
  return {
    add(context) {
      context.addSource(SOURCE, { type: 'geojson', data: EMPTY_COLLECTION });
      for (const layer of caseTimelineLayers(context.fonts)) context.addLayer(layer, 'lines');
    },
    update(context, data, previous) {
      if (changed(data, previous, 'places')) context.setSourceData(SOURCE, timelineFeatures(data.places ?? []));
    },
  };
}
