/** GeoJSON envelopes shared by every spatial list. */
export interface PagedFeatureCollection<P> {
  type: 'FeatureCollection';
  features: GeoJSON.Feature<GeoJSON.Geometry, P>[];
  numberMatched: number;
  /** true when numberMatched is the planner's estimate (more matches than the exact-count limit). */
  numberMatchedIsEstimate?: boolean;
  numberReturned: number;
  limit: number;
  /** null when the page was asked for by cursor (its position is not counted). */
  offset: number | null;
  /** Keyset lists: `next` is the URL of the following page (same filters, a cursor); absent on the last. */
  links?: { next?: string };
}

export function feature<P>(id: number | string, geometry: GeoJSON.Geometry, properties: P): GeoJSON.Feature<GeoJSON.Geometry, P> {
  return { type: 'Feature', id, geometry, properties };
}

export function pagedCollection<P>(
  features: GeoJSON.Feature<GeoJSON.Geometry, P>[],
  paging: { numberMatched: number; numberMatchedIsEstimate?: boolean; limit: number; offset: number | null; links?: { next?: string } },
): PagedFeatureCollection<P> {
  return { type: 'FeatureCollection', features, numberReturned: features.length, ...paging };
}
