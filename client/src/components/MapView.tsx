import { useEffect, useRef, useState } from 'react';
import { ZONE_KINDS } from '@domain/zones';
import { ApiError } from '../api/api_error';
import { fetchAllSegments, fetchAllZones, fetchBasemapRoads, fetchConfig, fetchJurisdictions } from '../api/endpoints';
import { invalidateCached, useQuery } from '../api/query_cache';
import type { BasemapRoadCollection, JurisdictionCollection, SegmentCollection, ZoneCollection } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { buildBasemapStyle } from '../map/basemap_style';
import type { MapAdapter } from '../map/map_adapter';
import { loadMapFonts } from '../map/map_fonts';
import { uiActions, uiStore, useUiState } from '../state/store';
import { fetchViolations, type ViolationCollection, type ViolationGeometry } from '../api/violations';
import { toMapCollection } from '../map/violation_layers';
import { violationActions, violationsStore, useViolationsState } from '../state/violations_store';

/** Centre of the demo network (Zhengzhou, 管城/经开区) and a zoom that shows all of it. */
export const DEFAULT_VIEW = { lon: 113.75, lat: 34.69, zoom: 12 } as const;

const EMPTY_FEATURES = { type: 'FeatureCollection', features: [] } as const;

/**
 * Hosts the map: creates the MapAdapter once (after the config says which basemap to use),
 * then pushes data, zone toggles, selection and camera requests to it from one effect.
 */
export function MapView() {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const [adapter, setAdapter] = useState<MapAdapter | null>(null);
  const [ready, setReady] = useState(false);
  const [mapError, setMapError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  const config = useQuery('config', () => fetchConfig());
  const basemapStyleUrl = config.status === 'success' ? config.data.basemapStyleUrl : config.status === 'error' ? null : undefined;

  // Network data: the demo network is small, so all of it is fetched once as GeoJSON.
  const segments = useQuery<SegmentCollection>(`segments:all:${reload}`, () => fetchAllSegments());
  const zones = useQuery<ZoneCollection>(`zones:all:${reload}`, () => fetchAllZones());
  const ownBasemap = basemapStyleUrl === null;
  const jurisdictions = useQuery<JurisdictionCollection>(ownBasemap ? `jurisdictions:${reload}` : null, () => fetchJurisdictions());
  const basemapRoads = useQuery<BasemapRoadCollection>(ownBasemap ? `basemap-roads:${reload}` : null, () => fetchBasemapRoads());

  const state = useUiState((s) => s);
  const v = useViolationsState((s) => s);
  // Violations of the whole network extent (a district has hundreds, the API allows 5,000).
  const networkBox = segments.data ? boundingBox(segments.data) : null;
  const violationsKey = networkBox ? `violations:map:${networkBox.map((n) => n.toFixed(3)).join(',')}:${v.dataVersion}:${reload}` : null;
  const violations = useQuery<ViolationCollection>(violationsKey, () =>
    fetchViolations({ bbox: padBox(networkBox!), limit: 5000 }),
  );
  // A link with a view wins over fitting the network.
  const viewFromLink = useRef(uiStore.getState().viewport !== null);

  // Create the map once we know the basemap; destroy it on unmount.
  useEffect(() => {
    const container = containerRef.current;
    if (!container || basemapStyleUrl === undefined) return;
    let cancelled = false;
    let created: MapAdapter | null = null;
    // MapLibre is most of the bundle: load it as its own chunk while the shell renders.
    void Promise.all([import('../map/map_adapter'), loadMapFonts()]).then(([{ MapAdapter }]) => {
      if (cancelled) return;
      const view = uiStore.getState().viewport ?? DEFAULT_VIEW;
      created = new MapAdapter(container, {
        style: basemapStyleUrl ?? buildBasemapStyle(),
        center: [view.lon, view.lat],
        zoom: view.zoom,
        label: t('map.label'),
        onClick: (lon, lat) => {
          violationActions.select(null);
          uiActions.inspectPoint(lon, lat);
        },
        onViolationClick: (id) => {
          if (violationsStore.getState().creating) return;
          uiActions.clearInspection();
          violationActions.select(id);
        },
        onDrawFinish: (geometry) => violationActions.setDraft(geometry),
        onDrawCancel: () => violationActions.setDrawMode('none'),
        onViewChange: (next) => uiActions.setViewport(next),
        onReady: () => setReady(true),
        onError: (message) => setMapError(message),
      });
      setAdapter(created);
    });
    return () => {
      cancelled = true;
      created?.destroy();
      setAdapter(null);
      setReady(false);
    };
    // The label is updated by the sync effect; recreating the map on a language switch would lose the view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [basemapStyleUrl]);

  // The one effect that tells the map what React knows.
  const applied = useRef<Applied>(emptyApplied());
  useEffect(() => {
    if (!adapter) {
      applied.current = emptyApplied();
      return;
    }
    const last = applied.current;
    const push = <T,>(key: keyof Applied, value: T | undefined, apply: (v: T) => void): void => {
      if (value !== undefined && last[key] !== value) {
        apply(value);
        (last as Record<keyof Applied, unknown>)[key] = value;
      }
    };
    push('segments', segments.data, (data) => {
      adapter.setSegments(data);
      const bbox = boundingBox(data);
      if (!viewFromLink.current && !uiStore.getState().camera && bbox) adapter.fitBounds(bbox, fitPadding());
      viewFromLink.current = true;
    });
    push('zones', zones.data, (data) => adapter.setZones(data));
    if (ownBasemap) {
      push('jurisdictions', jurisdictions.data ?? (jurisdictions.status === 'error' ? EMPTY_JURISDICTIONS : undefined), (data) => adapter.setJurisdictions(data));
      push('basemapRoads', basemapRoads.data ?? (basemapRoads.status === 'error' ? EMPTY_ROADS : undefined), (data) => adapter.setBasemapRoads(data));
    } else {
      push('jurisdictions', EMPTY_JURISDICTIONS, (data) => adapter.setJurisdictions(data));
      push('basemapRoads', EMPTY_ROADS, (data) => adapter.setBasemapRoads(data));
    }
    push('zoneVisibility', state.zoneVisibility, (visibility) => {
      for (const kind of ZONE_KINDS) adapter.setZoneVisibility(kind, visibility[kind]);
    });
    const selectionKey = `${state.selectedSegmentId}|${state.markerPoint?.join(',')}|${state.lastLocate?.snappedPoint.coordinates.join(',')}`;
    push('selection', selectionKey, () =>
      adapter.setSelection({
        segmentId: state.selectedSegmentId,
        point: state.markerPoint,
        snappedPoint: (state.lastLocate?.snappedPoint.coordinates as [number, number] | undefined) ?? null,
      }),
    );
    push('camera', state.camera ?? undefined, (camera) => adapter.flyTo(camera.center, camera.zoom, coveredByPanel(containerRef.current)));
    push('label', t('map.label'), (label) => adapter.setLabel(label));
    push('violations', violations.data, (data) => adapter.setViolations(toMapCollection(data)));
    push('violationsVisible', v.layerVisible, (visible) => adapter.setViolationsVisible(visible));
    push('selectedViolation', v.selectedId ?? -1, (id) => adapter.setSelectedViolation(id === -1 ? null : id));
    push('drawMode', v.creating ? v.drawMode : 'none', (mode) => adapter.setDrawMode(mode));
    push<ViolationGeometry | 'none'>('draft', v.creating ? v.draft ?? 'none' : 'none', (draft) => adapter.setDraft(draft === 'none' ? null : draft));
    push('timelinePlaces', v.timelinePlaces, (places) =>
      adapter.setTimelinePlaces(places.map((place) => ({ coordinates: place.point.coordinates as [number, number], label: place.label }))),
    );
  }, [adapter, segments.data, zones.data, jurisdictions.data, jurisdictions.status, basemapRoads.data, basemapRoads.status, ownBasemap, state, t, violations.data, v]);

  const dataError = [segments, zones].find((query) => query.status === 'error')?.error;
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
              invalidateCached('zones:');
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

interface Applied {
  violations?: unknown;
  violationsVisible?: unknown;
  selectedViolation?: unknown;
  drawMode?: unknown;
  draft?: unknown;
  timelinePlaces?: unknown;
  segments?: unknown;
  zones?: unknown;
  jurisdictions?: unknown;
  basemapRoads?: unknown;
  zoneVisibility?: unknown;
  selection?: unknown;
  camera?: unknown;
  label?: unknown;
}

function emptyApplied(): Applied {
  return {};
}

const EMPTY_JURISDICTIONS = EMPTY_FEATURES as unknown as JurisdictionCollection;
const EMPTY_ROADS = EMPTY_FEATURES as unknown as BasemapRoadCollection;
