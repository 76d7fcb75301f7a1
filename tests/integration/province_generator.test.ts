import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database.ts';
import { startEmbeddedDatabase } from '../../server/db/embedded.ts';
import { readConfig } from '../../server/config.ts';
import { prepareDatabase } from '../../server/prepare_database.ts';
import { CASE_TRANSITIONS } from '../../server/domain/case_workflow.ts';
import { deleteProvinceCases, loadProvinceCases } from '../../scripts/province_cases.ts';
import { generateProvinceNetwork, loadProvinceNetwork } from '../../scripts/province_network.ts';
import { SYNTHETIC_PROVINCE_FINGERPRINT } from '../../scripts/province_queries.ts';

// A small province (the real one is 250k/1M/100k; the same code paths at a size a test can afford).
const SIZE = { segments: 600, detections: 1_500, violations: 300 };

let db: Database;
let drop: () => Promise<void>;

// Only the last load dissolves its ~570 (county, kind) zone sets (migration 034; ~8 s on PostgreSQL
// here since migration 050 turned JIT off for the rebuild, 222 s before): the determinism checks do
// not read them.
async function generate(seed: number, dissolve: boolean) {
  const network = generateProvinceNetwork({ segments: SIZE.segments, seed, extent: 'density' });
  await deleteProvinceCases(db.pool);
  await loadProvinceNetwork(db.pool, network, { dissolve });
  await loadProvinceCases(db.pool, network, { detections: SIZE.detections, violations: SIZE.violations, seed, chunkSize: 400 });
  return { network, fingerprint: (await db.pool.query(SYNTHETIC_PROVINCE_FINGERPRINT)).rows[0] };
}

beforeAll(async () => {
  if (inject('databaseMode') === 'embedded') {
    const embedded = await startEmbeddedDatabase({});
    db = await openDatabase(embedded.url);
    drop = async () => { await db.close(); await embedded.stop(); };
  } else {
    const name = `luyu_province_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: inject('databaseUrl') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(inject('databaseUrl'));
    url.pathname = `/${name}`;
    db = await openDatabase(url.toString());
    drop = async () => {
      await db.close();
      const cleanup = new pg.Client({ connectionString: inject('databaseUrl') });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    };
  }
  await prepareDatabase(db, readConfig({ ...process.env, NODE_ENV: 'test', LUYU_LOAD_DEMO: 'never' }));
});
afterAll(async () => drop?.());

describe('npm run data:province (scripts/province_*.ts)', () => {
  it('is deterministic by seed, puts every row in a generated county, and gives timelines that end in the status', async () => {
    const first = await generate(7, false);
    const again = await generate(7, false);
    expect(again.fingerprint).toEqual(first.fingerprint);
    const other = await generate(8, true);
    expect(other.fingerprint.checksum).not.toBe(first.fingerprint.checksum);

    const { network, fingerprint } = other;
    expect(fingerprint).toMatchObject({ segments: network.segments.length, detections: SIZE.detections, violations: SIZE.violations });
    expect(network.cities).toHaveLength(18);
    expect(network.districts).toHaveLength(150);
    expect(new Set(network.districts.map((d) => d.code)).size).toBe(150);
    for (const d of network.districts) expect(d.code).toMatch(new RegExp(`^${d.cityCode.slice(0, 4)}(0[1-9])$`));

    // Every row's jurisdiction is a generated county, stored as a district under a generated city.
    const counties = network.districts.map((d) => d.code);
    const outside = await db.pool.query(
      `SELECT 'segments' AS t, count(*)::integer AS n FROM segments WHERE NOT (jurisdiction_code = ANY($1))
       UNION ALL SELECT 'detections', count(*)::integer FROM detections WHERE NOT (jurisdiction_code = ANY($1))
       UNION ALL SELECT 'violations', count(*)::integer FROM violations WHERE NOT (jurisdiction_code = ANY($1))
       UNION ALL SELECT 'counties', count(*)::integer FROM jurisdictions j JOIN jurisdictions c ON c.code = j.parent_code
                 WHERE j.code = ANY($1) AND (j.level <> 'district' OR c.level <> 'city' OR c.parent_code <> '410000')`,
      [counties],
    );
    expect(Object.fromEntries(outside.rows.map((r) => [r.t, r.n]))).toEqual({ segments: 0, detections: 0, violations: 0, counties: 0 });
    // A segment's county contains its midpoint vertex (recomputed by PostGIS from the stored boundary).
    const misplaced = await db.pool.query(
      `SELECT count(*)::integer AS n FROM segments s JOIN jurisdictions j ON j.code = s.jurisdiction_code
       WHERE NOT ST_Covers(ST_Buffer(j.boundary, 1e-9), ST_Force2D(ST_PointN(s.centreline, ST_NPoints(s.centreline) / 2 + 1)))`,
    );
    expect(misplaced.rows[0].n).toBe(0);

    // Timelines: start with 'report', each step is an allowed transition from the previous status, in time order, ending in the case's status.
    const timelines = await db.pool.query<{ status: string; case_number: string | null; events: { event: string; from: string | null; to: string; at: string }[] }>(
      `SELECT v.status, v.case_number, json_agg(json_build_object('event', e.event, 'from', e.from_status, 'to', e.to_status, 'at', e.occurred_at) ORDER BY e.id) AS events
       FROM violations v JOIN case_events e ON e.violation_id = v.id GROUP BY v.id`,
    );
    expect(timelines.rows).toHaveLength(SIZE.violations);
    const statuses = new Set<string>();
    for (const { status, case_number, events } of timelines.rows) {
      statuses.add(status);
      expect(events[0]).toMatchObject({ event: 'report', from: null, to: 'reported' });
      for (let i = 1; i < events.length; i += 1) {
        const step = events[i]!;
        expect(step.from).toBe(events[i - 1]!.to);
        expect(CASE_TRANSITIONS.some((t) => t.from === step.from && t.event === step.event && t.to === step.to)).toBe(true);
        expect(Date.parse(step.at)).toBeGreaterThanOrEqual(Date.parse(events[i - 1]!.at));
      }
      expect(events.at(-1)!.to).toBe(status);
      expect(case_number !== null).toBe(events.some((e) => e.event === 'verify'));
    }
    for (const status of ['reported', 'verified', 'notice_issued', 'cleared', 'closed']) expect(statuses).toContain(status);

    // The dissolving load leaves no stale set, and every zone kind the loaded counties have is dissolved.
    const sets = await db.pool.query<{ stale: number; built: number; kinds_zoned: number; kinds_dissolved: number }>(
      `SELECT (SELECT count(*) FROM dissolved_zone_sets WHERE stale)::integer AS stale,
              (SELECT count(*) FROM dissolved_zone_sets WHERE NOT stale)::integer AS built,
              (SELECT count(DISTINCT (s.jurisdiction_code, z.kind)) FROM protection_zones z JOIN segments s ON s.id = z.segment_id)::integer AS kinds_zoned,
              (SELECT count(DISTINCT (jurisdiction_code, kind)) FROM dissolved_zones)::integer AS kinds_dissolved`,
    );
    expect(sets.rows[0]!.stale).toBe(0);
    expect(sets.rows[0]!.built).toBeGreaterThan(0);
    expect(sets.rows[0]!.kinds_dissolved).toBe(sets.rows[0]!.kinds_zoned);
  }, 300_000);
});
