import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test_server.ts';

/**
 * Keyset paging of the big lists (issue 15, "lists that stay fast"): walking `links.next` visits
 * every matching record once, in the list's order, across equal sort keys and rows inserted
 * mid-walk. Each test creates its own rows and filters to them (a token in the description, its
 * own detection batch), because the database is shared with other files running in parallel.
 * Expected orders are computed here in JavaScript from the values the test wrote.
 */

let server: TestServer;
const TOKEN = `KS${Date.now().toString(36)}`;
const BASE = Date.UTC(2025, 0, 10, 2, 0, 0);

interface Page {
  features: { id: number; properties: Record<string, unknown> }[];
  numberMatched: number;
  numberMatchedIsEstimate: boolean;
  offset: number | null;
  links: { next?: string };
}

/** Follows links.next from `first` to the end; returns every page. */
async function walk(first: string, onPage?: (index: number) => Promise<void>): Promise<Page[]> {
  const pages: Page[] = [];
  let path: string | undefined = first;
  while (path) {
    const response: { status: number; body: Page } = await server.request<Page>(path);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    pages.push(response.body);
    await onPage?.(pages.length);
    const next: string | undefined = response.body.links.next;
    if (next) expect(next.startsWith('/api/v1/')).toBe(true);
    path = next?.replace(/^\/api\/v1/, '');
    expect(pages.length).toBeLessThan(100);
  }
  return pages;
}

const ids = (pages: Page[]) => pages.flatMap((page) => page.features.map((feature) => feature.id));

/** Compares like the lists do: nulls last in both directions, then id in the same direction. */
function keyOrder<T extends { id: number }>(rows: T[], keys: ((row: T) => string | number | null)[], order: 'asc' | 'desc'): number[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      for (const key of keys) {
        const [x, y] = [key(a), key(b)];
        if (x === y) continue;
        if (x === null) return 1;
        if (y === null) return -1;
        return (x < y ? -1 : 1) * sign;
      }
      return (a.id - b.id) * sign;
    })
    .map((row) => row.id);
}

interface SeededViolation {
  id: number;
  reportedAtMs: number;
  deadlineMs: number | null;
  routeCode: string | null;
  chainage: number | null;
}

async function insertViolation(description: string, reportedAtMs: number, deadlineMs: number | null, routeCode: string | null, chainage: number | null): Promise<SeededViolation> {
  const result = await server.db.pool.query<{ id: number }>(
    `INSERT INTO violations (category, status, source, geom, verdict, is_violation, jurisdiction_code, description, reported_at, deadline_at, route_code, chainage_meters)
     VALUES ('piling', 'reported', 'patrol', ST_SetSRID(ST_MakePoint(113.6, 34.7), 4326), '{}', true, '410104', $1, $2, $3, $4, $5)
     RETURNING id::integer AS id`,
    [description, new Date(reportedAtMs), deadlineMs === null ? null : new Date(deadlineMs), routeCode, chainage],
  );
  return { id: result.rows[0]!.id, reportedAtMs, deadlineMs, routeCode, chainage };
}

let seeded: SeededViolation[] = [];
let routeCode: string;

beforeAll(async () => {
  server = await startTestServer({ as: 'officer' });
  routeCode = (await server.db.pool.query<{ code: string }>('SELECT code FROM routes ORDER BY code LIMIT 1')).rows[0]!.code;
  // 23 rows: reported times in groups of three (ties), deadlines with nulls and ties, stakes with nulls.
  for (let index = 0; index < 23; index += 1) {
    seeded.push(
      await insertViolation(
        `${TOKEN} pile ${index}`,
        BASE + Math.floor(index / 3) * 60_000,
        index % 4 === 0 ? null : BASE + (index % 5) * 86_400_000,
        index % 3 === 0 ? null : routeCode,
        index % 3 === 0 ? null : (index % 7) * 100,
      ),
    );
  }
});

afterAll(async () => {
  await server.close();
});

describe('GET /violations by cursor', () => {
  const sorts: { sort: string; order: 'asc' | 'desc'; keys: ((row: SeededViolation) => string | number | null)[] }[] = [
    { sort: 'reportedAt', order: 'desc', keys: [(row) => row.reportedAtMs] },
    { sort: 'reportedAt', order: 'asc', keys: [(row) => row.reportedAtMs] },
    { sort: 'deadline', order: 'desc', keys: [(row) => row.deadlineMs] },
    { sort: 'deadline', order: 'asc', keys: [(row) => row.deadlineMs] },
    { sort: 'stake', order: 'asc', keys: [(row) => row.routeCode, (row) => row.chainage] },
    { sort: 'stake', order: 'desc', keys: [(row) => row.routeCode, (row) => row.chainage] },
    { sort: 'caseNumber', order: 'asc', keys: [() => null] },
  ];
  for (const { sort, order, keys } of sorts) {
    it(`walks every record once in ${sort} ${order} order, ties included`, async () => {
      const pages = await walk(`/violations?q=${TOKEN}&sort=${sort}&order=${order}&limit=4`);
      expect(ids(pages)).toEqual(keyOrder(seeded, keys, order));
      expect(pages).toHaveLength(Math.ceil(seeded.length / 4));
      expect(pages.at(-1)!.links.next).toBeUndefined();
      expect(pages[0]!.offset).toBe(0);
      expect(pages[1]!.offset).toBeNull();
      for (const page of pages) expect(page).toMatchObject({ numberMatched: seeded.length, numberMatchedIsEstimate: false });
    });
  }

  it('offset pages carry links.next too, and a cursor continues after the offset page', async () => {
    const byOffset = await server.request<Page>(`/violations?q=${TOKEN}&limit=5&offset=5`);
    expect(byOffset.status).toBe(200);
    const rest = await walk(byOffset.body.links.next!.replace(/^\/api\/v1/, ''));
    expect(byOffset.body.links.next).not.toContain('offset=');
    expect([...byOffset.body.features.map((feature) => feature.id), ...ids(rest)]).toEqual(keyOrder(seeded, [(row) => row.reportedAtMs], 'desc').slice(5));
  });

  it('a record inserted mid-walk appears once, where it sorts, and nothing repeats', async () => {
    const token = `${TOKEN}mid`;
    const rows: SeededViolation[] = [];
    for (let index = 0; index < 9; index += 1) rows.push(await insertViolation(`${token} ${index}`, BASE + index * 1000, null, null, null));
    const added: SeededViolation[] = [];
    const pages = await walk(`/violations?q=${token}&sort=reportedAt&order=asc&limit=3`, async (pageIndex) => {
      if (pageIndex !== 1) return;
      // One ahead of the cursor (seen later, once) and one behind it (never seen by this walk).
      added.push(await insertViolation(`${token} late`, BASE + 7500, null, null, null));
      await insertViolation(`${token} early`, BASE - 1000, null, null, null);
    });
    const expected = keyOrder([...rows, ...added], [(row) => row.reportedAtMs], 'asc');
    expect(ids(pages)).toEqual(expected);
    expect(new Set(ids(pages)).size).toBe(ids(pages).length);
  });

  it('refuses a garbled, tampered or foreign cursor, and a cursor with an offset, with 400', async () => {
    const first = await server.request<Page>(`/violations?q=${TOKEN}&limit=2`);
    const cursor = new URL(first.body.links.next!, 'http://x').searchParams.get('cursor')!;
    const tampered = Buffer.from(Buffer.from(cursor, 'base64url').toString('utf8').replace(/"k":\[/, '"k":["DROP TABLE",'), 'utf8').toString('base64url');
    for (const bad of ['not*a*cursor', 'bm90IGpzb24', tampered]) {
      const response = await server.request<{ error: { code: string } }>(`/violations?q=${TOKEN}&limit=2&cursor=${bad}`);
      expect(response.status, bad).toBe(400);
      expect(response.body.error.code).toBe('INVALID_CURSOR');
    }
    const otherSort = await server.request<{ error: { code: string } }>(`/violations?q=${TOKEN}&limit=2&sort=status&cursor=${cursor}`);
    expect([otherSort.status, otherSort.body.error.code]).toEqual([400, 'INVALID_CURSOR']);
    const both = await server.request<{ error: { code: string } }>(`/violations?q=${TOKEN}&limit=2&offset=2&cursor=${cursor}`);
    expect([both.status, both.body.error.code]).toEqual([400, 'CURSOR_WITH_OFFSET']);
  });
});

describe('GET /detections by cursor', () => {
  it('walks one batch in confidence (nulls last) and priority order, ties included', async () => {
    // A content hash of its own: one batch per (district, hash) may be live, and other files insert batches in 410104 meanwhile.
    const batch = await server.db.pool.query<{ id: number }>(
      `INSERT INTO detection_batches (content_sha256, status, file_format, source, before_date, after_date, crs, jurisdiction_code)
       VALUES (md5(random()::text) || md5(random()::text), 'done', 'features', $1, '2025-01-01', '2025-02-01', 'WGS84', '410104') RETURNING id::integer AS id`,
      [TOKEN],
    );
    const batchId = batch.rows[0]!.id;
    const rows: { id: number; confidence: number | null; priority: number }[] = [];
    for (let index = 0; index < 17; index += 1) {
      const confidence = index % 5 === 0 ? null : (index % 4) / 4;
      const priority = (index % 3) * 10;
      const inserted = await server.db.pool.query<{ id: number }>(
        `INSERT INTO detections (batch_id, feature_index, geom, area_square_meters, change_type, in_scope, priority, review_status, jurisdiction_code, confidence)
         VALUES ($1, $2, ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(113.6, 34.7), 4326), 0.0001)), 50, 'new_building', true, $3, 'pending', '410104', $4)
         RETURNING id::integer AS id`,
        [batchId, index, priority, confidence],
      );
      rows.push({ id: inserted.rows[0]!.id, confidence, priority });
    }
    for (const order of ['desc', 'asc'] as const) {
      const byConfidence = await walk(`/detections?batch=${batchId}&sort=confidence&order=${order}&limit=4`);
      expect(ids(byConfidence)).toEqual(keyOrder(rows, [(row) => row.confidence], order));
      const byPriority = await walk(`/detections?batch=${batchId}&sort=priority&order=${order}&limit=5`);
      expect(ids(byPriority)).toEqual(keyOrder(rows, [(row) => row.priority], order));
    }
  });
});

describe('GET /segments by cursor', () => {
  it('walks a route in route, direction (+ first), chainage order, as one offset page lists it', async () => {
    const busiest = (await server.db.pool.query<{ code: string }>('SELECT route_code AS code FROM segments GROUP BY route_code ORDER BY count(*) DESC, route_code LIMIT 1')).rows[0]!.code;
    const whole = await server.request<Page>(`/segments?route=${busiest}&limit=5000`);
    expect(whole.status).toBe(200);
    expect(whole.body.links.next).toBeUndefined();
    const all = whole.body.features.map((feature) => ({ id: feature.id, direction: feature.properties.direction as number, from: feature.properties.chainageFromMeters as number }));
    expect(all.length).toBeGreaterThan(6);
    const expected = [...all].sort((a, b) => b.direction - a.direction || a.from - b.from || a.id - b.id).map((row) => row.id);
    const pages = await walk(`/segments?route=${busiest}&limit=${Math.ceil(all.length / 7)}`);
    expect(ids(pages)).toEqual(expected);
  });
});

describe('lists paged by offset only count with the bounded count', () => {
  it('audit: numberMatched on a full page, on the last page and past the end (rows of this test only)', async () => {
    const action = `bounded_count.${Array.from({ length: 10 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;
    await server.db.pool.query(
      `INSERT INTO audit_log (actor_username, actor_role, jurisdiction_code, action) SELECT 'list_paging', 'admin', '410104', $1 FROM generate_series(1, 7)`,
      [action],
    );
    const token = await server.login('admin');
    const page = async (offset: number) => (await server.requestWith(token, `/audit?action=${action}&limit=3&offset=${offset}`)).body;
    for (const [offset, returned] of [
      [0, 3],
      [3, 3],
      [6, 1],
      [9, 0],
    ] as const) {
      const body = await page(offset);
      expect({ offset, returned: body.entries.length, numberReturned: body.numberReturned, matched: body.numberMatched, estimate: body.numberMatchedIsEstimate }).toEqual({
        offset,
        returned,
        numberReturned: returned,
        matched: 7,
        estimate: false,
      });
    }
  });

  it('basemap roads: numberMatched equals the roads in the box, counted apart (the table has no row-level security)', async () => {
    const box = { minLon: 113.55, minLat: 34.7, maxLon: 113.75, maxLat: 34.85 };
    const expected = (
      await server.db.pool.query<{ count: number }>('SELECT count(*)::integer AS count FROM basemap_roads WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)', [
        box.minLon,
        box.minLat,
        box.maxLon,
        box.maxLat,
      ])
    ).rows[0]!.count;
    expect(expected).toBeGreaterThan(4);
    const bbox = [box.minLon, box.minLat, box.maxLon, box.maxLat].join(',');
    const first = await server.request(`/basemap/roads?bbox=${bbox}&limit=2`);
    expect(first.status).toBe(200);
    expect([first.body.features.length, first.body.numberMatched, first.body.numberMatchedIsEstimate]).toEqual([2, expected, false]);
    const past = await server.request(`/basemap/roads?bbox=${bbox}&limit=2&offset=${expected + 5}`);
    expect([past.body.features.length, past.body.numberMatched]).toEqual([0, expected]);
  });
});
