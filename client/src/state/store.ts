import type { Direction, LocateResult, StakePointResult, ZoneKind } from '../api/types';
import { ZONE_KINDS } from '../api/types';
import type { DirectionLabels } from '../i18n/direction_labels';
import { DEFAULT_LANGUAGE, type Language } from '../i18n/languages';
import { createStore, useStore } from './create_store';
import type { Viewport } from './url_hash';

/** What the side panel is showing. */
export type Inspection =
  | { kind: 'none' }
  /** A click on the map; the panel locates it on the network. */
  | { kind: 'point'; lon: number; lat: number; seq: number }
  /** A stake search that the server resolved to a point. */
  | { kind: 'stake'; result: StakePointResult; direction: Direction; seq: number }
  /** A segment opened from the URL (`&seg=`), with no point; `fly` when the URL had no view. */
  | { kind: 'segment'; fly: boolean; seq: number };

/** A camera move asked for by the UI; `seq` makes repeated requests to the same place distinct. */
export interface CameraRequest {
  center: [number, number];
  zoom?: number;
  seq: number;
}

export interface UiState {
  language: Language;
  /** Where the map looks; written by the map, read by the URL hash. */
  viewport: Viewport | null;
  selectedSegmentId: number | null;
  inspection: Inspection;
  /** The located point of the current inspection, once known (for the marker). */
  markerPoint: [number, number] | null;
  /** Last locate answer, so the map can highlight what the panel shows. */
  lastLocate: LocateResult | null;
  zoneVisibility: Record<ZoneKind, boolean>;
  /** Satellite imagery under the lead map (when the deployment configures one); kept in localStorage. */
  imageryVisible: boolean;
  camera: CameraRequest | null;
  legendOpen: boolean;
  /** Pixels of the map's bottom a phone sheet (the 上报违法 form) hides; the map pads its camera by it. */
  sheetCoverBottomPx: number;
  /** The deployment's 上行/下行 words (server config), null until loaded or when not configured. */
  directionLabels: DirectionLabels | null;
}

const ZONE_VISIBILITY_STORAGE_KEY = 'luyu.zoneVisibility';
const IMAGERY_VISIBLE_STORAGE_KEY = 'luyu.imageryVisible';

/** Narrow zones on by default; the wide excavation-ban band would cover the whole view. */
const DEFAULT_ZONE_VISIBILITY: Record<ZoneKind, boolean> = {
  road_land: true,
  building_control: true,
  excavation_ban: false,
  bridge_range: true,
  tunnel_range: true,
  settlement_setback: false,
};

export const uiStore = createStore<UiState>({
  language: DEFAULT_LANGUAGE,
  viewport: null,
  selectedSegmentId: null,
  inspection: { kind: 'none' },
  markerPoint: null,
  lastLocate: null,
  zoneVisibility: readZoneVisibility(),
  imageryVisible: readStoredFlag(IMAGERY_VISIBLE_STORAGE_KEY),
  camera: null,
  directionLabels: null,
  sheetCoverBottomPx: 0,
  legendOpen: typeof window === 'undefined' || window.matchMedia?.('(min-width: 720px)').matches !== false,
});

export function useUiState<T>(selector: (state: UiState) => T): T {
  return useStore(uiStore, selector);
}

let seq = 0;
const nextSeq = (): number => ++seq;

export const uiActions = {
  setLanguage(language: Language): void {
    uiStore.setState({ language });
  },
  setViewport(viewport: Viewport): void {
    uiStore.setState({ viewport });
  },
  inspectPoint(lon: number, lat: number): void {
    uiStore.setState({ inspection: { kind: 'point', lon, lat, seq: nextSeq() }, markerPoint: [lon, lat], lastLocate: null });
  },
  /** The locate answer for the current point arrived: select its segment, move the marker onto the road. */
  pointLocated(result: LocateResult): void {
    uiStore.setState({ selectedSegmentId: result.segmentId, lastLocate: result });
  },
  showStakeResult(result: StakePointResult, direction: Direction): void {
    const [lon, lat] = result.point.coordinates as [number, number];
    uiStore.setState((state) => ({
      inspection: { kind: 'stake', result, direction, seq: nextSeq() },
      selectedSegmentId: result.segmentId,
      markerPoint: [lon, lat],
      lastLocate: null,
      camera: { center: [lon, lat], zoom: Math.max(state.viewport?.zoom ?? 0, 15), seq: nextSeq() },
    }));
  },
  openSegment(segmentId: number, fly = false): void {
    uiStore.setState({ inspection: { kind: 'segment', fly, seq: nextSeq() }, selectedSegmentId: segmentId, markerPoint: null, lastLocate: null });
  },
  clearInspection(): void {
    uiStore.setState({ inspection: { kind: 'none' }, selectedSegmentId: null, markerPoint: null, lastLocate: null });
  },
  setZoneVisible(kind: ZoneKind, visible: boolean): void {
    const zoneVisibility = { ...uiStore.getState().zoneVisibility, [kind]: visible };
    uiStore.setState({ zoneVisibility });
    try {
      window.localStorage.setItem(ZONE_VISIBILITY_STORAGE_KEY, JSON.stringify(zoneVisibility));
    } catch {
      // Private mode or storage full: the toggle still works for this visit.
    }
  },
  setImageryVisible(imageryVisible: boolean): void {
    uiStore.setState({ imageryVisible });
    try {
      window.localStorage.setItem(IMAGERY_VISIBLE_STORAGE_KEY, imageryVisible ? 'on' : 'off');
    } catch {
      // No storage: the switch still works for this visit.
    }
  },
  flyTo(center: [number, number], zoom?: number): void {
    uiStore.setState({ camera: { center, zoom, seq: nextSeq() } });
  },
  setDirectionLabels(directionLabels: DirectionLabels | null): void {
    uiStore.setState({ directionLabels });
  },
  setLegendOpen(legendOpen: boolean): void {
    uiStore.setState({ legendOpen });
  },
  setSheetCover(sheetCoverBottomPx: number): void {
    if (uiStore.getState().sheetCoverBottomPx !== sheetCoverBottomPx) uiStore.setState({ sheetCoverBottomPx });
  },
};

function readStoredFlag(key: string): boolean {
  try {
    return window.localStorage.getItem(key) === 'on';
  } catch {
    return false;
  }
}

function readZoneVisibility(): Record<ZoneKind, boolean> {
  const visibility = { ...DEFAULT_ZONE_VISIBILITY };
  try {
    const stored: unknown = JSON.parse(window.localStorage.getItem(ZONE_VISIBILITY_STORAGE_KEY) ?? 'null');
    if (stored && typeof stored === 'object') {
      for (const kind of ZONE_KINDS) {
        const value = (stored as Record<string, unknown>)[kind];
        if (typeof value === 'boolean') visibility[kind] = value;
      }
    }
  } catch {
    // No storage (tests, private mode): defaults.
  }
  return visibility;
}
