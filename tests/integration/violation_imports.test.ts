import ExcelJS from 'exceljs';
import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

let server: TestServer;
/** A point on a 410104 G310 segment and its stake, so rows land in road land of the officer's district. */
let anchor: { lon: number; lat: number; stake: string };
const runTag = Math.random().toString(36).slice(2, 8);

beforeAll(async () => {
  server = await startTestServer({ as: 'officer' });
  const { rows } = await server.db.pool.query<{ lon: number; lat: number; chainage: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat, ST_InterpolatePoint(centreline, p) AS chainage
     FROM (SELECT centreline, ST_LineInterpolatePoint(ST_Force2D(centreline), 0.5) AS p FROM segments
           WHERE route_code = 'G310' AND direction = 1 AND jurisdiction_code = '410104' ORDER BY id LIMIT 1) s`,
  );
  const row = rows[0]!;
  const meters = Math.round(row.chainage);
  anchor = { lon: row.lon, lat: row.lat, stake: `K${Math.floor(meters / 1000)}+${String(meters % 1000).padStart(3, '0')}` };
});
afterAll(async () => {
  await server.close();
});

function upload(fileName: string, content: string | Uint8Array, fields: Record<string, string>) {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.set(key, value);
  body.set('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), fileName);
  return server.request('/violation-imports', { method: 'POST', body });
}

async function countByExternalPrefix(prefix: string): Promise<number> {
  const result = await server.db.pool.query<{ count: number }>('SELECT count(*)::integer AS count FROM violations WHERE external_id LIKE $1', [`${prefix}%`]);
  return result.rows[0]!.count;
}

describe('violation import', () => {
  it('dry run names every bad row and why; commit of a file with a bad row creates nothing', async () => {
    const prefix = `csv-bad-${runTag}-`;
    const csv = [
      '外部编号,类别,经度,纬度,堆放材料,方量(m³),描述',
      `${prefix}1,违法堆放,${anchor.lon},${anchor.lat},沙石,12,堆放沙石`,
      `${prefix}2,违法堆放,${anchor.lon},95,沙石,3,纬度错误`,
      `${prefix}3,停车,${anchor.lon},${anchor.lat},,,未知类别`,
      `${prefix}4,违法堆放,,,沙石,5,没有位置`,
    ].join('\n');
    const dryRun = await upload('bad.csv', csv, { datum: 'WGS84', dryRun: 'true' });
    expect(dryRun.status).toBe(200);
    expect(dryRun.body.summary).toMatchObject({ total: 4, valid: 1, invalid: 3, created: 0 });
    const byRow = new Map(dryRun.body.rows.map((row: { rowNumber: number }) => [row.rowNumber, row]));
    expect(byRow.get(1)).toMatchObject({ ok: true, would: { category: 'piling', route: 'G310', primaryZone: 'road_land' } });
    expect(JSON.stringify(byRow.get(2))).toMatch(/lat/);
    expect(JSON.stringify(byRow.get(3))).toMatch(/category/);
    expect(JSON.stringify(byRow.get(4))).toMatch(/location|lon|lat/);

    const commit = await upload('bad.csv', csv, { datum: 'WGS84', dryRun: 'false' });
    expect(commit.status).toBe(422);
    expect(commit.body.error.code).toBe('IMPORT_HAS_ERRORS');
    expect(await countByExternalPrefix(prefix)).toBe(0);
  });

  it('commits a clean file (coordinates and route + stake rows) and re-importing it creates nothing new', async () => {
    const prefix = `xlsx-${runTag}-`;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('台账');
    sheet.addRow(['外部编号', '类别', '经度', '纬度', '路线', '桩号', '侧别', '偏距(m)', '堆放材料', '方量(m³)', '经营类型', '摊位数', '描述']);
    sheet.addRow([`${prefix}1`, 'piling', anchor.lon, anchor.lat, null, null, null, null, '建筑垃圾', 8, null, null, '坐标定位']);
    sheet.addRow([`${prefix}2`, 'trading', null, null, 'G310', anchor.stake, '右侧', 5, null, null, '水果摊', 2, '桩号定位']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());

    const first = await upload('ledger.xlsx', bytes, { datum: 'CGCS2000', dryRun: 'false' });
    expect(first.status).toBe(200);
    expect(first.body.summary).toMatchObject({ total: 2, valid: 2, invalid: 0, created: 2 });
    const stakeRow = first.body.rows.find((row: { rowNumber: number }) => row.rowNumber === 2);
    expect(stakeRow.would).toMatchObject({ route: 'G310', stake: anchor.stake, side: 'right' });
    expect(stakeRow.would.offsetMeters).toBeCloseTo(5, 0);
    expect(await countByExternalPrefix(prefix)).toBe(2);

    const again = await upload('ledger.xlsx', bytes, { datum: 'CGCS2000', dryRun: 'false' });
    expect(again.status).toBe(200);
    expect(again.body.summary).toMatchObject({ existing: 2, created: 0 });
    expect(await countByExternalPrefix(prefix)).toBe(2);
  });

  it('converts GCJ-02 coordinates before locating them', async () => {
    const prefix = `gcj-${runTag}-`;
    const [gcjLon, gcjLat] = gcoord.transform([anchor.lon, anchor.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
    const geojson = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [gcjLon, gcjLat] },
          properties: { externalId: `${prefix}1`, category: 'piling', material: '秸秆', volumeCubicMeters: 4 },
        },
      ],
    });
    const result = await upload('gcj.geojson', geojson, { datum: 'GCJ02', dryRun: 'false' });
    expect(result.status).toBe(200);
    expect(result.body.summary.created).toBe(1);
    const stored = await server.db.pool.query<{ meters: number }>(
      'SELECT ST_Distance(geom::geography, ST_MakePoint($1, $2)::geography) AS meters FROM violations WHERE external_id = $3',
      [anchor.lon, anchor.lat, `${prefix}1`],
    );
    expect(stored.rows[0]!.meters).toBeLessThan(2);
  });

  it('refuses an unreadable file and a missing datum with clear errors', async () => {
    const garbage = await upload('x.csv', new Uint8Array([0, 1, 2, 3]), { datum: 'WGS84' });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.code).toBe('IMPORT_FILE_INVALID');
    const noDatum = await upload('x.csv', 'a,b\n1,2', {});
    expect(noDatum.status).toBe(400);
    expect(noDatum.body.error.message).toMatch(/datum/);
  });
});
