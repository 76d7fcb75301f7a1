import { useEffect, useRef, useState } from 'react';
import { fetchAllSegments, fetchAllZones, fetchBasemapRoads, fetchConfig, fetchJurisdictions } from '../../api/endpoints';
import type { DueSegmentCollection, PointTaskCollection } from '../../api/patrols';
import { useQuery } from '../../api/query_cache';
import type { BasemapRoadCollection, JurisdictionCollection, SegmentCollection, ZoneCollection } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { buildBasemapStyle } from '../../map/basemap_style';
import type { MapAdapter } from '../../map/map_adapter';
import { loadMapFonts } from '../../map/map_fonts';
import type { PatrolDueOverlay } from '../../map/overlays/patrol_due_overlay';

const DEFAULT_VIEW = { lon: 113.77, lat: 34.71, zoom: 12 } as const;
const EMPTY = { type: 'FeatureCollection', features: [] } as const;

/** The planning map: the network as on the review map, with the due segments and point tasks on top. */
export function PatrolDueMap({ segments, tasks, selectedId, onSelect }: { segments: DueSegmentCollection | undefined; tasks: PointTaskCollection | undefined; selectedId: number | null; onSelect: (id: number) => void }) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const [adapter, setAdapter] = useState<MapAdapter | null>(null);
  const [overlay, setOverlay] = useState<PatrolDueOverlay | null>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  const config = useQuery('config', () => fetchConfig());
  const basemapStyleUrl = config.status === 'success' ? config.data.basemapStyleUrl : config.status === 'error' ? null : undefined;
  const ownBasemap = basemapStyleUrl === null;
  const network = useQuery<SegmentCollection>('segments:all:0', () => fetchAllSegments());
  const zones = useQuery<ZoneCollection>('zones:all:0', () => fetchAllZones());
  const jurisdictions = useQuery<JurisdictionCollection>(ownBasemap ? 'jurisdictions:0' : null, () => fetchJurisdictions());
  const basemapRoads = useQuery<BasemapRoadCollection>(ownBasemap ? 'basemap-roads:0' : null, () => fetchBasemapRoads());

  useEffect(() => {
    const container = containerRef.current;
    if (!container || basemapStyleUrl === undefined) return;
    let cancelled = false;
    let created: MapAdapter | null = null;
    void Promise.all([import('../../map/map_adapter'), import('../../map/overlays/patrol_due_overlay'), loadMapFonts()]).then(([{ MapAdapter }, { PatrolDueOverlay }]) => {
      if (cancelled) return;
      created = new MapAdapter(container, { style: basemapStyleUrl ?? buildBasemapStyle(), center: [DEFAULT_VIEW.lon, DEFAULT_VIEW.lat], zoom: DEFAULT_VIEW.zoom, label: t('patrol.map.label') });
      setAdapter(created);
      setOverlay(new PatrolDueOverlay(created.maplibreMap, { onSegmentClick: (id) => onSelectRef.current(id) }));
    });
    return () => {
      cancelled = true;
      created?.destroy();
      setAdapter(null);
      setOverlay(null);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [basemapStyleUrl]);

  useEffect(() => {
    if (adapter && network.data) adapter.setSegments(network.data);
  }, [adapter, network.data]);
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
    overlay?.setSegments(segments ?? { type: 'FeatureCollection', features: [] });
  }, [overlay, segments]);
  useEffect(() => {
    overlay?.setTasks(tasks ?? { type: 'FeatureCollection', features: [] });
  }, [overlay, tasks]);
  useEffect(() => {
    overlay?.setSelected(selectedId);
  }, [overlay, selectedId]);

  return (
    <div className="map-view det-map">
      <div ref={containerRef} className="map-container" data-testid="patrol-map" tabIndex={-1} />
    </div>
  );
}
