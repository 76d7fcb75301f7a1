import type { BasemapRoadCollection, JurisdictionCollection } from '../../api/types';
import { BASEMAP_SOURCE_IDS } from '../basemap_style';
import { labelPoints } from '../label_points';
import { changed, type Overlay } from '../overlay';

export interface BasemapData {
  /** District boundaries (names are placed by labelPoints). */
  districts?: JurisdictionCollection;
  /** OSM road lines, where the style draws them from GeoJSON (the crew app); else they are tiles. */
  roads?: BasemapRoadCollection;
}

/**
 * Fills the sources of our own basemap style (basemap_style.ts owns its layers). With an external
 * style URL there is nothing to fill; the data still counts as arrived, so pass empty collections.
 */
export function createBasemapOverlay(): Overlay<BasemapData> {
  return {
    add() {
      // The layers come with the style itself.
    },
    update(context, data, previous) {
      if (!context.ownBasemap) return;
      if (changed(data, previous, 'districts') && data.districts) {
        context.setSourceData(BASEMAP_SOURCE_IDS.districts, data.districts);
        context.setSourceData(BASEMAP_SOURCE_IDS.districtLabels, labelPoints(data.districts));
      }
      if (changed(data, previous, 'roads') && data.roads) context.setSourceData(BASEMAP_SOURCE_IDS.roads, data.roads);
    },
    // The roads are tiles (or arrive with the districts): the district boundaries are what to wait for.
    isLoaded: (data) => data?.districts !== undefined,
  };
}
