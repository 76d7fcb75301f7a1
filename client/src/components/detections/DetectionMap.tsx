import { useEffect, useMemo, useRef, useState } from 'react';
import { detectionBox, type DetectionFeature } from '../../api/detections';
import { detectionTileFilter, withReviewed, type JurisdictionLink } from '../../map/detection_tile_filter';
import type { DetectionFilters } from '../../state/detections_query';
import { useI18n } from '../../i18n/i18n';
import { createBasemapOverlay } from '../../map/overlays/basemap_overlay';
import { createDetectionsOverlay } from '../../map/overlays/detections_overlay';
import { createImageryOverlay } from '../../map/overlays/imagery_overlay';
import { createNetworkOverlay } from '../../map/overlays/network_overlay';
import { createZonesOverlay } from '../../map/overlays/zones_overlay';
import { useBasemap } from '../../map/use_basemap';
import { useImageryBasemap } from '../../map/use_imagery_basemap';
import { useMap } from '../../map/use_map';
import { useUiState } from '../../state/store';
import { ImageryToggle } from '../ImageryToggle';
import { ZoneToggles } from '../ZoneToggles';

const DEFAULT_VIEW = { center: [113.75, 34.69] as [number, number], zoom: 12 };

/**
 * The review queue's map: basemap, zones and segments, the detections in view from the server's
 * tiles filtered like the queue (not only the page's: neighbours on other pages show and click
 * through too) and the current one outlined. useMap owns the map; this only hands it data.
 * `version` changes after a review (the tiles are fetched anew); `reviewedIds`, reviewed on this
 * page, stay on the map in their new colour even when the queue's status filter leaves them out.
 */
export function DetectionMap({
  filters,
  jurisdictions,
  version,
  reviewedIds,
  current,
  onSelect,
}: {
  filters: DetectionFilters;
  jurisdictions: readonly JurisdictionLink[];
  version: number;
  reviewedIds: readonly number[];
  current: DetectionFeature | null;
  onSelect: (id: number) => void;
}) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  const basemap = useBasemap();
  const zoneVisibility = useUiState((s) => s.zoneVisibility);
  // Open beside a wide map; folded on a phone-sized map tab, where it would cover the lead.
  const [legendOpen, setLegendOpen] = useState(() => typeof window === 'undefined' || window.matchMedia?.('(min-width: 720px)').matches !== false);
  const imagery = useImageryBasemap();

  const map = useMap(containerRef, {
    style: imagery.known ? basemap.style : undefined,
    overlays: () => ({
      basemap: createBasemapOverlay(),
      imagery: createImageryOverlay(imagery.basemap),
      // Outlines over a light fill: the lead is judged close up, where stacked fills tinted everything.
      zones: createZonesOverlay({ paint: 'outline' }),
      network: createNetworkOverlay(),
      detections: createDetectionsOverlay({ onClick: (id) => onSelectRef.current(id) }),
    }),
    initialView: () => DEFAULT_VIEW,
    label: t('det.map.label'),
  });

  const currentId = current?.properties.id ?? null;
  const filter = useMemo(() => withReviewed(detectionTileFilter(filters, jurisdictions), reviewedIds), [filters, jurisdictions, reviewedIds]);
  useEffect(() => {
    if (!map) return;
    map.setData({
      basemap: basemap.data,
      imagery: { visible: imagery.visible },
      zones: { visibility: zoneVisibility },
      detections: { filter, version, current },
    });
  }, [map, basemap.data, imagery.visible, zoneVisibility, filter, version, current]);

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
        <ImageryToggle basemap={imagery.basemap} />
        <ZoneToggles />
      </details>
    </div>
  );
}
