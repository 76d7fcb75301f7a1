import { useEffect, useMemo, useRef } from 'react';
import type { LineString } from 'geojson';
import type { BasemapRoadCollection, JurisdictionCollection, SegmentCollection, ZoneCollection } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { buildBasemapStyle } from '../../map/basemap_style';
import { createBasemapOverlay } from '../../map/overlays/basemap_overlay';
import { createImageryOverlay } from '../../map/overlays/imagery_overlay';
import { createCrewRouteOverlay, type CrewRouteSegment, type CrewStop } from '../../map/overlays/crew_route_overlay';
import { createNetworkOverlay } from '../../map/overlays/network_overlay';
import { createZonesOverlay } from '../../map/overlays/zones_overlay';
import { useImageryBasemap } from '../../map/use_imagery_basemap';
import { useMap } from '../../map/use_map';
import { ImageryToggle } from '../ImageryToggle';
import type { CorridorData } from '../../offline/crew_store';

const EMPTY = { type: 'FeatureCollection', features: [] } as const;

/**
 * The crew's map, drawn only from what the phone keeps (the corridor in IndexedDB) so it works
 * with no signal: our own basemap style (no remote glyphs or tiles), roads, zones and segments
 * clipped to the day's area, and the crew route overlay on top.
 */
export function CrewMap({ corridor, route, segments, stops, position }: { corridor: CorridorData | null; route: LineString | null; segments: readonly CrewRouteSegment[]; stops: readonly CrewStop[]; position: [number, number] | null }) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  // Roads from the stored corridor (GeoJSON): the server's tiles are not there without signal.
  const style = useMemo(() => buildBasemapStyle({ roads: 'geojson' }), []);
  // Without signal the question fails at once and the map opens without imagery (its tiles are not kept offline).
  const imagery = useImageryBasemap();
  const map = useMap(containerRef, {
    style: imagery.known ? style : undefined,
    overlays: () => ({ basemap: createBasemapOverlay(), imagery: createImageryOverlay(imagery.basemap), zones: createZonesOverlay({ offline: true }), network: createNetworkOverlay({ offline: true }), crewRoute: createCrewRouteOverlay() }),
    initialView: () => ({ center: [113.75, 34.69], zoom: 12 }),
    label: t('crewApp.map.label'),
  });
  useEffect(() => {
    if (!map || !corridor) return;
    map.setData({
      basemap: { districts: EMPTY as unknown as JurisdictionCollection, roads: corridor.roads as BasemapRoadCollection },
      zones: { zones: corridor.zones as ZoneCollection },
      network: { segments: corridor.segments as SegmentCollection },
    });
    map.fitBounds(corridor.bbox, 24);
  }, [map, corridor]);
  useEffect(() => {
    map?.setData({ crewRoute: { route, segments, stops, position } });
  }, [map, route, segments, stops, position]);
  useEffect(() => {
    map?.setData({ imagery: { visible: imagery.visible } });
  }, [map, imagery.visible]);
  return (
    <div className="crew-map-frame">
      <div ref={containerRef} className="crew-map map-container" data-testid="crew-map" />
      <ImageryToggle basemap={imagery.basemap} floating />
    </div>
  );
}
