import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/api_error';
import { fetchAllSegments } from '../api/endpoints';
import { invalidateCached, useQuery } from '../api/query_cache';
import type { SegmentCollection } from '../api/types';
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
import { fetchViolations, type ViolationCollection } from '../api/violations';
import { toMapCollection } from '../map/violation_layers';
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
  // Network data: the demo network is small, so all of it is fetched once as GeoJSON.
  const segments = useQuery<SegmentCollection>(`segments:all:${reload}`, () => fetchAllSegments());

  const state = useUiState((s) => s);
  const v = useViolationsState((s) => s);
  // Violations of the whole network extent (a district has hundreds, the API allows 5,000).
  const networkBox = segments.data ? boundingBox(segments.data) : null;
  const violationsKey = networkBox ? `violations:map:${networkBox.map((n) => n.toFixed(3)).join(',')}:${v.dataVersion}:${reload}` : null;
  const violations = useQuery<ViolationCollection>(violationsKey, () =>
    fetchViolations({ bbox: padBox(networkBox!), limit: 5000 }),
  );
  const violationFeatures = useMemo(() => (violations.data ? toMapCollection(violations.data) : undefined), [violations.data]);
  const timelinePlaces = useMemo(
    () => v.timelinePlaces.map((place) => ({ coordinates: place.point.coordinates as [number, number], label: place.label })),
    [v.timelinePlaces],
  );
  // A link with a view wins over fitting the network.
  const viewFromLink = useRef(uiStore.getState().viewport !== null);

  const map = useMap(containerRef, {
    style: imagery.known ? basemap.style : undefined,
    overlays: () => reviewOverlays(imagery.basemap),
    initialView: () => {
      const view = uiStore.getState().viewport ?? DEFAULT_VIEW;
      return { center: [view.lon, view.lat], zoom: view.zoom };
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
  const applied = useRef<{ map: unknown; segments?: unknown; camera?: unknown }>({ map: null });
  useEffect(() => {
    if (!map) return;
    const drawMode = v.creating ? v.drawMode : 'none';
    map.setData({
      basemap: basemap.data,
      imagery: { visible: state.imageryVisible },
      zones: { visibility: state.zoneVisibility },
      network: { segments: segments.data },
      violations: { violations: violationFeatures, visible: v.layerVisible },
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
    if (segments.data && applied.current.segments !== segments.data) {
      applied.current.segments = segments.data;
      const bbox = boundingBox(segments.data);
      if (!viewFromLink.current && !uiStore.getState().camera && bbox) map.fitBounds(bbox, fitPadding());
      viewFromLink.current = true;
    }
    if (state.camera && applied.current.camera !== state.camera) {
      applied.current.camera = state.camera;
      map.flyTo(state.camera.center, state.camera.zoom, coveredByPanel(containerRef.current));
    }
  }, [map, basemap.data, segments.data, state, violationFeatures, timelinePlaces, v]);

  const dataError = [segments].find((query) => query.status === 'error')?.error;
  const loading = !ready && !dataError && !mapError;
  const violationsLoading = ready && v.layerVisible && violations.status === 'loading';

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
      {violationsLoading && (
        <div className="map-status" role="status">
          <span className="spinner" aria-hidden="true" />
          {t('v.loading')}
        </div>
      )}
      {ready && v.layerVisible && violations.status === 'error' && !dataError && (
        <div className="map-banner" role="alert">
          <span>{t('v.loadError', { message: violations.error instanceof ApiError ? violations.error.message : String(violations.error) })}</span>
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              invalidateCached('violations:');
              setReload((n) => n + 1);
            }}
          >
            {t('map.retry')}
          </button>
        </div>
      )}
      {(dataError || mapError) && (
        <div className="map-banner" role="alert">
          <span>{t('map.dataError', { message: dataError instanceof ApiError ? dataError.message : mapError ?? String(dataError) })}</span>
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              invalidateCached('segments:');
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

/** [minLon, minLat, maxLon, maxLat] of every vertex, or null for no features. */
function boundingBox(collection: SegmentCollection): [number, number, number, number] | null {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const feature of collection.features) {
    for (const [lon, lat] of feature.geometry?.coordinates ?? []) {
      if (lon! < minLon) minLon = lon!;
      if (lon! > maxLon) maxLon = lon!;
      if (lat! < minLat) minLat = lat!;
      if (lat! > maxLat) maxLat = lat!;
    }
  }
  return Number.isFinite(minLon) ? [minLon, minLat, maxLon, maxLat] : null;
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

/** The network box widened by ~2 km, so findings just beyond the last segment still show. */
function padBox(box: [number, number, number, number]): [number, number, number, number] {
  const pad = 0.02;
  return [box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad].map((n) => Math.round(n * 1e4) / 1e4) as [number, number, number, number];
}
