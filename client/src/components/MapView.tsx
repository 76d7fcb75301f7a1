import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/api_error';
import { invalidateCached, useQuery } from '../api/query_cache';
import { fetchTileJson, type TileJson } from '../api/tiles';
import { useI18n } from '../i18n/i18n';
import { createBasemapOverlay } from '../map/overlays/basemap_overlay';
import { createCaseTimelineOverlay } from '../map/overlays/case_timeline_overlay';
import { createDraftOverlay } from '../map/overlays/draft_overlay';
import { createImageryOverlay } from '../map/overlays/imagery_overlay';
import { createNetworkOverlay } from '../map/overlays/network_overlay';
import { createSearchPinOverlay } from '../map/overlays/search_pin_overlay';
import { createViolationsOverlay } from '../map/overlays/violations_overlay';
import { createZonesOverlay } from '../map/overlays/zones_overlay';
import { useBasemap } from '../map/use_basemap';
import type { ImageryBasemap } from '../api/endpoints';
import { useImageryBasemap } from '../map/use_imagery_basemap';
import { useMap } from '../map/use_map';
import { uiActions, uiStore, useUiState } from '../state/store';
import { violationActions, violationsStore, useViolationsState } from '../state/violations_store';

/** Centre of the demo network (Zhengzhou, 管城/经开区) and a zoom that shows all of it. */
export const DEFAULT_VIEW = { lon: 113.75, lat: 34.69, zoom: 12 } as const;

/** The review map's layer families, bottom first (clicks go to the last first). */
function reviewOverlays(imagery: ImageryBasemap | null) {
  return {
    basemap: createBasemapOverlay(),
    imagery: createImageryOverlay(imagery),
    zones: createZonesOverlay(),
    network: createNetworkOverlay(),
    searchPin: createSearchPinOverlay(),
    violations: createViolationsOverlay({
      onClick: (id) => {
        if (violationsStore.getState().creating) return;
        uiActions.clearInspection();
        violationActions.select(id);
      },
    }),
    timeline: createCaseTimelineOverlay(),
    draft: createDraftOverlay(),
  };
}

/**
 * Hosts the review map: sets it up with useMap (after the config says which basemap to use),
 * then tells it data, selection, mode and camera requests from one effect.
 */
export function MapView() {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const [mapError, setMapError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  const basemap = useBasemap(reload);
  const imagery = useImageryBasemap();
  // The network and violations come as vector tiles (only what is in view); the segments' TileJSON
  // gives the extent of the user's network, which the map fits at start.
  const network = useQuery<TileJson>(`tilejson:segments:${reload}`, () => fetchTileJson('segments'));
  // Latched: a retry refetches the TileJSON without taking the map down.
  const networkKnown = useRef(false);
  if (network.status === 'success' || network.status === 'error') networkKnown.current = true;

  const state = useUiState((s) => s);
  const v = useViolationsState((s) => s);
  const timelinePlaces = useMemo(
    () => v.timelinePlaces.map((place) => ({ coordinates: place.point.coordinates as [number, number], label: place.label })),
    [v.timelinePlaces],
  );
  // A link with a view wins over fitting the network.
  const viewFromLink = useRef(uiStore.getState().viewport !== null);

  const map = useMap(containerRef, {
    // The map starts once the imagery answer and the network's extent are in (an error = none / default view).
    style: imagery.known && networkKnown.current ? basemap.style : undefined,
    overlays: () => reviewOverlays(imagery.basemap),
    initialView: () => {
      const view = uiStore.getState().viewport ?? DEFAULT_VIEW;
      // Opened on the network's extent rather than fitted to it after: the tiles at the default
      // view would otherwise be requested (and parsed) first.
      const bbox = network.data && !viewFromLink.current && !uiStore.getState().camera ? networkBox(network.data) : null;
      return { center: [view.lon, view.lat], zoom: view.zoom, ...(bbox && { bounds: { bbox, padding: fitPadding() } }) };
    },
    label: t('map.label'),
    onClick: (lon, lat) => {
      violationActions.select(null);
      uiActions.inspectPoint(lon, lat);
    },
    onDrawFinish: (geometry) => violationActions.setDraft(geometry),
    onDrawCancel: () => violationActions.setDrawMode('none'),
    onViewChange: (next) => uiActions.setViewport(next),
    onReady: () => setReady(true),
    onError: (message) => setMapError(message),
  });
  useEffect(() => {
    if (!map) setReady(false);
  }, [map]);

  // The one effect that tells the map what React knows (the adapter skips what did not change).
  const applied = useRef<{ map: unknown; network?: unknown; camera?: unknown }>({ map: null });
  useEffect(() => {
    if (!map) return;
    const drawMode = v.creating ? v.drawMode : 'none';
    map.setData({
      basemap: basemap.data,
      imagery: { visible: state.imageryVisible },
      zones: { visibility: state.zoneVisibility },
      // A new version after an edit (or a retry) fetches the violation tiles anew.
      violations: { version: v.dataVersion + reload, visible: v.layerVisible },
      timeline: { places: timelinePlaces },
      // While drawing, the mode's sketch shows instead.
      draft: { geometry: v.creating && drawMode === 'none' ? v.draft : null },
    });
    map.setSelection({
      segmentId: state.selectedSegmentId,
      point: state.markerPoint,
      snappedPoint: (state.lastLocate?.snappedPoint.coordinates as [number, number] | undefined) ?? null,
      violationId: v.selectedId,
    });
    map.setMode(drawMode);
    // The place being worked on: the picked point while reporting, else the stake/click pin.
    map.setCoveredBottom(state.sheetCoverBottomPx);
    map.setFocus(v.creating && v.draft?.type === 'Point' ? (v.draft.coordinates as [number, number]) : state.markerPoint);

    // Camera requests: once per new map, network or request.
    const last = applied.current;
    if (last.map !== map) applied.current = { map };
    if (network.data && applied.current.network !== network.data) {
      applied.current.network = network.data;
      const bbox = networkBox(network.data);
      if (!viewFromLink.current && !uiStore.getState().camera && bbox) map.fitBounds(bbox, fitPadding());
      viewFromLink.current = true;
    }
    if (state.camera && applied.current.camera !== state.camera) {
      applied.current.camera = state.camera;
      map.flyTo(state.camera.center, state.camera.zoom, coveredByPanel(containerRef.current));
    }
  }, [map, basemap.data, network.data, state, timelinePlaces, v, reload]);

  const dataError = network.status === 'error' ? network.error : undefined;
  const loading = !ready && !dataError && !mapError;

  return (
    <div className="map-view">
      <div
        ref={containerRef}
        id="map-region"
        className="map-container"
        data-testid="map"
        tabIndex={-1}
      />
      {loading && (
        <div className="map-status" role="status">
          <span className="spinner" aria-hidden="true" />
          {t('map.loading')}
        </div>
      )}
      {(dataError || mapError) && (
        <div className="map-banner" role="alert">
          <span>{t('map.dataError', { message: dataError instanceof ApiError ? dataError.message : mapError ?? String(dataError) })}</span>
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              invalidateCached('tilejson:');
              setMapError(null);
              setReload((n) => n + 1);
            }}
          >
            {t('map.retry')}
          </button>
        </div>
      )}
    </div>
  );
}

/** The network's extent from its TileJSON; null when the user sees no segment (the world's bounds). */
function networkBox(tileJson: TileJson): [number, number, number, number] | null {
  const [west, south, east, north] = tileJson.bounds;
  return east - west >= 359 ? null : [west, south, east, north];
}

/** What the side panel (desktop) or bottom sheet (phone) hides of the map, in pixels. */
function coveredByPanel(container: HTMLElement | null): { right: number; bottom: number } {
  const height = container?.clientHeight ?? window.innerHeight;
  const phone = window.matchMedia?.('(max-width: 719px)').matches ?? false;
  // Matches the panel's CSS: 360 px + 12 px margin on the right; a sheet of up to 55 % below.
  return phone ? { right: 0, bottom: Math.round(height * 0.55) } : { right: 372, bottom: 0 };
}

/** Room for the floating legend and panel on a desktop, for the bottom sheet on a phone. */
function fitPadding(): { top: number; bottom: number; left: number; right: number } {
  const phone = window.matchMedia?.('(max-width: 719px)').matches ?? false;
  return phone ? { top: 24, bottom: 110, left: 16, right: 16 } : { top: 32, bottom: 32, left: 260, right: 390 };
}
