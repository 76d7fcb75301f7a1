/**
 * `npm run bench:network`: the network endpoints against the raw SQL they wrap, side by side in
 * one run on one database (embedded unless DATABASE_URL is set). Prints ratios, asserts nothing:
 * speed claims live here, not in timed tests.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from '../server/app.ts';
import { readConfig } from '../server/config.ts';
import { startDatabase } from '../server/db/start_database.ts';
import { locateGeometries } from '../server/lrs/queries.ts';
import { selectSegments } from '../server/roads/queries.ts';
import { prepareDatabase } from '../server/prepare_database.ts';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300);
const config = readConfig({ ...process.env, NODE_ENV: 'test', LUYU_DATA_DIR: process.env.LUYU_DATA_DIR ?? '.luyu/bench-pgdata' });
const db = await startDatabase(config);
await prepareDatabase(db, config);
const app = createApp({ db, config });
const server = app.listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;

// Deterministic sample points around the demo network.
function samplePoints(count: number): [number, number][] {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: count }, () => [113.68 + random() * 0.15, 34.63 + random() * 0.12] as [number, number]);
}

async function timeMilliseconds(work: (index: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < ITERATIONS; index += 1) {
    const startedAt = performance.now();
    await work(index);
    samples.push(performance.now() - startedAt);
  }
  return samples;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const points = samplePoints(ITERATIONS);
const radiusMeters = 500;

async function compare(name: string, endpoint: (index: number) => Promise<unknown>, raw: (index: number) => Promise<unknown>) {
  await endpoint(0);
  await raw(0);
  // Interleave the two in rounds so drift on the machine hits both alike.
  const endpointSamples: number[] = [];
  const rawSamples: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    endpointSamples.push(...(await timeMilliseconds(endpoint)));
    rawSamples.push(...(await timeMilliseconds(raw)));
  }
  const endpointMedian = median(endpointSamples);
  const rawMedian = median(rawSamples);
  console.log(
    `${name.padEnd(34)} endpoint ${endpointMedian.toFixed(2).padStart(7)} ms   raw SQL ${rawMedian.toFixed(2).padStart(7)} ms   ratio ${(endpointMedian / rawMedian).toFixed(2)}×`,
  );
}

console.log(`Luyu network API benchmark: ${db.mode} database, ${ITERATIONS * 3} requests per side, medians`);
await compare(
  'GET /lrs/locate vs its locate SQL',
  async (index) => {
    const [lon, lat] = points[index]!;
    await (await fetch(`${baseUrl}/lrs/locate?lon=${lon}&lat=${lat}&radius=${radiusMeters}`)).arrayBuffer();
  },
  async (index) => {
    const [lon, lat] = points[index]!;
    await locateGeometries(db.pool, [{ type: 'Point', coordinates: [lon, lat] }], radiusMeters);
  },
);
await compare(
  'GET /segments?bbox (1 km box) vs SQL',
  async (index) => {
    const [lon, lat] = points[index]!;
    await (await fetch(`${baseUrl}/segments?bbox=${lon},${lat},${lon + 0.01},${lat + 0.01}`)).arrayBuffer();
  },
  async (index) => {
    const [lon, lat] = points[index]!;
    await selectSegments(db.pool, { bbox: { minLon: lon, minLat: lat, maxLon: lon + 0.01, maxLat: lat + 0.01 } }, 1000, { kind: 'offset', offset: 0 });
  },
);
server.close();
await db.close();
