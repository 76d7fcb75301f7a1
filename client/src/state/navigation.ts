import { formatHash } from './url_hash';
import { uiStore } from './store';
import { violationsStore } from './violations_store';

export const MAP_PATH = '/';
export const LEDGER_PATH = '/violations';
export const DETECTIONS_PATH = '/detections';
export const PATROL_PLANNING_PATH = '/patrol-planning';
export const MY_ASSIGNMENTS_PATH = '/my-assignments';
export const DASHBOARD_PATH = '/dashboard';
export const CAMPAIGNS_PATH = '/campaigns';
export const RANKINGS_PATH = '/rankings';
/** The crews' phone app (installable PWA; docs/field_app.md). */
export const CREW_PATH = '/crew';
export const SUPERVISION_PATH = '/supervision';
const NAVIGATE_EVENT = 'luyu:navigate';

/** In-app navigation: a history entry and a re-render of App (which listens for it and popstate). */
export function navigateTo(url: string): void {
  window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

export function onNavigate(listener: () => void): () => void {
  window.addEventListener(NAVIGATE_EVENT, listener);
  window.addEventListener('popstate', listener);
  return () => {
    window.removeEventListener(NAVIGATE_EVENT, listener);
    window.removeEventListener('popstate', listener);
  };
}

/** The map's URL with its current view, selection and language (the map keeps its hash state). */
export function mapUrl(extra: { violationId?: number; center?: [number, number]; zoom?: number } = {}): string {
  const state = uiStore.getState();
  const viewport = extra.center ? { lon: extra.center[0], lat: extra.center[1], zoom: extra.zoom ?? 17 } : state.viewport;
  const violationId = extra.violationId ?? violationsStore.getState().selectedId;
  return `${MAP_PATH}${formatHash({ viewport, segmentId: extra.center ? null : state.selectedSegmentId, language: state.language, violationId })}`;
}

/** Opens the map centred on a violation with its drawer open (from the ledger). */
export function showOnMap(center: [number, number], violationId: number, zoom = 17): void {
  uiStore.setState({ viewport: { lon: center[0], lat: center[1], zoom }, selectedSegmentId: null, inspection: { kind: 'none' }, markerPoint: null, lastLocate: null });
  violationsStore.setState({ selectedId: violationId, creating: false, drawMode: 'none', draft: null });
  navigateTo(mapUrl());
}

