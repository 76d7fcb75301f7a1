/** GeoJSON envelopes shared by every spatial list. */
export interface PagedFeatureCollection<P> {
  type: 'FeatureCollection';
  features: GeoJSON.Feature<GeoJSON.Geometry, P>[];
  numberMatched: number;
  numberReturned: number;
  limit: number;
  offset: number;
}

export function feature<P>(id: number | string, geometry: GeoJSON.Geometry, properties: P): GeoJSON.Feature<GeoJSON.Geometry, P> {
  return { type: 'Feature', id, geometry, properties };
}

export function pagedCollection<P>(
  features: GeoJSON.Feature<GeoJSON.Geometry, P>[],
  paging: { numberMatched: number; limit: number; offset: number },
): PagedFeatureCollection<P> {
  return { type: 'FeatureCollection', features, numberReturned: features.length, ...paging };
}
