import { useEffect, useRef, useState } from 'react';
import { fetchImageryBasemap, type ImageryBasemap } from '../../api/endpoints';
import { useQuery } from '../../api/query_cache';
import { detectionBox, type DetectionCollection, type DetectionFeature } from '../../api/detections';
import { useI18n } from '../../i18n/i18n';
import { createBasemapOverlay } from '../../map/overlays/basemap_overlay';
import { createDetectionsOverlay } from '../../map/overlays/detections_overlay';
import { createImageryOverlay } from '../../map/overlays/imagery_overlay';
import { createNetworkOverlay } from '../../map/overlays/network_overlay';
import { createZonesOverlay } from '../../map/overlays/zones_overlay';
import { useBasemap } from '../../map/use_basemap';
import { useMap } from '../../map/use_map';
import { uiActions, useUiState } from '../../state/store';
import { ZoneToggles } from '../ZoneToggles';

const DEFAULT_VIEW = { center: [113.75, 34.69] as [number, number], zoom: 12 };

/**
 * The review queue's map: basemap, zones and segments, the page's detections (neighbours) and the
 * current one outlined. useMap owns the map; this only hands it data.
 */
export function DetectionMap({ detections, current, onSelect }: { detections: DetectionCollection | undefined; current: DetectionFeature | null; onSelect: (id: number) => void }) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  const basemap = useBasemap();
  const zoneVisibility = useUiState((s) => s.zoneVisibility);
  const imageryVisible = useUiState((s) => s.imageryVisible);
  // Open beside a wide map; folded on a phone-sized map tab, where it would cover the lead.
  const [legendOpen, setLegendOpen] = useState(() => typeof window === 'undefined' || window.matchMedia?.('(min-width: 720px)').matches !== false);
  // The imagery source is part of the map from the start: the map waits for this answer (an error = none).
  const imagery = useQuery<ImageryBasemap | null>('imagery-basemap', () => fetchImageryBasemap());
  const imageryKnown = imagery.status === 'success' || imagery.status === 'error';
  const imageryBasemap = imagery.data ?? null;

  const map = useMap(containerRef, {
    style: imageryKnown ? basemap.style : undefined,
    overlays: () => ({
      basemap: createBasemapOverlay(),
      imagery: createImageryOverlay(imageryBasemap),
      // Outlines over a light fill: the lead is judged close up, where stacked fills tinted everything.
      zones: createZonesOverlay({ paint: 'outline' }),
      network: createNetworkOverlay(),
      detections: createDetectionsOverlay({ onClick: (id) => onSelectRef.current(id) }),
    }),
    initialView: () => DEFAULT_VIEW,
    label: t('det.map.label'),
  });

  const currentId = current?.properties.id ?? null;
  useEffect(() => {
    if (!map) return;
    map.setData({
      basemap: basemap.data,
      imagery: { visible: imageryVisible },
      zones: { visibility: zoneVisibility },
      detections: { detections },
    });
    map.setSelection({ detectionId: currentId });
  }, [map, basemap.data, imageryVisible, zoneVisibility, detections, currentId]);

  // Frame the current detection when it changes, not on every data refresh.
  useEffect(() => {
    if (map && current) map.focusBox(detectionBox(current));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, currentId]);

  return (
    <div className="map-view det-map">
      <div ref={containerRef} className="map-container" data-testid="detection-map" tabIndex={-1} />
      <details className="det-map-legend" open={legendOpen} onToggle={(event) => setLegendOpen(event.currentTarget.open)} data-testid="det-map-legend">
        <summary>{t('legend.title')}</summary>
        {imageryBasemap && (
          <label className="legend-check det-imagery-toggle">
            <input type="checkbox" name="imagery" checked={imageryVisible} onChange={(event) => uiActions.setImageryVisible(event.target.checked)} data-testid="det-imagery-toggle" />
            <span>{t('legend.imagery')}</span>
          </label>
        )}
        <ZoneToggles />
      </details>
    </div>
  );
}
