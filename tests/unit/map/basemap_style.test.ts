import { describe, expect, it } from 'vitest';
import { validateStyleMin, type LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import { BASEMAP_SOURCE_IDS, buildBasemapStyle } from '../../../client/src/map/basemap_style';

const roadLayers = (layers: LayerSpecification[]) => layers.filter((layer) => 'source' in layer && layer.source === BASEMAP_SOURCE_IDS.roads);

describe('the self-hosted basemap style', () => {
  it('draws the OSM roads from the server’s basemap_roads tiles by default', () => {
    const style = buildBasemapStyle({ origin: 'https://luyu.example.cn' });
    expect(validateStyleMin(style)).toEqual([]);
    expect(style.sources[BASEMAP_SOURCE_IDS.roads]).toMatchObject({ type: 'vector', tiles: ['https://luyu.example.cn/api/v1/tiles/basemap_roads/{z}/{x}/{y}.mvt'] });
    const roads = roadLayers(style.layers);
    // Casings and fills of five classes, and the names.
    expect(roads).toHaveLength(11);
    for (const layer of roads) expect((layer as { 'source-layer'?: string })['source-layer'], layer.id).toBe('basemap_roads');
    // The districts stay GeoJSON (filled by the basemap overlay).
    expect(style.sources[BASEMAP_SOURCE_IDS.districts]!.type).toBe('geojson');
  });

  it('keeps them GeoJSON for the crew app’s stored corridor (no signal, no tiles)', () => {
    const style = buildBasemapStyle({ roads: 'geojson' });
    expect(validateStyleMin(style)).toEqual([]);
    expect(style.sources[BASEMAP_SOURCE_IDS.roads]!.type).toBe('geojson');
    for (const layer of roadLayers(style.layers)) expect((layer as { 'source-layer'?: string })['source-layer'], layer.id).toBeUndefined();
  });
});
