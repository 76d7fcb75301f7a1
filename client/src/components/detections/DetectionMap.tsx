import { useEffect, useRef, useState } from 'react';
import { fetchAllSegments, fetchAllZones, fetchBasemapRoads, fetchConfig, fetchJurisdictions } from '../../api/endpoints';
import { useQuery } from '../../api/query_cache';
import type { BasemapRoadCollection, JurisdictionCollection, SegmentCollection, ZoneCollection } from '../../api/types';
import { detectionBox, type DetectionCollection, type DetectionFeature } from '../../api/detections';
import { useI18n } from '../../i18n/i18n';
import { buildBasemapStyle } from '../../map/basemap_style';
import type { MapAdapter } from '../../map/map_adapter';
import { loadMapFonts } from '../../map/map_fonts';

const DEFAULT_VIEW = { lon: 113.75, lat: 34.69, zoom: 12 } as const;
const EMPTY = { type: 'FeatureCollection', features: [] } as const;

/**
 * The review queue's map: basemap, zones and segments, the page's detections (neighbours) and the
 * current one outlined. The MapAdapter owns the map; this only hands it data.
 */
export function DetectionMap({ detections, current, onSelect }: { detections: DetectionCollection | undefined; current: DetectionFeature | null; onSelect: (id: number) => void }) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const [adapter, setAdapter] = useState<MapAdapter | null>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  const config = useQuery('config', () => fetchConfig());
  const basemapStyleUrl = config.status === 'success' ? config.data.basemapStyleUrl : config.status === 'error' ? null : undefined;
  const ownBasemap = basemapStyleUrl === null;
  const segments = useQuery<SegmentCollection>('segments:all:0', () => fetchAllSegments());
  const zones = useQuery<ZoneCollection>('zones:all:0', () => fetchAllZones());
  const jurisdictions = useQuery<JurisdictionCollection>(ownBasemap ? 'jurisdictions:0' : null, () => fetchJurisdictions());
  const basemapRoads = useQuery<BasemapRoadCollection>(ownBasemap ? 'basemap-roads:0' : null, () => fetchBasemapRoads());

  useEffect(() => {
    const container = containerRef.current;
    if (!container || basemapStyleUrl === undefined) return;
    let cancelled = false;
    let created: MapAdapter | null = null;
    void Promise.all([import('../../map/map_adapter'), loadMapFonts()]).then(([{ MapAdapter }]) => {
      if (cancelled) return;
      created = new MapAdapter(container, {
        style: basemapStyleUrl ?? buildBasemapStyle(),
        center: [DEFAULT_VIEW.lon, DEFAULT_VIEW.lat],
        zoom: DEFAULT_VIEW.zoom,
        label: t('det.map.label'),
        onDetectionClick: (id) => onSelectRef.current(id),
      });
      setAdapter(created);
    });
    return () => {
      cancelled = true;
      created?.destroy();
      setAdapter(null);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [basemapStyleUrl]);

  useEffect(() => {
    if (adapter && segments.data) adapter.setSegments(segments.data);
  }, [adapter, segments.data]);
  useEffect(() => {
    if (adapter && zones.data) adapter.setZones(zones.data);
  }, [adapter, zones.data]);
  useEffect(() => {
    if (!adapter) return;
    if (!ownBasemap) {
      adapter.setJurisdictions(EMPTY as unknown as JurisdictionCollection);
      adapter.setBasemapRoads(EMPTY as unknown as BasemapRoadCollection);
      return;
    }
    if (jurisdictions.data || jurisdictions.status === 'error') adapter.setJurisdictions(jurisdictions.data ?? (EMPTY as unknown as JurisdictionCollection));
    if (basemapRoads.data || basemapRoads.status === 'error') adapter.setBasemapRoads(basemapRoads.data ?? (EMPTY as unknown as BasemapRoadCollection));
  }, [adapter, ownBasemap, jurisdictions.data, jurisdictions.status, basemapRoads.data, basemapRoads.status]);
  useEffect(() => {
    if (!adapter) return;
    adapter.setDetections(detections ?? { type: 'FeatureCollection', features: [] });
  }, [adapter, detections]);
  const currentId = current?.properties.id ?? null;
  useEffect(() => {
    if (!adapter) return;
    adapter.setCurrentDetection(currentId);
    if (current) adapter.focusBox(detectionBox(current));
    // Only when the current detection changes, not on every data refresh.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [adapter, currentId]);
  useEffect(() => {
    adapter?.setLabel(t('det.map.label'));
  }, [adapter, t]);

  return (
    <div className="map-view det-map">
      <div ref={containerRef} className="map-container" data-testid="detection-map" tabIndex={-1} />
    </div>
  );
}
