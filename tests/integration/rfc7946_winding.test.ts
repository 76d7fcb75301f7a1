import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

/**
 * RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise. Checked with the shoelace
 * formula here (positive signed area = counter-clockwise), independent of PostGIS.
 */
function signedArea(ring: GeoJSON.Position[]): number {
  let sum = 0;
  for (let index = 0; index + 1 < ring.length; index += 1) sum += ring[index]![0]! * ring[index + 1]![1]! - ring[index + 1]![0]! * ring[index]![1]!;
  return sum / 2;
}

/**
 * Rings whose orientation is wrong. A sliver whose area is below what 7 decimals (about 1 cm) can
 * express has no meaningful orientation after rounding, so rings under 1e-12 square degrees are skipped.
 */
function windingProblems(geometry: GeoJSON.Geometry | null): string[] {
  if (!geometry) return [];
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  return polygons.flatMap((rings) =>
    rings.flatMap((ring, index) => {
      const area = signedArea(ring);
      if (Math.abs(area) < 1e-12 || (index === 0 ? area > 0 : area < 0)) return [];
      return [`ring ${index} is ${index === 0 ? 'clockwise' : 'counter-clockwise'} (signed area ${area})`];
    }),
  );
}

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ as: 'province_admin' });
  // A clockwise polygon stored directly (a drawn or Shapefile-sourced shape keeps its order in the table).
  await server.db.pool.query(
    `UPDATE detections SET geom = ST_Multi(ST_ForcePolygonCW(geom)) WHERE id IN (SELECT id FROM detections ORDER BY id LIMIT 20)`,
  );
});

afterAll(async () => {
  await server.close();
});

describe('polygon winding of every GeoJSON output', () => {
  it('zones', async () => {
    const response = await server.request('/zones?limit=2000');
    expect(response.status).toBe(200);
    expect(response.body.features.length).toBeGreaterThan(100);
    expect(response.body.features.flatMap((feature: GeoJSON.Feature) => windingProblems(feature.geometry))).toEqual([]);
  });

  it('jurisdictions', async () => {
    const response = await server.request('/jurisdictions');
    expect(response.status).toBe(200);
    const features = (response.body.features ?? response.body) as GeoJSON.Feature[];
    expect(features.length).toBeGreaterThan(3);
    expect(features.flatMap((feature) => windingProblems(feature.geometry))).toEqual([]);
  });

  it('detections, including ones stored clockwise', async () => {
    const response = await server.request('/detections?includeOutOfScope=true&limit=500&sort=stake&order=asc');
    expect(response.status).toBe(200);
    expect(response.body.features.length).toBeGreaterThan(20);
    expect(response.body.features.flatMap((feature: GeoJSON.Feature) => windingProblems(feature.geometry))).toEqual([]);
  });

  it('violations', async () => {
    const response = await server.request('/violations?limit=2000');
    expect(response.status).toBe(200);
    expect(response.body.features.some((feature: GeoJSON.Feature) => feature.geometry?.type === 'Polygon')).toBe(true);
    expect(response.body.features.flatMap((feature: GeoJSON.Feature) => windingProblems(feature.geometry))).toEqual([]);
  });
});
