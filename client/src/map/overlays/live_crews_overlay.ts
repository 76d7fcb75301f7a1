import type { LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import type { FeatureCollection } from 'geojson';
import type { LiveCrew } from '../../api/patrols';
import { changed, EMPTY_COLLECTION, type FontStacks, type Overlay } from '../overlay';

export interface LiveCrewsData {
  crews?: readonly LiveCrew[];
}

const SOURCE = 'luyu-live-crews';
/** A fix older than this is drawn grey: the phone stopped sending (screen off, tunnel, no signal). */
export const STALE_FIX_SECONDS = 300;

export const LIVE_CREW_LAYER_IDS = { halo: 'luyu-live-crews-halo', dot: 'luyu-live-crews-dot', label: 'luyu-live-crews-label' } as const;

/** One point per crew with a fix, labelled "name 63%". */
export function liveCrewFeatures(crews: readonly LiveCrew[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: crews
      .filter((crew) => crew.position)
      .map((crew) => ({
        type: 'Feature',
        id: crew.assignmentId,
        properties: { label: `${crew.crewName} ${Math.round(crew.progress * 100)}%`, stale: (crew.fixAgeSeconds ?? Infinity) > STALE_FIX_SECONDS, paused: crew.status === 'paused' },
        geometry: crew.position!,
      })),
  };
}

export function liveCrewLayers(fonts: FontStacks): LayerSpecification[] {
  const colour = ['case', ['get', 'stale'], '#8a8a8a', ['get', 'paused'], '#e67e22', '#1a7f4b'] as unknown as string;
  return [
    { id: LIVE_CREW_LAYER_IDS.halo, type: 'circle', source: SOURCE, paint: { 'circle-radius': 16, 'circle-color': colour, 'circle-opacity': 0.3 } },
    { id: LIVE_CREW_LAYER_IDS.dot, type: 'circle', source: SOURCE, paint: { 'circle-radius': 8, 'circle-color': colour, 'circle-stroke-color': '#12352b', 'circle-stroke-width': 2.5 } },
    {
      id: LIVE_CREW_LAYER_IDS.label,
      type: 'symbol',
      source: SOURCE,
      layout: { 'text-field': ['get', 'label'], 'text-font': fonts.semibold, 'text-size': 12, 'text-offset': [0, 1.5], 'text-anchor': 'top', 'text-allow-overlap': true },
      paint: { 'text-color': '#12352b', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
    },
  ];
}

/** Crews under way today: where each last was, and how much of its route is covered. */
export function createLiveCrewsOverlay(): Overlay<LiveCrewsData> {
  return {
    add(context) {
      context.addSource(SOURCE, { type: 'geojson', data: EMPTY_COLLECTION });
      for (const layer of liveCrewLayers(context.fonts)) context.addLayer(layer, 'focus');
    },
    update(context, data, previous) {
      if (changed(data, previous, 'crews')) context.setSourceData(SOURCE, liveCrewFeatures(data.crews ?? []));
    },
  };
}
