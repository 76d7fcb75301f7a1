import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ as: 'province_admin' });
});
afterAll(async () => {
  await server.close();
});

function expectErrorShape(body: any, code: string) {
  expect(body).toEqual({ error: { code, message: expect.any(String), details: body.error?.details } });
  expect(body.error).toHaveProperty('details');
  expect(body.error.message.length).toBeGreaterThan(10);
}

describe('bad requests get 4xx with the error shape, never 500', () => {
  it.each([
    ['/segments?bbox=200,0,201,1', 'bbox out of range'],
    ['/segments?bbox=1,2,3', 'bbox with three numbers'],
    ['/segments?bbox=114,35,113,34', 'bbox with min above max'],
    ['/segments?limit=1000000000', 'limit 10^9'],
    ['/segments?limit=-5', 'negative limit'],
    ['/segments?offset=abc', 'non-numeric offset'],
    ['/segments?route=107', 'route without a class letter'],
    ['/segments/abc', 'non-numeric id'],
    ['/zones?kind=parking', 'unknown zone kind'],
    ['/lrs/locate?lon=113.7', 'missing latitude'],
    ['/lrs/locate?lon=113.7&lat=95', 'latitude above 90'],
    ['/lrs/locate?lon=abc&lat=34', 'non-numeric longitude'],
    ['/lrs/locate?lon=113.7&lat=34.7&radius=999999', 'radius too large'],
    ['/lrs/point?route=G107&stake=K3%2B200&direction=up', 'unknown direction'],
  ])('%s (%s) → 400 VALIDATION_FAILED', async (path) => {
    const { status, body } = await server.request(path);
    expect(status).toBe(400);
    expectErrorShape(body, 'VALIDATION_FAILED');
  });

  it.each(['K3+1200', 'K-1+000', '3+200x'])('malformed stake %s → 400 STAKE_INVALID naming the valid form', async (stake) => {
    const { status, body } = await server.request(`/lrs/point?route=G107&stake=${encodeURIComponent(stake)}`);
    expect(status).toBe(400);
    expectErrorShape(body, 'STAKE_INVALID');
    expect(body.error.message).toContain('K3+200');
  });

  it('unknown route → 404 ROUTE_NOT_FOUND', async () => {
    const { status, body } = await server.request('/lrs/point?route=G9999&stake=K1%2B000');
    expect(status).toBe(404);
    expectErrorShape(body, 'ROUTE_NOT_FOUND');
    const list = await server.request('/segments?route=G9999');
    expect(list.status).toBe(404);
    expectErrorShape(list.body, 'ROUTE_NOT_FOUND');
  });

  it('stake beyond the route → 404 STAKE_OUT_OF_RANGE with the ranges that exist', async () => {
    const { status, body } = await server.request('/lrs/point?route=G107&stake=K900%2B000');
    expect(status).toBe(404);
    expectErrorShape(body, 'STAKE_OUT_OF_RANGE');
    expect(body.error.details.ranges.length).toBeGreaterThan(0);
  });

  it('unknown segment → 404 SEGMENT_NOT_FOUND', async () => {
    const { status, body } = await server.request('/segments/987654321');
    expect(status).toBe(404);
    expectErrorShape(body, 'SEGMENT_NOT_FOUND');
  });

  it('a point far from every road → 404 NO_ROAD_NEARBY', async () => {
    const { status, body } = await server.request('/lrs/locate?lon=100&lat=20');
    expect(status).toBe(404);
    expectErrorShape(body, 'NO_ROAD_NEARBY');
  });

  it('unknown API path → 404 NOT_FOUND in the same shape', async () => {
    const { status, body } = await server.request('/no-such-thing');
    expect(status).toBe(404);
    expectErrorShape(body, 'NOT_FOUND');
  });
});
