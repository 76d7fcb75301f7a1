import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStake } from '../../server/domain/stake.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ as: 'province_admin' });
});
afterAll(async () => {
  await server.close();
});

describe('health and documents', () => {
  it('reports database mode, versions and migration level', async () => {
    const { status, body } = await server.request('/health');
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(['embedded', 'external']).toContain(body.database.mode);
    expect(body.database.postgresVersion).toMatch(/^\d+/);
    expect(body.database.postgisVersion).toMatch(/^3\./);
    expect(body.migrations.level).toBeGreaterThanOrEqual(2);
  });

  it('serves an OpenAPI document listing every route', async () => {
    const { status, body } = await server.request('/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    for (const path of ['/api/v1/health', '/api/v1/routes', '/api/v1/segments', '/api/v1/segments/{id}', '/api/v1/segments/{id}/zones', '/api/v1/lrs/locate', '/api/v1/lrs/point']) {
      expect(body.paths[path]?.get, path).toBeDefined();
    }
    const locateParameters = body.paths['/api/v1/lrs/locate'].get.parameters.map((parameter: { name: string }) => parameter.name);
    expect(locateParameters).toEqual(expect.arrayContaining(['lon', 'lat']));
  });
});

describe('routes and segments', () => {
  it('lists the demo routes with their classes', async () => {
    const { body } = await server.request('/routes');
    const byCode = new Map(body.routes.map((route: { code: string }) => [route.code, route]));
    expect(byCode.get('G4')).toMatchObject({ adminClass: 'expressway', name: '京港澳高速', isDemoCode: false });
    expect(byCode.get('S1')).toMatchObject({ adminClass: 'expressway' });
    expect(byCode.get('G107')).toMatchObject({ adminClass: 'national' });
    expect(byCode.get('G310')).toMatchObject({ adminClass: 'national' });
    for (const route of body.routes) expect(route.segmentCount).toBeGreaterThan(0);
  });

  it('names the example route the search box shows: the route the full list ranks first by class (national first) with ≥ 500 m of chainage, then length', async () => {
    const { body: list } = await server.request('/routes');
    type Summary = { code: string; adminClass: string; isDemoCode: boolean; lengthMeters: number; chainageFromMeters: number | null; chainageToMeters: number | null };
    const preference = ['national', 'expressway', 'provincial', 'county', 'township', 'village'];
    const candidates = (list.routes as Summary[])
      .filter((route) => !route.isDemoCode && route.chainageToMeters !== null && route.chainageFromMeters !== null && route.chainageToMeters - route.chainageFromMeters >= 500)
      .sort((a, b) => preference.indexOf(a.adminClass) - preference.indexOf(b.adminClass) || b.lengthMeters - a.lengthMeters || a.code.localeCompare(b.code));
    expect(candidates.length).toBeGreaterThan(1);
    const { status, body } = await server.request('/routes/example');
    expect(status).toBe(200);
    expect(body.route).toEqual((list.routes as Summary[]).find((route) => route.code === candidates[0]!.code));
    expect(body.route.adminClass).toBe('national');
  });

  it('answers one route as the list has it (lower-case code accepted), 404 ROUTE_NOT_FOUND for a well-formed unknown code, 400 for a malformed one', async () => {
    const { body: list } = await server.request('/routes');
    for (const code of ['G4', 'G310']) {
      const { status, body } = await server.request(`/routes/${code.toLowerCase()}`);
      expect(status).toBe(200);
      expect(body).toEqual(list.routes.find((route: { code: string }) => route.code === code));
    }
    const missing = await server.request('/routes/G9999');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'ROUTE_NOT_FOUND', details: { route: 'G9999' } });
    const malformed = await server.request('/routes/K12');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('pages segments of a route with numberMatched, at most 1 km each, with stakes', async () => {
    const first = await server.request('/segments?route=G4&limit=3');
    expect(first.status).toBe(200);
    expect(first.body.type).toBe('FeatureCollection');
    expect(first.body.numberReturned).toBe(3);
    expect(first.body.numberMatched).toBeGreaterThan(3);
    const all = await server.request(`/segments?route=G4&limit=${first.body.numberMatched}`);
    expect(all.body.features).toHaveLength(first.body.numberMatched);
    for (const segment of all.body.features) {
      const p = segment.properties;
      expect(p.routeCode).toBe('G4');
      expect(p.chainageToMeters - p.chainageFromMeters).toBeLessThanOrEqual(1000.01);
      expect(p.stakeFrom).toMatch(/^K\d+\+\d{3}$/);
      expect(parseStake(p.stakeFrom)).toEqual({ ok: true, chainageMeters: Math.round(p.chainageFromMeters) });
      expect(segment.geometry.type).toBe('LineString');
    }
    const second = await server.request('/segments?route=G4&limit=3&offset=3');
    expect(second.body.features[0].id).not.toBe(first.body.features[0].id);
  });

  it('filters by bbox: a box far away is empty, the demo area is not', async () => {
    const far = await server.request('/segments?bbox=100,20,100.1,20.1');
    expect(far.body.features).toHaveLength(0);
    expect(far.body.numberMatched).toBe(0);
    const near = await server.request('/segments?bbox=113.65,34.62,113.86,34.77&limit=5');
    expect(near.body.features.length).toBe(5);
  });

  it('assigns districts from the boundaries', async () => {
    const { body } = await server.request('/segments?limit=5000');
    const districts = new Set(body.features.map((f: { properties: { jurisdictionCode: string } }) => f.properties.jurisdictionCode));
    expect(districts.has('410104')).toBe(true);
    expect(districts.size).toBeGreaterThan(1);
  });

  it('gives a segment its zone widths by class: G107 is national, 20 m building control', async () => {
    const list = await server.request('/segments?route=G107&limit=1');
    const id = list.body.features[0].id;
    const { status, body } = await server.request(`/segments/${id}`);
    expect(status).toBe(200);
    expect(body.properties.zoneWidths).toMatchObject({ buildingControlMeters: 20, excavationBanMeters: 100, settlementSetbackMeters: 50 });
    expect(body.properties.zoneWidths.roadLandHalfWidthMeters).toBeGreaterThan(5);
  });

  it('draws the zones of a segment as bands outward from the road land', async () => {
    const list = await server.request('/segments?route=G4&limit=1');
    const id = list.body.features[0].id;
    const { body } = await server.request(`/segments/${id}/zones`);
    const kinds = body.features.map((f: { properties: { kind: string } }) => f.properties.kind).sort();
    expect(kinds).toEqual(['building_control', 'excavation_ban', 'road_land', 'settlement_setback']);
    const control = body.features.find((f: { properties: { kind: string } }) => f.properties.kind === 'building_control');
    expect(control.properties.widthMeters).toBe(30);
    expect(control.geometry.type).toBe('MultiPolygon');
  });
});
