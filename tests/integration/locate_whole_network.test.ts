import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BILLBOARD, districtSegments, pointBeside, type FixtureSegment } from './helpers/violation_fixtures.ts';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

/**
 * luyu_locate reads the whole network whatever the caller's jurisdiction; the record's district is
 * where the finding is; outside the caller's scope it is refused (422 OUTSIDE_JURISDICTION) or,
 * confirmed, filed there as a referral (移交).
 */

const OWN = '410104';
const SIBLING = '410105';
const RUN = `lw${Date.now().toString(36)}`;
let server: TestServer;
let officer2: string;
let siblingSegment: FixtureSegment;

beforeAll(async () => {
  server = await startTestServer({ as: 'officer' });
  officer2 = await server.login('officer2');
  siblingSegment = (await districtSegments(server.db.pool, SIBLING))[0]!;
});
afterAll(async () => {
  await server?.close();
});

/** The nearest segment to a point over ALL segments, in metres on the spheroid (independent of luyu_locate). */
async function nearestSegmentAnywhere(point: GeoJSON.Point): Promise<{ id: number; jurisdiction_code: string }> {
  const result = await server.db.pool.query<{ id: number; jurisdiction_code: string }>(
    `SELECT id, jurisdiction_code FROM segments
     ORDER BY ST_Distance(centreline::geography, ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)::geography), id LIMIT 1`,
    [JSON.stringify(point)],
  );
  return result.rows[0]!;
}

function finding(point: GeoJSON.Point, extra: Record<string, unknown> = {}) {
  return {
    type: 'Feature',
    geometry: point,
    properties: { category: 'billboard', attributes: BILLBOARD, source: 'patrol', confirmNotDuplicate: true, ...extra },
  };
}

describe('location sees the whole network', () => {
  it('/lrs/locate answers the other district’s road for a user of this one', async () => {
    const point = pointBeside(siblingSegment.line, 0.5, 8);
    const expected = await nearestSegmentAnywhere(point);
    expect(expected.jurisdiction_code).toBe(SIBLING);
    const located = await server.request(`/lrs/locate?lon=${point.coordinates[0]}&lat=${point.coordinates[1]}`);
    expect(located.status).toBe(200);
    expect(located.body).toMatchObject({ segmentId: expected.id, jurisdiction: { code: SIBLING } });
  });

  it('a finding on the sibling district’s road is assessed on that road and refused 422 OUTSIDE_JURISDICTION naming the district', async () => {
    const point = pointBeside(siblingSegment.line, 0.4, 6);
    const expected = await nearestSegmentAnywhere(point);
    const assessed = await server.request('/violations/assess', { method: 'POST', body: JSON.stringify({ geometry: point, category: 'billboard', attributes: BILLBOARD }) });
    expect(assessed.status).toBe(200);
    expect(assessed.body.location).toMatchObject({ segmentId: expected.id, jurisdiction: { code: SIBLING } });

    const refused = await server.request('/violations', { method: 'POST', body: JSON.stringify(finding(point, { externalId: `${RUN}-refused` })) });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'OUTSIDE_JURISDICTION', details: { jurisdiction: { code: SIBLING }, referralPossible: true } });
    expect(refused.body.error.message).toContain(SIBLING);
    const stored = await server.db.pool.query('SELECT 1 FROM violations WHERE external_id = $1', [`${RUN}-refused`]);
    expect(stored.rowCount).toBe(0);
  });

  it('confirmed as a referral it is filed in the other district, which sees who referred it; the referrer may read but not act', async () => {
    const point = pointBeside(siblingSegment.line, 0.6, 6);
    const created = await server.request('/violations', {
      method: 'POST',
      body: JSON.stringify(finding(point, { externalId: `${RUN}-referral`, referral: true })),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    expect(created.body.properties).toMatchObject({
      jurisdiction: { code: SIBLING },
      referral: { fromJurisdiction: { code: OWN }, byUsername: 'officer' },
    });

    const receiving = await server.requestWith(officer2, `/violations?q=${RUN}-referral`);
    expect(receiving.status).toBe(200);
    expect(receiving.body.features.map((feature: { id: number }) => feature.id)).toEqual([id]);
    expect(receiving.body.features[0].properties.referral).toMatchObject({ fromJurisdiction: { code: OWN }, byUsername: 'officer' });

    // The referrer follows it up read-only.
    expect((await server.request(`/violations/${id}`)).status).toBe(200);
    const acted = await server.request(`/violations/${id}/transitions`, { method: 'POST', body: JSON.stringify({ event: 'reject', rejectReason: 'duplicate' }) });
    expect(acted.status).toBe(403);
    expect(acted.body.error.code).toBe('OUTSIDE_JURISDICTION');

    // The receiving district acts on it.
    const rejected = await server.requestWith(officer2, `/violations/${id}/transitions`, {
      method: 'POST',
      body: JSON.stringify({ event: 'reject', rejectReason: 'duplicate' }),
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body.properties.status).toBe('rejected');
  });
});
