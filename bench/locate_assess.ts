/**
 * `npm run bench:locate`: locate + legal assessment of 10,000 findings (points and polygons around
 * the demo network) through `assessFindings` — what an import dry run does — against the raw
 * nearest-segment + zone SQL it wraps, run directly on the pool with the same input, in one run on
 * one database (embedded unless DATABASE_URL is set). Prints times, rows/s and the ratio; asserts nothing.
 */
import { readConfig } from '../server/config.ts';
import type { Queryable } from '../server/db/database.ts';
import { startDatabase } from '../server/db/start_database.ts';
import { locateGeometries } from '../server/lrs/queries.ts';
import { prepareDatabase } from '../server/prepare_database.ts';
import { assessFindings } from '../server/violations/service.ts';
import { violationSettings } from '../server/violations/types.ts';

const COUNT = Number(process.env.BENCH_FINDINGS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const config = readConfig({ ...process.env, NODE_ENV: 'test', LUYU_DATA_DIR: process.env.LUYU_DATA_DIR ?? '.luyu/bench-pgdata' });
const db = await startDatabase(config);
await prepareDatabase(db, config);
const settings = violationSettings(config);
const radiusMeters = settings.locateRadiusMeters;

// Deterministic findings: beside random vertices of the demo centrelines, up to 300 m off, 30 % polygons.
let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const vertices = (
  await db.pool.query<{ lon: number; lat: number }>('SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat FROM segments s, ST_DumpPoints(ST_Force2D(s.centreline)) p ORDER BY s.id, p.path')
).rows;
const categories = ['billboard', 'structure', 'excavation', 'piling', 'trading'] as const;
const attributes: Record<(typeof categories)[number], unknown> = {
  billboard: { faceAreaSquareMeters: 20, heightMeters: 6, structureType: 'ground', illuminated: false },
  structure: { footprintSquareMeters: 40, storeys: 1 },
  excavation: { areaSquareMeters: 300, depthMeters: 3 },
  piling: { material: '砂石', volumeCubicMeters: 10 },
  trading: { stallType: '水果摊', stallCount: 2 },
};
const inputs = Array.from({ length: COUNT }, (_, index) => {
  const vertex = vertices[Math.floor(random() * vertices.length)]!;
  const lon = vertex.lon + ((random() - 0.5) * 600) / 91_000;
  const lat = vertex.lat + ((random() - 0.5) * 600) / 110_540;
  const category = categories[index % categories.length]!;
  const geometry: GeoJSON.Point | GeoJSON.Polygon =
    random() < 0.3
      ? { type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.0002, lat], [lon + 0.0002, lat + 0.00015], [lon, lat + 0.00015], [lon, lat]]] }
      : { type: 'Point', coordinates: [lon, lat] };
  return { geometry, category, attributes: attributes[category] };
});

// The locator's own statement and bind values, captured once, then run as-is on the pool.
let captured: { text: string; values: unknown[] } | undefined;
const recorder: Queryable = {
  query: ((text: string, values: unknown[]) => {
    captured = { text, values };
    return db.pool.query(text, values);
  }) as Queryable['query'],
};
await locateGeometries(recorder, inputs.map((input) => input.geometry), radiusMeters);
const raw = captured!;

async function time(work: () => Promise<unknown>): Promise<number> {
  const startedAt = performance.now();
  await work();
  return performance.now() - startedAt;
}

const service: number[] = [];
const sql: number[] = [];
let located = 0;
for (let round = 0; round < ROUNDS; round += 1) {
  service.push(
    await time(async () => {
      const results = await assessFindings(db.pool, inputs, { radiusMeters, settings });
      located = results.filter((result) => result.location.segmentId !== null).length;
    }),
  );
  sql.push(await time(() => db.pool.query(raw.text, raw.values)));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const serviceMs = median(service);
const sqlMs = median(sql);
console.log(`Luyu locate + assess benchmark: ${db.mode} database, ${COUNT.toLocaleString('en-US')} findings (${located.toLocaleString('en-US')} within ${radiusMeters} m of a segment), median of ${ROUNDS} rounds`);
console.log(`assessFindings (locate + widths + districts + verdicts) ${serviceMs.toFixed(0).padStart(7)} ms  ${Math.round((COUNT / serviceMs) * 1000).toLocaleString('en-US').padStart(8)} rows/s`);
console.log(`raw nearest-segment + zone SQL                         ${sqlMs.toFixed(0).padStart(7)} ms  ${Math.round((COUNT / sqlMs) * 1000).toLocaleString('en-US').padStart(8)} rows/s`);
console.log(`ratio assessFindings / raw SQL: ${(serviceMs / sqlMs).toFixed(2)}×`);
await db.close();
