import { useEffect, useRef, useState } from 'react';
import type { DueSegmentCollection, LiveCrew, PointTaskCollection } from '../../api/patrols';
import { createLiveCrewsOverlay } from '../../map/overlays/live_crews_overlay';
import type { PatrolRoutesData } from '../../map/overlays/patrol_routes_overlay';
import { createPatrolRoutesOverlay } from '../../map/overlays/patrol_routes_overlay';
import { useI18n } from '../../i18n/i18n';
import { createBasemapOverlay } from '../../map/overlays/basemap_overlay';
import { createImageryOverlay } from '../../map/overlays/imagery_overlay';
import { createNetworkOverlay } from '../../map/overlays/network_overlay';
import type { PatrolDueOverlay } from '../../map/overlays/patrol_due_overlay';
import { createZonesOverlay } from '../../map/overlays/zones_overlay';
import { useBasemap } from '../../map/use_basemap';
import { useImageryBasemap } from '../../map/use_imagery_basemap';
import { useMap } from '../../map/use_map';
import { ImageryToggle } from '../ImageryToggle';

const DEFAULT_VIEW = { center: [113.77, 34.71] as [number, number], zoom: 12 };

const NO_ROUTES: PatrolRoutesData = {};
const NO_CREWS: readonly LiveCrew[] = [];

/**
 * The planning map: the network as on the review map, with the due segments and point tasks on
 * top, and a plan's routes (one colour per crew, arrows, service order) when there is one — then
 * `segments` should hold only what the plan leaves unassigned.
 */
export function PatrolDueMap({
  segments,
  tasks,
  selectedId,
  onSelect,
  routes = NO_ROUTES,
  liveCrews = NO_CREWS,
}: {
  segments: DueSegmentCollection | undefined;
  tasks: PointTaskCollection | undefined;
  selectedId: number | null;
  onSelect: (id: number) => void;
  routes?: PatrolRoutesData;
  /** Today's crews under way: their last position and progress, on top. */
  liveCrews?: readonly LiveCrew[];
}) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const [overlay, setOverlay] = useState<PatrolDueOverlay | null>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  const basemap = useBasemap();
  const imagery = useImageryBasemap();

  const map = useMap(containerRef, {
    style: imagery.known ? basemap.style : undefined,
    overlays: () => ({
      basemap: createBasemapOverlay(),
      imagery: createImageryOverlay(imagery.basemap),
      zones: createZonesOverlay(),
      network: createNetworkOverlay(),
      routes: createPatrolRoutesOverlay({ onSegmentClick: (id) => onSelectRef.current(id) }),
      live: createLiveCrewsOverlay(),
    }),
    initialView: () => DEFAULT_VIEW,
    label: t('patrol.map.label'),
  });

  // The due overlay manages its own sources and layers on the adapter's MapLibre map.
  useEffect(() => {
    if (!map) return;
    let created: PatrolDueOverlay | null = null;
    let cancelled = false;
    void import('../../map/overlays/patrol_due_overlay').then(({ PatrolDueOverlay }) => {
      if (cancelled) return;
      created = new PatrolDueOverlay(map.maplibreMap, { onSegmentClick: (id) => onSelectRef.current(id) });
      setOverlay(created);
    });
    return () => {
      cancelled = true;
      created?.remove();
      setOverlay(null);
    };
  }, [map]);

  useEffect(() => {
    if (!map) return;
    map.setData({ basemap: basemap.data, imagery: { visible: imagery.visible }, routes, live: { crews: liveCrews } });
    map.setSelection({ patrolSegmentId: selectedId });
  }, [map, basemap.data, imagery.visible, routes, liveCrews, selectedId]);
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
      <ImageryToggle basemap={imagery.basemap} floating />
    </div>
  );
}
